/**
 * Opus in the browser through WebCodecs `AudioEncoder`, where the browser has it: 20 ms packets at
 * ~24 kbit/s instead of 256 kbit/s of PCM16, so push-to-talk starts listening at once on a slow
 * uplink. The server decodes Opus at 16 kHz (docs/protocol.md); browsers without WebCodecs send PCM16.
 */

const BITRATE = 24_000;
const FRAME_MICROSECONDS = 20_000;

let supported: Promise<boolean> | undefined;

function config(sampleRate: number): AudioEncoderConfig {
  return { codec: "opus", sampleRate, numberOfChannels: 1, bitrate: BITRATE, opus: { frameDuration: FRAME_MICROSECONDS, complexity: 5 } } as AudioEncoderConfig;
}

/** Whether this browser can encode Opus at `sampleRate`; asked once, then remembered. */
export function opusSupported(sampleRate: number): Promise<boolean> {
  supported ??= (async () => {
    if (typeof globalThis.AudioEncoder === "undefined" || typeof globalThis.AudioData === "undefined") return false;
    try {
      return (await AudioEncoder.isConfigSupported(config(sampleRate))).supported === true;
    } catch {
      return false;
    }
  })();
  return supported;
}

/** One utterance's encoder: PCM16 frames in, Opus packets out (in order) through `onPacket`. */
export class OpusFrameEncoder {
  readonly codec = "opus" as const;
  private readonly encoder: AudioEncoder;
  private timestamp = 0;
  failed = false;

  constructor(readonly sampleRate: number, onPacket: (packet: Uint8Array) => void) {
    this.encoder = new AudioEncoder({
      output: (chunk) => {
        const packet = new Uint8Array(chunk.byteLength);
        chunk.copyTo(packet);
        onPacket(packet);
      },
      error: () => {
        this.failed = true;
      },
    });
    this.encoder.configure(config(sampleRate));
  }

  encode(samples: Int16Array): void {
    if (this.failed || this.encoder.state !== "configured") return;
    const data = new AudioData({ format: "s16", sampleRate: this.sampleRate, numberOfFrames: samples.length, numberOfChannels: 1, timestamp: this.timestamp, data: samples as Int16Array<ArrayBuffer> });
    this.timestamp += Math.round((samples.length / this.sampleRate) * 1_000_000);
    this.encoder.encode(data);
    data.close();
  }

  /** Every packet of the audio given so far has been handed to `onPacket`. */
  async flush(): Promise<void> {
    if (this.failed || this.encoder.state !== "configured") return;
    await this.encoder.flush().catch(() => {});
  }

  close(): void {
    if (this.encoder.state !== "closed") this.encoder.close();
  }
}
