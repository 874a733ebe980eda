/**
 * What one learner's audio frame costs the server's event loop, from the socket's message to the
 * relay to the listener, in the lesson room and in the bare Colyseus room (bench/bare-room.ts), each
 * in a process of its own started with the server's flags. No load generator shares the machine:
 * the figure is the handler's own CPU, which the capacity ramp (part 0) sees only through the noise
 * of a full machine.
 *
 * Each process serves one session (a learner streaming 16 kHz PCM, a tutor or spectator listening
 * over a real uWebSockets.js socket) and hands the room the learner's wire messages itself, as the
 * transport does (`Room._onMessage`), in passes of 250 frames; between passes the sockets flush.
 * The lesson room's clock for audio limits moves 20 ms a frame (the frames are real-time audio; a
 * tight loop would otherwise be refused as a flood of audio, which is the limiter working). The
 * lesson's answers are 20 s utterances, closed and opened again: their end-of-answer work is not in
 * the figure, which is the frame path only.
 *
 * Run alone: `npx tsx bench/frame-path.ts` (both) or `node --import tsx bench/frame-path.ts lesson|bare`.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Client as SdkClient } from "@colyseus/sdk";
import type { Client, Room } from "@colyseus/core";
import pino from "pino";
import { SERVER_NODE_FLAGS } from "../server/node-flags.mjs";
import { bytesMessage } from "../server/transport/bytes-message.ts";
import { encodeAudioFrame } from "../server/speech/audio/index.ts";
import { LEARNER_STEP, LESSON_ID, PCM_PAYLOADS, waitForState } from "./lib/load.ts";

const FRAMES_PER_PASS = 250;
const FRAMES_PER_UTTERANCE = 1000;
const PASSES = Number(process.env.BENCH_FRAME_PATH_PASSES ?? 40);
const WARM_UP_PASSES = 8;

export interface FramePathFigures {
  /** Median over the passes of the event loop's microseconds per frame (handler, relay send included). */
  bareUs: number;
  lessonUs: number;
  /** lessonUs ÷ bareUs. */
  ratio: number;
}

/** Both variants, each in its own process, one after the other. */
export async function benchFramePath(): Promise<FramePathFigures> {
  const run = async (variant: "bare" | "lesson") => {
    const { stdout } = await promisify(execFile)(process.execPath, [...SERVER_NODE_FLAGS, "--import", "tsx", fileURLToPath(import.meta.url), variant], {
      env: { ...process.env, MALLOC_ARENA_MAX: "2" }, maxBuffer: 1024 * 1024, timeout: 180_000,
    });
    return (JSON.parse(stdout.trim().split("\n").at(-1)!) as { us: number }).us;
  };
  const bareUs = await run("bare");
  const lessonUs = await run("lesson");
  return { bareUs, lessonUs, ratio: Math.round((lessonUs / bareUs) * 100) / 100 };
}

/**
 * The learner's wire messages for one utterance, as its socket delivers them (Colyseus' bytes header,
 * then the frame): a real recording's 20 ms frames, looped, so the VAD and endpointer hear speech and pauses.
 */
function utteranceWires(payloads: Uint8Array[]): Buffer[] {
  const wires: Buffer[] = [];
  for (let sequence = 0; sequence < FRAMES_PER_UTTERANCE; sequence++) {
    wires.push(Buffer.from(bytesMessage("audio", encodeAudioFrame(sequence, payloads[sequence % payloads.length]))));
  }
  return wires;
}

