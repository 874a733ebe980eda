/**
 * An utterance's audio written to a local file as it arrives (16 kHz PCM16, no header), so that a
 * crash keeps what was received: at start-up the spool of an interrupted attempt becomes its
 * recording. A kill -9 loses at most the last batch (1 s) still in this process's memory.
 *
 * The file is created, closed and deleted asynchronously (creating one takes ~0.85 ms on this
 * machine's disk), but each one-second batch is written synchronously: a 32 KB write into the page
 * cache takes ~20 µs, while handing it to libuv's pool cost the event loop ~190 µs on a busy 2-core
 * machine, 100 times a second at 100 speakers (docs/capacity.md §4.9).
 *
 * The file is a WAV from its first byte (a header whose length is filled in at the end): when the
 * utterance is kept in file storage, the spool itself becomes the recording (`closeAsWav`, then a
 * rename), instead of the same samples written to a second file and the spool deleted (§4.14).
 */
import { closeSync, fdatasync, mkdirSync, open, writeSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { removeFile } from "./remove-file.ts";
import { join } from "node:path";
import { PIPELINE_SAMPLE_RATE, WAV_HEADER_BYTES, wavHeader } from "../speech/audio/index.ts";

/** The header's data length while the spool is still growing (the most a WAV header can say). */
const UNKNOWN_LENGTH = 0xffffffff - 36;

/** One second of audio per write (and the most a kill -9 loses). */
export const SPOOL_BATCH_SAMPLES = 16000;
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const madeDirectories = new Set<string>();

export class AudioSpool {
  private fd: number | null = null;
  private readonly opened: Promise<void>;
  private batch: Int16Array[] = [];
  private batchSamples = 0;
  /** Settles once closed: true when it was closed as a complete WAV (`closeAsWav`). */
  private closed: Promise<boolean> | null = null;
  /** A full disk must not crash the process: the recording step reports it when the utterance ends. */
  private failed: Error | null = null;
  /** Samples on disk so far (after the header). */
  private samplesWritten = 0;

  private constructor(readonly path: string) {
    // A plain descriptor (not a FileHandle, which would close itself when collected).
    this.opened = new Promise<void>((resolve) => open(path, "w", (error, fd) => {
      if (error) this.failed = error;
      else this.fd = fd;
      // The length is not known yet: "as long as the file", which readers of a growing WAV accept.
      this.write(wavHeader(UNKNOWN_LENGTH, PIPELINE_SAMPLE_RATE));
      this.flush();
      resolve();
    }));
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
   * Samples to write, batched to a second. A whole batch handed over once the file is open is written
   * at once from the caller's memory; anything the spool has to hold (less than a batch, or audio
   * arriving before the file is open) is copied. Either way the caller may reuse its buffer as soon
   * as this returns.
   */
  append(samples: Int16Array): void {
    if (samples.length === 0 || this.failed || this.closed) return;
    if (this.fd !== null && this.batch.length === 0 && samples.length >= SPOOL_BATCH_SAMPLES) return this.writeSamples(asBytes(samples));
    this.batch.push(samples.slice());
    this.batchSamples += samples.length;
    if (this.batchSamples >= SPOOL_BATCH_SAMPLES) this.flush();
  }

  /** Writes what is batched and closes the file; rejects when the disk refused a write. */
  async close(): Promise<void> {
    this.closed ??= this.opened.then(() => this.finish(null));
    await this.closed;
  }

  /**
   * Closes the spool as `close` does and, when it holds exactly `samples` samples and every write went
   * through, first makes it a complete WAV on disk (its length in the header, flushed to the disk):
   * true then, and the file at `path` is the recording. False leaves an ordinary closed spool.
   */
  closeAsWav(samples: number): Promise<boolean> {
    this.closed ??= this.opened.then(() => this.finish(samples));
    return this.closed.catch(() => false);
  }

  private async finish(expected: number | null): Promise<boolean> {
    this.flush();
    let complete = false;
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      try {
        if (expected !== null && !this.failed && this.samplesWritten === expected) {
          const header = wavHeader(expected * 2, PIPELINE_SAMPLE_RATE);
          writeSync(fd, header, 0, header.byteLength, 0);
          await new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
          complete = true;
        }
      } catch (error) {
        this.failed ??= error as Error;
      } finally {
        try {
          closeSync(fd);
        } catch (error) {
          this.failed ??= error as Error;
        }
      }
    }
    if (this.failed) throw this.failed;
    return complete;
  }

  /** Closes and deletes: the audio is kept elsewhere now. */
  async discard(): Promise<void> {
    await this.close().catch(() => {});
    await removeFile(this.path);
  }

  /** One write of the batch, once the file is open (until then the batch waits). */
  private flush(): void {
    if (this.batch.length === 0 || this.fd === null || this.failed) return;
    const bytes = this.batch.length === 1 ? asBytes(this.batch[0]) : Buffer.concat(this.batch.map(asBytes));
    this.batch = [];
    this.batchSamples = 0;
    this.writeSamples(bytes);
  }

  private write(bytes: Uint8Array): void {
    if (this.fd === null || this.failed) return;
    try {
      for (let written = 0; written < bytes.byteLength;) written += writeSync(this.fd, bytes, written);
    } catch (error) {
      this.failed = error as Error;
    }
  }

  /** A batch of samples (not the header): counted once it is on disk. */
  private writeSamples(bytes: Uint8Array): void {
    if (this.fd === null || this.failed) return;
    this.write(bytes);
    if (!this.failed) this.samplesWritten += bytes.byteLength / 2;
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
  const file = await readFile(path);
  // A spool is a WAV with the 44-byte header of ours (spools of earlier versions had none).
  const bytes = file.byteLength >= WAV_HEADER_BYTES && file.toString("latin1", 0, 4) === "RIFF" ? file.subarray(WAV_HEADER_BYTES) : file;
  const whole = bytes.byteLength - (bytes.byteLength % 2);
  if (whole === 0) return null;
  const samples = new Int16Array(whole / 2);
  new Uint8Array(samples.buffer).set(bytes.subarray(0, whole));
  return samples;
}

export async function removeSpool(directory: string, attemptId: string): Promise<void> {
  await removeFile(spoolPath(directory, attemptId));
}
