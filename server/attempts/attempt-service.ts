/**
 * Attempts outside a live room: re-evaluation by id (a tutor over HTTP, or the automatic retry
 * after a provider outage), recovery of attempts a crash interrupted, and the retry loop.
 * An attempt whose session is live in this process is handed to its room, so state and store
 * keep agreeing; otherwise the store is updated directly, with the learner's progress.
 */
import type { Logger } from "pino";
import type { ContentCatalog } from "../content/lesson.ts";
import { KotoError } from "../errors.ts";
import { progressAfterResult, progressWrite } from "../progress/progress.ts";
import { readSpool, removeSpool } from "../recordings/audio-spool.ts";
import type { SpeechService } from "../speech/speech-service.ts";
import type { ProgressWrite, Store } from "../store/store.ts";
import { attemptPasses, settledOutcome, transition, type AttemptRecord, type TutorGrade } from "./attempt.ts";
import {
  evaluateAgain, isRetryableFailure, keepsPreviousResult, keptSamples, previousResult, previousResultKept, RETRYABLE_FAILURES,
} from "./evaluation-result.ts";

/** What a live room offers for its attempts (the lesson room implements it). */
export interface AttemptOwner {
  reevaluateAttempt(attemptId: string, options?: { automatic?: boolean }): Promise<void>;
  gradeAttempt(attemptId: string, grade: TutorGrade): Promise<void>;
}

export interface AttemptServiceOptions {
  store: Store;
  speech: SpeechService;
  content: ContentCatalog;
  logger: Logger;
  /** The live room of a session, in this process or (several processes) in another one, if any. */
  liveOwner(sessionId: string): AttemptOwner | undefined | Promise<AttemptOwner | undefined>;
  passMark: number;
  retry: { intervalMs: number; maxRetries: number; batch: number };
}

export class AttemptService {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Grows while the provider stays down (no busy loop), back to the base interval once it answers. */
  private delayMs = 0;
  /**
   * Attempts being evaluated again through this process. A second request for one of them is refused:
   * 1,500 requests at once for 4 attempts ran ~450 evaluations side by side (each a speech-to-text
   * call, crowding out live answers) and wrote their results over each other.
   */
  private readonly inProgress = new Set<string>();

  constructor(private readonly options: AttemptServiceOptions) {}

  async reevaluate(attemptId: string, how: { automatic?: boolean } = {}): Promise<AttemptRecord> {
    if (this.inProgress.has(attemptId)) {
      throw new KotoError("ATTEMPT_BUSY", "this attempt is already being evaluated again; wait for its result", 409);
    }
    this.inProgress.add(attemptId);
    try {
      return await this.reevaluateOnce(attemptId, how);
    } finally {
      this.inProgress.delete(attemptId);
    }
  }

  /**
   * A tutor's grade, from the dashboard: handed to the session's live room (here or on another
   * process) so its state and the store agree; once the session has ended, written to the store with
   * the learner's progress. An answer still being recorded or evaluated cannot be graded yet.
   */
  async grade(attemptId: string, grade: TutorGrade): Promise<AttemptRecord> {
    const { store } = this.options;
    const record = await store.getAttempt(attemptId);
    if (!record) throw new KotoError("ATTEMPT_NOT_FOUND", `no attempt "${attemptId}"`, 404);
    const owner = await this.options.liveOwner(record.sessionId);
    if (owner) {
      await owner.gradeAttempt(attemptId, grade);
    } else {
      const after = transition(record, "scored", { tutorId: grade.tutorId, tutorScore: grade.score, tutorComment: grade.comment });
      await store.updateAttempt(after, await this.progressEarned(after));
    }
    return (await store.getAttempt(attemptId))!;
  }

  private async reevaluateOnce(attemptId: string, how: { automatic?: boolean }): Promise<AttemptRecord> {
    const { store } = this.options;
    const record = await store.getAttempt(attemptId);
    if (!record) throw new KotoError("ATTEMPT_NOT_FOUND", `no attempt "${attemptId}"`, 404);
    if (record.kind !== "spoken") throw new KotoError("ATTEMPT_NOT_SPOKEN", "only spoken attempts can be evaluated again");
    const owner = await this.options.liveOwner(record.sessionId);
    if (owner) {
      await owner.reevaluateAttempt(attemptId, how);
    } else {
      await this.reevaluateStored(record, how);
    }
    return (await store.getAttempt(attemptId))!;
  }

  /**
   * At start-up: attempts a crash left recording or evaluating. The audio spooled as it arrived
   * becomes the recording (or the one already kept is used), and the attempt fails with a code
   * that the retry loop picks up; without any audio, the learner is told plainly to say it again.
   */
  async recoverInterrupted(scope: { sessionId?: string; exceptSessionIds?: string[] } = {}): Promise<{ kept: number; lost: number }> {
    const { store, speech } = this.options;
    let kept = 0;
    let lost = 0;
    for (;;) {
      // Several processes share the store: attempts of sessions live on another process are theirs.
      const interrupted = await store.listAttemptsByStatus({ statuses: ["recording", "evaluating"], limit: 100, ...scope });
      if (interrupted.length === 0) break;
      for (const attempt of interrupted) {
        const audio = await this.keepSpooled(attempt).catch((error) => {
          this.options.logger.error({ err: error, attemptId: attempt.id }, "could not keep an interrupted recording");
          return false;
        });
        const settled = { ...attempt, status: "failed" as const, correct: false };
        await store.updateAttempt(audio
          ? { ...settled, failureCode: "SERVER_RESTARTED", failureReason: speech.sttProvider === "none"
              ? "The server restarted while this answer was being processed; your recording is kept and a tutor can evaluate it."
              : "The server restarted while this answer was being processed; your recording is kept and will be evaluated again automatically." }
          : { ...settled, failureCode: "SERVER_RESTARTED_NO_AUDIO",
              failureReason: "The server restarted before your recording could be kept; please say this line again." });
        if (audio) kept++; else lost++;
      }
    }
    return { kept, lost };
  }

