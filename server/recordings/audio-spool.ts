/**
 * An utterance's audio written to a local file as it arrives (16 kHz PCM16, no header), so that a
 * crash keeps what was received: at start-up the spool of an interrupted attempt becomes its
 * recording. Writes are batched (1 s) and go through a stream, never blocking the loop;
 * a kill -9 loses at most the last batch still in this process's memory.
 */
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";

/**
 * One second of audio per write: each write is a hand-off to libuv's thread pool, and on a busy
 * machine the event loop waits on that hand-off (100 ms batches took 10 % of the loop at 50
 * speakers, docs/capacity.md §4.8). A kill -9 loses at most this last second of the utterance.
 */
export const SPOOL_BATCH_SAMPLES = 16000;
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const madeDirectories = new Set<string>();

export class AudioSpool {
  private readonly stream: WriteStream;
  private batch: Int16Array[] = [];
  private batchSamples = 0;
  private failed: Error | null = null;

  private constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: "w" });
    // A full disk must not crash the process: the recording step reports it when the utterance ends.
    this.stream.on("error", (error) => { this.failed = error; });
  }

  static open(directory: string, attemptId: string): AudioSpool {
    // Made once per directory, not once per utterance (a synchronous call on the event loop).
    if (!madeDirectories.has(directory)) {
      mkdirSync(directory, { recursive: true });
      madeDirectories.add(directory);
    }
    return new AudioSpool(spoolPath(directory, attemptId));
  }

  /**
   * Samples to write (batched to a second). They are written from the caller's memory, not copied:
   * the caller must not change them until `close()` has resolved.
   */
  append(samples: Int16Array): void {
    if (samples.length === 0 || this.failed) return;
    this.batch.push(samples);
    this.batchSamples += samples.length;
    if (this.batchSamples >= SPOOL_BATCH_SAMPLES) this.flush();
  }

  /** Writes what is batched and closes the file; rejects when the disk refused a write. */
  async close(): Promise<void> {
    this.flush();
    await new Promise<void>((resolve) => this.stream.end(resolve));
    if (this.failed) throw this.failed;
  }

  /** Closes and deletes: the audio is kept elsewhere now. */
  async discard(): Promise<void> {
    await this.close().catch(() => {});
    await rm(this.path, { force: true });
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    // One write per batch; a batch of one view (what the pipeline hands over) is written as it is.
    const bytes = this.batch.length === 1 ? asBytes(this.batch[0]) : Buffer.concat(this.batch.map(asBytes));
    this.batch = [];
    this.batchSamples = 0;
    this.stream.write(bytes);
  }
}

/** The samples' own bytes (PCM16 in the host's order: little-endian on every platform Node runs on here). */
const asBytes = (samples: Int16Array) => new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);

export function spoolPath(directory: string, attemptId: string): string {
  if (!SAFE_ID.test(attemptId)) throw new RangeError(`not an attempt id: ${attemptId}`);
  return join(directory, `${attemptId}.pcm`);
}

/** The samples an interrupted utterance left behind, or null when none were spooled. */
export async function readSpool(directory: string, attemptId: string): Promise<Int16Array | null> {
  const path = spoolPath(directory, attemptId);
  const size = await stat(path).then((info) => info.size, () => 0);
  if (size < 2) return null;
  const bytes = await readFile(path);
  const whole = bytes.byteLength - (bytes.byteLength % 2);
  const samples = new Int16Array(whole / 2);
  new Uint8Array(samples.buffer).set(bytes.subarray(0, whole));
  return samples;
}

export async function removeSpool(directory: string, attemptId: string): Promise<void> {
  await rm(spoolPath(directory, attemptId), { force: true });
}
