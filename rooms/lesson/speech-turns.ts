/**
 * Spoken answers in a lesson room: a learner opens an utterance for their line, streams binary
 * audio frames, and the utterance ends on silence, on push-to-talk release, at the length limit
 * or when the learner drops. The audio is stored first, then evaluated, and the attempt in state
 * moves recording → evaluating → scored | failed | awaiting-tutor.
 */
import { randomUUID } from "node:crypto";
import type { Client } from "@colyseus/core";
import type { Logger } from "pino";
import { KotoError } from "../../server/errors.ts";
import { assertSupportedAudioFormat, encodeWav, PIPELINE_SAMPLE_RATE } from "../../server/speech/audio/index.ts";
import type { Evaluation } from "../../server/speech/pipeline/evaluate-utterance.ts";
import type { UtteranceEnd, UtteranceRecorder } from "../../server/speech/pipeline/utterance-recorder.ts";
import type { SpeechService } from "../../server/speech/speech-service.ts";
import { recordingKey } from "../../server/recordings/index.ts";
import type { AttemptRecord, Store } from "../../server/store/store.ts";
import type { Attempt, DialogueStep } from "../../schema/index.ts";
import type { Lesson } from "../../server/content/lesson.ts";
import type { MessagePayload } from "./messages.ts";

export interface SpeechClient extends Client {
  auth: { userId: string; role: "learner" | "tutor"; displayName: string };
}

/** What the speech turns need from their room. */
export interface SpeechTurnHost {
  readonly roomId: string;
  readonly lesson: Lesson;
  readonly store: Store;
  readonly speech: SpeechService;
  readonly logger: Logger;
  requireOwnStep(client: SpeechClient, claimedStep: number | undefined): DialogueStep;
  addAttemptToState(record: AttemptRecord): Attempt;
  applyEvaluation(attempt: Attempt, evaluation: Evaluation): void;
  /** Records progress for a finished attempt and moves on when it was correct and still current. */
  completeAttempt(learnerId: string, attempt: Attempt, correct: boolean, score: number | null): Promise<void>;
  setSpeaking(learnerId: string, speaking: boolean): void;
  /** Clients that may hear this learner live: tutors, and the partner in pair practice. */
  listenersOf(learnerId: string): Client[];
  sendError(client: Client, error: KotoError, type?: string): void;
  sendToLearner(learnerId: string, type: string, payload: unknown): void;
}

interface OpenUtterance {
  attemptId: string;
  learnerId: string;
  step: number;
  mode: "hands-free" | "push-to-talk";
  recorder: UtteranceRecorder | null;
  /** Frames that arrived while the attempt row was being committed. */
  early: Uint8Array[];
  release: () => void;
  openedAt: number;
  relayPrefix: Uint8Array;
  closing: boolean;
}

/** One error per kind per second is enough for a client that floods bad frames. */
const ERROR_REPEAT_MS = 1000;
const MAX_EARLY_FRAMES = 50;
/** Frames still in flight when the server ended an utterance are dropped quietly for this long. */
const LATE_FRAME_GRACE_MS = 2000;

export class SpeechTurns {
  private readonly open = new Map<string, OpenUtterance>();
  private readonly lastErrorAt = new Map<string, number>();
  private readonly endedAt = new Map<string, number>();
  /** Evaluations in flight, awaited on dispose so nothing accepted is dropped. */
  private readonly evaluations = new Set<Promise<void>>();

  constructor(private readonly host: SpeechTurnHost) {}