  /**
   * Retries attempts failed by an outage, a few at a time; stops a round at the first that fails
   * the same way (the provider is still down). Returns how many were evaluated, or -1 when the
   * provider is still failing.
   */
  async retryFailed(): Promise<number> {
    if (this.options.speech.sttProvider === "none") return 0;
    const { store, retry, logger } = this.options;
    const candidates = await store.listAttemptsByStatus({
      statuses: ["failed"], failureCodes: [...RETRYABLE_FAILURES], maxRetries: retry.maxRetries, limit: retry.batch,
    });
    let recovered = 0;
    for (const candidate of candidates) {
      try {
        const after = await this.reevaluate(candidate.id, { automatic: true });
        if (after.status === "failed" && isRetryableFailure(after.failureCode)) return recovered > 0 ? recovered : -1;
        recovered++;
      } catch (error) {
        logger.warn({ err: error, attemptId: candidate.id }, "automatic re-evaluation could not run");
      }
    }
    if (recovered > 0) logger.info({ recovered }, "attempts failed by an outage were evaluated again");
    return recovered;
  }

  /** Starts the retry loop: one round at a time, backing off while the provider is down; never keeps the process alive. */
  start(): void {
    if (this.timer || this.options.speech.sttProvider === "none") return;
    this.delayMs = this.options.retry.intervalMs;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.retryFailed().then((result) => {
        const { intervalMs } = this.options.retry;
        this.delayMs = result < 0 ? Math.min(this.delayMs * 2, intervalMs * 20) : intervalMs;
      }, (error) => {
        this.options.logger.error({ err: error }, "the automatic re-evaluation round failed");
      }).finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.delayMs);
    this.timer.unref();
  }

  private async keepSpooled(attempt: AttemptRecord): Promise<boolean> {
    const { store, speech } = this.options;
    if (await store.getRecording(attempt.id)) {
      await removeSpool(speech.spoolDirectory, attempt.id);
      return true;
    }
    const address = { sessionId: attempt.sessionId, learnerId: attempt.learnerId, attemptId: attempt.id };
    const samples = await readSpool(speech.spoolDirectory, attempt.id);
    // No spool: it may have become the recording just before the crash (renamed into storage, row not yet written).
    if (!samples) return speech.keeper.keepStored(address);
    await speech.keeper.keep(address, samples, samples.length / 16);
    await removeSpool(speech.spoolDirectory, attempt.id);
    return true;
  }

  private async reevaluateStored(record: AttemptRecord, how: { automatic?: boolean }): Promise<void> {
    const { store, speech, content } = this.options;
    const lesson = content.getLesson(record.lessonId);
    if (!lesson) throw new KotoError("LESSON_NOT_FOUND", `the lesson "${record.lessonId}" of this attempt no longer exists`, 404);
    const samples = await keptSamples(speech, record.id);
    const evaluating = transition(record, "evaluating", { retries: record.retries + (how.automatic ? 1 : 0) });
    await store.updateAttempt(evaluating);
    const evaluated = await evaluateAgain(speech, record, lesson, samples, record.evaluation ?? {});
    if (keepsPreviousResult(record, evaluated)) {
      await store.updateAttempt(transition(evaluating, record.status, previousResult(record)));
      throw previousResultKept(evaluated);
    }
    // A tutor's grade stands through a re-evaluation.
    const { to, result } = settledOutcome(evaluating, evaluated.status, evaluated.result);
    const after = transition(evaluating, to, result);
    await store.updateAttempt(after, await this.progressEarned(after));
  }

  /** The learner's saved progress with a result settled outside a room: changed only when it passes. */
  private async progressEarned(after: AttemptRecord): Promise<ProgressWrite | undefined> {
    const { store, content, passMark } = this.options;
    const lesson = content.getLesson(after.lessonId);
    const saved = await store.getProgress(after.learnerId, after.lessonId);
    if (!lesson || !saved || !attemptPasses(after, passMark)) return undefined;
    const fields = progressAfterResult(saved, after, { firstResult: false, passMark });
    const role = lesson.steps[after.stepIndex].speaker;
    const progress = progressWrite(after.learnerId, after.lessonId, fields, lesson.steps.filter((step) => step.speaker === role).map((step) => step.index), {
      countedFrom: { attempts: saved.attemptsCount, hints: saved.hintsUsed },
    });
    if (saved.completedAt) progress.completedAt = saved.completedAt;
    return progress;
  }
}
