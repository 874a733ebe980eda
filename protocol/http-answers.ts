/** Shapes of HTTP answers that server and web client share (the rest is described in docs/protocol.md). */

/** What needs a tutor in one live session (GET /api/tutor/flags). */
export interface SessionFlags {
  speaking: string[];
  needsGrading: number;
  disconnected: string[];
  /** Minutes since the last attempt (or since the session started, before any). */
  idleMinutes: number;
  /** Higher needs a tutor sooner: grading first, then disconnections, then long idling. */
  need: number;
}
