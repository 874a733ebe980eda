/**
 * The lesson room: one conversational lesson session. Learners take dialogue roles and answer their
 * lines; the server plays the other role; tutors watch, guide and grade. Data flows one way: a client
 * message is validated, applied to the synchronized state and written through the store interface.
 */
import { randomUUID } from "node:crypto";
import { ClientState, CloseCode, Room, ServerError, type Client, type AuthContext } from "@colyseus/core";
import { StateView } from "@colyseus/schema";
import type { z } from "zod";
import {
  AccountInfo, DialogueStep, LearnerProgress, LessonInfo, LessonState, Participant, TutorNote,
} from "../../schema/index.ts";
import { exampleNameOf, type Lesson, type Role } from "../../server/content/lesson.ts";
import { KotoError } from "../../server/errors.ts";
import { toMatchmakingError } from "../../protocol/matchmaking.ts";
import type { ErrorCode } from "../../protocol/error-codes.ts";
import { authenticate } from "../../server/auth/authenticate.ts";
import type { TokenClaims } from "../../server/auth/token-service.ts";
import { checkTypedAnswer } from "../../server/speech/scoring/index.ts";
import type { ProgressCounts, ProgressWrite, UserRecord } from "../../server/store/store.ts";
import { AttemptLedger } from "../../server/attempts/attempt-ledger.ts";
import { attemptPasses, newAttempt, settledOutcome, type AttemptResult, type TutorGrade } from "../../server/attempts/attempt.ts";
import type { LessonRoomServices } from "./services.ts";
import {
  createOptionsSchema, describeIssues, joinOptionsSchema, learnerMessages, tutorMessages,
  type LearnerMessageType, type MessagePayload, type TutorMessageType,
} from "./messages.ts";
import { chooseDialogueRole, nextLearnerStep, previousLearnerStep, resumeStep } from "./lesson-flow.ts";
import { SpokenTurns, type SpokenTurnsRoom } from "./spoken-turns.ts";
import { evaluateAgain, keepsPreviousResult, keptSamples, previousResult, previousResultKept } from "../../server/attempts/evaluation-result.ts";
import { LearnerQueue } from "./learner-queue.ts";
import { ANSWER_MAX_CHARACTERS } from "../../protocol/limits.ts";
import { fillNameSlot, romanizationWithName } from "../../server/content/name-slot.ts";
import { whileStoreDown } from "../../server/store/store-retry.ts";
import type { AttemptOwner } from "../../server/attempts/attempt-service.ts";
import { resumeSession, type RestoredSession } from "./session-restore.ts";
import { drainSession, settledBefore } from "./session-drain.ts";
import { MessageBudget } from "./message-budget.ts";
import { COUNTED_ONLY, countedAsColyseusDoes, screenMessage } from "./message-screen.ts";
import { ErrorThrottle } from "./error-throttle.ts";
import { UsageLimitError } from "../../server/speech/limits/usage-limits.ts";
import { outcomeOf, type RemoteOutcome } from "../../server/cluster/remote-outcome.ts";
import { progressAfterResult, progressWrite, type ProgressFields } from "../../server/progress/progress.ts";
import { bytesMessage, bytesMessageBody } from "../../server/transport/bytes-message.ts";
import { BYTES_MESSAGES } from "../../protocol/audio-frames.ts";

export interface LessonClientAuth extends TokenClaims {
  user: UserRecord;
}

type LessonClient = Client & { auth: LessonClientAuth };

/** Tutors do not take learner seats, but a room still has a ceiling. */
const MAX_TUTORS_PER_ROOM = 8;
/**
 * Colyseus closes a connection that sends more than this in one second (see onCreate): far above a
 * speaker's 50–100 frames a second, or a recording sent faster than real time in one go (the audio
 * byte budget refuses most of that first), and far below a flood.
 */
export const MAX_FRAMES_AND_MESSAGES_PER_SECOND = 2000;

/**
 * How long a joined socket may take to acknowledge its join. Until it does, Colyseus queues everything
 * sent to it in memory, without bound: a client that never acknowledged (and was answered message
 * after message) took a process from 217 MB to 5.7 GB in 95 s. Real clients acknowledge at once.
 */
export const JOIN_ACKNOWLEDGE_MS = 10_000;
/**
 * While the process drains (the session moves to another), only what finishes an answer or writes
 * nothing is taken: anything else would keep the write queue, and so the process, from ever stopping.
 */
const ALLOWED_WHILE_DRAINING: ReadonlySet<string> = new Set(["utterance-close", "tutor-hint"]);

/** The write queue's key for the session row (never a learner id: those are UUIDs). */
const SESSION_ROW = "(session)";

