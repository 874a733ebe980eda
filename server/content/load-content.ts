/**
 * Reads every lesson pack once at start-up. Anything wrong in any file stops the server with one
 * CONTENT_INVALID error listing every problem, because a half-loaded course would fail later, in
 * front of a learner, instead of now, in front of the author.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { romanize } from "es-hangul";
import { contentInvalid, problemsFromIssues, type ContentProblem } from "./content-problems.ts";
import { lessonFileSchema, packFileSchema, type LessonFile, type PackFile } from "./lesson-schema.ts";
import type { ContentCatalog, Lesson, LessonStep, Pack } from "./lesson.ts";

export * from "./lesson.ts";

/** The packs shipped in this repository (`<repo>/content`). */
export const defaultContentDir = fileURLToPath(new URL("../../content", import.meta.url));

const PACK_FILE = "pack.json";

interface LessonSource {
  file: string;
  lesson: LessonFile;
}

export function loadContent(contentDir: string): ContentCatalog {
  if (!isDirectory(contentDir)) {
    throw contentInvalid(contentDir, [{ file: ".", message: "the content directory does not exist" }]);
  }
  const problems: ContentProblem[] = [];
  const packs: Pack[] = [];
  const lessons = new Map<string, Lesson>();
  const fileOfLessonId = new Map<string, string>();

  const packDirs = subdirectories(join(contentDir, "packs"));
  if (packDirs.length === 0) problems.push({ file: "packs", message: "no packs found; add packs/<pack-id>/pack.json" });

  for (const packDir of packDirs) {
    const packId = basename(packDir);
    const packFile = readPackFile(contentDir, packDir, problems);
    const sources = readLessonFiles(contentDir, packDir, packId, problems);
    for (const { file, id } of sources.ids) {
      const earlier = fileOfLessonId.get(id);
      if (earlier === undefined) fileOfLessonId.set(id, file);
      else problems.push({ file, lessonId: id, field: "id", message: `the same id is already used by ${earlier}` });
    }
    if (packFile === undefined) continue;
    for (const source of sources.valid) lessons.set(source.lesson.id, toLesson(source.lesson, packFile));
    packs.push({ ...packFile, lessonIds: sources.valid.map((source) => source.lesson.id) });
  }

  if (problems.length > 0) throw contentInvalid(contentDir, problems);
  deepFreeze(packs);
  for (const lesson of lessons.values()) deepFreeze(lesson);
  return { packs, lessons, getLesson: (id) => lessons.get(id) };
}

function readPackFile(contentDir: string, packDir: string, problems: ContentProblem[]): PackFile | undefined {
  const path = join(packDir, PACK_FILE);
  const file = relativeFile(contentDir, path);
  const packId = basename(packDir);
  if (!existsSync(path)) {
    problems.push({ file, message: `missing ${PACK_FILE}; every pack folder needs one` });
    return undefined;
  }
  const json = readJson(path, file, problems);
  if (json === undefined) return undefined;
  const parsed = packFileSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    problems.push(...problemsFromIssues(parsed.error.issues, file, undefined));
    return undefined;
  }
  if (parsed.data.id !== packId) {
    problems.push({ file, field: "id", message: `must be "${packId}", the name of the pack folder` });
    return undefined;
  }
  return parsed.data;
}

/**
 * Validates every lesson of one pack. `ids` holds every readable id (valid or not) so duplicates
 * are reported even while the files have other problems.
 */
function readLessonFiles(
  contentDir: string,
  packDir: string,
  packId: string,
  problems: ContentProblem[],
): { valid: LessonSource[]; ids: { file: string; id: string }[] } {
  const lessonsDir = join(packDir, "lessons");
  const paths = jsonFiles(lessonsDir);
  if (paths.length === 0) {
    problems.push({ file: relativeFile(contentDir, lessonsDir), message: "the pack has no lessons (lessons/*.json)" });
  }
  const valid: LessonSource[] = [];
  const ids: { file: string; id: string }[] = [];
  for (const path of paths) {
    const file = relativeFile(contentDir, path);
    const json = readJson(path, file, problems);
    if (json === undefined) continue;
    const lessonId = readableId(json);
    if (lessonId !== undefined) ids.push({ file, id: lessonId });
    const problemsBefore = problems.length;
    if (lessonId !== undefined && !lessonId.startsWith(`${packId}-`)) {
      problems.push({ file, lessonId, field: "id", message: `must start with "${packId}-", the pack id` });
    }
    const parsed = lessonFileSchema.safeParse(json, { reportInput: true });
    if (!parsed.success) problems.push(...problemsFromIssues(parsed.error.issues, file, lessonId));
    else if (problems.length === problemsBefore) valid.push({ file, lesson: parsed.data });
  }
  return { valid, ids };
}

function toLesson(file: LessonFile, pack: PackFile): Lesson {
  return {
    id: file.id,
    pack: pack.id,
    learnerLanguage: pack.learnerLanguage,
    title: file.title,
    level: file.level,
    summary: file.summary,
    roles: { A: { ...file.roles.A }, B: { ...file.roles.B } },
    learnerRole: file.learnerRole,
    vocabulary: file.vocabulary.map((item) => ({ korean: item.korean, romanization: romanize(item.korean), meaning: item.meaning })),
    steps: file.steps.map((step, index): LessonStep => ({
      index,
      speaker: step.speaker,
      korean: step.korean,
      romanization: romanize(step.korean),
      translation: step.translation,
      accepted: [...new Set([step.korean, ...(step.accepted ?? [])])],
      hint: step.hint ?? null,
      audioUrl: step.audioUrl ?? null,
    })),
  };
}

function readJson(path: string, file: string, problems: ContentProblem[]): unknown {
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  const source = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  try {
    return JSON.parse(source);
  } catch (error) {
    problems.push({ file, message: `invalid JSON: ${(error as Error).message}` });
    return undefined;
  }
}

/** The lesson id, when the file has one worth naming in error messages. */
function readableId(json: unknown): string | undefined {
  if (typeof json !== "object" || json === null || !("id" in json)) return undefined;
  return typeof json.id === "string" && json.id.trim() !== "" ? json.id : undefined;
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function subdirectories(dir: string): string[] {
  if (!isDirectory(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name))
    .sort();
}

/** Sorted by name, so `01-…` comes before `02-…`. */
function jsonFiles(dir: string): string[] {
  if (!isDirectory(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => join(dir, entry.name))
    .sort();
}

function relativeFile(contentDir: string, path: string): string {
  return relative(contentDir, path).split(sep).join("/");
}

/** The catalog is shared by every room: a room that edits a lesson would change it for all. */
function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  for (const entry of Object.values(value)) deepFreeze(entry);
  Object.freeze(value);
}
