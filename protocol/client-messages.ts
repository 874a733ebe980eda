/**
 * Every client message the lesson room accepts: its payload schema and who may send it
 * (docs/protocol.md). Colyseus' built-in validator closes the socket on a bad payload; the room
 * validates with these instead, so a bad payload only earns that client an error message and the
 * session carries on. Clients import the payload types (`import type`), which costs them no zod.
 */
import { z } from "zod";
import { ANSWER_MAX_CHARACTERS } from "./limits.ts";

const id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only");
const empty = z.union([z.undefined(), z.null(), z.strictObject({})]);
/** C0 controls but tab and line breaks, DEL and C1 controls: nothing a learner types, and Postgres refuses U+0000 in text. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/**
 * Invisible characters: format characters (zero-width, text-direction, soft hyphen, tags; Unicode Cf),
 * the combining grapheme joiner and the Hangul fillers. They reorder, hide or blank what a tutor or
 * another learner reads (a name shown backwards, or a name of one U+3164 shown empty), and split a
 * Korean answer the scorer compares.
 */
export const INVISIBLE_FORMATTING = /[\p{Cf}\u034F\u115F\u1160\u3164\uFFA0]/gu;
const visible = (value: string) => value.replace(INVISIBLE_FORMATTING, "");
/** Control characters refused; invisible formatting dropped before the length and emptiness checks. */
const plain = (schema: z.ZodString) => z.string().transform(visible)
  .pipe(schema.refine((value) => !CONTROL_CHARACTERS.test(value), "must not contain control characters"));
const text = (max: number) => plain(z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`));

export const learnerMessages = {
  start: empty,
  answer: z.strictObject({
    text: text(ANSWER_MAX_CHARACTERS),
    /** The step the learner is answering; a stale step is refused rather than scored against the wrong line. */
    step: z.number().int().min(0).optional(),
    /** Client-chosen id so a resent answer is recognised and not counted twice. */
    attemptId: id.optional(),
  }),
  next: empty,
  hint: empty,
  "utterance-open": z.strictObject({
    codec: z.enum(["pcm16", "opus"]),
    sampleRate: z.number().int().positive(),
    step: z.number().int().min(0).optional(),
    attemptId: id.optional(),
    /** hands-free: the server ends the utterance on silence; push-to-talk: the client's release does. */
    mode: z.enum(["hands-free", "push-to-talk"]).default("hands-free"),
  }),
  "utterance-close": empty,
} as const;

export const tutorMessages = {
  advance: empty,
  back: empty,
  "tutor-hint": z.strictObject({ learnerId: id, text: text(300) }),
  note: z.strictObject({ learnerId: id, text: text(1000) }),
  grade: z.strictObject({ attemptId: id, score: z.number().int().min(0).max(100), comment: plain(z.string().trim().max(500)).default("") }),
  end: empty,
  /** Run a spoken attempt's stored recording through the pipeline again (after a provider outage). */
  reevaluate: z.strictObject({ attemptId: id }),
} as const;

export type LearnerMessageType = keyof typeof learnerMessages;
export type TutorMessageType = keyof typeof tutorMessages;

export type MessagePayload<T extends LearnerMessageType | TutorMessageType> = T extends LearnerMessageType
  ? z.infer<(typeof learnerMessages)[T]>
  : T extends TutorMessageType
    ? z.infer<(typeof tutorMessages)[T]>
    : never;

export const joinOptionsSchema = z.object({
  token: z.string().optional(),
  platform: z.enum(["web", "unity", "other"]).default("other"),
});

export const createOptionsSchema = joinOptionsSchema.extend({
  lessonId: z.string().trim().min(1, "lessonId is required").max(100),
  /** Resume this interrupted session (its process stopped or crashed) instead of starting a new one. */
  resume: id.optional(),
});

/** One line per problem (`text: must not be empty`), for the client at fault: at most five and 300 characters (a payload of 2,000 unknown keys does not get them all read back). */
export function describeIssues(error: z.ZodError): string {
  const described = error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "payload"}: ${issue.message}`)
    .join("; ");
  return described.length > 300 ? `${described.slice(0, 299)}…` : described;
}
