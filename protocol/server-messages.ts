/**
 * Messages the lesson room sends (docs/protocol.md), by name, with their payloads. The server and
 * every client use these names; binary layouts are in protocol/audio-frames.ts.
 */
import type { ServerErrorMessage } from "./error-codes.ts";

/** Why an utterance ended. After `utterance-ended` the client stops sending audio for it. */
export type UtteranceEndReason = "silence" | "max-duration" | "released" | "disconnected" | "no-speech";

export interface ServerMessages {
  error: ServerErrorMessage;
  "attempt-accepted": { attemptId: string; duplicate: boolean };
  "utterance-opened": { attemptId: string; step: number };
  "utterance-ended": { attemptId: string; reason: UtteranceEndReason };
  "utterance-started": { learnerId: string; attemptId: string; codec: "pcm16" | "opus"; sampleRate: number };
  "session-ended": { completed: boolean };
  "tutor-hint": { from: string; text: string };
  /** A tutor moved the lesson (advance or back): learners are told why the line changed. */
  "tutor-moved": { by: string; step: number; direction: "advance" | "back" };
  /** The process is stopping: the session moves (protocol/session-moves.ts). */
  "server-draining": ServerDrainingMessage;
}

export interface ServerDrainingMessage {
  sessionId: string;
  /** Clients should have resumed within this long; the session stays resumable much longer. */
  resumeWithinMs: number;
}

export type ServerMessageType = keyof ServerMessages;

export const SERVER_MESSAGE_TYPES: readonly ServerMessageType[] = [
  "error", "attempt-accepted", "utterance-opened", "utterance-ended", "utterance-started", "session-ended", "tutor-hint",
  "tutor-moved", "server-draining",
];
