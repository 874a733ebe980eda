/**
 * The lesson room: one conversational lesson session. Learners take dialogue roles and answer their
 * lines; the server plays the other role; tutors watch, guide and grade. Data flows one way: a client
 * message is validated, applied to the synchronized state and written through the store interface.
 */
import { randomUUID } from "node:crypto";
import { Room, ServerError, type Client, type AuthContext } from "@colyseus/core";
import { StateView } from "@colyseus/schema";
import type { z } from "zod";
import {
  AccountInfo, Attempt, DialogueStep, LearnerProgress, LessonInfo, LessonState, Participant, SyllableResult, TutorNote,
} from "../../schema/index.ts";
import type { Lesson, Role } from "../../server/content/lesson.ts";
import { KotoError } from "../../server/errors.ts";
import type { TokenClaims } from "../../server/auth/token-service.ts";
import { checkTypedAnswer } from "../../server/speech/scoring/index.ts";
import type { Evaluation } from "../../server/speech/pipeline/evaluate-utterance.ts";
import type { AttemptRecord, SyllableRecord, UserRecord } from "../../server/store/store.ts";
import type { LessonRoomServices } from "./services.ts";
import {
  createOptionsSchema, describeIssues, joinOptionsSchema, learnerMessages, tutorMessages,
  type LearnerMessageType, type MessagePayload, type TutorMessageType,
} from "./messages.ts";
import { chooseDialogueRole, nextLearnerStep, previousLearnerStep, resumeStep } from "./lesson-flow.ts";
import { SpeechTurns, type SpeechTurnHost } from "./speech-turns.ts";

export interface LessonClientAuth extends TokenClaims {
  user: UserRecord;
}

type LessonClient = Client & { auth: LessonClientAuth };

/** Tutors do not take learner seats, but a room still has a ceiling. */
const MAX_TUTORS_PER_ROOM = 8;

export class LessonRoom extends Room<{ state: LessonState }> implements SpeechTurnHost {
  /** Set by `defineLessonRoom`; one set of services per server. */
  protected services!: LessonRoomServices;
  lesson!: Lesson;
  private speechTurns!: SpeechTurns;

  get store() { return this.services.store; }
  get speech() { return this.services.speech; }
  get logger() { return this.services.logger; }

  async onAuth(_client: Client, options: unknown, context: AuthContext): Promise<LessonClientAuth> {
    const token = (options as { token?: unknown } | undefined)?.token ?? context.token;
    try {
      const claims = await this.services.tokens.verify(token);
      const user = await this.services.store.getUser(claims.userId);
      if (!user) throw new KotoError("AUTH_UNKNOWN_USER", "this account no longer exists; sign in again", 401);
      return { ...claims, user };
    } catch (error) {
      throw toServerError(error);
    }
  }

  async onCreate(options: unknown): Promise<void> {
    const parsed = createOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) throw toServerError(new KotoError("ROOM_OPTIONS_INVALID", describeIssues(parsed.error)));
    const lesson = this.services.content.getLesson(parsed.data.lessonId);
    if (!lesson) {
      throw toServerError(new KotoError("LESSON_NOT_FOUND", `no lesson "${parsed.data.lessonId}"; see GET /api/lessons`, 404));
    }
    this.lesson = lesson;
    const { config } = this.services;
    this.maxClients = config.maxLearnersPerRoom + MAX_TUTORS_PER_ROOM;
    this.patchRate = config.patchRateMs;
    this.state = buildState(lesson, config.maxLearnersPerRoom);
    this.setMetadata({ lessonId: lesson.id, title: lesson.title, pack: lesson.pack });
    await this.services.store.startSession({ id: this.roomId, lessonId: lesson.id, phase: "lobby" });

