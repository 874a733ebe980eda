/**
 * Keeps a finished utterance: 16 kHz WAV into the recording storage, then its row in the store,
 * and reads it back for re-evaluation. The one place that knows how a recording is named and encoded.
 */
import { decodeWav, encodeWav, PIPELINE_SAMPLE_RATE } from "../speech/audio/index.ts";
import type { Store } from "../store/store.ts";
import { recordingKey, type AttemptAddress, type RecordingStorage } from "./recording-storage.ts";

export class RecordingKeeper {
  constructor(private readonly storage: RecordingStorage, private readonly store: Store) {}

  async keep(address: AttemptAddress, samples: Int16Array, durationMs: number): Promise<void> {
    const wav = encodeWav(samples, PIPELINE_SAMPLE_RATE);
    const key = recordingKey(address, "wav");
    await this.storage.put(key, wav, "audio/wav");
    await this.store.saveRecording({
      attemptId: address.attemptId, storage: this.storage.kind, objectKey: key,
      contentType: "audio/wav", byteLength: wav.byteLength, durationMs: Math.round(durationMs),
    });
  }

  /** The kept samples of an attempt, or null when it has no recording. */
  async load(attemptId: string): Promise<Int16Array | null> {
    const recording = await this.store.getRecording(attemptId);
    const stored = recording && (await this.storage.get(recording.objectKey));
    return stored ? decodeWav(stored.bytes).samples : null;
  }
}