  async openUtterance(client: SpeechClient, payload: MessagePayload<"utterance-open">): Promise<void> {
    const learnerId = client.auth.userId;
    if (this.open.has(learnerId)) {
      throw new KotoError("UTTERANCE_ALREADY_OPEN", "you are already speaking; finish that answer first", 409);
    }
    const step = this.host.requireOwnStep(client, payload.step);
    assertSupportedAudioFormat({ codec: payload.codec, sampleRate: payload.sampleRate });
    const release = this.host.speech.limiter.admitUtterance(learnerId);
    const id = payload.attemptId ?? randomUUID();
    const utterance: OpenUtterance = {
      attemptId: id, learnerId, step: step.index, mode: payload.mode, recorder: null, early: [], release,
      openedAt: Date.now(), relayPrefix: relayPrefix(id), closing: false,
    };
    this.open.set(learnerId, utterance);
    try {
      const [recorder, stored] = await Promise.all([
        this.host.speech.openRecorder({ codec: payload.codec, sampleRate: payload.sampleRate }),
        this.host.store.recordAttempt({
          id, sessionId: this.host.roomId, learnerId, lessonId: this.host.lesson.id, stepIndex: step.index,
          kind: "spoken", status: "recording", text: "", correct: false, overall: null, accuracy: null,
          completeness: null, fluency: null, syllables: null, feedback: null, failureReason: null,
          evaluation: { codec: payload.codec, sampleRate: payload.sampleRate, mode: payload.mode },
        }),
      ]);
      if (!stored.inserted) {
        recorder.close();
        throw new KotoError("ATTEMPT_ID_TAKEN", "that attempt id was already used; open the utterance with a new one", 409);
      }
      utterance.recorder = recorder;
      this.host.addAttemptToState(stored.attempt);
      client.send("utterance-opened", { attemptId: id, step: step.index });
      for (const listener of this.host.listenersOf(learnerId)) {
        listener.send("utterance-started", { learnerId, attemptId: id, codec: payload.codec, sampleRate: payload.sampleRate });
      }
      const early = utterance.early.splice(0);
      for (const frame of early) this.pushFrame(client, utterance, frame);
    } catch (error) {
      if (this.open.get(learnerId) === utterance) this.open.delete(learnerId);
      release();
      throw error;
    }
  }

  /** A binary audio frame. The bytes belong to the transport: copy before anything asynchronous. */
  receiveFrame(client: SpeechClient, bytes: Uint8Array): void {
    const learnerId = client.auth?.userId;
    if (client.auth?.role !== "learner") {
      return this.throttledError(client, new KotoError("ROLE_FORBIDDEN", "only a learner may send audio", 403));
    }
    const utterance = this.open.get(learnerId);
    if (!utterance || utterance.closing) {
      if (Date.now() - (this.endedAt.get(learnerId) ?? 0) < LATE_FRAME_GRACE_MS) return;
      return this.throttledError(client, new KotoError("AUDIO_WITHOUT_UTTERANCE", "send utterance-open before audio frames"));
    }
    try {
      this.host.speech.limiter.admitBytes(client.sessionId, bytes.byteLength);
    } catch (error) {
      return this.throttledError(client, error as KotoError);
    }
    const frame = Uint8Array.from(bytes);
    if (!utterance.recorder) {
      if (utterance.early.length >= MAX_EARLY_FRAMES) {
        return this.throttledError(client, new KotoError("AUDIO_TOO_EARLY", "wait for utterance-opened before streaming more audio"));
      }
      utterance.early.push(frame);
      return;
    }
    this.pushFrame(client, utterance, frame);
  }

  private pushFrame(client: SpeechClient, utterance: OpenUtterance, frame: Uint8Array): void {
    let ended: UtteranceEnd | null;
    try {
      const result = utterance.recorder!.push(frame);
      for (const event of result.events) {
        if (event.type === "speech-start") this.host.setSpeaking(utterance.learnerId, true);
        if (event.type === "speech-end" || event.type === "speech-discarded") this.host.setSpeaking(utterance.learnerId, false);
      }
      ended = result.ended;
    } catch (error) {
      if (error instanceof KotoError) return this.throttledError(client, error);
      throw error;
    }
    const relayed = new Uint8Array(utterance.relayPrefix.length + frame.length);
    relayed.set(utterance.relayPrefix, 0);
    relayed.set(frame, utterance.relayPrefix.length);
    for (const listener of this.host.listenersOf(utterance.learnerId)) listener.sendBytes("learner-audio", relayed);
    // Push-to-talk waits for the release, except at the length limit.
    if (ended && (utterance.mode === "hands-free" || ended === "max-duration")) {
      if (ended === "max-duration") {
        this.host.sendError(client, new KotoError("UTTERANCE_TOO_LONG", `answers are limited to ${this.host.speech.config.limits.maxUtteranceMs / 1000} s; this one was ended there`), "audio");
      }
      this.finish(utterance.learnerId, ended);
    }
  }

  closeUtterance(client: SpeechClient): void {
    const utterance = this.open.get(client.auth.userId);
    if (!utterance) throw new KotoError("NO_OPEN_UTTERANCE", "there is no answer being recorded to close");
    this.finish(client.auth.userId, "released");
  }

