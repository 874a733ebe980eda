import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import { isKotoError } from "../../server/errors.ts";
import {
  assertRecordingKey,
  FileRecordingStorage,
  recordingKey,
  type RecordingStorage,
} from "../../server/recordings/index.ts";
import { S3RecordingStorage, type S3RecordingStorageOptions } from "../../server/recordings/s3-recording-storage.ts";
import { decodeWav } from "../../server/speech/audio/wav.ts";

const fixtures = join(import.meta.dirname, "..", "fixtures", "audio");
const wav = new Uint8Array(readFileSync(join(fixtures, "annyeonghaseyo.wav")));
const otherWav = new Uint8Array(readFileSync(join(fixtures, "jeoneun-minsu.wav")));

const invalidKeys: [string, string][] = [
  ["", "empty"],
  ["../escape.wav", "parent folder"],
  ["sessions/../../escape.wav", "parent folder in the middle"],
  ["sessions/a..b.wav", "double dot inside a name"],
  ["/etc/passwd", "absolute path"],
  ["sessions//a.wav", "empty part"],
  ["sessions/a/", "trailing slash"],
  ["sessions/./a.wav", "current folder"],
  ["sessions/.hidden.wav", "hidden part"],
  ["sessions\\a.wav", "backslash"],
  ["sessions/한국어.wav", "non-ASCII"],
  ["sessions/a b.wav", "space"],
  ["sessions/a.wav\n", "newline"],
  ["sessions/a?x=1.wav", "query characters"],
  ["x".repeat(1025), "longer than 1024"],
];

