/**
 * Spoken answers in a lesson room. This class only admits (role, turn, limits), relays audio to
 * listeners, and maps the pipeline's events onto the attempt; decoding, endpointing, keeping the
 * recording and evaluating belong to the pipeline (server/speech/pipeline/spoken-attempt.ts), and
 * the attempt's transitions to its ledger (server/attempts).
 */
import { randomUUID } from "node:crypto";
import type { Client } from "@colyseus/core";
import type { Logger } from "pino";
import { KotoError } from "../../server/errors.ts";
import { assertSupportedAudioFormat, audioTimelineMs, readAudioFrameSequence, type AudioCodec } from "../../server/speech/audio/index.ts";
import type { SpeechService } from "../../server/speech/speech-service.ts";
import type { SpokenAttempt, SpokenAttemptEvent, UtteranceEnd } from "../../server/speech/pipeline/spoken-attempt.ts";
import type { AttemptLedger } from "../../server/attempts/attempt-ledger.ts";
import { newAttempt, type AttemptResult } from "../../server/attempts/attempt.ts";
import { evaluationResult } from "../../server/attempts/evaluation-result.ts";
import { exampleNameOf, type Lesson } from "../../server/content/lesson.ts";
import type { MessagePayload } from "./messages.ts";
import { ErrorThrottle } from "./error-throttle.ts";
import { BYTES_MESSAGES, encodeRelayPrefix } from "../../protocol/audio-frames.ts";

export interface SpeakingClient extends Client {
  auth: { userId: string; role: "learner" | "tutor"; displayName: string };
}

/** The room's side of a spoken turn: whose turn it is, and what a settled result does to the lesson. */
export interface SpokenTurnsRoom {
  readonly roomId: string;
  readonly lesson: Lesson;
  requireOwnStep(client: SpeakingClient, claimedStep: number | undefined): { index: number };
  setSpeaking(learnerId: string, speaking: boolean): void;
  /** To everyone who may hear the speaker (tutors; the partner in pair practice), encoded once. */
  toListeners(from: Client, type: string, message: object): void;
  /** A bytes message to the same listeners, `parts` joined: built once for all of them. */
  bytesToListeners(from: Client, type: string, ...parts: Uint8Array[]): void;
  /** Settles an attempt with its result (progress, moving on); runs in the learner's write queue. */
  settle(attemptId: string, to: "scored" | "failed" | "awaiting-tutor", result: AttemptResult): Promise<void>;
  /** Marks an attempt evaluating (the audio is being kept and evaluated). */
  startEvaluating(attemptId: string): Promise<void>;
}

interface OpenTurn {
  attemptId: string;
  learnerId: string;
  client: SpeakingClient;
  mode: "hands-free" | "push-to-talk";
  codec: AudioCodec;
  sampleRate: number;
  pipeline: SpokenAttempt | null;
  /** Frames that arrived while the attempt row was being committed. */
  early: Uint8Array[];
  release: () => void;
  /**
   * Set when the utterance was ended (released, the learner gone, the room closing) while its attempt
   * row was still being stored: openUtterance then ends the pipeline it makes instead of announcing it.
   */
  endedEarly?: UtteranceEnd;
  /** `[id length][ascii id]`, sent before every relayed frame of this utterance. */
  relayPrefix: Uint8Array;
  /** The sequence number after the furthest frame charged to the audio-duration limit (audioTimelineMs). */
  chargedUpTo: number;
}

const MAX_EARLY_FRAMES = 50;

export class SpokenTurns {
  private readonly open = new Map<string, OpenTurn>();
  private readonly errors = new ErrorThrottle();
  /** Learners whose last utterance the server ended: frames still in flight from them are dropped quietly until they open a new one. */
  private readonly ended = new Set<string>();
  private readonly pipelines = new Set<SpokenAttempt>();

  constructor(
    private readonly room: SpokenTurnsRoom,
    private readonly ledger: AttemptLedger,
    private readonly speech: SpeechService,
    private readonly logger: Logger,
  ) {}

