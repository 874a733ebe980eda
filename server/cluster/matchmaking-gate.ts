/**
 * The door of matchmaking (`POST /matchmake/...`). It turns "this process cannot seat anyone now"
 * into a clear refusal instead of a hang or an obscure failure deep in Colyseus, and bounds how many
 * joins a process handles at once so a reconnect storm after a restart waits in line.
 *
 * Colyseus documents `matchMaker.controller` as the place to customise the HTTP side of
 * matchmaking; we wrap its `invokeMethod` once and consult whichever gate the running server set.
 */
import { matchMaker, ServerError } from "@colyseus/core";
import { bulkhead, BulkheadRejectedError } from "cockatiel";
import { KotoError } from "../errors.ts";

export interface MatchmakingGate {
  /** Why new seats cannot be handed out right now, or null. */
  refusal(method: string): KotoError | null;
  /**
   * A check of the one asking (their token, their budget); throws a KotoError to refuse. `roomName`:
   * Colyseus' second argument, the room type for create/join and the room id for joinById/reconnect.
   */
  admit?(method: string, roomName: string, clientOptions: unknown): Promise<void>;
  readonly maxConcurrentJoins: number;
}

/** Joins beyond the limit wait in line, up to this many times the limit, then are told to retry. */
const QUEUE_FACTOR = 8;

type InvokeMethod = typeof matchMaker.controller.invokeMethod;

let original: InvokeMethod | undefined;

/** Puts the gate in front of Colyseus' own matchmaking (a later server replaces an earlier gate). */
export function installMatchmakingGate(gate: MatchmakingGate): void {
  original ??= matchMaker.controller.invokeMethod;
  matchMaker.controller.invokeMethod = gatedInvoke(gate, original);
}

/** `invoke` behind the gate: refused while the gate says so, at most `maxConcurrentJoins` at once, a bounded line behind. */
export function gatedInvoke(gate: MatchmakingGate, invoke: InvokeMethod): InvokeMethod {
  const line = bulkhead(gate.maxConcurrentJoins, gate.maxConcurrentJoins * QUEUE_FACTOR);
  return async function gated(this: typeof matchMaker.controller, method, roomName, clientOptions, authOptions) {
    const refusal = gate.refusal(method);
    if (refusal) throw toServerError(refusal);
    try {
      await gate.admit?.(method, roomName, clientOptions);
    } catch (error) {
      if (error instanceof KotoError) throw toServerError(error);
      throw error;
    }
    try {
      return await line.execute(() => invoke.call(this, method, roomName, clientOptions, authOptions));
    } catch (error) {
      if (error instanceof BulkheadRejectedError) {
        throw toServerError(new KotoError("SERVER_BUSY", "too many people are joining at once; try again in a few seconds", 503));
      }
      throw error;
    }
  } as InvokeMethod;
}

/** The HTTP status travels as the error code; the body says `CODE: sentence`. */
function toServerError(error: KotoError): ServerError {
  return new ServerError(error.status, error.message);
}
