// The lesson room's protocol, shared by the server, the web client and (mirrored) the Unity package:
// message names and payloads, the binary audio layouts, error codes. The state is in schema/.
export * from "./client-messages.ts";
export * from "./server-messages.ts";
export * from "./audio-frames.ts";
export * from "./error-codes.ts";
export * from "./matchmaking.ts";
export * from "./session-moves.ts";
export * from "./http-answers.ts";
export * from "./limits.ts";
