/**
 * Microphone capture on the audio thread: resamples whatever rate the device runs at to 16 kHz,
 * cuts 20 ms PCM16 frames (320 samples) and reports a meter level about 20 times a second.
 * Frames go to the main thread, which decides whether an utterance is open to send them on.
 */
import { FRAME_SAMPLES, PIPELINE_SAMPLE_RATE } from "./audio-frames.ts";
import { FrameAssembler, meterLevel, StreamResampler } from "./resampler.ts";

// The AudioWorkletGlobalScope is not in TypeScript's DOM library.
declare const sampleRate: number;
declare function registerProcessor(name: string, processor: new (options?: unknown) => AudioWorkletProcessorLike): void;
interface AudioWorkletProcessorLike {
  readonly port: MessagePort;
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean;
}
declare const AudioWorkletProcessor: { prototype: AudioWorkletProcessorLike; new (options?: unknown): AudioWorkletProcessorLike };

const LEVEL_EVERY_SAMPLES = Math.round(sampleRate / 20);

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly resampler = new StreamResampler(sampleRate, PIPELINE_SAMPLE_RATE);
  private readonly frames = new FrameAssembler(FRAME_SAMPLES);
  private levelBlock: Float32Array[] = [];
  private levelSamples = 0;

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    if (!channels || channels.length === 0 || channels[0].length === 0) return true;
    const mono = channels.length === 1 ? channels[0] : mixDown(channels);
    for (const frame of this.frames.push(this.resampler.process(mono))) {
      this.port.postMessage({ type: "frame", samples: frame }, [frame.buffer]);
    }
    this.levelBlock.push(mono.slice());
    this.levelSamples += mono.length;
    if (this.levelSamples >= LEVEL_EVERY_SAMPLES) {
      const joined = new Float32Array(this.levelSamples);
      let offset = 0;
      for (const block of this.levelBlock) {
        joined.set(block, offset);
        offset += block.length;
      }
      this.port.postMessage({ type: "level", level: meterLevel(joined) });
      this.levelBlock = [];
      this.levelSamples = 0;
    }
    return true;
  }
}

function mixDown(channels: Float32Array[]): Float32Array {
  const mono = new Float32Array(channels[0].length);
  for (const channel of channels) for (let index = 0; index < mono.length; index++) mono[index] += channel[index] / channels.length;
  return mono;
}

registerProcessor("koto-capture", CaptureProcessor);
