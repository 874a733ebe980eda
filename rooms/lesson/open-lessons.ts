/**
 * How many lessons one learner sits in at once on this process. Opening lessons is rate limited
 * (60 a minute per account), but a seat, once taken, kept its room alive: 50 guests each sitting
 * in 60 lessons held 3,000 rooms and 534 MB. A learner uses one lesson at a time, and a few tabs
 * at most; past the cap, joining or opening another is refused until one is left.
 */
import { KotoError } from "../../server/errors.ts";

export const MAX_OPEN_LESSONS_PER_LEARNER = 5;

export class OpenLessons {
  private readonly roomsByLearner = new Map<string, Set<string>>();

  constructor(readonly max = MAX_OPEN_LESSONS_PER_LEARNER) {}

  /** Throws TOO_MANY_LESSONS_OPEN when the learner already sits in `max` lessons (other than `roomId`). */
  assertRoomFor(learnerId: string, roomId?: string): void {
    const rooms = this.roomsByLearner.get(learnerId);
    const others = rooms ? rooms.size - (roomId !== undefined && rooms.has(roomId) ? 1 : 0) : 0;
    if (others >= this.max) {
      throw new KotoError("TOO_MANY_LESSONS_OPEN", `you already have ${others} lessons open; close one of them (or wait a minute for a dropped one to close) and try again`, 429);
    }
  }

  /** The learner takes a seat in `roomId` (refused past the cap). */
  seat(learnerId: string, roomId: string): void {
    this.assertRoomFor(learnerId, roomId);
    const rooms = this.roomsByLearner.get(learnerId) ?? new Set<string>();
    rooms.add(roomId);
    this.roomsByLearner.set(learnerId, rooms);
  }

  leave(learnerId: string, roomId: string): void {
    const rooms = this.roomsByLearner.get(learnerId);
    if (!rooms) return;
    rooms.delete(roomId);
    if (rooms.size === 0) this.roomsByLearner.delete(learnerId);
  }

  count(learnerId: string): number {
    return this.roomsByLearner.get(learnerId)?.size ?? 0;
  }
}
