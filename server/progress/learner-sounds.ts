/**
 * What a learner's own attempts say about their sounds: the jamo the scorer heard as something
 * else most often (ㅓ heard as ㅗ, ㄲ heard as ㄱ), each with lines they have met that carry the
 * sound, and how many days in a row they have practised. Pure: attempts and lessons in, a report out.
 */
import { fillNameSlot } from "../content/name-slot.ts";
import type { AttemptRecord } from "../attempts/attempt.ts";
import type { Lesson } from "../content/lesson.ts";

export interface JamoConfusion {
  expected: string;
  heard: string;
  count: number;
  /** Lines the learner has met that contain the expected jamo: the drill. */
  drill: { lessonId: string; stepIndex: number; korean: string; audioUrl: string | null }[];
}

export interface LearnerSounds {
  confusions: JamoConfusion[];
  /** Consecutive UTC days with at least one attempt, ending today (or yesterday: today is not over). */
  streakDays: number;
  practiceDays: number;
  attemptsCounted: number;
}

const DRILL_LINES = 3;
const MAX_CONFUSIONS = 6;
const DAY_MS = 86_400_000;

/** `practiceDays`: the days (since 1970, UTC) with any attempt, when known beyond `attempts`. */
export function learnerSounds(
  attempts: readonly AttemptRecord[], lessonOf: (id: string) => Lesson | undefined, now = new Date(), practiceDays?: readonly number[],
): LearnerSounds {
  const counts = new Map<string, { expected: string; heard: string; count: number }>();
  for (const attempt of attempts) {
    for (const syllable of attempt.syllables ?? []) {
      for (const change of syllable.jamo ?? []) {
        if (!change.expected || change.expected === change.heard) continue;
        const key = `${change.expected}>${change.heard}`;
        const entry = counts.get(key) ?? { expected: change.expected, heard: change.heard, count: 0 };
        entry.count++;
        counts.set(key, entry);
      }
    }
  }
  const metLines = linesMet(attempts, lessonOf);
  const confusions = [...counts.values()]
    .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected))
    .slice(0, MAX_CONFUSIONS)
    .map((confusion) => ({
      ...confusion,
      drill: metLines.filter((line) => line.korean.normalize("NFD").includes(compatibilityToConjoining(confusion.expected))).slice(0, DRILL_LINES),
    }));
  const days = new Set(practiceDays ?? attempts.map((attempt) => Math.floor(Date.parse(attempt.createdAt) / DAY_MS)));
  return { confusions, ...streakOf(days, Math.floor(now.getTime() / DAY_MS)), attemptsCounted: attempts.length };
}

function streakOf(days: Set<number>, today: number): { streakDays: number; practiceDays: number } {
  let day = days.has(today) ? today : today - 1;
  let streakDays = 0;
  while (days.has(day)) {
    streakDays++;
    day--;
  }
  return { streakDays, practiceDays: days.size };
}

function linesMet(attempts: readonly AttemptRecord[], lessonOf: (id: string) => Lesson | undefined): JamoConfusion["drill"] {
  const seen = new Set<string>();
  const lines: JamoConfusion["drill"] = [];
  for (const attempt of [...attempts].reverse()) {
    const key = `${attempt.lessonId}#${attempt.stepIndex}`;
    const lesson = lessonOf(attempt.lessonId);
    const step = lesson?.steps[attempt.stepIndex];
    if (seen.has(key) || !lesson || !step) continue;
    seen.add(key);
    const korean = fillNameSlot(step.korean, lesson.roles[lesson.learnerRole].exampleName ?? "");
    lines.push({ lessonId: lesson.id, stepIndex: step.index, korean, audioUrl: step.audioUrl });
  }
  return lines;
}

/**
 * The scorer names jamo in compatibility letters (ㅓ, U+3153); inside decomposed syllables they are
 * conjoining letters (U+1165). Initial and final consonants differ, so both are tried by the caller's
 * `includes` through this one mapping: a consonant maps to its initial form, which is where most
 * confusions (plain/tense/aspirated) are heard.
 */
const COMPATIBILITY_TO_CONJOINING: Record<string, string> = Object.fromEntries([
  ..."ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ".split("").map((jamo, index) => [jamo, String.fromCharCode(0x1100 + index)]),
  ..."ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ".split("").map((jamo, index) => [jamo, String.fromCharCode(0x1161 + index)]),
]);

function compatibilityToConjoining(jamo: string): string {
  return COMPATIBILITY_TO_CONJOINING[jamo] ?? jamo;
}
