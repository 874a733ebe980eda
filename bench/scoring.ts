/**
 * The Korean scorer's cost on one core: dictionary load, throughput on the lesson packs' own lines,
 * and the worst case at the input caps (SCORING_LIMITS), which scoreUtterance enforces itself.
 * Run with `npm run bench:scoring` (~10 s); `benchScoring()` returns the same figures.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { commonWords, wordFacts } from "../server/speech/scoring/lexicon.ts";
import { SCORING_LIMITS, scoreUtterance } from "../server/speech/scoring/score.ts";

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Every Korean line of the shipped lesson packs. */
function lessonLines(): string[] {
  const root = fileURLToPath(new URL("../content/packs/", import.meta.url));
  const lines = new Set<string>();
  for (const pack of readdirSync(root)) {
    for (const file of readdirSync(`${root}${pack}/lessons`)) {
      const text = readFileSync(`${root}${pack}/lessons/${file}`, "utf8");
      for (const match of text.matchAll(/"korean":\s*"([^"]+)"/gu)) lines.add(match[1]);
    }
  }
  return [...lines];
}

/** A plausible learner error: one vowel moved (ㅓ→ㅗ and the like) on the middle syllable. */
function withOneError(line: string): string {
  const characters = Array.from(line);
  const hangul = characters.flatMap((character, index) => (/[가-힣]/u.test(character) ? [index] : []));
  const at = hangul[Math.floor(hangul.length / 2)];
  const offset = characters[at].charCodeAt(0) - 0xac00;
  const vowelBlock = offset - (offset % 588);
  characters[at] = String.fromCharCode(0xac00 + vowelBlock + ((offset % 588) + 8 * 28) % 588);
  return characters.join("");
}

export interface ScoringBench {
  dictionaryWords: number;
  dictionaryLoadMs: number;
  dictionaryHeapMb: number;
  wordFactsUsPerWord: number;
  lessonLines: number;
  scoresPerSecond: number;
  scoreUs: { p50: number; p99: number; max: number };
  worstCaseAtCaps: { targetSyllables: number; heard: string; firstCallMs: number; warmMedianMs: number; heapMb: number };
}

export function benchScoring(): ScoringBench {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const loadStarted = performance.now();
  const words = commonWords();
  const dictionaryLoadMs = performance.now() - loadStarted;
  const dictionaryHeapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

  const sample = [...words.keys()].slice(0, 2000);
  const factsStarted = performance.now();
  for (const word of sample) wordFacts(word);
  const wordFactsUsPerWord = ((performance.now() - factsStarted) * 1000) / sample.length;

  const lines = lessonLines();
  const pairs = lines.flatMap((line) => [[line, line], [line, withOneError(line)], [line, line.replace(/\s/gu, "")]]);
  for (const [target, heard] of pairs) scoreUtterance(target, heard); // warm-up (and the target cache)
  const times: number[] = [];
  const started = performance.now();
  while (performance.now() - started < 3000) {
    for (const [target, heard] of pairs) {
      const one = performance.now();
      scoreUtterance(target, heard);
      times.push((performance.now() - one) * 1000);
    }
  }
  const elapsedMs = performance.now() - started;
  times.sort((a, b) => a - b);

  // The worst case: a target at the cap made of lines full of allowed variants (every seam and
  // vowel with options), against a transcript at the cap that shares little with it, or one full of
  // numbers and word boundaries (each number read two ways, each boundary with or without a pause:
  // the most readings and pronunciations of the transcript that scoring tries).
  const dense = "옷 입어요 밥 먹어요 시계 희망 우리의 맛있어요 외국 할 수 있어요 ";
  let target = "";
  while ((target.match(/[가-힣]/gu)?.length ?? 0) < SCORING_LIMITS.targetSyllables) target += dense;
  target = Array.from(target).reduce((kept, character) =>
    (kept.match(/[가-힣]/gu)?.length ?? 0) >= SCORING_LIMITS.targetSyllables ? kept : kept + character, "");
  const unrelated = Array.from({ length: SCORING_LIMITS.heardSyllables }, (_, index) => "가나다라마바사아자차카타파하"[index % 14]).join("");
  let numbers = "";
  // 14 syllables a repeat once the numbers are read out (세 시 다섯 분 …).
  for (let syllables = 14; syllables <= SCORING_LIMITS.heardSyllables; syllables += 14) numbers += "3시 5분 밥 먹어요 옷 입어요 ";
  const worst = { ms: 0, warmMs: 0, heapMb: 0, heard: "" };
  for (const heard of [unrelated, numbers]) {
    globalThis.gc?.();
    const heapAtCaps = process.memoryUsage().heapUsed;
    const cold = performance.now();
    scoreUtterance(target, heard);
    const coldMs = performance.now() - cold;
    const heapMb = Math.max(0, (process.memoryUsage().heapUsed - heapAtCaps) / 2 ** 20);
    const runs: number[] = [];
    for (let run = 0; run < 5; run++) {
      const one = performance.now();
      scoreUtterance(target, heard);
      runs.push(performance.now() - one);
    }
    runs.sort((a, b) => a - b);
    if (coldMs > worst.ms) Object.assign(worst, { ms: coldMs, warmMs: runs[2], heapMb, heard: heard === numbers ? "numbers and word boundaries" : "unrelated syllables" });
  }

  return {
    dictionaryWords: words.size,
    dictionaryLoadMs: round(dictionaryLoadMs, 1),
    dictionaryHeapMb: round(dictionaryHeapMb, 1),
    wordFactsUsPerWord: round(wordFactsUsPerWord, 1),
    lessonLines: lines.length,
    scoresPerSecond: Math.round((times.length * 1000) / elapsedMs),
    scoreUs: { p50: round(percentile(times, 50), 0), p99: round(percentile(times, 99), 0), max: round(times[times.length - 1], 0) },
    worstCaseAtCaps: {
      targetSyllables: target.match(/[가-힣]/gu)?.length ?? 0, heard: worst.heard, firstCallMs: round(worst.ms, 0),
      warmMedianMs: round(worst.warmMs, 0), heapMb: round(worst.heapMb, 1),
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = benchScoring();
  console.log("Korean scorer, one core (bench/scoring.ts)");
  console.log(`  dictionary: ${figures.dictionaryWords} words, parsed in ${figures.dictionaryLoadMs} ms, ~${figures.dictionaryHeapMb} MB heap; word facts ${figures.wordFactsUsPerWord} µs per word`);
  console.log(`  lesson lines (${figures.lessonLines}, said right / one vowel wrong / unspaced): ${figures.scoresPerSecond} scores/s, ` +
    `p50 ${figures.scoreUs.p50} µs, p99 ${figures.scoreUs.p99} µs, max ${figures.scoreUs.max} µs`);
  const worst = figures.worstCaseAtCaps;
  console.log(`  worst case at the caps (${worst.targetSyllables} target syllables dense with variants × up to ${SCORING_LIMITS.heardSyllables} heard, ${worst.heard}): ` +
    `first call ${worst.firstCallMs} ms, then ${worst.warmMedianMs} ms (median of 5), ~${worst.heapMb} MB heap`);
  console.log(`  caps (enforced in scoreUtterance): ${SCORING_LIMITS.targetSyllables} target syllables, ${SCORING_LIMITS.heardSyllables} heard syllables, ${SCORING_LIMITS.characters} characters`);
}