    for (const type of Object.keys(learnerMessages) as LearnerMessageType[]) {
      this.onMessage(type, (client, payload) => this.dispatch(client as LessonClient, "learner", type, payload));
    }
    for (const type of Object.keys(tutorMessages) as TutorMessageType[]) {
      this.onMessage(type, (client, payload) => this.dispatch(client as LessonClient, "tutor", type, payload));
    }
    this.speechTurns = new SpeechTurns(this);
    this.speechTurns.attemptsLookup = (id) => this.state.attempts.find((attempt) => attempt.id === id);
    this.onMessageBytes("audio", (client, bytes: Uint8Array) => this.receiveAudio(client as LessonClient, bytes));
    this.onMessage("*", (client, type) => {
      sendError(client, new KotoError("MESSAGE_UNKNOWN", `unknown message type "${String(type)}"`));
    });
    this.services.onRoomCreated?.(this);
  }

  onJoin(client: LessonClient, options: unknown): void | Promise<void> {
    const parsed = joinOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) throw toServerError(new KotoError("JOIN_OPTIONS_INVALID", describeIssues(parsed.error)));
    const auth = client.auth;
    const participant = new Participant({
      id: auth.userId,
      displayName: auth.displayName,
      role: auth.role,
      platform: parsed.data.platform,
      connected: true,
    });
    participant.account = new AccountInfo({
      userId: auth.user.id, email: auth.user.email ?? "", kind: auth.user.kind, createdAt: auth.user.createdAt,
    });

    if (this.state.participants.has(auth.userId)) {
      throw toServerError(new KotoError("ALREADY_IN_ROOM", "you are already in this session (another tab or device?)", 409));
    }

    client.view = new StateView();
    if (auth.role === "learner") return this.seatLearner(client, participant);
    this.seatTutor(client, participant);
  }

  onDrop(client: LessonClient): void {
    this.speechTurns.learnerGone(client.auth.userId, client.sessionId);
    const participant = this.state.participants.get(client.auth.userId);
    if (participant) {
      participant.connected = false;
      participant.speaking = false;
    }
    if (this.services.config.reconnectWindowSeconds > 0) {
      // Refused while the room shuts down; the seat is then released through onLeave.
      this.allowReconnection(client, this.services.config.reconnectWindowSeconds).catch(() => {});
    }
  }

  onReconnect(client: LessonClient): void {
    const participant = this.state.participants.get(client.auth.userId);
    if (participant) participant.connected = true;
  }

  async onLeave(client: LessonClient): Promise<void> {
    const { userId, role } = client.auth;
    const participant = this.state.participants.get(userId);
    if (!participant) return;
    this.speechTurns.learnerGone(userId, client.sessionId);
    // Saved while the learner still holds a dialogue role: completion is judged against that role's lines.
    if (role === "learner") await this.saveProgress(userId);
    this.state.participants.delete(userId);
    if (role === "learner") this.refreshServerPlayedSteps();
  }

  async onDispose(): Promise<void> {
    // Attempts being evaluated finish and are stored before the session closes.
    await this.speechTurns?.settle();
    await this.services.store.updateSession(this.roomId, {
      phase: this.state.phase, currentStep: this.state.currentStep, ended: true,
    });
    this.services.onRoomDisposed?.(this);
  }

  // ---- joining ---------------------------------------------------------------------------------

  private async seatLearner(client: LessonClient, participant: Participant): Promise<void> {
    const learners = this.learners();
    const role = learners.length < this.state.maxLearners
      ? chooseDialogueRole(learners.map((p) => p.dialogueRole as Role), this.lesson.learnerRole)
      : null;
    if (role === null) {
      throw toServerError(new KotoError("ROOM_FULL", `this session already has ${this.state.maxLearners} learner(s)`, 409));
    }
    participant.dialogueRole = role;
    this.state.participants.set(participant.id, participant);

    const saved = await this.services.store.getProgress(participant.id, this.lesson.id);
    const progress = new LearnerProgress({
      learnerId: participant.id,
      currentStep: this.state.currentStep,
      attemptsCount: saved?.attemptsCount ?? 0,
      bestScore: saved?.bestScore ?? 0,
      hintsUsed: saved?.hintsUsed ?? 0,
    });
    progress.completedSteps.push(...(saved?.completedSteps ?? []));
    this.state.progress.set(participant.id, progress);
    // A learner alone in the lobby picks up where they stopped last time.
    if (this.state.phase === "lobby" && this.learners().length === 1) {
      this.state.currentStep = resumeStep(saved, this.state.steps.length);
      progress.currentStep = this.state.currentStep;
    }
    for (const tutor of this.tutorClients()) revealToTutor(tutor, participant, progress);
    this.refreshServerPlayedSteps();
    await this.services.store.addParticipant(this.roomId, participant.id, "learner");
  }

  private seatTutor(client: LessonClient, participant: Participant): void {
    const tutors = [...this.state.participants.values()].filter((p) => p.role === "tutor");
    if (tutors.length >= MAX_TUTORS_PER_ROOM) {
      throw toServerError(new KotoError("ROOM_FULL", `this session already has ${MAX_TUTORS_PER_ROOM} tutors`, 409));
    }
    this.state.participants.set(participant.id, participant);
    // Tutor-only fields travel only to clients whose view holds the object.
    for (const other of this.state.participants.values()) client.view!.add(other);
    for (const progress of this.state.progress.values()) revealToTutor(client, progress, ...progress.notes);
    for (const attempt of this.state.attempts) client.view!.add(attempt);
    void this.services.store.addParticipant(this.roomId, participant.id, "tutor").catch((error) => this.logFailure("addParticipant", error));
  }

  // ---- messages --------------------------------------------------------------------------------

  private async dispatch(client: LessonClient, audience: "learner" | "tutor", type: string, payload: unknown): Promise<void> {
    try {
      if (client.auth.role !== audience) {
        throw new KotoError("ROLE_FORBIDDEN", `only a ${audience} may send "${type}"`, 403);
      }
      const schema = (audience === "learner" ? learnerMessages : tutorMessages)[type as never] as z.ZodType;
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw new KotoError("MESSAGE_INVALID", `"${type}": ${describeIssues(parsed.error)}`);
      await this.handle(client, type as LearnerMessageType | TutorMessageType, parsed.data);
    } catch (error) {
      if (error instanceof KotoError) return sendError(client, error, type);
      this.logFailure(type, error);
      sendError(client, new KotoError("INTERNAL", "the server could not handle that message; try again"), type);
    }
  }

  private async handle(client: LessonClient, type: LearnerMessageType | TutorMessageType, payload: any): Promise<void> {
    switch (type) {
      case "start": return this.start();
      case "answer": return this.answer(client, payload as MessagePayload<"answer">);
      case "next": return this.skip(client);
      case "hint": return this.hint(client);
      case "advance": return this.moveTo(nextLearnerStep(this.lesson.steps, this.state.currentStep + 1, this.learnerRoles()));
      case "back": return this.moveTo(previousLearnerStep(this.lesson.steps, this.state.currentStep, this.learnerRoles()));
      case "tutor-hint": return this.tutorHint(client, payload as MessagePayload<"tutor-hint">);
      case "note": return this.note(client, payload as MessagePayload<"note">);
      case "grade": return this.grade(client, payload as MessagePayload<"grade">);
      case "end": return this.finish(false);
      case "utterance-open": return this.speechTurns.openUtterance(client, payload as MessagePayload<"utterance-open">);
      case "utterance-close": return this.speechTurns.closeUtterance(client);
      case "reevaluate": return this.reevaluate(payload as MessagePayload<"reevaluate">);
    }
  }

  private async start(): Promise<void> {
    if (this.state.phase === "finished") throw new KotoError("SESSION_ENDED", "this session has ended; open the lesson again");
    if (this.state.phase === "running") return;
    this.state.phase = "running";
    await this.moveTo(nextLearnerStep(this.lesson.steps, this.state.currentStep, this.learnerRoles()));
  }

  private async answer(client: LessonClient, payload: MessagePayload<"answer">): Promise<void> {
    const step = this.requireOwnStep(client, payload.step);
    const result = checkTypedAnswer([...step.accepted], payload.text);
    const attemptId = payload.attemptId ?? randomUUID();
    const { inserted, attempt: stored } = await this.services.store.recordAttempt({
      id: attemptId, sessionId: this.roomId, learnerId: client.auth.userId, lessonId: this.lesson.id,
      stepIndex: step.index, kind: "typed", status: "scored", text: payload.text, correct: result.correct,
      overall: result.score.overall, accuracy: result.score.accuracy, completeness: result.score.completeness,
      fluency: result.score.fluency, syllables: result.score.syllables, feedback: null, failureReason: null,
      evaluation: { matched: result.matched, engine: "typed" },
    });
    // Committed above before the learner hears it was accepted; a replay is acknowledged, not counted.
    client.send("attempt-accepted", { attemptId, duplicate: !inserted });
    if (!inserted) return;
    const attempt = this.addAttemptToState(stored);
    await this.completeAttempt(client.auth.userId, attempt, result.correct, result.score.overall);
  }

  private async skip(client: LessonClient): Promise<void> {
    const step = this.requireOwnStep(client, undefined);
    await this.moveTo(nextLearnerStep(this.lesson.steps, step.index + 1, this.learnerRoles()));
  }

  private async hint(client: LessonClient): Promise<void> {
    const step = this.requireOwnStep(client, undefined);
    const progress = this.state.progress.get(client.auth.userId)!;
    const lessonStep = this.lesson.steps[step.index];
    progress.lastHint = lessonStep.hint
      ? `${lessonStep.hint} (${lessonStep.romanization})`
      : `${lessonStep.translation} — ${lessonStep.romanization}`;
    progress.hintsUsed += 1;
    await this.saveProgress(client.auth.userId);
  }

  private async tutorHint(client: LessonClient, payload: MessagePayload<"tutor-hint">): Promise<void> {
    const progress = this.requireLearner(payload.learnerId);
    progress.lastHint = payload.text;
    const learner = this.clientOf(payload.learnerId);
    learner?.send("tutor-hint", { from: client.auth.displayName, text: payload.text });
  }

  private async note(client: LessonClient, payload: MessagePayload<"note">): Promise<void> {
    const progress = this.requireLearner(payload.learnerId);
    await this.services.store.addTutorNote({
      sessionId: this.roomId, learnerId: payload.learnerId, tutorId: client.auth.userId, text: payload.text,
    });
    const note = new TutorNote({
      tutorId: client.auth.userId, tutorName: client.auth.displayName, text: payload.text, at: Date.now(),
    });
    progress.notes.push(note);
    for (const tutor of this.tutorClients()) revealToTutor(tutor, note);
  }

  private async grade(client: LessonClient, payload: MessagePayload<"grade">): Promise<void> {
    const attempt = this.state.attempts.find((candidate) => candidate.id === payload.attemptId);
    if (!attempt) throw new KotoError("ATTEMPT_NOT_FOUND", `no attempt "${payload.attemptId}" in this session`, 404);
    await this.services.store.gradeAttempt(attempt.id, { tutorId: client.auth.userId, score: payload.score, comment: payload.comment });
    attempt.tutorScore = payload.score;
    attempt.tutorComment = payload.comment;
    if (attempt.status === "awaiting-tutor") attempt.status = "scored";
    const progress = this.state.progress.get(attempt.learnerId);
    if (progress) {
      progress.bestScore = Math.max(progress.bestScore, payload.score);
      await this.saveProgress(attempt.learnerId);
    }
  }

  // ---- state changes ---------------------------------------------------------------------------

  /** Moves the conversation to `index` (a learner step, or the end) and persists everyone's progress. */
  private async moveTo(index: number): Promise<void> {
    if (this.state.phase !== "running") {
      throw new KotoError("SESSION_NOT_RUNNING", this.state.phase === "lobby" ? "start the lesson first" : "this session has ended");
    }
    this.state.currentStep = Math.min(Math.max(index, 0), this.state.steps.length);
    for (const progress of this.state.progress.values()) progress.currentStep = this.state.currentStep;
    if (this.state.currentStep >= this.state.steps.length) return this.finish(true);
    await Promise.all([
      this.services.store.updateSession(this.roomId, { phase: this.state.phase, currentStep: this.state.currentStep }),
      ...[...this.state.progress.keys()].map((learnerId) => this.saveProgress(learnerId)),
    ]);
  }

  private async finish(completed: boolean): Promise<void> {
    this.state.phase = "finished";
    await this.services.store.updateSession(this.roomId, { phase: "finished", currentStep: this.state.currentStep, ended: true });
    await Promise.all([...this.state.progress.keys()].map((learnerId) => this.saveProgress(learnerId, completed)));
    this.broadcast("session-ended", { completed });
  }

  private async saveProgress(learnerId: string, completed = false): Promise<void> {
    const progress = this.state.progress.get(learnerId);
    if (!progress) return;
    const lessonDone = completed || progress.completedSteps.length >= this.learnerStepCount(learnerId);
    await this.services.store.saveProgress({
      userId: learnerId, lessonId: this.lesson.id,
      currentStep: lessonDone ? 0 : progress.currentStep,
      completedSteps: [...progress.completedSteps].sort((a, b) => a - b),
      attemptsCount: progress.attemptsCount, bestScore: progress.bestScore, hintsUsed: progress.hintsUsed,
      completedAt: lessonDone ? new Date().toISOString() : null,
    });
  }

  /** Counts a finished attempt in the learner's progress; a correct answer to the current line moves the conversation on. */
  async completeAttempt(learnerId: string, attempt: Attempt, correct: boolean, score: number | null): Promise<void> {
    const progress = this.state.progress.get(learnerId);
    if (!progress) return void (await this.saveStoredProgress(learnerId, attempt, score));
    progress.attemptsCount += 1;
    if (score !== null) progress.bestScore = Math.max(progress.bestScore, score);
    if (correct) {
      if (!progress.completedSteps.includes(attempt.step)) progress.completedSteps.push(attempt.step);
      progress.lastHint = "";
    }
    if (correct && this.state.phase === "running" && this.state.currentStep === attempt.step) {
      return this.moveTo(nextLearnerStep(this.lesson.steps, attempt.step + 1, this.learnerRoles()));
    }
    await this.saveProgress(learnerId);
  }

  /** A learner who left before their spoken attempt was scored still gets it counted. */
  private async saveStoredProgress(learnerId: string, attempt: Attempt, score: number | null): Promise<void> {
    const saved = await this.services.store.getProgress(learnerId, this.lesson.id);
    await this.services.store.saveProgress({
      userId: learnerId, lessonId: this.lesson.id, currentStep: saved?.currentStep ?? attempt.step,
      completedSteps: saved?.completedSteps ?? [], attemptsCount: (saved?.attemptsCount ?? 0) + 1,
      bestScore: Math.max(saved?.bestScore ?? 0, score ?? 0), hintsUsed: saved?.hintsUsed ?? 0, completedAt: saved?.completedAt ?? null,
    });
  }

  applyEvaluation(attempt: Attempt, evaluation: Evaluation): void {
    attempt.status = evaluation.status;
    attempt.text = evaluation.transcript;
    if (evaluation.status !== "scored") {
      attempt.failureReason = evaluation.reason;
      return;
    }
    attempt.correct = evaluation.correct;
    attempt.overall = evaluation.score.overall;
    attempt.accuracy = evaluation.score.accuracy;
    attempt.completeness = evaluation.score.completeness;
    attempt.fluency = evaluation.score.fluency ?? -1;
    attempt.feedback = evaluation.feedback.tip;
    attempt.failureReason = "";
    setSyllables(attempt, evaluation.score.syllables);
  }

  setSpeaking(learnerId: string, speaking: boolean): void {
    const participant = this.state.participants.get(learnerId);
    if (participant) participant.speaking = speaking;
  }

  listenersOf(learnerId: string): Client[] {
    const pair = this.learners().length > 1;
    return (this.clients as unknown as LessonClient[]).filter((client) =>
      client.auth && client.auth.userId !== learnerId && (client.auth.role === "tutor" || pair));
  }

  sendError(client: Client, error: KotoError, type?: string): void {
    sendError(client, error, type);
  }

  sendToLearner(learnerId: string, type: string, payload: unknown): void {
    this.clientOf(learnerId)?.send(type, payload);
  }

  private receiveAudio(client: LessonClient, bytes: Uint8Array): void {
    try {
      this.speechTurns.receiveFrame(client, bytes);
    } catch (error) {
      this.logFailure("audio", error);
      sendError(client, new KotoError("INTERNAL", "the server could not take that audio frame"), "audio");
    }
  }

  private async reevaluate(payload: MessagePayload<"reevaluate">): Promise<void> {
    const attempt = this.state.attempts.find((candidate) => candidate.id === payload.attemptId);
    if (!attempt) throw new KotoError("ATTEMPT_NOT_FOUND", `no attempt "${payload.attemptId}" in this session`, 404);
    await this.speechTurns.reevaluate(attempt.id, attempt);
  }

  addAttemptToState(record: AttemptRecord): Attempt {
    const attempt = new Attempt({
      id: record.id, learnerId: record.learnerId, step: record.stepIndex, kind: record.kind, status: record.status,
      text: record.text, correct: record.correct, overall: record.overall ?? -1, accuracy: record.accuracy ?? -1,
      completeness: record.completeness ?? -1, fluency: record.fluency ?? -1, feedback: record.feedback ?? "",
      failureReason: record.failureReason ?? "", tutorScore: -1, createdAt: Date.parse(record.createdAt),
      evaluation: JSON.stringify(record.evaluation ?? {}),
    });
    setSyllables(attempt, record.syllables ?? []);
    this.state.attempts.push(attempt);
    for (const tutor of this.tutorClients()) tutor.view!.add(attempt);
    return attempt;
  }

  /** Lines of roles no learner holds are played by the server (partner lines). */
  private refreshServerPlayedSteps(): void {
    const roles = this.learnerRoles();
    for (const step of this.state.steps) step.playedByServer = !roles.includes(step.speaker as Role);
  }

  // ---- lookups -----------------------------------------------------------------------------------

  requireOwnStep(client: LessonClient, claimedStep: number | undefined): DialogueStep {
    if (this.state.phase !== "running") {
      throw new KotoError("SESSION_NOT_RUNNING", this.state.phase === "lobby" ? "start the lesson first" : "this session has ended");
    }
    const step = this.state.steps[this.state.currentStep];
    if (claimedStep !== undefined && claimedStep !== step.index) {
      throw new KotoError("STEP_MISMATCH", `the conversation is at step ${step.index}, not ${claimedStep}`, 409);
    }
    const participant = this.state.participants.get(client.auth.userId);
    if (!participant || participant.dialogueRole !== step.speaker) {
      throw new KotoError("NOT_YOUR_TURN", "it is your partner's turn to speak", 409);
    }
    return step;
  }

  private requireLearner(learnerId: string): LearnerProgress {
    const progress = this.state.progress.get(learnerId);
    if (!progress) throw new KotoError("LEARNER_NOT_FOUND", `no learner "${learnerId}" in this session`, 404);
    return progress;
  }

  private learners(): Participant[] {
    return [...this.state.participants.values()].filter((participant) => participant.role === "learner");
  }

  private learnerRoles(): Role[] {
    return this.learners().map((participant) => participant.dialogueRole as Role);
  }

  private learnerStepCount(learnerId: string): number {
    const role = this.state.participants.get(learnerId)?.dialogueRole;
    return this.lesson.steps.filter((step) => step.speaker === role).length;
  }

  private tutorClients(): LessonClient[] {
    return (this.clients as unknown as LessonClient[]).filter((client) => client.auth?.role === "tutor" && client.view);
  }

  private clientOf(userId: string): LessonClient | undefined {
    return (this.clients as unknown as LessonClient[]).find((client) => client.auth?.userId === userId);
  }

  private logFailure(what: string, error: unknown): void {
    this.services.logger.error({ err: error, roomId: this.roomId, what }, "lesson room failure");
  }
}