export class LessonRoom extends Room<{ state: LessonState }> implements SpokenTurnsRoom, AttemptOwner {
  /** Set by `defineLessonRoom`; one set of services per server. */
  protected services!: LessonRoomServices;
  lesson!: Lesson;
  private spokenTurns!: SpokenTurns;
  private attempts!: AttemptLedger;
  /** Progress and attempt writes, one learner at a time; awaited before the session closes. */
  private readonly writes = new LearnerQueue();
  /** Per learner, the progress counts the store held after this room's last read or write of the row. */
  private readonly storedCounts = new Map<string, ProgressCounts>();
  /** Each learner's dialogue role, kept after they leave: completion is judged against that role's lines. */
  private readonly roles = new Map<string, Role>();
  /**
   * Which connection holds each user's seat. A second tab refused as ALREADY_IN_ROOM still gets an
   * onLeave from Colyseus; without this it would free the seat of the connection already there.
   */
  private readonly seats = new Map<string, string>();
  /** onCreate ran to its end (Colyseus disposes a room whose onCreate threw, too). */
  private created = false;
  /** Set when this room resumed a session a stopped process held (session-restore.ts). */
  private restored: RestoredSession | null = null;
  /** The process is stopping: the session moves to another process (session-drain.ts). */
  private draining = false;
  private readonly budget = new MessageBudget();
  /** A flood over the message budget is told RATE_LIMITED once a second, not once per message. */
  private readonly rateLimitErrors = new ErrorThrottle();
  /** When a draining room stops waiting for the store (writes still failing then are given up, and logged). */
  private drainDeadline = Number.POSITIVE_INFINITY;
  /** Aborted at the drain deadline: writes retrying while Postgres is down stop, so a late write cannot land behind a resumed session. */
  private readonly givingUp = new AbortController();
  /** Writes given up at the drain deadline because the store still refused them: never stored, and logged so. */
  private readonly unstored: { what: string; code: string }[] = [];

  private get passMark(): number {
    return this.services.config.passMark;
  }

  /**
   * The last line of defence: an error no handler caught is logged and the room carries on. Colyseus
   * wraps every message handler, timer and lifecycle hook with this when it is defined.
   */
  onUncaughtException(error: unknown, methodName: string): void {
    // A refusal this room made on purpose (ALREADY_IN_ROOM, LESSON_NOT_FOUND, …) reaches here too, wrapped
    // by Colyseus: the client has its code, and a client sending such requests must not flood the error log.
    const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
    if (cause instanceof ServerError) {
      this.services.logger.info({ roomId: this.roomId, methodName, refusal: cause.message }, "a join or room creation was refused");
      return;
    }
    this.services.logger.error({ err: error, roomId: this.roomId, methodName }, "uncaught error in a lesson room");
  }

