/**
 * GET /api/tutor/flags: what needs a tutor in each live session of this process, read from the
 * rooms' own synchronized state (the store does not know who is speaking or connected right now).
 */
import type { Room } from "@colyseus/core";
import type { TokenService } from "../auth/token-service.ts";
import { authenticate } from "../auth/authenticate.ts";
import type { Store } from "../store/store.ts";
import { KotoError } from "../errors.ts";
import { bearerToken, endpoint } from "./endpoint.ts";
import type { SessionFlags } from "../../protocol/http-answers.ts";

export type { SessionFlags };

interface PlainParticipant { displayName: string; role: string; connected: boolean; speaking: boolean }
interface PlainAttempt { status: string; createdAt: number }

export function flagsOf(state: { participants?: Record<string, PlainParticipant>; attempts?: PlainAttempt[]; phase?: string }, startedAt: number, now: number): SessionFlags {
  const learners = Object.values(state.participants ?? {}).filter((participant) => participant.role === "learner");
  const attempts = state.attempts ?? [];
  const needsGrading = attempts.filter((attempt) => attempt.status === "awaiting-tutor" || attempt.status === "failed").length;
  const lastActivity = Math.max(startedAt, ...attempts.map((attempt) => attempt.createdAt || 0));
  const idleMinutes = Math.max(0, Math.floor((now - lastActivity) / 60_000));
  const speaking = learners.filter((learner) => learner.speaking).map((learner) => learner.displayName);
  const disconnected = learners.filter((learner) => !learner.connected).map((learner) => learner.displayName);
  const need = needsGrading * 100 + disconnected.length * 50 + (speaking.length > 0 ? 0 : Math.min(idleMinutes, 30));
  return { speaking, needsGrading, disconnected, idleMinutes, need };
}

export function tutorRoutes(services: { tokens: TokenService; store: Store; liveRooms: Map<string, Room>; now?: () => number }) {
  const now = services.now ?? Date.now;
  // Rooms carry no creation time: a session's idle clock starts when this route first sees it.
  const firstSeen = new Map<string, number>();
  return {
    tutorFlags: endpoint("GET", "/api/tutor/flags", async ({ request }) => {
      const claims = await authenticate(services.tokens, services.store, bearerToken(request));
      if (claims.role !== "tutor") throw new KotoError("ROLE_FORBIDDEN", "only tutors may see this", 403);
      const sessions: Record<string, SessionFlags> = {};
      for (const roomId of firstSeen.keys()) if (!services.liveRooms.has(roomId)) firstSeen.delete(roomId);
      for (const [roomId, room] of services.liveRooms) {
        if (!firstSeen.has(roomId)) firstSeen.set(roomId, now());
        const state = (room.state as { toJSON?: () => unknown } | undefined)?.toJSON?.() as Parameters<typeof flagsOf>[0] | undefined;
        if (!state) continue;
        sessions[roomId] = flagsOf(state, firstSeen.get(roomId)!, now());
      }
      return { sessions };
    }),
  };
}