  /** The learner left or dropped: keep what arrived and close the attempt cleanly. */
  learnerGone(learnerId: string, clientId: string): void {
    this.host.speech.limiter.forgetClient(clientId);
    if (this.open.has(learnerId)) this.finish(learnerId, "disconnected");
  }

  async reevaluate(attemptId: string, attempt: Attempt): Promise<void> {
    if (attempt.kind !== "spoken") throw new KotoError("ATTEMPT_NOT_SPOKEN", "only spoken attempts can be evaluated again");
    if (attempt.status === "recording" || attempt.status === "evaluating") {
      throw new KotoError("ATTEMPT_BUSY", "this attempt is still being recorded or evaluated", 409);
    }
    const recording = await this.host.store.getRecording(attemptId);
    const stored = recording && (await this.host.speech.recordings.get(recording.objectKey));
    if (!stored) throw new KotoError("RECORDING_NOT_FOUND", "this attempt has no stored recording", 404);
    const { decodeWav } = await import("../../server/speech/audio/index.ts");
    const wav = decodeWav(stored.bytes);
    const evaluation = JSON.parse(attempt.evaluation || "{}") as { timing?: EvaluationTiming };
    this.track(this.evaluate(attempt, wav.samples, evaluation.timing ?? fullSpan(wav.samples.length)));
  }

  /** Waits for evaluations in flight (room dispose, shutdown). */
  async settle(): Promise<void> {
    for (const learnerId of [...this.open.keys()]) this.finish(learnerId, "disconnected");
    await Promise.allSettled([...this.evaluations]);
  }

  private finish(learnerId: string, reason: UtteranceEnd): void {
    const utterance = this.open.get(learnerId);
    if (!utterance || utterance.closing) return;
    utterance.closing = true;
    this.open.delete(learnerId);
    this.endedAt.set(learnerId, Date.now());
    utterance.release();
    this.host.sendToLearner(learnerId, "utterance-ended", { attemptId: utterance.attemptId, reason });
    this.host.setSpeaking(learnerId, false);
    const recorder = utterance.recorder;
    if (!recorder) return; // the attempt row was never committed; nothing was accepted
    const recorded = recorder.finish();
    recorder.close();
    const attempt = this.findAttempt(utterance.attemptId);
    if (!attempt) return;
    attempt.status = "evaluating";
    // The recording is written while speech-to-text runs (it is on the path to the score);
    // the result is only stored once the audio is safe.
    const stored = this.store(utterance, recorded.samples, recorded.durationMs);
    if (!recorded.spoke) {
      this.track(stored.then((kept) => kept
        ? this.fail(attempt, reason === "disconnected" ? "DISCONNECTED" : "NO_SPEECH",
            reason === "disconnected" ? "The connection was lost before we heard you speak." : "We did not hear any speech. Check your microphone and try again.")
        : this.failStorage(attempt)));
      return;
    }
    this.track(this.evaluate(attempt, recorded.samples, recorded.timing, reason, stored));
  }

  private failStorage(attempt: Attempt): Promise<void> {
    return this.fail(attempt, "RECORDING_STORAGE_UNAVAILABLE", "We could not keep your recording, so it was not scored. Please try again.");
  }

  /** Keeps the audio; resolves false (logged) when storage failed, so the attempt can say so. */
  private async store(utterance: OpenUtterance, samples: Int16Array, durationMs: number): Promise<boolean> {
    try {
      await this.writeRecording(utterance, samples, durationMs);
      return true;
    } catch (error) {
      this.host.logger.error({ err: error, attemptId: utterance.attemptId }, "could not store a recording");
      return false;
    }
  }

  private async writeRecording(utterance: OpenUtterance, samples: Int16Array, durationMs: number): Promise<void> {
    const wav = encodeWav(samples, PIPELINE_SAMPLE_RATE);
    const key = recordingKey({ sessionId: this.host.roomId, learnerId: utterance.learnerId, attemptId: utterance.attemptId }, "wav");
    this.host.speech.limiter.recordAudioSeconds(utterance.learnerId, durationMs / 1000);
    await this.host.speech.recordings.put(key, wav, "audio/wav");
    await this.host.store.saveRecording({
      attemptId: utterance.attemptId, storage: this.host.speech.recordings.kind, objectKey: key,
      contentType: "audio/wav", byteLength: wav.byteLength, durationMs: Math.round(durationMs),
    });
  }

