/**
 * Fluency from timing alone: is the speech rate inside a band a beginner can reach, and were
 * there long hesitations? Formula in docs/scoring.md.
 */
import { KotoError } from "../../errors.ts";
import type { UtteranceTiming } from "./types.ts";

/** Syllables per second scoring full marks. Native conversation runs at about 5-7. */
export const TARGET_RATE = { slowest: 2, fastest: 7 } as const;
/** At or below this rate the rate part scores 0. */
export const STALLED_RATE = 0.5;
/** Points lost per syllable per second above the band, down to FAST_FLOOR. */
export const FAST_PENALTY_PER_RATE = 10;
export const FAST_FLOOR = 50;
/** A silence this long or longer inside an utterance counts as a hesitation. */
export const LONG_PAUSE_MS = 500;
/** A long pause costs PAUSE_BASE_PENALTY plus PAUSE_PENALTY_PER_SECOND per second beyond LONG_PAUSE_MS, at most PAUSE_MAX_PENALTY. */
export const PAUSE_BASE_PENALTY = 10;
export const PAUSE_PENALTY_PER_SECOND = 10;
export const PAUSE_MAX_PENALTY = 25;
/** All pauses together cost at most this much. */
export const PAUSES_MAX_PENALTY = 60;

/** Syllables per second of speaking time. */
export function speechRate(syllables: number, timing: UtteranceTiming): number {
  return timing.speechMs > 0 ? syllables / (timing.speechMs / 1000) : 0;
}

/** 0-100 for the rate alone. */
export function rateScore(rate: number): number {
  if (rate <= STALLED_RATE) return 0;
  if (rate < TARGET_RATE.slowest) return (100 * (rate - STALLED_RATE)) / (TARGET_RATE.slowest - STALLED_RATE);
  if (rate <= TARGET_RATE.fastest) return 100;
  return Math.max(FAST_FLOOR, 100 - FAST_PENALTY_PER_RATE * (rate - TARGET_RATE.fastest));
}

/** Points lost to hesitations. */
export function pausePenalty(pauses: readonly number[]): number {
  let penalty = 0;
  for (const pause of pauses) {
    if (pause < LONG_PAUSE_MS) continue;
    penalty += Math.min(PAUSE_MAX_PENALTY, PAUSE_BASE_PENALTY + (PAUSE_PENALTY_PER_SECOND * (pause - LONG_PAUSE_MS)) / 1000);
  }
  return Math.min(PAUSES_MAX_PENALTY, penalty);
}

/** Fluency 0-100 for `syllables` heard syllables said with `timing`. */
export function fluencyScore(syllables: number, timing: UtteranceTiming): number {
  checkTiming(timing);
  if (syllables === 0) return 0;
  const score = rateScore(speechRate(syllables, timing)) - pausePenalty(timing.pauses);
  return Math.round(Math.min(100, Math.max(0, score)));
}

function checkTiming(timing: UtteranceTiming): void {
  const validMs = (value: unknown) => typeof value === "number" && Number.isFinite(value) && value >= 0;
  if (!validMs(timing.speechMs)) {
    throw new KotoError("INVALID_TIMING", "speechMs must be a number of milliseconds, 0 or more");
  }
  if (!Array.isArray(timing.pauses) || !timing.pauses.every(validMs)) {
    throw new KotoError("INVALID_TIMING", "pauses must be a list of silences in milliseconds, each 0 or more");
  }
}
