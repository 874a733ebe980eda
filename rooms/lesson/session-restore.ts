/**
 * Resuming a lesson session on any process after the one that held it stopped (drained on SIGTERM,
 * or killed). Everything comes back from the database, the only source both processes share: the
 * lesson and its step, the attempts (with their scores and grades), the tutor notes, each learner's
 * dialogue role and latest hint; each learner's progress is read when they take their seat again. The room keeps the session's id, so tutors find
 * it under the same id in /api/sessions and join it by that id.
 */
import { matchMaker, type Presence } from "@colyseus/core";
import type { ArraySchema } from "@colyseus/schema";
import { TutorNote, type LearnerProgress, type LessonState } from "../../schema/index.ts";
import type { Lesson, Role } from "../../server/content/lesson.ts";
import { KotoError } from "../../server/errors.ts";
import type { AttemptRecord, HintRecord, TutorNoteRecord } from "../../server/store/store.ts";
import type { LessonRoomServices } from "./services.ts";

/** Guards the moment between "no process holds it" and the new room being listed. */
const CLAIM_SECONDS = 10;

export class RestoredSession {
  constructor(
    readonly sessionId: string,
    private readonly phase: string,
    private readonly currentStep: number,
    readonly attempts: AttemptRecord[],
    private readonly notes: TutorNoteRecord[],
    /** The dialogue role each learner played, so a pair keeps their roles whoever rejoins first. */
    readonly roles: ReadonlyMap<string, Role>,
    private readonly hints: HintRecord[],
  ) {}

  /** The conversation where it stopped (learners and their progress come back as they rejoin). */
  applyTo(state: LessonState): void {
    state.phase = this.phase;
    state.currentStep = Math.min(this.currentStep, state.steps.length - 1);
  }

  /** The tutor notes about a learner who takes their seat again. */
  addNotes(progress: LearnerProgress): void {
    for (const note of this.notes.filter((candidate) => candidate.learnerId === progress.learnerId)) {
      (progress.notes as ArraySchema<TutorNote>).push(new TutorNote({
        tutorId: note.tutorId, tutorName: note.tutorName, text: note.text, at: Date.parse(note.createdAt),
      }));
    }
  }

  /**
   * The hint a learner who takes their seat again was last given, while it still applies: the session
   * is on the line it was given on and the learner has not passed that line (the room clears a hint
   * the same way when a line is passed).
   */
  addHint(progress: LearnerProgress, currentStep: number): void {
    const hint = this.hints.find((candidate) => candidate.learnerId === progress.learnerId);
    if (hint && hint.step === currentStep && !progress.completedSteps.includes(hint.step)) progress.lastHint = hint.text;
  }
}

/**
 * Checks that the session may be resumed here and now, claims it, and reads it back.
 * Refusals: unknown, another lesson, finished, too old, or still open on a live process.
 */
export async function resumeSession(services: LessonRoomServices, presence: Presence, sessionId: string, lesson: Lesson): Promise<RestoredSession> {
  const { store, config } = services;
  const session = await store.getSession(sessionId);
  if (!session) throw sessionNotFound(sessionId);
  if (session.lessonId !== lesson.id) {
    throw new KotoError("SESSION_LESSON_MISMATCH", `session "${sessionId}" is a session of "${session.lessonId}", not "${lesson.id}"`, 409);
  }
  if (session.phase === "finished") throw new KotoError("SESSION_ENDED", "this lesson is over; open it again to practise once more", 409);
  if (session.endedAt && Date.now() - Date.parse(session.endedAt) > config.resumeWindowSeconds * 1000) {
    throw new KotoError("SESSION_EXPIRED", "this session stopped too long ago to resume; open the lesson again", 410);
  }
  await assertNotOpen(sessionId);
  if ((await presence.hincrbyex("resuming", sessionId, 1, CLAIM_SECONDS)) > 1) {
    throw new KotoError("SESSION_RESUMING", "this session is being resumed right now; join it by id", 409);
  }
  // Answers the stopped process left recording or evaluating are settled first (their audio is kept).
  await services.recoverInterrupted?.(sessionId);
  const [attempts, notes, hints] = await Promise.all([store.listAttempts({ sessionId }), store.listTutorNotes(sessionId), store.listHints(sessionId)]);
  await store.reopenSession(sessionId);
  services.logger.info({ sessionId, attempts: attempts.length, step: session.currentStep }, "session resumed");
  const roles = new Map(session.participants.flatMap((person) => person.role === "learner" && person.dialogueRole ? [[person.userId, person.dialogueRole] as const] : []));
  return new RestoredSession(sessionId, session.phase, session.currentStep, attempts, notes, roles, hints);
}

/**
 * Only someone who was in the session, or a tutor, may resume it: a resumed room shows every attempt
 * and note of the session to whoever opened it. Anyone else hears what an unknown id gets, so session
 * ids cannot be probed. Checked at matchmaking, where the asker is known (the room's onCreate is not told).
 */
export async function assertMayResume(store: Pick<LessonRoomServices["store"], "getSession">, asker: { userId: string; role: string }, sessionId: string): Promise<void> {
  if (asker.role === "tutor") return;
  const session = await store.getSession(sessionId);
  if (session && !session.participants.some((person) => person.userId === asker.userId)) throw sessionNotFound(sessionId);
}

/** Refuses when a live process still holds the session; a listing left by a dead process is swept. */
async function assertNotOpen(sessionId: string): Promise<void> {
  const open = () => new KotoError("SESSION_LIVE", "this session is still open; join it by id", 409);
  if (matchMaker.getLocalRoomById(sessionId)) throw open();
  const listing = await matchMaker.driver.findOne({ roomId: sessionId });
  if (!listing) return;
  // Asks the process over Redis; one that does not answer is swept (its rooms unlisted).
  if (listing.processId !== matchMaker.processId && (await matchMaker.healthCheckProcessId(listing.processId))) throw open();
  await matchMaker.driver.remove(sessionId);
}

/** The same words for an unknown id and someone else's session: a refusal does not tell which. */
function sessionNotFound(sessionId: string): KotoError {
  return new KotoError("SESSION_NOT_FOUND", `no session "${sessionId}" to resume; open the lesson again`, 404);
}
