/**
 * Keeping an utterance: in file storage the spool itself becomes the WAV (renamed into place);
 * elsewhere, or when it does not hold exactly the utterance, the samples are written as a new file.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { AudioSpool, readSpool, spoolPath } from "../../server/recordings/audio-spool.ts";
import { FileRecordingStorage } from "../../server/recordings/file-recording-storage.ts";
import { RecordingKeeper } from "../../server/recordings/recording-keeper.ts";
import { recordingKey } from "../../server/recordings/recording-storage.ts";
import { decodeWav, encodeWav } from "../../server/speech/audio/index.ts";
import type { RecordingRecord, Store } from "../../server/store/store.ts";
import { sine } from "../speech/audio/signals.ts";

const address = { sessionId: "session-1", learnerId: "learner-1", attemptId: "attempt-1" };

/** The store's recording rows only (what the keeper writes). */
function recordingRows(): { store: Store; rows: RecordingRecord[] } {
  const rows: RecordingRecord[] = [];
  return { rows, store: { saveRecording: async (row: RecordingRecord) => void rows.push(row) } as unknown as Store };
}

async function spooled(directory: string, samples: Int16Array): Promise<AudioSpool> {
  const spool = AudioSpool.open(directory, address.attemptId);
  spool.append(samples.subarray(0, 20000));
  await new Promise((resolve) => setTimeout(resolve, 20)); // the file opens meanwhile
  spool.append(samples.subarray(20000));
  return spool;
}

describe("RecordingKeeper", () => {
  const samples = sine(16000, 440, 16000 * 3 + 123);
  let root: string;
  let spools: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "koto-keeper-"));
    spools = join(root, "spool");
  });

  it("makes the spool the recording in file storage: the same bytes as a WAV written anew, and no spool left", async () => {
    const storage = new FileRecordingStorage(join(root, "recordings"));
    const { store, rows } = recordingRows();
    const spool = await spooled(spools, samples);
    const taken = await new RecordingKeeper(storage, store).keep(address, samples, 3007.7, spool);
    assert.equal(taken, true);
    assert.equal(existsSync(spoolPath(spools, address.attemptId)), false);
    const stored = await storage.get(recordingKey(address, "wav"));
    assert.deepEqual(stored?.bytes, encodeWav(samples, 16000));
    assert.equal(stored?.contentType, "audio/wav");
    assert.deepEqual(rows, [{ attemptId: "attempt-1", storage: "file", objectKey: recordingKey(address, "wav"), contentType: "audio/wav", byteLength: 44 + samples.byteLength, durationMs: 3008 }]);
  });

  it("writes the samples anew and leaves the closed spool (for the caller to remove) when the spool holds something else", async () => {
    const storage = new FileRecordingStorage(join(root, "recordings"));
    const spool = await spooled(spools, samples.subarray(0, 30000));
    const taken = await new RecordingKeeper(storage, recordingRows().store).keep(address, samples, 3000, spool);
    assert.equal(taken, false);
    assert.deepEqual((await storage.get(recordingKey(address, "wav")))?.bytes, encodeWav(samples, 16000));
    assert.deepEqual(await readSpool(spools, address.attemptId), samples.subarray(0, 30000), "the spool is whole and closed");
  });

  it("writes the samples anew where the storage cannot adopt a file (S3)", async () => {
    const storage = new FileRecordingStorage(join(root, "recordings"));
    const withoutAdopt = { kind: "file" as const, put: storage.put.bind(storage), get: storage.get.bind(storage), stat: storage.stat.bind(storage), presignedUrl: storage.presignedUrl.bind(storage) };
    const spool = await spooled(spools, samples);
    assert.equal(await new RecordingKeeper(withoutAdopt, recordingRows().store).keep(address, samples, 3000, spool), false);
    assert.deepEqual(await readSpool(spools, address.attemptId), samples);
    assert.deepEqual((await storage.get(recordingKey(address, "wav")))?.bytes, encodeWav(samples, 16000));
  });

  it("writes the row of a recording that reached storage before a crash, and says when there is none", async () => {
    const storage = new FileRecordingStorage(join(root, "recordings"));
    const { store, rows } = recordingRows();
    const keeper = new RecordingKeeper(storage, store);
    assert.equal(await keeper.keepStored(address), false);
    const path = join(root, "recordings", recordingKey(address, "wav"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, encodeWav(samples, 16000));
    assert.equal(await keeper.keepStored(address), true);
    assert.equal(rows[0]?.byteLength, 44 + samples.byteLength);
    assert.equal(rows[0]?.durationMs, Math.round((samples.length / 16000) * 1000));
    assert.deepEqual(decodeWav(readFileSync(path)).samples, samples);
  });
});
