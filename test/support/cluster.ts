/**
 * Several real KOTO Live processes sharing one Redis (the test's own) and one fresh Postgres
 * database, optionally behind real Caddy running infra/Caddyfile, plus the steps of a spoken lesson
 * a learner and a tutor take through them.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, type Room } from "@colyseus/sdk";
import type { LessonState } from "../../schema/index.ts";
import { hashPassword } from "../../server/auth/passwords.ts";
import { decodeWav, encodeAudioFrame, int16ToBytesLE } from "../../server/speech/audio/index.ts";
import { openStore } from "../../server/store/open-store.ts";
import { createPostgresDatabase, type TestDatabase } from "./databases.ts";
import { nextMessage, waitForState } from "./koto-test-server.ts";
import { Redis } from "ioredis";
import { freePort, root, startKotoProcess, track, startRedis, stopAll, waitFor, type KotoProcess, type TestRedis } from "./processes.ts";

export const LESSON = "ko-en-01-greetings";
export type LessonRoom = Room<any, LessonState>;

export interface Cluster {
  redis: TestRedis;
  database: TestDatabase;
  processes: KotoProcess[];
  /** Where clients go: Caddy's /koto-api when Caddy runs, else undefined. */
  caddy?: { port: number; apiBase: string; siteBase: string };
  env: Record<string, string>;
  /** Starts one more process with the same settings (a restarted or added instance). */
  addProcess(port?: number): Promise<KotoProcess>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  processes?: number;
  caddy?: boolean;
  env?: Record<string, string>;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const [redis, database] = await Promise.all([startRedis(), createPostgresDatabase()]);
  const caddyPort = options.caddy ? await freePort() : undefined;
  // One DATA_DIR for all: the JWT secret and file recordings are shared like on one server.
  const env: Record<string, string> = {
    REDIS_URL: redis.url, DATABASE_URL: database.url, DATA_DIR: mkdtempSync(join(tmpdir(), "koto-cluster-")),
    JWT_SECRET: "cluster-test-secret-long-enough-0123456789",
    PUBLIC_ADDRESS: caddyPort ? `127.0.0.1:${caddyPort}/koto-api/p/{port}` : "127.0.0.1:{port}",
    RECONNECT_WINDOW_SECONDS: "10", ...options.env,
  };
  const ports = await Promise.all(Array.from({ length: options.processes ?? 2 }, () => freePort()));
  const processes: KotoProcess[] = [];
  for (const port of ports) processes.push(await startKotoProcess(env, port));
  const cluster: Cluster = {
    redis, database, processes, env,
    async addProcess(port) {
      const started = await startKotoProcess(env, port);
      processes.push(started);
      return started;
    },
    async stop() {
      await stopAll();
      await database.drop();
    },
  };
  if (caddyPort) cluster.caddy = await startCaddy(caddyPort, ports);
  return cluster;
}

async function startCaddy(port: number, upstreamPorts: number[]) {
  const home = mkdtempSync(join(tmpdir(), "koto-caddy-"));
  const child = spawn("caddy", ["run", "--config", join(root, "infra/Caddyfile"), "--adapter", "caddyfile"], {
    cwd: root,
    env: {
      ...process.env, HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home,
      KOTO_SITE: `http://127.0.0.1:${port}`, KOTO_CADDY_ADMIN: "off",
      KOTO_WEB_ROOT: join(root, "web-client/dist"),
      KOTO_PROCESS_PORTS: upstreamPorts.join("|"),
      KOTO_UPSTREAMS: upstreamPorts.map((upstream) => `127.0.0.1:${upstream}`).join(" "),
    },
    stdio: "pipe",
  });
  const caddy = track(child);
  const siteBase = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`caddy exited:\n${caddy.output()}`);
    return (await fetch(`${siteBase}/koto-api/healthz`)).ok;
  }, "Caddy in front of the processes", 30_000, 200).catch((error) => {
    throw new Error(`${(error as Error).message}\n${caddy.output()}`);
  });
  return { port, apiBase: `${siteBase}/koto-api`, siteBase };
}

// ---- people -------------------------------------------------------------------------------------

export async function signInGuest(apiBase: string, name: string): Promise<{ token: string; userId: string }> {
  const response = await fetch(`${apiBase}/api/auth/guest`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }),
  });
  const body = (await response.json()) as { token: string; user: { id: string } };
  return { token: body.token, userId: body.user.id };
}

export async function signInTutor(cluster: Cluster, apiBase: string, email = "teacher@koto.test"): Promise<{ token: string; userId: string }> {
  const password = "correct horse battery";
  const store = await openStore({ databaseUrl: cluster.database.url });
  try {
    if (!(await store.findTutorByEmail(email))) await store.createTutor(email, "Teacher Kim", await hashPassword(password, 4));
  } finally {
    await store.close();
  }
  const response = await fetch(`${apiBase}/api/auth/login`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { token: string; user: { id: string } };
  return { token: body.token, userId: body.user.id };
}

/** Which process holds the room, from the room listing in Redis. */
export async function ownerOf(cluster: Cluster, roomId: string): Promise<KotoProcess> {
  const redis = new Redis(cluster.redis.url);
  try {
    return await waitFor(async () => {
      const listing = await redis.hget("koto:roomcaches", roomId);
      const processId = listing && (JSON.parse(listing) as { processId: string }).processId;
      return cluster.processes.find((candidate) => candidate.processId === processId);
    }, `the process that owns room ${roomId}`);
  } finally {
    redis.disconnect();
  }
}

/**
 * A guest learner's lesson started through `apiBase`, the cluster's tutor signed in, and the two
 * processes told apart: the one that holds the room and the other one (to cross processes through).
 */
export async function lessonAcrossProcesses(cluster: Cluster, apiBase: string, name: string) {
  const learner = await signInGuest(apiBase, name);
  const kim = await signInTutor(cluster, apiBase);
  const room = await startLesson(new Client(apiBase), learner.token);
  const owner = await ownerOf(cluster, room.roomId);
  const other = cluster.processes.find((process) => process !== owner)!;
  return { learner, kim, room, owner, other };
}

// ---- speaking -----------------------------------------------------------------------------------

const fixture = (name: string) => decodeWav(readFileSync(new URL(`../fixtures/audio/${name}`, import.meta.url)));
export const greeting = () => fixture("annyeonghaseyo.wav");

/** 20 ms PCM16 frames with sequence numbers, as a browser or Unity client sends them. */
export function pcmFrames(samples: Int16Array, samplesPerFrame = 320): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let offset = 0, sequence = 0; offset < samples.length; offset += samplesPerFrame, sequence++) {
    frames.push(encodeAudioFrame(sequence, int16ToBytesLE(samples.subarray(offset, offset + samplesPerFrame))));
  }
  return frames;
}

/** Sends frames in small batches without waiting real time (the server's clock is the audio). */
export async function stream(room: LessonRoom, frames: Uint8Array[]): Promise<void> {
  for (let index = 0; index < frames.length; index++) {
    room.sendBytes("audio", frames[index]);
    if (index % 25 === 24) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function openUtterance(room: LessonRoom): Promise<string> {
  const opened = nextMessage(room, "utterance-opened", 15_000);
  room.send("utterance-open", { codec: "pcm16", sampleRate: 16000, mode: "push-to-talk" });
  return (await opened).attemptId as string;
}

export async function startLesson(client: Client, token: string): Promise<LessonRoom> {
  const room = await client.create<LessonState>("lesson", { lessonId: LESSON, token, platform: "web" });
  room.send("start");
  await waitForState(room, (state) => state.phase === "running", "the lesson to start", 15_000);
  return room;
}
