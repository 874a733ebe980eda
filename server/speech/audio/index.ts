// Audio in: wire frames -> decoded 16 kHz samples -> in order -> utterance boundaries -> trimmed WAV.
export {
  AUDIO_CODECS,
  AUDIO_FRAME_HEADER_BYTES,
  DEFAULT_MAX_AUDIO_FRAME_BYTES,
  audioFrameMs,
  audioTimelineMs,
  bytesLEToInt16,
  encodeAudioFrame,
  int16ToBytesLE,
  isAudioCodec,
  parseAudioFrame,
  readAudioFrameSequence,
  type AudioCodec,
  type AudioFrame,
  type ParseAudioFrameOptions,
} from "./frame.ts";
export {
  OPUS_SAMPLE_RATES,
  PCM16_SAMPLE_RATES,
  PIPELINE_SAMPLE_RATE,
  assertSupportedAudioFormat,
  createAudioDecoder,
  type AudioDecoder,
  type AudioFormat,
} from "./decoder.ts";
export { Resampler, type ResamplerQuality } from "./resampler.ts";
export { FrameSequencer, LOST, type FrameSequencerOptions, type FrameSequencerStats, type Sequenced } from "./sequencer.ts";
export {
  VAD_FRAME_MS,
  VAD_FRAME_SAMPLES,
  createEnergyVoiceDetector,
  createWebRtcVoiceDetector,
  loadWebRtcVad,
  type EnergyDetectorOptions,
  type VoiceDetector,
  type WebRtcAggressiveness,
} from "./voice-detector.ts";
export {
  DEFAULT_TRAILING_SILENCE_MS,
  createEndpointer,
  type EndpointEvent,
  type Endpointer,
  type EndpointerOptions,
  type EndpointerState,
  type UtteranceTiming,
} from "./endpointer.ts";
export { trimSilence } from "./trim.ts";
export { decodeWav, encodeWav, wavHeader, WAV_HEADER_BYTES, type WavAudio } from "./wav.ts";
