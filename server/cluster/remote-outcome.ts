/**
 * A call into a room on another process (Colyseus' remote room call over Redis pub/sub) carries
 * our error codes. Colyseus passes a rejection back as its bare message and then reports any
 * failure of a remote call as "timed out", so the room side never rejects: it answers an outcome,
 * `{ ok: true, value }` or `{ ok: false, error: { code, message, status } }`, and the calling side
 * turns the error back into the same KotoError a local call would have thrown. Only a call that
 * gets no answer at all (the process is gone or stuck) is SESSION_UNREACHABLE.
 */
import { matchMaker } from "@colyseus/core";
import { KotoError } from "../errors.ts";

export type RemoteOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: string; message: string; status: number } };

/** Runs room-side work for a remote caller: its result or its error, as data that survives JSON. */
export async function outcomeOf<T>(work: () => Promise<T>, onUnexpected?: (error: unknown) => void): Promise<RemoteOutcome<T>> {
  try {
    const value = await work();
    return { ok: true, value: value === undefined ? (null as T) : value };
  } catch (error) {
    if (error instanceof KotoError) return { ok: false, error: { ...error.toWire(), status: error.status } };
    onUnexpected?.(error);
    return { ok: false, error: { code: "INTERNAL", message: "the server holding this session could not complete the request", status: 500 } };
  }
}

/** The caller's side: the value, or the room's error thrown again as a KotoError. */
export function unwrapOutcome<T>(outcome: RemoteOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new KotoError(outcome.error.code, outcome.error.message, outcome.error.status);
}

type RemoteRoomCall = (roomId: string, method: string, args: unknown[], timeoutMs: number) => Promise<unknown>;

/** Calls `method` (a room method that answers with `outcomeOf`) in the room `roomId`, wherever it lives. */
export async function callRoom<T>(roomId: string, method: string, args: unknown[], timeoutMs: number,
  call: RemoteRoomCall = (id, name, callArgs, timeout) => matchMaker.remoteRoomCall(id, name, callArgs, timeout)): Promise<T> {
  let outcome: RemoteOutcome<T>;
  try {
    outcome = (await call(roomId, method, args, timeoutMs)) as RemoteOutcome<T>;
  } catch {
    throw new KotoError("SESSION_UNREACHABLE", `the server holding session "${roomId}" did not answer within ${Math.round(timeoutMs / 1000)} s; try again`, 504);
  }
  return unwrapOutcome(outcome);
}
