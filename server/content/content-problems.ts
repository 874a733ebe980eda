/**
 * Content errors are read by lesson authors, not programmers: each problem names the file, the
 * lesson and the field the way the author sees them (`steps[3].speaker`), and every problem is
 * reported at once so one start-up shows the whole list to fix.
 */
import type { z } from "zod";
import { KotoError } from "../errors.ts";

export interface ContentProblem {
  /** Path relative to the content directory, with forward slashes. */
  file: string;
  lessonId?: string;
  /** Field path inside the file, e.g. `steps[3].speaker`; absent for whole-file problems. */
  field?: string;
  message: string;
}

type PathSegment = PropertyKey;

/** `["steps", 3, "speaker"]` -> `steps[3].speaker` */
export function formatFieldPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, position) => {
      if (typeof segment === "number") return `[${segment}]`;
      const name = String(segment);
      return position === 0 ? name : `.${name}`;
    })
    .join("");
}

function listOfChoices(values: readonly unknown[]): string {
  const quoted = values.map((value) => JSON.stringify(value));
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

/** zod's own wording is written for programmers; these sentences are for content authors. */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "is required" : `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case "invalid_value":
      return `expected ${listOfChoices(issue.values)}`;
    case "too_small":
      return issue.origin === "array" ? `needs at least ${issue.minimum} item(s)` : issue.message;
    default:
      return issue.message;
  }
}

/** Turns schema issues into problems; parse with `reportInput: true` so missing fields are told apart. */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  file: string,
  lessonId: string | undefined,
): ContentProblem[] {
  return issues.flatMap((issue): ContentProblem[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ file, lessonId, field: formatFieldPath([...issue.path, key]), message: "unknown field" }));
    }
    const field = issue.path.length > 0 ? formatFieldPath(issue.path) : undefined;
    return [{ file, lessonId, field, message: describeIssue(issue) }];
  });
}

export function formatProblem(problem: ContentProblem): string {
  const lesson = problem.lessonId === undefined ? "" : ` (lesson ${problem.lessonId})`;
  const field = problem.field === undefined ? "" : `${problem.field}: `;
  return `${problem.file}${lesson}: ${field}${problem.message}`;
}

export function contentInvalid(contentDir: string, problems: readonly ContentProblem[]): KotoError {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = problems.map((problem) => `  - ${formatProblem(problem)}`);
  return new KotoError("CONTENT_INVALID", [`lesson content in ${contentDir} has ${count}:`, ...lines].join("\n"), 500);
}