  async openUtterance(client: SpeakingClient, payload: MessagePayload<"utterance-open">): Promise<void> {
    const learnerId = client.auth.userId;
    if (this.open.has(learnerId)) {
      throw new KotoError("UTTERANCE_ALREADY_OPEN", "you are already speaking; finish that answer first", 409);
    }
    const step = this.room.requireOwnStep(client, payload.step);
    const format = { codec: payload.codec, sampleRate: payload.sampleRate };
    assertSupportedAudioFormat(format);
    const release = this.speech.limiter.admitUtterance(learnerId);
    const attemptId = payload.attemptId ?? randomUUID();
    const turn: OpenTurn = {
      attemptId, learnerId, client, mode: payload.mode, codec: payload.codec, sampleRate: payload.sampleRate, pipeline: null, early: [], release,
      relayPrefix: encodeRelayPrefix(attemptId), chargedUpTo: 0,
    };
    this.open.set(learnerId, turn);
    this.ended.delete(learnerId);
    // Listeners hear the learner from the first frame, not only once the attempt row is stored.
    this.room.toListeners(client, "utterance-started", { learnerId, attemptId, codec: payload.codec, sampleRate: payload.sampleRate });
    try {
      const { inserted } = await this.ledger.create(newAttempt({
        id: attemptId, sessionId: this.room.roomId, learnerId, lessonId: this.room.lesson.id, stepIndex: step.index,
        kind: "spoken", status: "recording", evaluation: { codec: payload.codec, sampleRate: payload.sampleRate, mode: payload.mode },
      }));
      if (!inserted) {
        throw new KotoError("ATTEMPT_ID_TAKEN", "that attempt id was already used; open the utterance with a new one", 409);
      }
      const lessonStep = this.room.lesson.steps[step.index];
      turn.pipeline = await this.speech.openAttempt(
        { sessionId: this.room.roomId, learnerId, attemptId }, format,
        { accepted: [...lessonStep.accepted], learnerLanguage: this.room.lesson.learnerLanguage, exampleName: exampleNameOf(this.room.lesson) },
        (event) => this.onEvent(turn, event),
      );
      this.pipelines.add(turn.pipeline);
      const endedEarly = turn.endedEarly;
      // Already told "utterance-ended": no "opened" after it. The attempt is stored, so it is ended like any
      // other (kept, evaluated or failed), never left "recording".
      if (endedEarly === undefined) client.send("utterance-opened", { attemptId, step: step.index });
      for (const frame of turn.early.splice(0)) this.pushFrame(turn, frame, { relayed: true });
      if (endedEarly !== undefined) this.endPipeline(turn.pipeline, endedEarly);
    } catch (error) {
      if (this.open.get(learnerId) === turn) this.open.delete(learnerId);
      release();
      if (turn.pipeline) void turn.pipeline.end("disconnected");
      throw error;
    }
  }

  /** A binary audio frame. The bytes belong to the transport: copied before anything asynchronous. */
  receiveFrame(client: SpeakingClient, bytes: unknown): void {
    // A data message named like the bytes channel arrives here with whatever msgpack decoded.
    if (!(bytes instanceof Uint8Array)) {
      return this.throttledError(client, new KotoError("AUDIO_FRAME_INVALID", "audio must be sent as binary frames (room.sendBytes)"));
    }
    if (client.auth?.role !== "learner") {
      return this.throttledError(client, new KotoError("ROLE_FORBIDDEN", "only a learner may send audio", 403));
    }
    // Every frame is charged its bytes, one outside an answer too (a flood of them is still a flood).
    try {
      this.speech.limiter.admitBytes(client.sessionId, bytes.byteLength);
    } catch (error) {
      return this.throttledError(client, error as KotoError);
    }
    const learnerId = client.auth.userId;
    const turn = this.open.get(learnerId);
    if (!turn || turn.client !== client) {
      if (this.ended.has(learnerId)) return;
      return this.throttledError(client, new KotoError("AUDIO_WITHOUT_UTTERANCE", "send utterance-open before audio frames"));
    }
    // Charged by its place on the utterance's timeline: frames it skips are concealed, so they cost too.
    const timeline = audioTimelineMs(bytes, turn.codec, turn.sampleRate, turn.chargedUpTo);
    try {
      this.speech.limiter.admitAudio(client.sessionId, timeline.ms);
    } catch (error) {
      return this.throttledError(client, error as KotoError);
    }
    turn.chargedUpTo = timeline.countedUpTo;
    if (!turn.pipeline) {
      if (turn.early.length >= MAX_EARLY_FRAMES) {
        return this.throttledError(client, new KotoError("AUDIO_TOO_EARLY", "wait for utterance-opened before streaming more audio"));
      }
      // Held until the attempt row is stored, then recorded; relayed now if it is a well-formed frame,
      // so that a slow store write does not delay what tutors hear.
      try {
        readAudioFrameSequence(bytes, turn.codec, { maxFrameBytes: this.speech.config.limits.maxFrameBytes });
      } catch (error) {
        if (error instanceof KotoError) return this.throttledError(client, error);
        throw error;
      }
      turn.early.push(Uint8Array.from(bytes));
      this.relay(turn, bytes);
      return;
    }
    this.pushFrame(turn, bytes);
  }

