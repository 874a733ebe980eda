/**
 * Bench child: a bare Colyseus server (BareRoom only) on 127.0.0.1 and a free port, over the same
 * transport factory, message-size setting and garbage-collector setting (HEAP_GROWING_PERCENT) as
 * KOTO Live, so that the ratio measures the room's work and not a different V8. BENCH_TRANSPORT=uws|ws.
 */
import { Server } from "@colyseus/core";
import { configSchema } from "../../server/config.ts";
import { tuneGarbageCollector } from "../../server/gc-tuning.ts";
import { createTransport, listeningPort } from "../../server/transport/create-transport.ts";
import { BareRoom } from "../bare-room.ts";
import { serveParent } from "./child-side.ts";

const kind = process.env.BENCH_TRANSPORT === "ws" ? "ws" : "uws";
tuneGarbageCollector(configSchema.shape.HEAP_GROWING_PERCENT.parse(process.env.HEAP_GROWING_PERCENT));
const parent = serveParent({});
const transport = await createTransport({ kind, maxMessageBytes: 64 * 1024 });
const server = new Server({ transport, greet: false, gracefullyShutdown: false });
server.define("bare", BareRoom);
await server.listen(0, "127.0.0.1");
parent.ready({ port: await listeningPort(transport), transport: kind });