export function defineLessonRoom(services: LessonRoomServices): typeof LessonRoom {
  return class ConfiguredLessonRoom extends LessonRoom {
    protected services = services;
  };
}

function buildState(lesson: Lesson, maxLearners: number): LessonState {
  const state = new LessonState({ phase: "lobby", currentStep: 0, maxLearners });
  state.lesson = new LessonInfo({
    id: lesson.id, pack: lesson.pack, title: lesson.title, level: lesson.level, learnerLanguage: lesson.learnerLanguage,
  });
  for (const step of lesson.steps) {
    const synced = new DialogueStep({
      index: step.index, speaker: step.speaker, korean: step.korean, romanization: step.romanization,
      translation: step.translation, audioUrl: step.audioUrl ?? "", playedByServer: true,
    });
    synced.accepted.push(...step.accepted);
    state.steps.push(synced);
  }
  return state;
}

function setSyllables(attempt: Attempt, syllables: SyllableRecord[]): void {
  attempt.syllables.clear();
  for (const syllable of syllables) {
    attempt.syllables.push(new SyllableResult({
      index: syllable.index ?? -1, target: syllable.target, heard: syllable.heard, verdict: syllable.verdict,
      jamo: (syllable.jamo ?? []).map((pair) => `${pair.expected}>${pair.heard}`).join(","),
    }));
  }
}

function revealToTutor(tutor: LessonClient, ...objects: object[]): void {
  for (const object of objects) tutor.view!.add(object as never);
}

function sendError(client: Client, error: KotoError, type?: string): void {
  client.send("error", { ...error.toWire(), type: type ?? null });
}

/** Colyseus passes a ServerError's code and message to the joining client. */
function toServerError(error: unknown): ServerError {
  if (error instanceof ServerError) return error;
  // The code doubles as the HTTP status of the matchmaking response, so it must be a valid one.
  if (error instanceof KotoError) return new ServerError(error.status, error.message);
  return new ServerError(500, "INTERNAL: the server could not complete the request");
}
