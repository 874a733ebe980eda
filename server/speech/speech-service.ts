/**
 * The process-wide speech side: limits, the speech-to-text provider behind its guard, the
 * feedback writer with its template fallback, and where recordings are kept. Built once from the
 * configuration; rooms use it through this interface only.
 */
import type { Logger } from "pino";
import type { Config, SpeechConfig } from "../config.ts";
import { FileRecordingStorage, newS3RecordingStorage, type RecordingStorage } from "../recordings/index.ts";
import { UsageLimiter } from "./limits/usage-limits.ts";
import { createProviderGuard } from "./resilience/provider-guard.ts";
import { createSpeechToText } from "./stt/create-speech-to-text.ts";
import { GuardedSpeechToText } from "./stt/guarded-speech-to-text.ts";
import type { SpeechToText } from "./stt/speech-to-text.ts";
import { FallbackFeedbackWriter } from "./feedback/fallback-feedback-writer.ts";
import { GeminiFeedbackWriter } from "./feedback/gemini-feedback-writer.ts";
import { GuardedFeedbackWriter } from "./feedback/guarded-feedback-writer.ts";
import { TemplateFeedbackWriter } from "./feedback/template-feedback-writer.ts";
import type { FeedbackWriter } from "./feedback/feedback-writer.ts";
import { loadWebRtcVad } from "./audio/index.ts";
import { evaluateUtterance, type Evaluation, type UtteranceToEvaluate } from "./pipeline/evaluate-utterance.ts";
import { SpokenAttempt, type SpokenAttemptListener, type SpokenAttemptTarget, type UtteranceFormat } from "./pipeline/spoken-attempt.ts";
import { AudioSpool } from "../recordings/audio-spool.ts";
import { RecordingKeeper } from "../recordings/recording-keeper.ts";
import type { AttemptAddress } from "../recordings/recording-storage.ts";
import type { Store } from "../store/store.ts";
import { join } from "node:path";

export interface SpeechService {
  readonly config: SpeechConfig;
  readonly limiter: UsageLimiter;
  readonly recordings: RecordingStorage;
  readonly sttProvider: SpeechToText["name"];
  /** Where utterances are spooled as they arrive (read back at start-up after a crash). */
  readonly spoolDirectory: string;
  readonly keeper: RecordingKeeper;
  /** Opens the pipeline of one spoken attempt; its events go to `listener`. */
  openAttempt(address: AttemptAddress, format: UtteranceFormat, target: SpokenAttemptTarget, listener: SpokenAttemptListener): Promise<SpokenAttempt>;
  evaluate(input: UtteranceToEvaluate, signal?: AbortSignal): Promise<Evaluation>;
}

export async function createSpeechService(config: Config, logger: Logger, store: Store): Promise<SpeechService> {
  const speech = config.speech;
  const limiter = new UsageLimiter(speech.limits);
  const speechToText = guardedSpeechToText(speech);
  const feedback = feedbackWriter(speech, logger);
  const recordings = await recordingStorage(config);
  if (speech.vadEngine === "webrtc") await loadWebRtcVad();
  logger.info({ stt: speechToText.name, feedback: speech.feedback.provider, recordings: recordings.kind }, "speech pipeline ready");

  const keeper = new RecordingKeeper(recordings, store);
  const spoolDirectory = join(config.dataDir, "spool");
  const evaluate = (input: UtteranceToEvaluate, signal?: AbortSignal) => evaluateUtterance(input, { speechToText, feedback }, signal);
  return {
    config: speech,
    limiter,
    recordings,
    sttProvider: speechToText.name,
    spoolDirectory,
    keeper,
    openAttempt: (address, format, target, listener) => SpokenAttempt.open(format, {
      maxFrameBytes: speech.limits.maxFrameBytes,
      maxUtteranceMs: speech.limits.maxUtteranceMs,
      trailingSilenceMs: speech.trailingSilenceMs,
      vadEngine: speech.vadEngine,
    }, {
      spool: AudioSpool.open(spoolDirectory, address.attemptId),
      keep: (samples, durationMs, spool) => keeper.keep(address, samples, durationMs, spool),
      evaluate,
    }, target, listener),
    evaluate,
  };
}

function guardedSpeechToText(speech: SpeechConfig): SpeechToText {
  const provider = createSpeechToText(speech.stt);
  if (speech.stt.provider === "none") return provider;
  return new GuardedSpeechToText(provider, createProviderGuard({
    name: `stt-${speech.stt.provider}`,
    service: "Speech recognition",
    timeoutMs: speech.stt.timeoutMs,
    maxAttempts: speech.sttGuard.maxAttempts,
    baseDelayMs: 200,
    maxDelayMs: 2000,
    concurrency: speech.sttGuard.concurrency,
    queueLimit: speech.sttGuard.queueLimit,
    breaker: { failureThreshold: 5, halfOpenAfterMs: 15_000 },
  }));
}

function feedbackWriter(speech: SpeechConfig, logger: Logger): FeedbackWriter {
  const template = new TemplateFeedbackWriter();
  if (speech.feedback.provider === "template") return template;
  const gemini = new GuardedFeedbackWriter(new GeminiFeedbackWriter(speech.feedback), createProviderGuard({
    name: "feedback-gemini",
    service: "The feedback writer",
    timeoutMs: speech.feedback.timeoutMs,
    // A tip is a nicety: one retry at most, and the template answers when Gemini cannot.
    maxAttempts: 2,
    baseDelayMs: 100,
    maxDelayMs: 500,
    concurrency: speech.sttGuard.concurrency,
    queueLimit: speech.sttGuard.queueLimit,
    breaker: { failureThreshold: 5, halfOpenAfterMs: 15_000 },
  }));
  return new FallbackFeedbackWriter(gemini, template, {
    onFallback: (error) => logger.warn({ err: error }, "Gemini feedback failed; used the template tip"),
  });
}

async function recordingStorage(config: Config): Promise<RecordingStorage> {
  if (config.recordings.kind === "file") return new FileRecordingStorage(config.recordings.directory);
  const { kind: _kind, ...options } = config.recordings;
  const storage = await newS3RecordingStorage(options);
  // Fail at start, loudly, rather than when the first learner speaks.
  await storage.ensureBucket();
  return storage;
}
