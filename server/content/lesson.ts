/**
 * A lesson as the rest of the server sees it: validated, romanized and numbered. The JSON files
 * under `content/` are only the authoring format; nothing outside `server/content` reads them.
 */

export type Role = "A" | "B";
export type LearnerLanguage = "en" | "id";
export type LessonLevel = "beginner" | "elementary" | "intermediate";

/** A line of Korean with what a learner needs to read and understand it. */
export interface Line {
  korean: string;
  romanization: string;
  translation: string;
}

export interface LessonStep extends Line {
  /** Position in `Lesson.steps`, from 0, the same number content errors use (`steps[3]`). */
  index: number;
  speaker: Role;
  /** Answers that count as saying this line: `korean` first, then the author's variants. */
  accepted: string[];
  hint: string | null;
  audioUrl: string | null;
}

export interface RoleDescription {
  name: string;
  description: string;
  /** The Korean name the model audio says where a line has the learner's `{name}` slot. */
  exampleName: string | null;
}

export interface VocabularyItem {
  korean: string;
  romanization: string;
  meaning: string;
}

export interface Lesson {
  id: string;
  pack: string;
  learnerLanguage: LearnerLanguage;
  title: string;
  level: LessonLevel;
  summary: string;
  roles: Record<Role, RoleDescription>;
  /** The role a solo learner plays; the server plays the other one. */
  learnerRole: Role;
  vocabulary: VocabularyItem[];
  steps: LessonStep[];
}

export interface Pack {
  id: string;
  title: string;
  learnerLanguage: LearnerLanguage;
  /** In file-name order (`01-…`, `02-…`), the order a course presents them. */
  lessonIds: string[];
}

export interface ContentCatalog {
  packs: Pack[];
  lessons: Map<string, Lesson>;
  getLesson(id: string): Lesson | undefined;
}

export interface LessonSummary {
  id: string;
  pack: string;
  title: string;
  level: LessonLevel;
  summary: string;
  stepCount: number;
  learnerLanguage: LearnerLanguage;
}

/** What a lesson list shows (GET /api/lessons), without the dialogue itself. */
export function lessonSummary(lesson: Lesson): LessonSummary {
  return {
    id: lesson.id,
    pack: lesson.pack,
    title: lesson.title,
    level: lesson.level,
    summary: lesson.summary,
    stepCount: lesson.steps.length,
    learnerLanguage: lesson.learnerLanguage,
  };
}

/** The name standing in for the learner's `{name}` when no name of their own is known. */
export function exampleNameOf(lesson: Lesson): string {
  return lesson.roles[lesson.learnerRole].exampleName ?? "";
}

/** The role the server (or a tutor) plays opposite the learner. */
export function partnerRole(role: Role): Role {
  return role === "A" ? "B" : "A";
}
