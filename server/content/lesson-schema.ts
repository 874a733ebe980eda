/**
 * The authoring format of `content/packs/<pack>/pack.json` and `lessons/<NN-slug>.json`.
 * Objects are strict so a misspelt optional field (`hnit`) is an error rather than a hint that
 * silently never shows. Romanization is not part of the format: the loader derives it, so it can
 * never disagree with the Korean.
 */
import { z } from "zod";
import { NAME_SLOT, hasNameSlot, strayBraces } from "./name-slot.ts";

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

/** `exampleName`: the Korean name the model audio says where a line has the learner's `{name}`. */
const roleDescriptionSchema = z.strictObject({ name: text, description: text, exampleName: koreanText.optional() });

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

const lessonShape = z.strictObject({
  id: slug,
  title: text,
  level: lessonLevelSchema,
  summary: text,
  roles: z.strictObject({ A: roleDescriptionSchema, B: roleDescriptionSchema }),
  learnerRole: roleSchema,
  vocabulary: z.array(vocabularyItemSchema).min(1),
  steps: z.array(stepFileSchema).min(MIN_STEPS),
});

export const lessonFileSchema = lessonShape
  .superRefine((lesson, context) => {
    // A role that never speaks leaves a solo learner (or the server) with nothing to do.
    for (const role of roleSchema.options) {
      if (lesson.steps.length > 0 && !lesson.steps.some((step) => step.speaker === role)) {
        context.addIssue({ code: "custom", path: ["steps"], message: `role "${role}" never speaks` });
      }
    }
    checkNameSlots(lesson, context);
  });

/** `{name}` is the one slot: anything else in braces is a typo, and a slot needs an example name. */
function checkNameSlots(lesson: z.infer<typeof lessonShape>, context: z.core.$RefinementCtx): void {
  let used = false;
  lesson.steps.forEach((step, index) => {
    const texts: [(string | number)[], string][] = [
      [["korean"], step.korean],
      ...(step.accepted ?? []).map((answer, n): [(string | number)[], string] => [["accepted", n], answer]),
    ];
    for (const [path, value] of texts) {
      if (strayBraces(value)) {
        context.addIssue({ code: "custom", path: ["steps", index, ...path], message: `only the slot ${NAME_SLOT} may be written in braces` });
      }
      used ||= hasNameSlot(value);
    }
    if (step.accepted?.length && hasNameSlot(step.korean) !== step.accepted.every(hasNameSlot)) {
      context.addIssue({ code: "custom", path: ["steps", index, "accepted"], message: `must use ${NAME_SLOT} exactly where "korean" does` });
    }
  });
  if (used && !lesson.roles[lesson.learnerRole].exampleName) {
    context.addIssue({
      code: "custom", path: ["roles", lesson.learnerRole, "exampleName"],
      message: `is required because lines use ${NAME_SLOT} (the name the model audio says)`,
    });
  }
}

export type PackFile = z.infer<typeof packFileSchema>;
export type LessonFile = z.infer<typeof lessonFileSchema>;
export type StepFile = z.infer<typeof stepFileSchema>;
