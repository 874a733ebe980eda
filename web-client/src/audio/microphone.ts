/**
 * The microphone, opened once per lesson on the learner's first tap: getUserMedia into an
 * AudioWorklet that hands back 16 kHz PCM16 frames and a level for the meter.
 */
import captureWorkletUrl from "./capture-worklet.ts?worker&url";
import { PIPELINE_SAMPLE_RATE } from "./audio-frames.ts";

export type MicrophoneProblem = "denied" | "insecure" | "missing" | "failed";

export class MicrophoneError extends Error {
  constructor(readonly problem: MicrophoneProblem, readonly detail: string) {
    super(`${problem}: ${detail}`);
    this.name = "MicrophoneError";
  }
}

export class Microphone {
  /** Frames are always 16 kHz: the worklet resamples from the device's rate. */
  readonly sampleRate = PIPELINE_SAMPLE_RATE;
  private readonly frameListeners = new Set<(samples: Int16Array) => void>();
  private readonly levelListeners = new Set<(level: number) => void>();
  private readonly endListeners = new Set<() => void>();
  private closed = false;

  private constructor(
    private readonly stream: MediaStream,
    private readonly context: AudioContext,
    private readonly nodes: AudioNode[],
    worklet: AudioWorkletNode,
  ) {
    worklet.port.onmessage = (event: MessageEvent<{ type: string; samples?: Int16Array; level?: number }>) => {
      if (event.data.type === "frame" && event.data.samples) for (const listener of this.frameListeners) listener(event.data.samples);
      if (event.data.type === "level") for (const listener of this.levelListeners) listener(event.data.level ?? 0);
    };
    for (const track of stream.getAudioTracks()) {
      track.addEventListener("ended", () => {
        for (const listener of this.endListeners) listener();
      });
    }
  }

  /** Asks for the microphone; call from a user gesture so the audio context may start. */
  static async open(): Promise<Microphone> {
    if (!globalThis.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      throw new MicrophoneError("insecure", "getUserMedia needs a secure (https or localhost) page");
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch (error) {
      const name = (error as DOMException)?.name ?? "";
      const detail = (error as Error)?.message || name || String(error);
      if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") throw new MicrophoneError("denied", detail);
      if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") throw new MicrophoneError("missing", detail);
      throw new MicrophoneError("failed", detail);
    }
    let context: AudioContext | undefined;
    try {
      context = new AudioContext({ latencyHint: "interactive" });
      await context.audioWorklet.addModule(captureWorkletUrl);
      const source = context.createMediaStreamSource(stream);
      const worklet = new AudioWorkletNode(context, "koto-capture", { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
      // A silent path to the destination keeps the worklet pulled on every browser.
      const mute = context.createGain();
      mute.gain.value = 0;
      source.connect(worklet).connect(mute).connect(context.destination);
      if (context.state !== "running") await context.resume();
      return new Microphone(stream, context, [source, worklet, mute], worklet);
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      await context?.close().catch(() => {});
      throw new MicrophoneError("failed", (error as Error)?.message ?? String(error));
    }
  }

  onFrame(listener: (samples: Int16Array) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onLevel(listener: (level: number) => void): () => void {
    this.levelListeners.add(listener);
    return () => this.levelListeners.delete(listener);
  }

  /** The device went away (unplugged, or permission revoked). */
  onEnded(listener: () => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  get deviceSampleRate(): number {
    return this.context.sampleRate;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const track of this.stream.getTracks()) track.stop();
    for (const node of this.nodes) node.disconnect();
    this.frameListeners.clear();
    this.levelListeners.clear();
    await this.context.close().catch(() => {});
  }
}
