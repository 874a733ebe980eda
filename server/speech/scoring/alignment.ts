/**
 * Needleman-Wunsch alignment of the target's syllables with the heard ones: each target syllable
 * is paired with a heard one (same or substituted) or left out (omitted); heard syllables with no
 * partner were inserted. Pairing costs the syllables' distance (0-1); leaving one out costs GAP_COST.
 */
import { syllableDistance } from "./similarity.ts";

/**
 * Above half of the largest distance, so two unrelated syllables are still paired rather than
 * split into an omission plus an insertion, but a near-identical neighbour wins over a gap.
 */
export const GAP_COST = 0.6;

export type AlignmentStep =
  | { kind: "paired"; target: number; heard: number }
  | { kind: "omitted"; target: number }
  | { kind: "inserted"; heard: number };

export interface Alignment {
  cost: number;
  steps: AlignmentStep[];
}

const TIE = 1e-9;

export function alignSyllables(
  target: readonly string[],
  heard: readonly string[],
  distance: (target: string, heard: string) => number = syllableDistance,
): Alignment {
  const rows = target.length + 1;
  const columns = heard.length + 1;
  const cost = new Float64Array(rows * columns);
  for (let i = 1; i < rows; i++) cost[i * columns] = i * GAP_COST;
  for (let j = 1; j < columns; j++) cost[j] = j * GAP_COST;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const paired = cost[(i - 1) * columns + j - 1] + distance(target[i - 1], heard[j - 1]);
      const omitted = cost[(i - 1) * columns + j] + GAP_COST;
      const inserted = cost[i * columns + j - 1] + GAP_COST;
      cost[i * columns + j] = Math.min(paired, omitted, inserted);
    }
  }

  // Walking back from the end, gaps win ties, so an extra or missing syllable is reported as
  // late as possible ("네 네" heard for "네": the second one was inserted).
  const steps: AlignmentStep[] = [];
  let i = target.length;
  let j = heard.length;
  while (i > 0 || j > 0) {
    const here = cost[i * columns + j];
    if (j > 0 && Math.abs(here - (cost[i * columns + j - 1] + GAP_COST)) < TIE) {
      steps.push({ kind: "inserted", heard: --j });
    } else if (i > 0 && Math.abs(here - (cost[(i - 1) * columns + j] + GAP_COST)) < TIE) {
      steps.push({ kind: "omitted", target: --i });
    } else {
      steps.push({ kind: "paired", target: --i, heard: --j });
    }
  }
  return { cost: cost[rows * columns - 1], steps: steps.reverse() };
}
