/**
 * Synchronized lesson-room state: the one source for the TypeScript server and the C# classes
 * generated for Unity (`npm run schema:csharp`). Fields marked `.view()` are tutor-only: they reach a
 * client only when the room adds the object to that client's StateView, which it does for tutors.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";

export const LessonInfo = schema({
  id: t.string().default(""),
  pack: t.string().default(""),
  title: t.string().default(""),
  level: t.string().default(""),
  learnerLanguage: t.string().default(""),
  /**
   * Whether spoken answers are scored by the server (false with STT_PROVIDER=none: they are kept for a
   * tutor to grade): a client says so before the learner's first answer, not after it.
   */
  automaticScoring: t.boolean().default(true),
}, "LessonInfo");
export type LessonInfo = SchemaType<typeof LessonInfo>;

export const DialogueStep = schema({
  index: t.uint16().default(0),
  /** "A" or "B": which dialogue role speaks this line. */
  speaker: t.string().default(""),
  korean: t.string().default(""),
  romanization: t.string().default(""),
  translation: t.string().default(""),
  /** Optional recording of the line; "" when the client should synthesize it. */
  audioUrl: t.string().default(""),
  /** Accepted answers for a learner line (the first is the line itself). */
  accepted: t.array("string"),
  /** True when the server plays this line (no learner holds its role). */
  playedByServer: t.boolean().default(false),
}, "DialogueStep");
export type DialogueStep = SchemaType<typeof DialogueStep>;

/** Tutor-only facts about a participant's account. */
export const AccountInfo = schema({
  userId: t.string().default(""),
  email: t.string().default(""),
  kind: t.string().default(""),
  createdAt: t.string().default(""),
}, "AccountInfo");
export type AccountInfo = SchemaType<typeof AccountInfo>;

export const Participant = schema({
  id: t.string().default(""),
  displayName: t.string().default(""),
  /** "learner" or "tutor". */
  role: t.string().default(""),
  /** "web", "unity" or "other". */
  platform: t.string().default(""),
  /** Dialogue role a learner plays ("A" / "B"); "" for tutors. */
  dialogueRole: t.string().default(""),
  connected: t.boolean().default(false),
  speaking: t.boolean().default(false),
  account: t.ref(AccountInfo).view(),
}, "Participant");
export type Participant = SchemaType<typeof Participant>;

export const TutorNote = schema({
  tutorId: t.string().default(""),
  tutorName: t.string().default(""),
  text: t.string().default(""),
  at: t.float64().default(0),
}, "TutorNote");
export type TutorNote = SchemaType<typeof TutorNote>;

export const LearnerProgress = schema({
  learnerId: t.string().default(""),
  currentStep: t.int16().default(0),
  completedSteps: t.array("uint16"),
  attemptsCount: t.uint16().default(0),
  bestScore: t.uint8().default(0),
  hintsUsed: t.uint16().default(0),
  /** Hint text most recently revealed to this learner ("" when none). */
  lastHint: t.string().default(""),
  notes: t.array(TutorNote).view(),
}, "LearnerProgress");
export type LearnerProgress = SchemaType<typeof LearnerProgress>;

export const SyllableResult = schema({
  /** Index among the target's Hangul syllables; -1 for an inserted syllable. */
  index: t.int16().default(0),
  target: t.string().default(""),
  heard: t.string().default(""),
  /** correct | substituted | omitted | inserted */
  verdict: t.string().default(""),
  /** For substitutions, e.g. "ㅓ>ㅗ" (expected > heard), comma separated. */
  jamo: t.string().default(""),
}, "SyllableResult");
export type SyllableResult = SchemaType<typeof SyllableResult>;

export const Attempt = schema({
  id: t.string().default(""),
  learnerId: t.string().default(""),
  step: t.uint16().default(0),
  /** "typed" or "spoken". */
  kind: t.string().default(""),
  /** recording | evaluating | scored | failed | awaiting-tutor */
  status: t.string().default(""),
  text: t.string().default(""),
  correct: t.boolean().default(false),
  overall: t.int16().default(0),
  accuracy: t.int16().default(0),
  completeness: t.int16().default(0),
  /** -1 when not measured (typed answers). */
  fluency: t.int16().default(0),
  syllables: t.array(SyllableResult),
  feedback: t.string().default(""),
  /** Why an attempt failed, as a code clients translate (protocol error codes). */
  failureCode: t.string().default(""),
  /** Why an attempt failed, in English words (clients show the translated failureCode instead). */
  failureReason: t.string().default(""),
  /** Tutor's grade by hand; -1 until graded. Kept beside the automatic score. */
  tutorScore: t.int16().default(0),
  tutorComment: t.string().default(""),
  createdAt: t.float64().default(0),
  /** The pass rule's answer (every syllable right by sound, or a tutor grade at the pass mark): title and colours follow it. */
  passed: t.boolean().default(false),
  /** Internal evaluation details (provider, timings, matched answer) for tutors. */
  evaluation: t.string().default("").view(),
}, "Attempt");
export type Attempt = SchemaType<typeof Attempt>;

export const LessonState = schema({
  lesson: t.ref(LessonInfo),
  /** lobby | running | finished */
  phase: t.string().default(""),
  currentStep: t.int16().default(0),
  steps: t.array(DialogueStep),
  participants: t.map(Participant),
  progress: t.map(LearnerProgress),
  attempts: t.array(Attempt),
  maxLearners: t.uint8().default(0),
}, "LessonState");
export type LessonState = SchemaType<typeof LessonState>;