  private async evaluate(attempt: Attempt, samples: Int16Array, timing: EvaluationTiming, reason?: UtteranceEnd, stored: Promise<boolean> = Promise.resolve(true)): Promise<void> {
    attempt.status = "evaluating";
    const endedAt = performance.now();
    const step = this.host.lesson.steps[attempt.step];
    const evaluation = await this.host.speech.evaluate({
      samples, timing, accepted: [...step.accepted], learnerLanguage: this.host.lesson.learnerLanguage,
    });
    if (!(await stored)) return this.failStorage(attempt);
    const correct = evaluation.status === "scored" && evaluation.correct;
    const details = {
      provider: this.host.speech.sttProvider, endedBy: reason ?? "reevaluated", timing, stages: evaluation.timings,
      code: evaluation.status === "scored" ? null : evaluation.code, matched: evaluation.status === "scored" ? evaluation.matched : null,
      feedbackSource: evaluation.status === "scored" ? evaluation.feedback.source : null,
    };
    await this.host.store.updateAttemptEvaluation(attempt.id, {
      status: evaluation.status, text: evaluation.transcript, correct,
      overall: evaluation.status === "scored" ? evaluation.score.overall : null,
      accuracy: evaluation.status === "scored" ? evaluation.score.accuracy : null,
      completeness: evaluation.status === "scored" ? evaluation.score.completeness : null,
      fluency: evaluation.status === "scored" ? evaluation.score.fluency : null,
      syllables: evaluation.status === "scored" ? evaluation.score.syllables : null,
      feedback: evaluation.status === "scored" ? evaluation.feedback.tip : null,
      failureReason: evaluation.status === "scored" ? null : evaluation.reason,
      evaluation: { ...details, overheadMs: Math.round((performance.now() - endedAt - evaluation.timings.speechToTextMs - evaluation.timings.feedbackMs) * 100) / 100 },
    });
    this.host.applyEvaluation(attempt, evaluation);
    attempt.evaluation = JSON.stringify(details);
    await this.host.completeAttempt(attempt.learnerId, attempt, correct, evaluation.status === "scored" ? evaluation.score.overall : null);
  }

  private async fail(attempt: Attempt, code: string, reason: string): Promise<void> {
    await this.host.store.updateAttemptEvaluation(attempt.id, {
      status: "failed", text: "", correct: false, overall: null, accuracy: null, completeness: null, fluency: null,
      syllables: null, feedback: null, failureReason: reason, evaluation: { code },
    });
    this.host.applyEvaluation(attempt, {
      status: "failed", code, reason, transcript: "", timings: { trimMs: 0, speechToTextMs: 0, scoringMs: 0, feedbackMs: 0 },
    });
    await this.host.completeAttempt(attempt.learnerId, attempt, false, null);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error) => this.host.logger.error({ err: error, roomId: this.host.roomId }, "speech evaluation failed"))
      .finally(() => this.evaluations.delete(tracked));
    this.evaluations.add(tracked);
  }

  private findAttempt(id: string): Attempt | undefined {
    return this.attemptsLookup?.(id);
  }

  /** Set by the room: finds an attempt in state by id. */
  attemptsLookup?: (id: string) => Attempt | undefined;

  private throttledError(client: Client, error: KotoError): void {
    const key = `${client.sessionId}:${error.code}`;
    const now = Date.now();
    if (now - (this.lastErrorAt.get(key) ?? 0) < ERROR_REPEAT_MS) return;
    this.lastErrorAt.set(key, now);
    this.host.sendError(client, error, "audio");
  }
}

type EvaluationTiming = { speechMs: number; pauses: number[]; speechStartMs: number | null; speechEndMs: number | null };

function fullSpan(sampleCount: number): EvaluationTiming {
  const ms = (sampleCount / PIPELINE_SAMPLE_RATE) * 1000;
  return { speechMs: ms, pauses: [], speechStartMs: 0, speechEndMs: ms };
}

/** Relayed frames start with the attempt id so a listener knows whose audio it is: [length][ascii id]. */
function relayPrefix(attemptId: string): Uint8Array {
  const id = new TextEncoder().encode(attemptId);
  const prefix = new Uint8Array(1 + id.length);
  prefix[0] = id.length;
  prefix.set(id, 1);
  return prefix;
}
