/**
 * What a lesson room does when its process stops (SIGTERM, `pm2 reload`): nothing accepted is lost.
 * Clients are told first, so the learner sees one "reconnecting" notice rather than an error; the
 * learner who is speaking may finish, and every answer is scored and stored up to the deadline;
 * every write the room accepted lands; then clients are closed with the code that means "resume".
 */
import type { Logger } from "pino";
import { SERVER_DRAINING, SESSION_MOVING_CLOSE_CODE, type ServerDrainingMessage } from "../../protocol/session-moves.ts";

export interface DrainingRoom {
  readonly roomId: string;
  broadcast(type: string, message: ServerDrainingMessage): void;
  /** Utterances still being spoken. */
  openUtterances(): number;
  /** Ends open utterances and waits for their evaluation. */
  settleSpeech(): Promise<void>;
  /** Waits for every store write the room accepted. */
  settleWrites(): Promise<void>;
  disconnect(closeCode: number): Promise<unknown>;
}

export interface DrainTiming {
  /** How long answers in flight may take, from the start of the drain. */
  deadlineMs: number;
  /** Told to clients: how soon they should be back. */
  resumeWithinMs: number;
}

export async function drainSession(room: DrainingRoom, timing: DrainTiming, logger: Logger): Promise<void> {
  const deadline = Date.now() + timing.deadlineMs;
  room.broadcast(SERVER_DRAINING, { sessionId: room.roomId, resumeWithinMs: timing.resumeWithinMs });
  // A learner mid-sentence finishes it (silence or release ends the utterance), up to the deadline.
  while (room.openUtterances() > 0 && Date.now() < deadline) await pause(50);
  const evaluated = await settledBefore(room.settleSpeech(), deadline);
  if (!evaluated) {
    logger.warn({ roomId: room.roomId }, "drain deadline passed with answers still being evaluated; they finish before the process exits, or are recovered after it");
  }
  await room.settleWrites();
  await room.disconnect(SESSION_MOVING_CLOSE_CODE);
}

/** True when `work` settles before `deadline` (a Date.now() time), false when the deadline comes first; the timer goes either way. */
export async function settledBefore(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now())); });
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
