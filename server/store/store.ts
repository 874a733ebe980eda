/**
 * What rooms and HTTP handlers may ask of persistence. Rooms never see SQL; they call this.
 */
export type UserKind = "guest" | "tutor";
export type ParticipantRole = "learner" | "tutor";

export interface UserRecord {
  id: string;
  kind: UserKind;
  displayName: string;
  email: string | null;
  createdAt: string;
}

export interface TutorCredentials extends UserRecord {
  passwordHash: string;
}

export interface SessionRecord {
  id: string;
  lessonId: string;
  phase: string;
  currentStep: number;
  startedAt: string;
  endedAt: string | null;
  participants: { userId: string; displayName: string; role: ParticipantRole }[];
  attemptsCount: number;
  lastScore: number | null;
}

export interface SyllableRecord {
  index: number | null;
  target: string;
  heard: string;
  verdict: string;
  jamo?: { expected: string; heard: string }[];
}

export interface AttemptRecord {
  id: string;
  sessionId: string;
  learnerId: string;
  lessonId: string;
  stepIndex: number;
  kind: "typed" | "spoken";
  status: string;
  text: string;
  correct: boolean;
  overall: number | null;
  accuracy: number | null;
  completeness: number | null;
  fluency: number | null;
  syllables: SyllableRecord[] | null;
  feedback: string | null;
  failureReason: string | null;
  evaluation: Record<string, unknown> | null;
  tutorId: string | null;
  tutorScore: number | null;
  tutorComment: string | null;
  createdAt: string;
}

export type NewAttempt = Omit<AttemptRecord, "tutorId" | "tutorScore" | "tutorComment" | "createdAt">;

export type AttemptEvaluation = Pick<
  AttemptRecord,
  "status" | "text" | "correct" | "overall" | "accuracy" | "completeness" | "fluency" | "syllables" | "feedback" | "failureReason" | "evaluation"
>;

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
  createGuest(displayName: string): Promise<UserRecord>;
  createTutor(email: string, displayName: string, passwordHash: string): Promise<UserRecord>;
  findTutorByEmail(email: string): Promise<TutorCredentials | null>;
  getUser(id: string): Promise<UserRecord | null>;

  startSession(session: { id: string; lessonId: string; phase: string }): Promise<void>;
  updateSession(id: string, change: { phase: string; currentStep: number; ended?: boolean }): Promise<void>;
  addParticipant(sessionId: string, userId: string, role: ParticipantRole): Promise<void>;
  listSessions(filter: { live?: boolean; limit: number }): Promise<SessionRecord[]>;
  /** Marks sessions left open by a crash as ended (a fresh process owns no rooms). */
  endOrphanSessions(liveIds: string[]): Promise<number>;
  /** Attempts a crash left recording or evaluating become failed with `reason`; their audio stays for re-evaluation. */
  failInterruptedAttempts(reason: string): Promise<number>;

  /** Idempotent on `attempt.id`: a replay returns the stored row and `inserted: false`. */
  recordAttempt(attempt: NewAttempt): Promise<{ inserted: boolean; attempt: AttemptRecord }>;
  updateAttemptEvaluation(id: string, evaluation: AttemptEvaluation): Promise<void>;
  gradeAttempt(id: string, grade: { tutorId: string; score: number; comment: string }): Promise<AttemptRecord | null>;
  getAttempt(id: string): Promise<AttemptRecord | null>;
  listAttempts(filter: { sessionId?: string; learnerId?: string; lessonId?: string }): Promise<AttemptRecord[]>;

  getProgress(userId: string, lessonId: string): Promise<ProgressRecord | null>;
  saveProgress(progress: Omit<ProgressRecord, "updatedAt">): Promise<void>;
  listProgress(userId: string): Promise<ProgressRecord[]>;

  addTutorNote(note: { sessionId: string; learnerId: string; tutorId: string; text: string }): Promise<void>;

  saveRecording(recording: RecordingRecord): Promise<void>;
  getRecording(attemptId: string): Promise<RecordingRecord | null>;

  close(): Promise<void>;
}
