/**
 * Bench child: a bare Colyseus server (BareRoom only) on 127.0.0.1 and a free port, over the same
 * transport factory and message-size setting as KOTO Live. BENCH_TRANSPORT=uws|ws.
 */
import { Server } from "@colyseus/core";
import { createTransport, listeningPort } from "../../server/transport/create-transport.ts";
import { BareRoom } from "../bare-room.ts";
import { serveParent } from "./child-side.ts";

const kind = process.env.BENCH_TRANSPORT === "ws" ? "ws" : "uws";
const parent = serveParent({});
const transport = await createTransport({ kind, maxMessageBytes: 64 * 1024 });
const server = new Server({ transport, greet: false, gracefullyShutdown: false });
server.define("bare", BareRoom);
await server.listen(0, "127.0.0.1");
parent.ready({ port: await listeningPort(transport), transport: kind });
