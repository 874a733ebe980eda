/**
 * Keeps a finished utterance: 16 kHz WAV into the recording storage, then its row in the store,
 * and reads it back for re-evaluation. The one place that knows how a recording is named and encoded.
 */
import { decodeWav, encodeWav, PIPELINE_SAMPLE_RATE, WAV_HEADER_BYTES } from "../speech/audio/index.ts";
import type { AudioSpool } from "./audio-spool.ts";
import type { Store } from "../store/store.ts";
import { recordingKey, type AttemptAddress, type RecordingStorage } from "./recording-storage.ts";

export class RecordingKeeper {
  constructor(private readonly storage: RecordingStorage, private readonly store: Store) {}

  /**
   * `spool`: the utterance's spool, which holds the same samples. Where the storage can adopt a local
   * file it becomes the recording (true: it is no longer at its own path); otherwise, or when that
   * fails, it is closed and the samples are written as a new WAV (false: the caller removes it).
   */
  async keep(address: AttemptAddress, samples: Int16Array, durationMs: number, spool?: AudioSpool): Promise<boolean> {
    const key = recordingKey(address, "wav");
    const adopted = spool !== undefined && (await this.adoptSpool(spool, key, samples.length));
    if (!adopted) {
      // Closed before the upload, so that a crash during it still finds every sample in the spool.
      await spool?.close().catch(() => {});
      await this.storage.put(key, encodeWav(samples, PIPELINE_SAMPLE_RATE), "audio/wav");
    }
    await this.saveRow(address, key, WAV_HEADER_BYTES + samples.byteLength, durationMs);
    return adopted;
  }

  /**
   * The WAV of an interrupted attempt that reached storage but not the store (a crash between the
   * spool's rename and the row): writes its row. False when storage has none.
   */
  async keepStored(address: AttemptAddress): Promise<boolean> {
    const key = recordingKey(address, "wav");
    const stored = await this.storage.get(key);
    if (!stored) return false;
    const { samples } = decodeWav(stored.bytes);
    await this.saveRow(address, key, stored.bytes.byteLength, (samples.length / PIPELINE_SAMPLE_RATE) * 1000);
    return true;
  }

  private async adoptSpool(spool: AudioSpool, key: string, samples: number): Promise<boolean> {
    if (!this.storage.adopt || !(await spool.closeAsWav(samples))) return false;
    try {
      await this.storage.adopt(key, spool.path, "audio/wav");
      return true;
    } catch {
      // Another file system, a folder that cannot be made: the bytes are written instead.
      return false;
    }
  }

  private async saveRow(address: AttemptAddress, key: string, byteLength: number, durationMs: number): Promise<void> {
    await this.store.saveRecording({
      attemptId: address.attemptId, storage: this.storage.kind, objectKey: key,
      contentType: "audio/wav", byteLength, durationMs: Math.round(durationMs),
    });
  }

  /** The kept samples of an attempt, or null when it has no recording. */
  async load(attemptId: string): Promise<Int16Array | null> {
    const recording = await this.store.getRecording(attemptId);
    const stored = recording && (await this.storage.get(recording.objectKey));
    return stored ? decodeWav(stored.bytes).samples : null;
  }
}
