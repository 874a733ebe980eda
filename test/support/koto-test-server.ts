/**
 * Starts a real KOTO Live server on a free port with the shipped content, and signs people in
 * through the real HTTP API, for integration tests.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { Client, type Room } from "@colyseus/sdk";
import { loadConfig } from "../../server/config.ts";
import { startKotoServer, type KotoServer } from "../../server/app.ts";
import { hashPassword } from "../../server/auth/passwords.ts";

export interface TestServerOptions {
  transport?: "uws" | "ws";
  databaseUrl?: string;
  dataDir?: string;
  env?: Record<string, string>;
  /** Where the server logs (silent by default). */
  logger?: pino.Logger;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<KotoServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "koto-server-"));
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    TRANSPORT: options.transport ?? "uws",
    DATABASE_URL: options.databaseUrl,
    RECONNECT_WINDOW_SECONDS: "5",
    PATCH_RATE_MS: "20",
    // Suites sign many people in from 127.0.0.1; the rate-limit suite sets its own small figures.
    LOGIN_ATTEMPTS_PER_ADDRESS: "100000",
    LOGIN_FAILURES_PER_ACCOUNT: "100000",
    GUESTS_PER_ADDRESS_PER_HOUR: "1000000",
    ...options.env,
  });
  return startKotoServer(config, { inMemoryStore: !options.dataDir && !options.databaseUrl, logger: options.logger ?? pino({ level: "silent" }) });
}

export const baseUrl = (server: KotoServer) => `http://127.0.0.1:${server.port}`;

export async function postJson(server: KotoServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(baseUrl(server) + path, {
    method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

export async function getJson(server: KotoServer, path: string, token?: string) {
  const response = await fetch(baseUrl(server) + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: (await response.json()) as any };
}

export async function guest(server: KotoServer, name: string): Promise<{ token: string; userId: string }> {
  const { body } = await postJson(server, "/api/auth/guest", { name });
  return { token: body.token, userId: body.user.id };
}

export async function tutor(server: KotoServer, email = "teacher@koto.test", password = "correct horse battery"):
  Promise<{ token: string; userId: string }> {
  if (!(await server.store.findTutorByEmail(email))) {
    await server.store.createTutor(email, "Teacher Kim", await hashPassword(password, 4));
  }
  const { body } = await postJson(server, "/api/auth/login", { email, password });
  return { token: body.token, userId: body.user.id };
}

export function sdk(server: KotoServer): Client {
  return new Client(baseUrl(server));
}

/**
 * How long a test waits for an event before calling it lost. Generous on purpose: the suite must hold
 * on a machine whose cores are busy with other work (scripts/cpu-load.mjs), where a patch or a reply
 * can take seconds; a passing test never waits this long, it only bounds a failing one.
 */
export const EVENT_TIMEOUT_MS = 15_000;

/** Resolves when `predicate(room.state)` holds after a patch, or fails with `what` after the timeout. */
export function waitForState<S>(room: Room<any, S>, condition: (state: S) => boolean, what: string, timeoutMs = EVENT_TIMEOUT_MS): Promise<S> {
  // Before the first full state arrives, collections are not there yet: that is "not yet", not an error.
  const predicate = (state: S) => {
    try {
      return condition(state);
    } catch {
      return false;
    }
  };
  return new Promise((resolve, reject) => {
    if (room.state && predicate(room.state)) return resolve(room.state);
    const timer = setTimeout(() => {
      room.onStateChange.remove(check);
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const check = (state: S) => {
      if (!predicate(state)) return;
      clearTimeout(timer);
      room.onStateChange.remove(check);
      resolve(state);
    };
    room.onStateChange(check);
  });
}

export function nextMessage<T = any>(room: Room, type: string, timeoutMs = EVENT_TIMEOUT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for message "${type}"`));
    }, timeoutMs);
    const stop = room.onMessage(type, (payload: T) => {
      clearTimeout(timer);
      stop();
      resolve(payload);
    });
  });
}
