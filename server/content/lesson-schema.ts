/**
 * The authoring format of `content/packs/<pack>/pack.json` and `lessons/<NN-slug>.json`.
 * Objects are strict so a misspelt optional field (`hnit`) is an error rather than a hint that
 * silently never shows. Romanization is not part of the format: the loader derives it, so it can
 * never disagree with the Korean.
 */
import { z } from "zod";

const HANGUL = /[\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7A3\uD7B0-\uD7FF]/;
/** Lowercase words joined by hyphens: safe in URLs, file names and room options. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function containsHangul(text: string): boolean {
  return HANGUL.test(text);
}

const text = z.string().refine((value) => value.trim() !== "", "must not be empty");

/** One refinement, not two, so an empty line reports "empty" without also "no Hangul". */
const koreanText = z.string().superRefine((value, context) => {
  if (value.trim() === "") context.addIssue({ code: "custom", message: "must not be empty" });
  else if (!containsHangul(value)) context.addIssue({ code: "custom", message: "must contain Hangul" });
});

const slug = z.string().regex(SLUG, "must be lowercase letters and digits joined by hyphens");

export const roleSchema = z.enum(["A", "B"]);
export const learnerLanguageSchema = z.enum(["en", "id"]);
export const lessonLevelSchema = z.enum(["beginner", "elementary", "intermediate"]);

export const packFileSchema = z.strictObject({
  id: slug,
  title: text,
  learnerLanguage: learnerLanguageSchema,
});

const roleDescriptionSchema = z.strictObject({ name: text, description: text });

const vocabularyItemSchema = z.strictObject({ korean: koreanText, meaning: text });

const stepFileSchema = z.strictObject({
  speaker: roleSchema,
  korean: koreanText,
  translation: text,
  accepted: z.array(koreanText).optional(),
  hint: text.nullable().optional(),
  // Absolute http(s) only: the address goes to browsers and Unity clients as is.
  audioUrl: z.url({ protocol: /^https?$/, error: "must be an http or https URL" }).nullable().optional(),
});

export const MIN_STEPS = 6;

export const lessonFileSchema = z
  .strictObject({
    id: slug,
    title: text,
    level: lessonLevelSchema,
    summary: text,
    roles: z.strictObject({ A: roleDescriptionSchema, B: roleDescriptionSchema }),
    learnerRole: roleSchema,
    vocabulary: z.array(vocabularyItemSchema).min(1),
    steps: z.array(stepFileSchema).min(MIN_STEPS),
  })
  .superRefine((lesson, context) => {
    // A role that never speaks leaves a solo learner (or the server) with nothing to do.
    for (const role of roleSchema.options) {
      if (lesson.steps.length > 0 && !lesson.steps.some((step) => step.speaker === role)) {
        context.addIssue({ code: "custom", path: ["steps"], message: `role "${role}" never speaks` });
      }
    }
  });

export type PackFile = z.infer<typeof packFileSchema>;
export type LessonFile = z.infer<typeof lessonFileSchema>;
export type StepFile = z.infer<typeof stepFileSchema>;
