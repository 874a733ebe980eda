import type { AttemptRecord, AttemptStatus, NewAttempt } from "../attempts/attempt.ts";

/**
 * What rooms and HTTP handlers may ask of persistence. Rooms never see SQL; they call this.
 */
export type UserKind = "guest" | "tutor";
export type ParticipantRole = "learner" | "tutor";
export type DialogueRole = "A" | "B";

export interface UserRecord {
  id: string;
  kind: UserKind;
  displayName: string;
  email: string | null;
  createdAt: string;
  /** Set for tutors by `koto disable-tutor`; a disabled account can neither sign in nor use a token. */
  disabled: boolean;
}

export interface TutorCredentials extends UserRecord {
  passwordHash: string;
}

export interface TutorNoteRecord {
  sessionId: string;
  learnerId: string;
  tutorId: string;
  tutorName: string;
  text: string;
  createdAt: string;
}

/** The hint a learner was last given in a session and the line it was given on. */
export interface HintRecord {
  learnerId: string;
  text: string;
  step: number;
}

export interface SessionRecord {
  id: string;
  lessonId: string;
  phase: string;
  currentStep: number;
  startedAt: string;
  endedAt: string | null;
  /** `dialogueRole`: the lesson role ("A" or "B") a learner plays; null for tutors. */
  participants: { userId: string; displayName: string; role: ParticipantRole; dialogueRole: DialogueRole | null }[];
  attemptsCount: number;
  lastScore: number | null;
}

export type { AttemptRecord, NewAttempt, SyllableRecord } from "../attempts/attempt.ts";

export interface ProgressRecord {
  userId: string;
  lessonId: string;
  currentStep: number;
  completedSteps: number[];
  attemptsCount: number;
  bestScore: number;
  hintsUsed: number;
  completedAt: string | null;
  updatedAt: string;
}

/**
 * A progress row as written. A write merges with the stored row instead of replacing it, so a room
 * that saw less (the same learner and lesson open in a second tab) never takes progress back: completed
 * steps are united, the best score, the furthest step and the first completion are kept, and the counts
 * add what this writer counted since `countedFrom` (the counts it last read or wrote). Without
 * `countedFrom` the counts are taken as given (an import or a test's seed). `restart`: the learner
 * reached the conversation's end without passing every line, so the next visit starts from the top
 * (the step goes back to 0 instead of keeping the furthest).
 */
export type ProgressWrite = Omit<ProgressRecord, "updatedAt"> & { countedFrom?: ProgressCounts; restart?: boolean };

/** The two counters of a progress row, as one writer last read or wrote them. */
export interface ProgressCounts { attempts: number; hints: number }

export interface RecordingRecord {
  attemptId: string;
  storage: "file" | "s3";
  objectKey: string;
  contentType: string;
  byteLength: number;
  durationMs: number;
}

export interface Store {
  readonly kind: "postgres" | "pglite";
  /** Throws STORE_UNAVAILABLE when the database does not answer (for /healthz). */
  ping(): Promise<void>;
  createGuest(displayName: string): Promise<UserRecord>;
  /** A guest's new display name (their progress stays theirs); null when no guest has this id. */
  renameGuest(id: string, displayName: string): Promise<UserRecord | null>;
  createTutor(email: string, displayName: string, passwordHash: string): Promise<UserRecord>;
  findTutorByEmail(email: string): Promise<TutorCredentials | null>;
  getUser(id: string): Promise<UserRecord | null>;
  /** Null when no tutor has this email. */
  setTutorDisabled(email: string, disabled: boolean): Promise<UserRecord | null>;

  startSession(session: { id: string; lessonId: string; phase: string }): Promise<void>;
  updateSession(id: string, change: { phase: string; currentStep: number; ended?: boolean }): Promise<void>;
  /** Idempotent; a learner's dialogue role is kept (and updated when given again) so a resumed session restores it. */
  addParticipant(sessionId: string, userId: string, role: ParticipantRole, dialogueRole?: DialogueRole): Promise<void>;
  listSessions(filter: { live?: boolean; limit: number }): Promise<SessionRecord[]>;
  /** Marks sessions left open by a crash as ended (a fresh process owns no rooms). */
  endOrphanSessions(liveIds: string[]): Promise<number>;
  /** One session as stored (for resuming it on any process), or null. */
  getSession(id: string): Promise<SessionRecord | null>;
  /** A resumed session is live again. */
  reopenSession(id: string): Promise<void>;
  /** Tutor notes of a session, oldest first, with the tutor's name. */
  listTutorNotes(sessionId: string): Promise<TutorNoteRecord[]>;
  /** Keeps a learner's latest hint in a session (as a learner participant); replaces the one before. */
  saveHint(sessionId: string, hint: HintRecord): Promise<void>;
  /** The latest hint of each learner of a session who was given one. */
  listHints(sessionId: string): Promise<HintRecord[]>;
  /**
   * Idempotent on `attempt.id`: a replay returns the stored row and `inserted: false`. With
   * `progress`, the progress row is written in the same transaction (only when inserted), so an
   * acknowledged answer never exists without the progress it earned.
   */
  recordAttempt(attempt: NewAttempt, progress?: ProgressWrite): Promise<{ inserted: boolean; attempt: AttemptRecord }>;
  /** Writes every mutable field of the attempt, and `progress` in the same transaction. */
  updateAttempt(attempt: AttemptRecord, progress?: ProgressWrite): Promise<void>;
  getAttempt(id: string): Promise<AttemptRecord | null>;
  /** Oldest first; `latest`: only the newest that many (still oldest first). */
  listAttempts(filter: { sessionId?: string; learnerId?: string; lessonId?: string; latest?: number }): Promise<AttemptRecord[]>;
  /** The UTC days (days since 1970-01-01) on which a learner made any attempt, newest first, at most `limit`. */
  listPracticeDays(learnerId: string, limit: number): Promise<number[]>;
  /** Oldest first. */
  /** `sessionId` limits to one session; `exceptSessionIds` leaves out sessions live on some process. */
  listAttemptsByStatus(filter: { statuses: AttemptStatus[]; failureCodes?: string[]; maxRetries?: number; limit: number; sessionId?: string; exceptSessionIds?: string[] }): Promise<AttemptRecord[]>;

  getProgress(userId: string, lessonId: string): Promise<ProgressRecord | null>;
  saveProgress(progress: ProgressWrite): Promise<void>;
  listProgress(userId: string): Promise<ProgressRecord[]>;

  addTutorNote(note: { sessionId: string; learnerId: string; tutorId: string; text: string }): Promise<void>;

  saveRecording(recording: RecordingRecord): Promise<void>;
  getRecording(attemptId: string): Promise<RecordingRecord | null>;

  /** An embedded database gives start-up's leftover memory back (once, when the server has started). */
  releaseMemory?(): Promise<void>;
  close(): Promise<void>;
}
