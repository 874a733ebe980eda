/**
 * Needleman-Wunsch alignment of the target's syllables with the heard ones: each target syllable
 * is paired with a heard one (same or substituted) or left out (omitted); heard syllables with no
 * partner were inserted. Pairing costs the syllables' distance (0-1); leaving one out costs GAP_COST.
 */
import type { SyllableSounds } from "./pronunciation.ts";
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

export interface LatticeAlignment extends Alignment {
  /** For each target syllable, the allowed sound the alignment chose (the standard one when omitted). */
  said: string[];
}

/**
 * Aligns heard syllables with every allowed pronunciation of the target at once and keeps the
 * closest. A pronunciation is a path through the lattice: the seam option chosen between target
 * syllables j-1 and j is part of the state, so both syllables beside a seam agree on it, and
 * vowel options are free per syllable. Cost O(target x heard x seam options^2 x vowel options).
 */
export function alignWithLattice(lattice: readonly SyllableSounds[], heard: readonly string[]): LatticeAlignment {
  const targetCount = lattice.length;
  const columns = heard.length + 1;
  // states[j]: options of the seam just before target syllable j (1 at both ends).
  const states = [1, ...lattice.map((syllable) => syllable.seamOutOptions)];
  const offsets: number[] = [];
  let size = 0;
  for (const count of states) {
    offsets.push(size);
    size += columns * count;
  }
  const cost = new Float64Array(size);
  const at = (j: number, k: number, state: number) => offsets[j] + k * states[j] + state;
  const pairing = lattice.map((syllable) => pairingCosts(syllable, heard));
  const heardCount = heard.length;
  const pairCost = (j: number, seamIn: number, seamOut: number, k: number) =>
    pairing[j].cost[(seamIn * lattice[j].seamOutOptions + seamOut) * heardCount + k];

  for (let k = 1; k < columns; k++) cost[k] = k * GAP_COST;
  for (let j = 1; j <= targetCount; j++) {
    // The hot loop: indexes are computed by hand rather than through at()/pairCost().
    const before = states[j - 1];
    const after = states[j];
    const rowBefore = offsets[j - 1];
    const row = offsets[j];
    const pairs = pairing[j - 1].cost;
    for (let k = 0; k < columns; k++) {
      for (let state = 0; state < after; state++) {
        let best = Infinity;
        for (let previous = 0; previous < before; previous++) {
          const omitted = cost[rowBefore + k * before + previous] + GAP_COST;
          if (omitted < best) best = omitted;
          if (k > 0) {
            const paired = cost[rowBefore + (k - 1) * before + previous] + pairs[(previous * after + state) * heardCount + k - 1];
            if (paired < best) best = paired;
          }
        }
        if (k > 0) {
          const inserted = cost[row + (k - 1) * after + state] + GAP_COST;
          if (inserted < best) best = inserted;
        }
        cost[row + k * after + state] = best;
      }
    }
  }

  const steps: AlignmentStep[] = [];
  const said = lattice.map((syllable) => syllable.sounds[0][0]);
  let j = targetCount;
  let k = heard.length;
  let state = 0;
  while (j > 0 || k > 0) {
    const here = cost[at(j, k, state)];
    if (k > 0 && Math.abs(here - (cost[at(j, k - 1, state)] + GAP_COST)) < TIE) {
      steps.push({ kind: "inserted", heard: --k });
      continue;
    }
    let moved = false;
    for (let previous = 0; previous < states[j - 1] && !moved; previous++) {
      if (Math.abs(here - (cost[at(j - 1, k, previous)] + GAP_COST)) < TIE) {
        said[j - 1] = lattice[j - 1].sounds[previous * lattice[j - 1].seamOutOptions + state][0];
        steps.push({ kind: "omitted", target: j - 1 });
        j--;
        state = previous;
        moved = true;
      }
    }
    for (let previous = 0; previous < states[j - 1] && !moved && k > 0; previous++) {
      if (Math.abs(here - (cost[at(j - 1, k - 1, previous)] + pairCost(j - 1, previous, state, k - 1))) < TIE) {
        const cell = (previous * lattice[j - 1].seamOutOptions + state) * heard.length + k - 1;
        said[j - 1] = lattice[j - 1].sounds[previous * lattice[j - 1].seamOutOptions + state][pairing[j - 1].vowel[cell]];
        steps.push({ kind: "paired", target: j - 1, heard: k - 1 });
        j--;
        k--;
        state = previous;
        moved = true;
      }
    }
    if (!moved) throw new Error("alignment traceback lost its path");
  }
  return { cost: cost[at(targetCount, heard.length, 0)], steps: steps.reverse(), said };
}

/** For each (seam options, heard syllable): the closest sound of a target syllable and its distance. */
function pairingCosts(syllable: SyllableSounds, heard: readonly string[]): { cost: Float64Array; vowel: Uint8Array } {
  const heardCount = heard.length;
  const cost = new Float64Array(syllable.sounds.length * heardCount);
  const vowel = new Uint8Array(cost.length);
  for (let combination = 0; combination < syllable.sounds.length; combination++) {
    const sounds = syllable.sounds[combination];
    for (let k = 0; k < heardCount; k++) {
      let best = syllableDistance(sounds[0], heard[k]);
      for (let option = 1; option < sounds.length; option++) {
        const distance = syllableDistance(sounds[option], heard[k]);
        if (distance < best) {
          best = distance;
          vowel[combination * heardCount + k] = option;
        }
      }
      cost[combination * heardCount + k] = best;
    }
  }
  return { cost, vowel };
}