interface Session {
  room: Room;
  learner: Client;
  /** Called before each utterance's first frame (the lesson opens a new answer). */
  beforeUtterance(): Promise<void>;
  /** The room's audio clock moved by one frame. */
  tick(): void;
  close(): Promise<void>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(session: Session): Promise<number> {
  const wires = utteranceWires(PCM_PAYLOADS);
  const receive = (session.room as unknown as { _onMessage(client: Client, buffer: Uint8Array): void })._onMessage.bind(session.room);
  // The flood close counts messages per clock second; this loop sends a second's worth in well under one.
  (session.room as unknown as { maxMessagesPerSecond: number }).maxMessagesPerSecond = Number.POSITIVE_INFINITY;
  const perFrameUs: number[] = [];
  let sent = 0;
  for (let pass = 0; pass < PASSES + WARM_UP_PASSES; pass++) {
    if (sent % FRAMES_PER_UTTERANCE === 0) await session.beforeUtterance();
    const from = sent % FRAMES_PER_UTTERANCE;
    const started = process.hrtime.bigint();
    for (let index = from; index < from + FRAMES_PER_PASS; index++) {
      session.tick();
      receive(session.learner, wires[index]);
    }
    const elapsedNs = Number(process.hrtime.bigint() - started);
    sent += FRAMES_PER_PASS;
    if (pass >= WARM_UP_PASSES) perFrameUs.push(elapsedNs / 1000 / FRAMES_PER_PASS);
    // The relayed frames go out and the listener reads them before the next pass.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await session.close();
  return Math.round(median(perFrameUs) * 100) / 100;
}

async function bareSession(): Promise<Session> {
  const { Server } = await import("@colyseus/core");
  const { createTransport, listeningPort } = await import("../server/transport/create-transport.ts");
  const { BareRoom } = await import("./bare-room.ts");
  const { matchMaker } = await import("@colyseus/core");
  const transport = await createTransport({ kind: "uws", maxMessageBytes: 64 * 1024 });
  const server = new Server({ transport, greet: false, gracefullyShutdown: false });
  server.define("bare", BareRoom);
  await server.listen(0, "127.0.0.1");
  const client = new SdkClient(`http://127.0.0.1:${await listeningPort(transport)}`);
  const learner = await client.create("bare", {});
  const spectator = await client.joinById(learner.roomId, {});
  spectator.onMessage("relay", () => {});
  const room = matchMaker.getLocalRoomById(learner.roomId)!;
  return {
    room, learner: room.clients.find((c) => c.sessionId === learner.sessionId)!,
    beforeUtterance: async () => {}, tick: () => {},
    close: async () => {
      await spectator.leave();
      await learner.leave();
      await server.gracefullyShutdown(false);
    },
  };
}

async function lessonSession(): Promise<Session> {
  const { loadConfig } = await import("../server/config.ts");
  const { startKotoServer } = await import("../server/app.ts");
  const config = loadConfig({
    PORT: "0", HOST: "127.0.0.1", DATA_DIR: mkdtempSync(join(tmpdir(), "koto-frame-path-")), TRANSPORT: "uws",
    LOGIN_ATTEMPTS_PER_ADDRESS: "1000", GUESTS_PER_ADDRESS_PER_HOUR: "1000",
  });
  const server = await startKotoServer(config, { logger: pino({ level: "silent" }) });
  const baseUrl = `http://127.0.0.1:${server.port}`;
  const post = async (path: string, body: unknown) => (await fetch(baseUrl + path, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  })).json() as Promise<any>;
  const { hashPassword } = await import("../server/auth/passwords.ts");
  await server.store.createTutor("frames@koto.test", "Teacher", await hashPassword("frame path bench", 4));
  const tutorToken = (await post("/api/auth/login", { email: "frames@koto.test", password: "frame path bench" })).token as string;
  const guestToken = (await post("/api/auth/guest", { name: "Mina" })).token as string;
  const client = new SdkClient(baseUrl);
  const learner = await client.create("lesson", { lessonId: LESSON_ID, token: guestToken, platform: "other" });
  learner.send("start");
  await waitForState(learner, (state) => state.phase === "running" && state.currentStep === LEARNER_STEP, "lesson start", 15_000);
  const tutor = await client.joinById(learner.roomId, { token: tutorToken, platform: "other" });
  tutor.onMessage("*", () => {});
  learner.onMessage("*", () => {});
  const room = server.liveRooms.get(learner.roomId)!;
  // The audio limits' clock: real-time audio moves it 20 ms a frame.
  let nowMs = Date.now();
  type Clocked = { now: () => number };
  const limiter = server.speech.limiter as unknown as Clocked & { bytes: Clocked; audioMs: Clocked; starts: Clocked };
  limiter.now = limiter.bytes.now = limiter.audioMs.now = limiter.starts.now = () => nowMs;
  let opened = false;
  // A refusal (a limit this harness did not foresee) ends the run with its code instead of waiting forever.
  const reply = (type: string) => new Promise<any>((resolve, reject) => {
    const stops = [
      learner.onMessage(type, (payload) => { for (const stop of stops) stop(); resolve(payload); }),
      learner.onMessage("error", (error) => { for (const stop of stops) stop(); reject(new Error(`${type}: ${JSON.stringify(error)}`)); }),
    ];
  });
  return {
    room, learner: room.clients.find((c) => c.sessionId === learner.sessionId)!,
    beforeUtterance: async () => {
      // Opening and closing answers are messages: kept under the room's message budget (5 a second).
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (opened) {
        const ended = reply("utterance-ended");
        learner.send("utterance-close");
        await ended;
      }
      const open = reply("utterance-opened");
      learner.send("utterance-open", { codec: "pcm16", sampleRate: 16000, mode: "push-to-talk" });
      await open;
      opened = true;
    },
    tick: () => { nowMs += 20; },
    close: async () => {
      await tutor.leave();
      await learner.leave();
      await server.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const variant = process.argv[2];
  if (variant === "bare" || variant === "lesson") {
    const us = await measure(variant === "bare" ? await bareSession() : await lessonSession());
    console.log(JSON.stringify({ variant, us }));
    process.exit(0);
  } else {
    console.log(await benchFramePath());
  }
}