  async onAuth(_client: Client, options: unknown, context: AuthContext): Promise<LessonClientAuth> {
    const token = (options as { token?: unknown } | undefined)?.token ?? context.token;
    try {
      return await authenticate(this.services.tokens, this.services.store, token);
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
    if (parsed.data.resume) {
      this.restored = await resumeSession(this.services, this.presence, parsed.data.resume, lesson).catch((error) => { throw toServerError(error); });
      this.roomId = this.restored.sessionId;
    }
    const { config } = this.services;
    this.maxClients = config.maxLearnersPerRoom + MAX_TUTORS_PER_ROOM;
    // The backstop for a flood of any kind, audio frames included (50–100 a second while speaking): the
    // connection is closed. Below it, messages and typed answers have budgets of their own (message-budget.ts).
    this.maxMessagesPerSecond = MAX_FRAMES_AND_MESSAGES_PER_SECOND;
    this.patchRate = config.patchRateMs;
    this.state = buildState(lesson, config.maxLearnersPerRoom, this.services.speech.sttProvider !== "none");
    this.restored?.applyTo(this.state);
    for (const [learnerId, role] of this.restored?.roles ?? []) this.roles.set(learnerId, role);
    this.setMetadata({ lessonId: lesson.id, title: lesson.title, pack: lesson.pack });
    // A lesson is joined only by its id (a partner or tutor it was shared with): listed publicly,
    // `join`/`joinOrCreate` seated any learner in a stranger's lesson, hearing their microphone.
    await this.setPrivate(true);
    // A store outage refuses the room with its code (STORE_UNAVAILABLE), not a seat reservation that expires.
    await this.services.store.startSession({ id: this.roomId, lessonId: lesson.id, phase: "lobby" }).catch((error) => {
      throw toServerError(error);
    });

    for (const type of Object.keys(learnerMessages) as LearnerMessageType[]) {
      this.onMessage(type, (client, payload) => this.dispatch(client as LessonClient, "learner", type, payload));
    }
    for (const type of Object.keys(tutorMessages) as TutorMessageType[]) {
      this.onMessage(type, (client, payload) => this.dispatch(client as LessonClient, "tutor", type, payload));
    }
    this.attempts = new AttemptLedger({
      store: this.services.store, attempts: this.state.attempts, passMark: this.passMark,
      reveal: (attempt) => { for (const tutor of this.tutorClients()) tutor.view!.add(attempt); },
    });
    for (const record of this.restored?.attempts ?? []) this.attempts.show(record);
    this.spokenTurns = new SpokenTurns(this, this.attempts, this.services.speech, this.services.logger);
    this.onMessageBytes(BYTES_MESSAGES.audio, (client, bytes: unknown) => this.receiveAudio(client as LessonClient, bytes));
    // The type of an unknown message is whatever the client sent (a string, a number, or — for a
    // message literally named "*" — its payload): describe it without trusting it.
    this.onMessage("*", (client, type) => {
      this.refuseCharged(client, typeName(type) ?? null, new KotoError("MESSAGE_UNKNOWN", `unknown message type ${describeType(type)}`));
    });
    this.screenMessages();
    this.created = true;
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
    if (auth.role === "learner") {
      try {
        this.services.openLessons.seat(auth.userId, this.roomId);
      } catch (error) {
        throw toServerError(error);
      }
    }
    this.seats.set(auth.userId, client.sessionId);

    client.view = new StateView();
    this.expectAcknowledgement(client);
    if (auth.role === "learner") return this.seatLearner(client, participant);
    this.seatTutor(client, participant);
  }

  onDrop(client: LessonClient): void {
    if (!this.holdsSeat(client)) return;
    this.spokenTurns.learnerGone(client.auth.userId, client.sessionId);
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
    this.expectAcknowledgement(client);
    const participant = this.state.participants.get(client.auth.userId);
    if (participant) participant.connected = true;
  }

  /** A (re)joined socket that does not acknowledge within JOIN_ACKNOWLEDGE_MS is closed. */
  private expectAcknowledgement(client: LessonClient): void {
    this.clock.setTimeout(() => {
      if (client.state === ClientState.JOINING) client.leave(CloseCode.WITH_ERROR, "the join was not acknowledged");
    }, JOIN_ACKNOWLEDGE_MS);
  }

  async onLeave(client: LessonClient): Promise<void> {
    this.budget.forget(client.sessionId);
    this.rateLimitErrors.forget(client.sessionId);
    if (!this.holdsSeat(client)) return;
    const { userId, role } = client.auth;
    this.seats.delete(userId);
    this.services.openLessons.leave(userId, this.roomId);
    const participant = this.state.participants.get(userId);
    if (!participant) return;
    this.spokenTurns.learnerGone(userId, client.sessionId);
    // Queued, not awaited: while Postgres is down the write waits for it, the learner's seat does not.
    if (role === "learner") this.saveProgress(userId).catch((error) => this.logFailure("leave", error));
    this.state.participants.delete(userId);
    if (role === "learner") this.refreshServerPlayedSteps();
  }

  /** Whether this connection is the one seated for its user (not a second tab refused as ALREADY_IN_ROOM). */
  private holdsSeat(client: LessonClient): boolean {
    return this.seats.get(client.auth.userId) === client.sessionId;
  }

  /** The process is stopping: the session moves to another process (see session-drain.ts). */
  onBeforeShutdown(): void {
    this.draining = true;
    const { drainDeadlineMs, resumeWindowSeconds } = this.services.config;
    this.drainDeadline = Date.now() + drainDeadlineMs;
    drainSession({
      roomId: this.roomId,
      broadcast: (type, message) => this.broadcast(type, message),
      openUtterances: () => this.spokenTurns.openCount,
      settleSpeech: () => this.spokenTurns.settle(),
      settleWrites: () => this.settleWrites(),
      disconnect: (code) => this.disconnect(code),
    }, { deadlineMs: drainDeadlineMs, resumeWithinMs: Math.min(resumeWindowSeconds * 1000, 30_000) }, this.services.logger)
      .catch((error) => this.logFailure("drain", error));
  }

  async onDispose(): Promise<void> {
    for (const userId of this.seats.keys()) this.services.openLessons.leave(userId, this.roomId);
    // A room refused at creation (unknown lesson, bad options) has no session to settle or save.
    if (!this.created) return;
    // Attempts being evaluated finish and are stored, and every accepted write lands, before the session
    // closes (a draining room waits for the store up to its deadline only).
    await this.spokenTurns.settle();
    await this.settleWrites();
    // A drained session stays open: it resumes on another process (from the last stored step when writes were given up).
    if (this.unstored.length === 0) {
      await this.saveSession(!this.draining).catch((error) => this.logFailure("closing the session", error));
    }
    this.services.onRoomDisposed?.(this);
  }

  /**
   * Waits for every write the room accepted. While the process drains, retries stop at the drain
   * deadline: a write already running still finishes, but one the store keeps refusing is given up,
   * and the log says exactly what is not stored (the session resumes from the last stored step);
   * nothing claims it was kept.
   */
  private async settleWrites(): Promise<void> {
    if (!this.draining) return this.writes.settle();
    const settled = await settledBefore(this.writes.settle(), this.drainDeadline);
    if (settled || this.givingUp.signal.aborted) return;
    this.givingUp.abort();
    await this.writes.settle();
    if (this.unstored.length === 0) return;
    this.services.logger.error({
      roomId: this.roomId, currentStep: this.state.currentStep, unstored: this.unstored,
      learners: [...this.state.progress.values()].map((progress) => ({ learnerId: progress.learnerId, currentStep: progress.currentStep })),
    }, "drain deadline passed while the store was unavailable: these steps and progress are NOT stored; the session resumes from the last stored step");
  }

  // ---- joining ---------------------------------------------------------------------------------

  private async seatLearner(client: LessonClient, participant: Participant): Promise<void> {
    const learners = this.learners();
    const role = learners.length < this.state.maxLearners
      ? chooseDialogueRole(learners.map((p) => p.dialogueRole as Role), this.lesson.learnerRole, this.roles.get(participant.id))
      : null;
    if (role === null) {
      throw toServerError(new KotoError("ROOM_FULL", `this session already has ${this.state.maxLearners} learner(s)`, 409));
    }
    participant.dialogueRole = role;
    this.roles.set(participant.id, role);
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
    this.storedCounts.set(participant.id, { attempts: progress.attemptsCount, hints: progress.hintsUsed });
    this.restored?.addNotes(progress);
    this.restored?.addHint(progress, this.state.currentStep);
    this.state.progress.set(participant.id, progress);
    // A learner alone in the lobby picks up where they stopped last time.
    if (this.state.phase === "lobby" && this.learners().length === 1) {
      this.state.currentStep = resumeStep(saved, this.state.steps.length);
      progress.currentStep = this.state.currentStep;
    }
    for (const tutor of this.tutorClients()) revealToTutor(tutor, participant, progress, ...progress.notes);
    this.refreshServerPlayedSteps();
    await this.services.store.addParticipant(this.roomId, participant.id, "learner", role);
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
    // Before its join is acknowledged a client is sent nothing (it would be queued, see JOIN_ACKNOWLEDGE_MS), so it is heard nothing.
    if (client.state !== ClientState.JOINED) return;
    try {
      // Every message is charged, a refused one too: a flood of invalid messages is still a flood.
      this.budget.admitMessage(client.sessionId);
      if (client.auth.role !== audience) {
        throw new KotoError("ROLE_FORBIDDEN", `only a ${audience} may send "${type}"`, 403);
      }
      const schema = (audience === "learner" ? learnerMessages : tutorMessages)[type as never] as z.ZodType;
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw invalidMessage(type, parsed.error);
      if (this.draining && !ALLOWED_WHILE_DRAINING.has(type)) {
        throw new KotoError("SERVER_DRAINING", "the server is moving this lesson to another; send it again in a moment", 503);
      }
      await this.handle(client, type as LearnerMessageType | TutorMessageType, parsed.data);
    } catch (error) {
      this.refuse(client, error, type);
    }
  }

  /** A message refused before its handler: charged like any other (a flood of refused messages is still a flood). */
  private refuseCharged(client: Client, type: string | null, error: KotoError): void {
    if (client.state !== ClientState.JOINED) return;
    try {
      this.budget.admitMessage(client.sessionId);
      throw error;
    } catch (refused) {
      this.refuse(client, refused, type);
    }
  }

  /**
   * Messages Colyseus would mishandle are refused before it reads them (message-screen.ts): too large,
   * not MessagePack, or a request. `_onMessage` is private in Colyseus' types and bound per client at
   * join, so this room's own is wrapped; the stand-in passed on keeps Colyseus' flood close counting.
   */
  private screenMessages(): void {
    const room = this as unknown as { _onMessage(client: Client, buffer: Uint8Array): void };
    const receive = room._onMessage;
    room._onMessage = (client, buffer) => {
      // A learner's audio frame (50 a second from every speaker) goes to its handler directly: Colyseus'
      // dispatch decodes the type's name, formats a debug line and spreads the arguments through two
      // layers for each one (docs/capacity.md §4.22). It counts toward the flood close all the same;
      // one over the ceiling, or from a client not joined yet, takes Colyseus' path.
      const audio = buffer && client.state === ClientState.JOINED ? bytesMessageBody(buffer, BYTES_MESSAGES.audio) : null;
      if (audio && countedAsColyseusDoes(client, this.clock.currentTime, this.maxMessagesPerSecond)) {
        return this.receiveAudio(client as LessonClient, audio);
      }
      const refused = buffer ? screenMessage(buffer) : null;
      if (!refused) return receive.call(this, client, buffer);
      receive.call(this, client, COUNTED_ONLY);
      this.refuseCharged(client, refused.type, refused.error);
    };
  }

  /** The error a message earned, to its sender: rate limits at most once a second, anything unexpected logged as INTERNAL. */
  private refuse(client: Client, error: unknown, type: string | null): void {
    if (error instanceof UsageLimitError && error.code === "RATE_LIMITED") return this.rateLimitErrors.send(client, error, type);
    if (error instanceof KotoError) return sendError(client, error, type ?? undefined);
    this.logFailure(type ?? "message", error);
    sendError(client, new KotoError("INTERNAL", "the server could not handle that message; try again"), type ?? undefined);
  }

  private async handle(client: LessonClient, type: LearnerMessageType | TutorMessageType, payload: any): Promise<void> {
    switch (type) {
      case "start": return this.start();
      case "answer": return this.answer(client, payload as MessagePayload<"answer">);
      case "next": return this.skip(client);
      case "hint": return this.hint(client);
      case "advance":
      case "back":
        await this.moveTo(type === "advance"
          ? nextLearnerStep(this.lesson.steps, this.state.currentStep + 1, this.learnerRoles())
          : previousLearnerStep(this.lesson.steps, this.state.currentStep, this.learnerRoles()));
        // Learners see the line change under them: tell them a tutor did it.
        this.broadcast("tutor-moved", { by: client.auth.displayName, step: this.state.currentStep, direction: type });
        return;
      case "tutor-hint": return this.tutorHint(client, payload as MessagePayload<"tutor-hint">);
      case "note": return this.note(client, payload as MessagePayload<"note">);
      case "grade": {
        const { attemptId, score, comment } = payload as MessagePayload<"grade">;
        return this.gradeAttempt(attemptId, { tutorId: client.auth.userId, score, comment });
      }
      case "end": return this.finish(false);
      case "utterance-open": return this.spokenTurns.openUtterance(client, payload as MessagePayload<"utterance-open">);
      case "utterance-close": return this.spokenTurns.closeUtterance(client);
      case "reevaluate": return this.reevaluateAttempt(payload.attemptId);
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
    const learnerId = client.auth.userId;
    this.budget.admitTypedAnswer(learnerId);
    const result = checkTypedAnswer([...step.accepted], payload.text, exampleNameOf(this.lesson));
    const attempt = newAttempt({
      id: payload.attemptId ?? randomUUID(), sessionId: this.roomId, learnerId, lessonId: this.lesson.id,
      stepIndex: step.index, kind: "typed", status: "scored", text: payload.text, correct: result.correct,
      overall: result.score.overall, accuracy: result.score.accuracy, completeness: result.score.completeness,
      fluency: result.score.fluency, syllables: result.score.syllables, evaluation: { matched: result.matched, engine: "typed" },
    });
    const advance = await this.writes.run(learnerId, async () => {
      const { progress, nextStep } = this.progressWith(learnerId, { ...attempt, tutorScore: null }, true);
      // The attempt and the progress it earned are one transaction, committed before the learner hears "accepted".
      const row = progress ? this.rowFor(learnerId, progress) : undefined;
      const { inserted } = await this.attempts.create(attempt, row);
      if (inserted) this.stored(row);
      client.send("attempt-accepted", { attemptId: attempt.id, duplicate: !inserted });
      if (!inserted || !progress) return null;
      this.applyProgress(learnerId, progress);
      return nextStep;
    });
    if (advance !== null) await this.moveTo(advance);
  }

  private async skip(client: LessonClient): Promise<void> {
    const step = this.requireOwnStep(client, undefined);
    await this.moveTo(nextLearnerStep(this.lesson.steps, step.index + 1, this.learnerRoles()));
  }

  private async hint(client: LessonClient): Promise<void> {
    const step = this.requireOwnStep(client, undefined);
    const progress = this.state.progress.get(client.auth.userId)!;
    const lessonStep = this.lesson.steps[step.index];
    // The learner's own name where the line has its slot, as everywhere else they read the line.
    const name = client.auth.displayName;
    const romanization = romanizationWithName(lessonStep.romanization, name);
    progress.lastHint = lessonStep.hint
      ? `${fillNameSlot(lessonStep.hint, name)} (${romanization})`
      : `${fillNameSlot(lessonStep.translation, name)} — ${romanization}`;
    progress.hintsUsed += 1;
    await Promise.all([this.saveProgress(client.auth.userId), this.saveHint(client.auth.userId, progress.lastHint, step.index)]);
  }

  private async tutorHint(client: LessonClient, payload: MessagePayload<"tutor-hint">): Promise<void> {
    const progress = this.requireLearner(payload.learnerId);
    progress.lastHint = payload.text;
    const learner = this.clientOf(payload.learnerId);
    learner?.send("tutor-hint", { from: client.auth.displayName, text: payload.text });
    await this.saveHint(payload.learnerId, payload.text, this.state.currentStep);
  }

  /** Keeps a learner's latest hint with the line it was given on, so a resumed session shows it again. */
  private saveHint(learnerId: string, text: string, step: number): Promise<void> {
    return this.writes.run(learnerId, () => this.persist("hint", () => this.services.store.saveHint(this.roomId, { learnerId, text, step })));
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

  /** A tutor's grade (in the session, or over HTTP from the dashboard): the attempt is scored, and a pass moves the lesson on. */
  async gradeAttempt(attemptId: string, grade: TutorGrade): Promise<void> {
    const attempt = this.attempts.require(attemptId);
    const advance = await this.writes.run(attempt.learnerId, async () => {
      const before = this.attempts.require(attemptId);
      const graded = { ...before, tutorScore: grade.score };
      const { progress, nextStep } = this.progressWith(before.learnerId, graded, false);
      const row = progress ? this.rowFor(before.learnerId, progress) : undefined;
      await this.attempts.move(before.id, "scored", {
        tutorId: grade.tutorId, tutorScore: grade.score, tutorComment: grade.comment,
      }, row);
      this.stored(row);
      if (progress) this.applyProgress(before.learnerId, progress);
      return nextStep;
    });
    if (advance !== null) await this.moveTo(advance);
  }

  /** The same, asked from another process over Redis (POST /api/attempts/:id/grade there). */
  gradeAttemptRemotely(attemptId: string, grade: TutorGrade): Promise<RemoteOutcome<null>> {
    return outcomeOf(async () => { await this.gradeAttempt(attemptId, grade); return null; }, (error) => this.logFailure("grade", error));
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
    // The state moves now; the rows follow (while Postgres is down they are written once it answers).
    await Promise.all([this.saveSession(), ...[...this.state.progress.keys()].map((learnerId) => this.saveProgress(learnerId))]);
  }

  private async finish(completed: boolean): Promise<void> {
    this.state.phase = "finished";
    // Told once the rows are stored (during a database outage, when it answers again; the state says "finished" at once).
    await Promise.all([this.saveSession(true), ...[...this.state.progress.keys()].map((learnerId) => this.saveProgress(learnerId, completed))]);
    this.broadcast("session-ended", { completed });
  }

  /** Queues a write of the session row (phase, step) as it stands when the write runs, retried while the store is down. */
  private saveSession(ended = false): Promise<void> {
    return this.writes.run(SESSION_ROW, () => this.persist("session", () => this.services.store.updateSession(this.roomId, {
      phase: this.state.phase, currentStep: this.state.currentStep, ended,
    })));
  }

  /**
   * Queues a write of the learner's progress as it stands when the write runs (in order with their
   * other writes), retried while the store is down.
   */
  private saveProgress(learnerId: string, finished = false): Promise<void> {
    return this.writes.run(learnerId, () => this.persist("progress", async () => {
      const progress = this.state.progress.get(learnerId);
      if (!progress) return;
      const row = this.rowFor(learnerId, fieldsOf(progress), finished);
      await this.services.store.saveProgress(row);
      this.stored(row);
    }));
  }

  /** The row to write, carrying the counts this room last read or wrote so the store adds only what it counted since. */
  private rowFor(learnerId: string, fields: ProgressFields, finished = false): ProgressWrite {
    const countedFrom = this.storedCounts.get(learnerId) ?? { attempts: 0, hints: 0 };
    return progressWrite(learnerId, this.lesson.id, fields, this.learnerSteps(learnerId), { finished, countedFrom });
  }

  /** After a progress row was committed: what the store now holds of this room's counting. */
  private stored(row: ProgressWrite | undefined): void {
    if (row) this.storedCounts.set(row.userId, { attempts: row.attemptsCount, hints: row.hintsUsed });
  }

  /**
   * The learner's progress after a settled attempt (or null when the learner has no progress in this
   * session), and the step to move the conversation to when a pass answered the current line.
   */
  private progressWith(learnerId: string, attempt: Parameters<typeof progressAfterResult>[1], firstResult: boolean):
    { progress: ProgressFields | null; nextStep: number | null } {
    const current = this.state.progress.get(learnerId);
    if (!current) return { progress: null, nextStep: null };
    const passes = attemptPasses(attempt, this.passMark);
    const movesOn = passes && this.state.phase === "running" && this.state.currentStep === attempt.stepIndex;
    // The learner's own role counts even after they left, so their next line is theirs, not "the end".
    const role = this.roles.get(learnerId);
    const roles = role && !this.learnerRoles().includes(role) ? [...this.learnerRoles(), role] : this.learnerRoles();
    const nextStep = movesOn ? nextLearnerStep(this.lesson.steps, attempt.stepIndex + 1, roles) : null;
    const progress = progressAfterResult(fieldsOf(current), attempt, {
      firstResult, passMark: this.passMark, nextStep: nextStep !== null ? Math.min(nextStep, this.state.steps.length) : undefined,
    });
    // The conversation moves on only for a learner still in it; one who left resumes at their next line.
    const present = this.state.participants.has(learnerId);
    return { progress, nextStep: present ? nextStep : null };
  }

  /** Shows what an attempt changed (only those fields: a hint counted meanwhile stays counted). */
  private applyProgress(learnerId: string, fields: ProgressFields): void {
    const progress = this.state.progress.get(learnerId);
    if (!progress) return;
    progress.attemptsCount = fields.attemptsCount;
    progress.bestScore = fields.bestScore;
    for (const step of fields.completedSteps) {
      if (!progress.completedSteps.includes(step)) {
        progress.completedSteps.push(step);
        progress.lastHint = "";
      }
    }
  }

  // ---- spoken attempts (SpokenTurnsRoom) -----------------------------------------------------------

  /**
   * The utterance ended with speech: the attempt is evaluating from now on, shown at once (its audio is
   * kept and evaluated in parallel). Written with the recording's row instead, it showed only once the
   * WAV was on disk, often in the same patch as the score, and the learner never saw "checking".
   */
  startEvaluating(attemptId: string): Promise<void> {
    const record = this.attempts.require(attemptId);
    return this.track(this.writes.run(record.learnerId, async () => { await this.persist("attempt", () => this.attempts.move(attemptId, "evaluating")); }));
  }

  /** Settles an attempt's first or repeated result: one transaction with the progress it earned, then maybe on to the next line. */
  settle(attemptId: string, outcome: "scored" | "failed" | "awaiting-tutor", evaluated: AttemptResult): Promise<void> {
    const record = this.attempts.require(attemptId);
    return this.track((async () => {
      const advance = await this.writes.run(record.learnerId, async () => {
        const before = this.attempts.require(attemptId);
        // A tutor's grade stands through a re-evaluation (settledOutcome).
        const { to, result } = settledOutcome(before, outcome, evaluated);
        // An attempt counts once, at its first result; `counted` is stored with it so a re-evaluation after a restart knows.
        const firstResult = before.evaluation?.["counted"] !== true;
        const settled = { ...result, evaluation: { ...(before.evaluation ?? {}), ...(result.evaluation ?? {}), counted: true } };
        const candidate = { ...before, ...settled, tutorScore: before.tutorScore };
        const { progress, nextStep } = to === "scored"
          ? this.progressWith(before.learnerId, candidate, firstResult)
          : { progress: firstResult ? this.countOnly(before.learnerId) : null, nextStep: null };
        await this.persist("attempt", async () => {
          const row = progress ? this.rowFor(before.learnerId, progress) : undefined;
          await this.attempts.move(attemptId, to, settled, row);
          this.stored(row);
        });
        if (progress) this.applyProgress(before.learnerId, progress);
        return nextStep;
      });
      if (advance !== null && this.state.phase === "running") await this.moveTo(advance);
    })());
  }

  /**
   * A result the learner is waiting for, or a step the lesson already moved to, survives a database
   * outage: written once the store answers again (until the drain deadline, when the process stops).
   */
  private persist<T>(what: "attempt" | "progress" | "session" | "hint", write: () => Promise<T>): Promise<T> {
    const given = (error: unknown) => {
      if (this.givingUp.signal.aborted && error instanceof KotoError && error.code === "STORE_UNAVAILABLE") this.unstored.push({ what, code: error.code });
      throw error;
    };
    return whileStoreDown(write, {
      signal: this.givingUp.signal,
      onRetry: (error, attempt) => {
        // The first retry and then every fifth: an outage is visible without a line per back-off step.
        if (attempt === 1 || attempt % 5 === 0) {
          this.services.logger.warn({ roomId: this.roomId, what, attempt, code: error.code, reason: String((error.cause as Error | undefined)?.message ?? "") }, `store down; will write the ${what} again`);
        }
      },
    }).catch(given);
  }

  /** A failed first result still counts as an attempt. */
  private countOnly(learnerId: string): ProgressFields | null {
    const current = this.state.progress.get(learnerId);
    return current ? { ...fieldsOf(current), attemptsCount: current.attemptsCount + 1 } : null;
  }

  /** Runs a kept recording through evaluation again (a tutor's request, or the automatic retry after an outage). */
  async reevaluateAttempt(attemptId: string, how: { automatic?: boolean } = {}): Promise<void> {
    const record = this.attempts.require(attemptId);
    if (record.kind !== "spoken") throw new KotoError("ATTEMPT_NOT_SPOKEN", "only spoken attempts can be evaluated again");
    const samples = await keptSamples(this.services.speech, attemptId);
    const previous = await this.writes.run(record.learnerId, async () => {
      const current = this.attempts.require(attemptId);
      await this.attempts.move(attemptId, "evaluating", { retries: current.retries + (how.automatic ? 1 : 0) });
      return current;
    });
    const outcome = await evaluateAgain(this.services.speech, record, this.lesson, samples);
    if (keepsPreviousResult(previous, outcome)) {
      await this.track(this.writes.run(record.learnerId, () => this.persist("attempt", () => this.attempts.move(attemptId, previous.status, previousResult(previous)))));
      throw previousResultKept(outcome);
    }
    await this.settle(attemptId, outcome.status, outcome.result);
  }

  /**
   * The same, asked from another process over Redis (POST /api/attempts/:id/reevaluate there): the
   * answer carries the error code, never a rejection Colyseus would turn into "timed out".
   */
  reevaluateAttemptRemotely(attemptId: string, how: { automatic?: boolean } = {}): Promise<RemoteOutcome<null>> {
    return outcomeOf(async () => { await this.reevaluateAttempt(attemptId, how); return null; }, (error) => this.logFailure("reevaluate", error));
  }

  setSpeaking(learnerId: string, speaking: boolean): void {
    const participant = this.state.participants.get(learnerId);
    if (participant) participant.speaking = speaking;
  }

  toListeners(from: Client, type: string, message: object): void {
    if (this.clients.length < 2) return;
    this.broadcast(type, message, { except: from });
  }

  bytesToListeners(from: Client, type: string, ...parts: Uint8Array[]): void {
    if (this.clients.length < 2) return;
    // Every audio frame of every speaker comes here: one message built for all listeners (bytes-message.ts)
    // instead of broadcastBytes' copies, `except` list and debug line. enqueueRaw holds it for a client
    // still joining, as broadcastBytes does.
    const wire = bytesMessage(type, ...parts);
    for (const client of this.clients) if (client !== from) client.enqueueRaw(wire);
  }

  private receiveAudio(client: LessonClient, bytes: unknown): void {
    if (client.state !== ClientState.JOINED) return;
    try {
      this.spokenTurns.receiveFrame(client, bytes);
    } catch (error) {
      this.logFailure("audio", error);
      sendError(client, new KotoError("INTERNAL", "the server could not take that audio frame"), "audio");
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.writes.track(work);
    work.catch((error) => this.logFailure("attempt", error));
    return work;
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

  /** The indices of the lines the learner's dialogue role says (none when the role is unknown: never "completed" then). */
  private learnerSteps(learnerId: string): number[] {
    const role = this.roles.get(learnerId);
    return role ? this.lesson.steps.filter((step) => step.speaker === role).map((step) => step.index) : [];
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

function buildState(lesson: Lesson, maxLearners: number, automaticScoring: boolean): LessonState {
  const state = new LessonState({ phase: "lobby", currentStep: 0, maxLearners });
  state.lesson = new LessonInfo({
    id: lesson.id, pack: lesson.pack, title: lesson.title, level: lesson.level, learnerLanguage: lesson.learnerLanguage,
    automaticScoring,
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

function fieldsOf(progress: LearnerProgress): ProgressFields {
  return {
    currentStep: progress.currentStep, completedSteps: [...progress.completedSteps], attemptsCount: progress.attemptsCount,
    bestScore: progress.bestScore, hintsUsed: progress.hintsUsed,
  };
}

/** A client-chosen message type, described without calling anything on it. */
function describeType(type: unknown): string {
  if (typeof type === "string") return JSON.stringify(type.slice(0, 64));
  if (typeof type === "number") return String(type);
  return `of kind ${typeof type}`;
}

/** The type to echo in the error: the client's own name for it (bounded), null when it sent no name. */
function typeName(type: unknown): string | undefined {
  if (typeof type === "string") return type.slice(0, 64);
  if (typeof type === "number") return String(type);
  return undefined;
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
  const refusal = error instanceof KotoError
    ? toMatchmakingError(error.code as ErrorCode, error.detail, error.status)
    : toMatchmakingError("INTERNAL", "the server could not complete the request", 500);
  return new ServerError(refusal.code, refusal.message);
}

/**
 * A payload its schema refused: MESSAGE_INVALID ("the app sent something the server did not understand"),
 * except a typed answer that is only too long, which the learner can fix: ANSWER_TOO_LONG.
 */
function invalidMessage(type: string, error: z.ZodError): KotoError {
  if (type === "answer" && error.issues.every((issue) => issue.code === "too_big" && issue.path[0] === "text")) {
    return new KotoError("ANSWER_TOO_LONG", `a typed answer is at most ${ANSWER_MAX_CHARACTERS} characters; type only the line`);
  }
  return new KotoError("MESSAGE_INVALID", `"${type}": ${describeIssues(error)}`);
}
