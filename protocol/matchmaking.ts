/**
 * How a refusal to create or join a room (bad token, full room, unknown lesson…) travels. Colyseus
 * carries only a number and a string: the number is the `ServerError` code, which is also the HTTP
 * status of the matchmaking response, so it must be a valid HTTP status; the string is the message.
 * Our mapping (docs/protocol.md):
 *   ServerError code = the HTTP status of the KOTO error (401, 404, 409, 400, 500);
 *   message          = "<KOTO_CODE>: <sentence>", the code exactly as in protocol/error-codes.ts.
 * Clients read it with `fromMatchmakingError`, which accepts only codes of the table, and never show
 * the raw message. The same shape arrives whether the refusal came over HTTP (onAuth, onCreate) or
 * over the WebSocket (onJoin).
 */
import { isErrorCode, type ErrorCode } from "./error-codes.ts";

export interface MatchmakingRefusal {
  /** The KOTO code, or "MATCHMAKING_FAILED" when the refusal is not one of ours (network, Colyseus itself). */
  code: ErrorCode | "MATCHMAKING_FAILED";
  /** The server's English sentence (without the code). */
  sentence: string;
  /** The Colyseus ServerError code (an HTTP status for ours). */
  status: number;
}

/** Server side: the arguments of `new ServerError(code, message)`. */
export function toMatchmakingError(code: ErrorCode, sentence: string, status: number): { code: number; message: string } {
  const validStatus = Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
  return { code: validStatus, message: `${code}: ${sentence}` };
}

/** Client side: reads a Colyseus `ServerError` / `MatchMakeError` (`{ code, message }`). */
export function fromMatchmakingError(error: { code?: unknown; message?: unknown } | null | undefined): MatchmakingRefusal {
  const status = typeof error?.code === "number" ? error.code : 0;
  const message = typeof error?.message === "string" ? error.message : "";
  const separator = message.indexOf(": ");
  const code = separator > 0 ? message.slice(0, separator) : "";
  if (isErrorCode(code)) return { code, sentence: message.slice(separator + 2), status };
  return { code: "MATCHMAKING_FAILED", sentence: message, status };
}
