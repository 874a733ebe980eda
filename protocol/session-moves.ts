/**
 * How a lesson session moves between processes (shared by the server and the web client; the Unity
 * package mirrors docs/protocol.md). A process that stops (SIGTERM, `pm2 reload`) first sends
 * `server-draining`, lets answers in flight be scored and stored, then closes every socket with
 * SESSION_MOVING_CLOSE_CODE; clients then `create("lesson", { lessonId, resume: sessionId, … })` on
 * any process, which restores the session from the database under the same id.
 */

/** WebSocket close code meaning "this session is moving: resume it" (private-use range). */
export const SESSION_MOVING_CLOSE_CODE = 4100;

export const SERVER_DRAINING = "server-draining";

export type { ServerDrainingMessage } from "./server-messages.ts";

/** Refusals of a resume that mean "the session is open: join it by id" (HTTP 409 from matchmaking). */
export const SESSION_OPEN_CODES = ["SESSION_LIVE", "SESSION_RESUMING"] as const;