  closeUtterance(client: SpeakingClient): void {
    const turn = this.open.get(client.auth.userId);
    if (!turn) throw new KotoError("NO_OPEN_UTTERANCE", "there is no answer being recorded to close");
    this.finish(turn, "released");
  }

  /** The learner left or dropped: keep what arrived and close the attempt cleanly. */
  learnerGone(learnerId: string, clientId: string): void {
    this.speech.limiter.forgetClient(clientId);
    this.errors.forget(clientId);
    const turn = this.open.get(learnerId);
    if (turn) this.finish(turn, "disconnected");
  }

  /** Utterances being spoken right now (a draining room lets them finish). */
  get openCount(): number {
    return this.open.size;
  }

  /** Ends every open utterance and waits until each pipeline has emitted its last event. */
  async settle(): Promise<void> {
    for (const turn of [...this.open.values()]) this.finish(turn, "disconnected");
    // `end` is idempotent (an ended pipeline returns its own completion); one never ended is ended here,
    // so the loop cannot wait on something that will never finish (nor spin on one that never started).
    while (this.pipelines.size > 0) {
      const pending = [...this.pipelines];
      await Promise.allSettled(pending.map((pipeline) => pipeline.end("disconnected")));
      for (const pipeline of pending) this.pipelines.delete(pipeline);
    }
  }

  private pushFrame(turn: OpenTurn, bytes: Uint8Array, how: { relayed?: boolean } = {}): void {
    let ended: UtteranceEnd | null;
    try {
      ended = turn.pipeline!.push(bytes);
    } catch (error) {
      if (error instanceof KotoError) return this.throttledError(turn.client, error);
      throw error;
    }
    // Relayed after the pipeline accepted the frame: listeners hear only what is recorded.
    if (!how.relayed) this.relay(turn, bytes);
    // Push-to-talk waits for the release, except at the length limit.
    if (ended && (turn.mode === "hands-free" || ended === "max-duration")) {
      if (ended === "max-duration") {
        this.throttledError(turn.client, new KotoError("UTTERANCE_TOO_LONG", `answers are limited to ${this.speech.config.limits.maxUtteranceMs / 1000} s; this one was ended there`));
      }
      this.finish(turn, ended);
    }
  }

  /** `[n][attemptId][frame]` to the listeners (the frame's one copy is into the message they are sent). */
  private relay(turn: OpenTurn, bytes: Uint8Array): void {
    this.room.bytesToListeners(turn.client, BYTES_MESSAGES.learnerAudio, turn.relayPrefix, bytes);
  }

  private finish(turn: OpenTurn, reason: UtteranceEnd): void {
    if (this.open.get(turn.learnerId) !== turn) return;
    this.open.delete(turn.learnerId);
    this.ended.add(turn.learnerId);
    turn.release();
    turn.client.send("utterance-ended", { attemptId: turn.attemptId, reason });
    const pipeline = turn.pipeline;
    // The attempt row is still being stored: openUtterance ends the pipeline once it exists (or, if the
    // row is refused, nothing was accepted).
    if (!pipeline) {
      turn.endedEarly = reason;
      return;
    }
    this.endPipeline(pipeline, reason);
  }

  private endPipeline(pipeline: SpokenAttempt, reason: UtteranceEnd): void {
    void pipeline.end(reason).finally(() => this.pipelines.delete(pipeline));
  }

  private onEvent(turn: OpenTurn, event: SpokenAttemptEvent): void {
    switch (event.type) {
      case "speaking":
        return this.room.setSpeaking(turn.learnerId, event.speaking);
      case "ended":
        this.room.setSpeaking(turn.learnerId, false);
        this.speech.limiter.recordAudioSeconds(turn.learnerId, event.durationMs / 1000);
        if (event.spoke) void this.room.startEvaluating(turn.attemptId);
        return;
      case "stored":
        return;
      case "failed":
        if (event.cause) this.logger.error({ err: event.cause, attemptId: turn.attemptId }, `spoken attempt failed: ${event.code}`);
        void this.room.settle(turn.attemptId, "failed", {
          failureCode: event.code, failureReason: event.reason, evaluation: { code: event.code, audioKept: event.audioKept },
        });
        return;
      case "evaluated":
        void this.room.settle(turn.attemptId, event.evaluation.status, evaluationResult(event.evaluation, {
          provider: this.speech.sttProvider, timing: event.timing, overheadMs: event.overheadMs,
        }));
        return;
    }
  }

  private throttledError(client: Client, error: KotoError): void {
    this.errors.send(client, error, "audio");
  }
}