async function expectKotoError(
  action: Promise<unknown> | (() => unknown),
  code: string,
  label = "",
): Promise<Error & { code: string; detail: string }> {
  let caught: unknown;
  try {
    await (typeof action === "function" ? action() : action);
  } catch (error) {
    caught = error;
  }
  assert.ok(isKotoError(caught), `${label} expected ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `${label} ${caught.message}`);
  return caught;
}

function temporaryDirectory(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** An S3-compatible server on a free loopback port, storing into a fresh folder. */
async function startS3rver(): Promise<{ port: number; stop: () => Promise<void> }> {
  const directory = temporaryDirectory("koto-s3rver-");
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
  const { port } = await server.run();
  return {
    port,
    stop: async () => {
      server.httpServer?.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function s3Options(port: number, overrides: Partial<S3RecordingStorageOptions> = {}): S3RecordingStorageOptions {
  return {
    endPoint: "127.0.0.1",
    port,
    useSSL: false,
    accessKey: "S3RVER",
    secretKey: "S3RVER",
    bucket: "koto-audio",
    region: "us-east-1",
    pathStyle: true,
    ...overrides,
  };
}

/** A port nothing listens on: bound, noted, closed. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("recordingKey", () => {
  it("places a recording under its session, then its learner", () => {
    const attempt = { sessionId: "s_9f2K-x", learnerId: "learner-42", attemptId: "attempt.7" };
    assert.equal(recordingKey(attempt, "wav"), "sessions/s_9f2K-x/learner-42/attempt.7.wav");
    assert.equal(recordingKey(attempt, "ogg"), "sessions/s_9f2K-x/learner-42/attempt.7.ogg");
    assert.deepEqual(assertRecordingKey(recordingKey(attempt, "wav")), ["sessions", "s_9f2K-x", "learner-42", "attempt.7.wav"]);
  });

  it("refuses parts that could escape or split the key", () => {
    const table: [Partial<{ sessionId: string; learnerId: string; attemptId: string }>, RegExp][] = [
      [{ sessionId: "" }, /session id ""/],
      [{ sessionId: "a/b" }, /session id "a\/b"/],
      [{ learnerId: ".." }, /learner id "\.\."/],
      [{ learnerId: ".hidden" }, /learner id/],
      [{ attemptId: "a..b" }, /attempt id/],
      [{ attemptId: "x".repeat(129) }, /attempt id/],
      [{ attemptId: "시도" }, /attempt id/],
    ];
    for (const [override, message] of table) {
      const attempt = { sessionId: "s1", learnerId: "l1", attemptId: "a1", ...override };
      assert.throws(
        () => recordingKey(attempt, "wav"),
        (error: unknown) => isKotoError(error) && error.code === "RECORDING_KEY_INVALID" && message.test(error.message),
        JSON.stringify(override),
      );
    }
    assert.throws(
      () => recordingKey({ sessionId: "s1", learnerId: "l1", attemptId: "a1" }, "mp3" as "wav"),
      (error: unknown) => isKotoError(error) && error.code === "RECORDING_KEY_INVALID",
    );
  });
});

interface Backend {
  name: string;
  open(): Promise<{ storage: RecordingStorage; cleanup: () => Promise<void> }>;
  /** What presignedUrl must give for a stored recording. */
  checkPresignedUrl(storage: RecordingStorage, key: string, bytes: Uint8Array, contentType: string): Promise<void>;
}

const backends: Backend[] = [
  {
    name: "FileRecordingStorage",
    async open() {
      const directory = temporaryDirectory("koto-recordings-");
      return {
        storage: new FileRecordingStorage(join(directory, "recordings")),
        cleanup: async () => rmSync(directory, { recursive: true, force: true }),
      };
    },
    async checkPresignedUrl(storage, key) {
      assert.equal(await storage.presignedUrl(key, 60), null);
    },
  },
  {
    name: "S3RecordingStorage on s3rver",
    async open() {
      const server = await startS3rver();
      const storage = new S3RecordingStorage(s3Options(server.port));
      await storage.ensureBucket();
      return { storage, cleanup: server.stop };
    },
    async checkPresignedUrl(storage, key, bytes, contentType) {
      const url = await storage.presignedUrl(key, 300);
      assert.ok(url !== null);
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/koto-audio\/sessions\//);
      assert.match(url, /X-Amz-Expires=300/);
      const response = await fetch(url);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), contentType);
      assert.deepEqual(new Uint8Array(await response.arrayBuffer()), bytes);
    },
  },
];

for (const backend of backends) {
  describe(`RecordingStorage contract: ${backend.name}`, () => {
    let storage: RecordingStorage;
    let cleanup: () => Promise<void>;
    const key = recordingKey({ sessionId: "session-1", learnerId: "learner-1", attemptId: "attempt-1" }, "wav");

    beforeEach(async () => {
      ({ storage, cleanup } = await backend.open());
    });
    afterEach(async () => {
      await cleanup();
    });

    it("gives back the exact bytes and content type of a stored WAV", async () => {
      await storage.put(key, wav, "audio/wav");
      const stored = await storage.get(key);
      assert.ok(stored !== null);
      assert.equal(stored.contentType, "audio/wav");
      assert.equal(stored.bytes.byteLength, wav.byteLength);
      assert.deepEqual(stored.bytes, wav);
      // Still a playable 16-bit PCM file.
      const decoded = decodeWav(stored.bytes);
      assert.equal(decoded.channels, 1);
      assert.ok(decoded.samples.length > decoded.sampleRate / 4);
    });

    it("keeps a content type that the extension would not suggest, parameters included", async () => {
      const oggKey = recordingKey({ sessionId: "session-1", learnerId: "learner-1", attemptId: "attempt-2" }, "ogg");
      await storage.put(oggKey, Uint8Array.of(0x4f, 0x67, 0x67, 0x53), "audio/ogg; codecs=opus");
      await storage.put("exports/summary.wav", new TextEncoder().encode("{}"), "application/json");
      assert.equal((await storage.get(oggKey))?.contentType, "audio/ogg; codecs=opus");
      assert.equal((await storage.get("exports/summary.wav"))?.contentType, "application/json");
    });

    it("stores only the viewed bytes of a Uint8Array that is a window on a larger buffer", async () => {
      const framed = new Uint8Array(wav.byteLength + 100);
      framed.fill(0xee);
      framed.set(wav, 37);
      await storage.put(key, framed.subarray(37, 37 + wav.byteLength), "audio/wav");
      assert.deepEqual((await storage.get(key))?.bytes, wav);
    });

    it("stores an empty recording as empty, not as missing", async () => {
      await storage.put(key, new Uint8Array(0), "audio/wav");
      const stored = await storage.get(key);
      assert.ok(stored !== null);
      assert.equal(stored.bytes.byteLength, 0);
    });

    it("tells a stored object's size and type, and reads a part of it", async () => {
      await storage.put(key, wav, "audio/wav");
      assert.deepEqual(await storage.stat(key), { size: wav.byteLength, contentType: "audio/wav" });
      const part = await storage.get(key, { start: 4, end: 11 });
      assert.equal(part?.contentType, "audio/wav");
      assert.deepEqual(part?.bytes, wav.subarray(4, 12));
      // A range running past the end gives what there is.
      assert.deepEqual((await storage.get(key, { start: wav.byteLength - 3, end: wav.byteLength + 50 }))?.bytes, wav.subarray(wav.byteLength - 3));
      assert.equal(await storage.stat("sessions/session-1/learner-1/attempt-404.wav"), null);
      assert.equal(await storage.get("sessions/session-1/learner-1/attempt-404.wav", { start: 0, end: 1 }), null);
      for (const bad of [{ start: -1, end: 3 }, { start: 5, end: 4 }, { start: 0.5, end: 3 }]) {
        await assert.rejects(storage.get(key, bad), RangeError, JSON.stringify(bad));
      }
    });

    it("answers null for a key that was never stored", async () => {
      assert.equal(await storage.get(key), null);
      await storage.put(key, wav, "audio/wav");
      assert.equal(await storage.get("sessions/session-1/learner-1/attempt-404.wav"), null);
      assert.equal(await storage.get("sessions/never/was/here.wav"), null);
    });

    it("replaces a recording written again under the same key", async () => {
      await storage.put(key, wav, "audio/wav");
      await storage.put(key, otherWav, "audio/x-wav");
      const stored = await storage.get(key);
      assert.deepEqual(stored?.bytes, otherWav);
      assert.equal(stored?.contentType, "audio/x-wav");
      // Back to the type its extension says: the other type is not kept beside it.
      await storage.put(key, wav, "audio/wav");
      assert.equal((await storage.get(key))?.contentType, "audio/wav");
    });

    it("keeps recordings written at the same time apart", async () => {
      const keys = Array.from({ length: 12 }, (_, index) =>
        recordingKey({ sessionId: "session-2", learnerId: `learner-${index % 3}`, attemptId: `attempt-${index}` }, "wav"),
      );
      await Promise.all(keys.map((each, index) => storage.put(each, Uint8Array.of(index, index, index), "audio/wav")));
      for (const [index, each] of keys.entries()) {
        assert.deepEqual((await storage.get(each))?.bytes, Uint8Array.of(index, index, index));
      }
    });

    it("refuses invalid keys on every operation", async () => {
      for (const [badKey, why] of invalidKeys) {
        await expectKotoError(storage.put(badKey, wav, "audio/wav"), "RECORDING_KEY_INVALID", `put (${why})`);
        await expectKotoError(storage.get(badKey), "RECORDING_KEY_INVALID", `get (${why})`);
        await expectKotoError(storage.stat(badKey), "RECORDING_KEY_INVALID", `stat (${why})`);
        await expectKotoError(storage.presignedUrl(badKey, 60), "RECORDING_KEY_INVALID", `presignedUrl (${why})`);
      }
    });

    it("refuses a content type that is not a media type", async () => {
      for (const contentType of ["", "wav", "audio/wav\r\nx-injected: 1", "audio wav"]) {
        await expectKotoError(storage.put(key, wav, contentType), "RECORDING_CONTENT_TYPE_INVALID");
      }
      assert.equal(await storage.get(key), null);
    });

    it("refuses presigned URL lifetimes outside 1 s to 7 days", async () => {
      for (const expiry of [0, -5, 1.5, 7 * 24 * 3600 + 1]) {
        await assert.rejects(storage.presignedUrl(key, expiry), RangeError);
      }
    });

    it(backend.name.startsWith("File") ? "has no presigned URL" : "signs a URL that fetches the same bytes", async () => {
      await storage.put(key, wav, "audio/wav");
      await backend.checkPresignedUrl(storage, key, wav, "audio/wav");
    });
  });
}

describe("FileRecordingStorage", () => {
  let directory: string;
  beforeEach(() => {
    directory = temporaryDirectory("koto-recordings-");
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it("writes a plain file at the key's path and leaves no temporary files behind", async () => {
    const storage = new FileRecordingStorage(directory);
    const key = "sessions/s1/l1/a1.wav";
    for (let round = 0; round < 5; round++) await storage.put(key, round % 2 === 0 ? wav : otherWav, "audio/wav");
    assert.deepEqual(new Uint8Array(readFileSync(join(directory, "sessions", "s1", "l1", "a1.wav"))), wav);
    // The extension says the type: no sidecar file beside it.
    assert.deepEqual(readdirSync(join(directory, "sessions", "s1", "l1")).sort(), ["a1.wav"]);
    // Another type gets its sidecar, and loses it when the key is written with the extension's type again.
    await storage.put(key, wav, "audio/x-wav");
    assert.deepEqual(readdirSync(join(directory, "sessions", "s1", "l1")).sort(), [".a1.wav.content-type", "a1.wav"]);
    assert.equal((await storage.get(key))?.contentType, "audio/x-wav");
    await storage.put(key, wav, "audio/wav");
    assert.deepEqual(readdirSync(join(directory, "sessions", "s1", "l1")).sort(), ["a1.wav"]);
    assert.equal((await storage.get(key))?.contentType, "audio/wav");
  });

  it("makes a folder again when it was removed after this process made it (a clean-up between two answers)", async () => {
    const storage = new FileRecordingStorage(directory);
    await storage.put("sessions/s1/l1/a1.wav", wav, "audio/wav");
    rmSync(join(directory, "sessions", "s1"), { recursive: true });
    await storage.put("sessions/s1/l1/a2.wav", otherWav, "audio/wav");
    assert.deepEqual(new Uint8Array(readFileSync(join(directory, "sessions", "s1", "l1", "a2.wav"))), otherWav);
    rmSync(join(directory), { recursive: true });
    await storage.put("sessions/s1/l1/a3.wav", wav, "audio/wav");
    assert.deepEqual((await storage.get("sessions/s1/l1/a3.wav"))?.bytes, wav);
  });

  it("writes nothing outside its folder for a key that tries to escape", async () => {
    const storage = new FileRecordingStorage(join(directory, "inside"));
    await expectKotoError(storage.put("../outside.wav", wav, "audio/wav"), "RECORDING_KEY_INVALID");
    assert.deepEqual(readdirSync(directory), []);
  });

  it("derives the content type from the extension when a file has no sidecar", async () => {
    const storage = new FileRecordingStorage(directory);
    writeFileSync(join(directory, "copied-in.ogg"), Uint8Array.of(1, 2, 3));
    writeFileSync(join(directory, "copied-in.bin"), Uint8Array.of(4));
    assert.deepEqual(await storage.get("copied-in.ogg"), { bytes: Uint8Array.of(1, 2, 3), contentType: "audio/ogg" });
    assert.equal((await storage.get("copied-in.bin"))?.contentType, "application/octet-stream");
  });

  it("refuses a key that clashes with a folder of recordings, and treats the folder as no recording", async () => {
    const storage = new FileRecordingStorage(directory);
    await storage.put("sessions/s1/l1/a1.wav", wav, "audio/wav");
    await expectKotoError(storage.put("sessions/s1", wav, "audio/wav"), "RECORDING_KEY_INVALID");
    await expectKotoError(storage.put("sessions/s1/l1/a1.wav/inner.wav", wav, "audio/wav"), "RECORDING_KEY_INVALID");
    assert.equal(await storage.get("sessions/s1"), null);
    assert.deepEqual((await storage.get("sessions/s1/l1/a1.wav"))?.bytes, wav);
  });

  it("reports RECORDING_STORAGE_UNAVAILABLE when its folder cannot be created", async () => {
    const notAFolder = join(directory, "a-file");
    writeFileSync(notAFolder, "occupied");
    const storage = new FileRecordingStorage(notAFolder);
    const failure = await expectKotoError(storage.put("sessions/s1/l1/a1.wav", wav, "audio/wav"), "RECORDING_STORAGE_UNAVAILABLE");
    assert.match(failure.detail, /could not save recording "sessions\/s1\/l1\/a1\.wav" in .*a-file \(EEXIST\)/);
  });
});

describe("S3RecordingStorage", () => {
  let server: { port: number; stop: () => Promise<void> };
  beforeEach(async () => {
    server = await startS3rver();
  });
  afterEach(async () => {
    await server.stop();
  });

  it("creates its bucket once and then leaves it, and its recordings, alone", async () => {
    const storage = new S3RecordingStorage(s3Options(server.port));
    await storage.ensureBucket();
    await storage.put("sessions/s1/l1/a1.wav", wav, "audio/wav");
    await storage.ensureBucket();
    await new S3RecordingStorage(s3Options(server.port)).ensureBucket();
    assert.deepEqual((await storage.get("sessions/s1/l1/a1.wav"))?.bytes, wav);
  });

  it("lets several processes ensure the same bucket at once", async () => {
    const storages = Array.from({ length: 4 }, () => new S3RecordingStorage(s3Options(server.port)));
    await Promise.all(storages.map((storage) => storage.ensureBucket()));
    await storages[3]!.put("k.wav", wav, "audio/wav");
    assert.deepEqual((await storages[0]!.get("k.wav"))?.bytes, wav);
  });

  it("says the bucket is missing when nobody created it", async () => {
    const storage = new S3RecordingStorage(s3Options(server.port, { bucket: "never-created" }));
    const failure = await expectKotoError(storage.put("k.wav", wav, "audio/wav"), "RECORDING_STORAGE_UNAVAILABLE");
    assert.match(failure.detail, /bucket "never-created" does not exist/);
    await expectKotoError(storage.get("k.wav"), "RECORDING_STORAGE_UNAVAILABLE");
  });

  it("refuses an impossible bucket name at construction", () => {
    for (const bucket of ["", "Koto_Audio", "ab", "-koto"]) {
      assert.throws(
        () => new S3RecordingStorage(s3Options(server.port, { bucket })),
        (error: unknown) => isKotoError(error) && error.code === "CONFIG_INVALID",
        bucket,
      );
    }
  });
});

describe("S3RecordingStorage without a reachable store", () => {
  it("reports RECORDING_STORAGE_UNAVAILABLE at once when nothing listens on the port", async () => {
    const port = await closedPort();
    const storage = new S3RecordingStorage(s3Options(port));
    for (const action of [
      () => storage.ensureBucket(),
      () => storage.put("k.wav", wav, "audio/wav"),
      () => storage.get("k.wav"),
    ]) {
      const failure = await expectKotoError(action, "RECORDING_STORAGE_UNAVAILABLE");
      assert.match(failure.detail, new RegExp(`could not reach the recording store at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
      assert.match(failure.detail, /check that it is running/);
    }
    // Signing needs no network: a link can still be made, it just will not load until the store is back.
    assert.match((await storage.presignedUrl("k.wav", 60)) ?? "", /^http:\/\/127\.0\.0\.1:/);
  });

  it("gives up on a store that accepts connections but never answers", async () => {
    const sockets = new Set<Socket>();
    const silent = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const storage = new S3RecordingStorage(s3Options(port, { requestTimeoutMs: 300 }));
      const started = performance.now();
      const failure = await expectKotoError(storage.get("k.wav"), "RECORDING_STORAGE_UNAVAILABLE");
      const elapsed = performance.now() - started;
      assert.match(failure.detail, /did not answer within 300 ms/);
      // The store never answers, so returning at all is giving up; timers never fire early.
      assert.ok(elapsed >= 250, `gave up after ${Math.round(elapsed)} ms`);
      assert.ok(sockets.size >= 1, "the client did connect");
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
