/**
 * The facts about particular words that the pronunciation rules need and spelling does not show:
 * where a word is a compound of two content words (표준 발음법 제15항, 제28항, 제29항), which
 * syllables are nouns or dependent nouns, verb stems and Hanja. Short lists from the standard's own
 * descriptions, and a dictionary of frequent words (lexicon/common-words.ts, Kengdic, MPL 2.0).
 */
import { joinSyllable, splitSyllable } from "./hangul.ts";
import { COMMON_WORDS } from "./lexicon/common-words.ts";

/**
 * How the consonant before a vowel carries over at a compound's seam:
 * - "nieun": ㄴ is added before 이/야/여/요/유 (솜이불 [솜니불], 꽃잎 [꼰닙]) (제29항);
 * - "nieunOrLink": ㄴ is added, or the consonant simply carries over (금융 [금늉/그뮹]);
 * - "neutralLink": the consonant is first reduced to its representative sound (겉옷 [거돋]) (제15항);
 * - "eitherLink": carried over as written or as the representative sound (맛있다 [마싣따/마딛따]);
 * - "nieunOrNeutral": found by the dictionary before 이/야/여/요/유: ㄴ added, or the reduced
 *   final carried over (끝인사 [끄딘사], 부산역 [부산녁/부사녁]);
 * - "neutralOrLink": found by the dictionary before another vowel: the reduced final (제15항),
 *   or, since the dictionary may have split a word that is not a compound, as written.
 */
export type SeamKind = "nieun" | "nieunOrLink" | "neutralLink" | "eitherLink" | "nieunOrNeutral" | "neutralOrLink";

/** [written form, index of the syllable after the seam, kind]. A word containing the form has the seam. */
export const COMPOUND_SEAMS: ReadonlyArray<readonly [string, number, SeamKind]> = [
  ["솜이불", 1, "nieun"],
  ["한여름", 1, "nieun"],
  ["늦여름", 1, "nieun"],
  ["맨입", 1, "nieun"],
  ["꽃잎", 1, "nieun"],
  ["깻잎", 1, "nieun"],
  ["나뭇잎", 2, "nieun"],
  ["풀잎", 1, "nieun"],
  ["솔잎", 1, "nieun"],
  ["색연필", 1, "nieun"],
  ["식용유", 2, "nieun"],
  ["휘발유", 2, "nieun"],
  ["눈요기", 1, "nieun"],
  ["담요", 1, "nieun"],
  ["알약", 1, "nieun"],
  ["물약", 1, "nieun"],
  ["내복약", 2, "nieun"],
  ["막일", 1, "nieun"],
  ["집안일", 2, "nieun"],
  ["부엌일", 2, "nieun"],
  ["볼일", 1, "nieun"],
  ["영업용", 2, "nieun"],
  ["서울역", 2, "nieun"],
  ["늑막염", 2, "nieun"],
  ["백분율", 2, "nieun"],
  ["서른여섯", 2, "nieun"],
  ["스물여섯", 2, "nieun"],
  ["십육", 1, "nieun"],
  ["백육", 1, "nieun"],
  ["천육", 1, "nieun"],
  ["만육", 1, "nieun"],
  ["금융", 1, "nieunOrLink"],
  ["검열", 1, "nieunOrLink"],
  ["겉옷", 1, "neutralLink"],
  ["웃옷", 1, "neutralLink"],
  ["윗옷", 1, "neutralLink"],
  ["헛웃음", 1, "neutralLink"],
  ["첫인상", 1, "neutralLink"],
  ["맛없", 1, "neutralLink"],
  ["멋없", 1, "neutralLink"],
  ["값없", 1, "neutralLink"],
  ["맛있", 1, "eitherLink"],
  ["멋있", 1, "eitherLink"],
];

/** The seams inside one written word, by the index of the syllable after each seam. */
export function compoundSeams(word: string): Map<number, SeamKind> {
  const seams = new Map<number, SeamKind>();
  for (const [form, at, kind] of COMPOUND_SEAMS) {
    for (let found = word.indexOf(form); found >= 0; found = word.indexOf(form, found + 1)) {
      seams.set(found + at, kind);
    }
  }
  const repeated = reduplicatedSeam(word);
  if (repeated !== undefined && !seams.has(repeated)) seams.set(repeated, "nieunOrLink");
  return seams;
}

/**
 * 제29항 다만: a word said twice over (이죽이죽, 야금야금, 욜랑욜랑) whose half ends in a consonant and
 * begins with 이/야/여/요/유 takes ㄴ at the seam or is said as written: [이중니죽/이주기죽]. The
 * index of the second half, if the word (a particle or ending may follow) is such a repetition.
 */
export function reduplicatedSeam(word: string): number | undefined {
  for (let half = 2; half * 2 <= word.length; half++) {
    const first = word.slice(0, half);
    if (word.slice(half, half * 2) !== first) continue;
    const start = splitSyllable(first[0]);
    if (start.onset === "ㅇ" && VOWELS_TAKING_NIEUN_IN_COMPOUNDS.has(start.vowel) && splitSyllable(first[half - 1]).coda !== "") return half;
  }
  return undefined;
}

/**
 * 제28항: compounds without a written 사이시옷 whose tensing is a fact of the word, from the standard's
 * own list: [written form, index of the syllable after the seam, tensing]. A word containing the form
 * has that seam. Compounds the dictionary finds (see compoundBeforeConsonant) accept both forms;
 * these say which one the word takes.
 */
export const COMPOUND_TENSING: ReadonlyArray<readonly [string, number, Tensing]> = [
  // 제28항's examples, said tensed: 문고리 [문꼬리] …
  ["문고리", 1, "required"], ["눈동자", 1, "required"], ["신바람", 1, "required"], ["산새", 1, "required"],
  ["손재주", 1, "required"], ["길가", 1, "required"], ["물동이", 1, "required"], ["발바닥", 1, "required"],
  ["굴속", 1, "required"], ["술잔", 1, "required"], ["바람결", 2, "required"], ["그믐달", 2, "required"],
  ["아침밥", 2, "required"], ["강가", 1, "required"], ["초승달", 2, "required"], ["등불", 1, "required"],
  ["창살", 1, "required"], ["강줄기", 1, "required"],
  // 잠자리 "bed" [잠짜리] (제28항) is spelled like 잠자리 "dragonfly" [잠자리]: both.
  ["잠자리", 1, "allowed"],
  // A compound of two nouns said plain ([불고기], 표준국어대사전); the dictionary would split it.
  ["불고기", 1, "never"],
];

/** The tensing COMPOUND_TENSING decides inside one written word, by the index of the syllable after the seam. */
export function listedCompoundTensing(word: string): Map<number, Tensing> {
  const tensing = new Map<number, Tensing>();
  for (const [form, at, decided] of COMPOUND_TENSING) {
    for (let found = word.indexOf(form); found >= 0; found = word.indexOf(form, found + 1)) tensing.set(found + at, decided);
  }
  return tensing;
}

/** Nouns ending in ㄺ: unlike verb stems (읽고 [일꼬]) they keep [ㄱ] before ㄱ (닭고기 [닥꼬기]). */
export const NOUNS_ENDING_IN_RIEUL_GIYEOK = new Set(["닭", "흙", "칡", "삵"]);

/**
 * Dependent nouns (and 곳) after the future modifier -(으)ㄹ, whose first consonant is tensed
 * (할 수 [할쑤], 갈 거예요 [갈꺼예요]) (제27항).
 */
export const DEPENDENT_NOUNS_AFTER_RIEUL = new Set(["수", "것", "거", "걸", "게", "건", "데", "바", "적", "줄", "지", "듯", "곳"]);

/**
 * Does the written word begin with one of those dependent nouns (수, 거예요, 데가), rather than with
 * a longer word that shares its first syllable (지내요, 수박, 거기)?
 */
export function startsWithDependentNoun(word: string): boolean {
  if (!DEPENDENT_NOUNS_AFTER_RIEUL.has(word[0] ?? "")) return false;
  const first = dictionaryPieces(word)[0];
  return first === undefined || first.start > 0 || first.end === 1;
}

/** Endings -ㄹ게, -ㄹ걸 inside a word: tensed in speech (할게요 [할께요]) (제27항 붙임). */
export const RIEUL_ENDINGS = new Set(["게", "걸"]);

/**
 * Ending syllables that follow a verb stem ending in ㄴ or ㅁ and are then tensed (신고 [신꼬],
 * 참다 [참따], 줄넘기 [줄럼끼]) (제24항). Spelling cannot tell a stem from a noun (감사 stays [감사]), so the
 * tensed form is accepted beside the plain one, never required.
 */
export const ENDINGS_TENSED_AFTER_NASAL_STEMS = new Set(["고", "다", "지", "게", "소", "던", "자", "죠", "더", "기"]);

/**
 * Sino-Korean suffixes that keep ㄴ+ㄹ as [ㄴㄴ] (생산량 [생산냥], 횡단로 [횡단노]) where a plain
 * ㄴ+ㄹ becomes [ㄹㄹ] (신라 [실라]) (제20항 다만). Accepted both ways after a two-syllable stem.
 */
export const SUFFIXES_KEEPING_NIEUN = new Set(["란", "량", "력", "령", "례", "로", "론", "료", "류"]);

// ---------------------------------------------------------------------------------------------
// Word facts from a dictionary (lexicon/common-words.ts, Kengdic's 6,000 frequent words): parts
// of speech and Hanja. The rules of 제24, 26, 27, 28 and 29항 depend on what a word is, which
// spelling does not show; where the dictionary does not know the word, the rules fall back to
// accepting both forms (never to rejecting the standard one).
// ---------------------------------------------------------------------------------------------

export type PartOfSpeech =
  | "noun" | "verb" | "adverb" | "adjective" | "bound-noun" | "determiner" | "proper-noun" | "pronoun" | "numeral" | "interjection";

export interface DictionaryWord {
  parts: ReadonlySet<PartOfSpeech>;
  /** Per syllable, the Hanja it is written with, or "-" for a native syllable. */
  hanja: string;
}

let dictionary: Map<string, DictionaryWord> | undefined;
/** The longest word in the dictionary, in syllables: bounds the segmentation's search. */
let longestWord = 0;

/** The dictionary, parsed on first use (about 5,300 words; see docs/scoring.md for the load cost). */
export function commonWords(): ReadonlyMap<string, DictionaryWord> {
  if (dictionary) return dictionary;
  dictionary = new Map();
  for (const line of COMMON_WORDS.split("\n")) {
    const [word, parts, hanja] = line.split("\t");
    if (!word || !parts || !hanja) continue;
    dictionary.set(word, { parts: new Set(parts.split(",") as PartOfSpeech[]), hanja: Array.from(hanja).join("") });
    longestWord = Math.max(longestWord, word.length);
  }
  return dictionary;
}

const NOUNS: ReadonlySet<PartOfSpeech> = new Set(["noun", "proper-noun", "bound-noun", "pronoun", "numeral"]);
const PREDICATES: ReadonlySet<PartOfSpeech> = new Set(["verb", "adjective"]);

function hasPart(word: string, parts: ReadonlySet<PartOfSpeech>): boolean {
  const entry = commonWords().get(word);
  return entry !== undefined && [...entry.parts].some((part) => parts.has(part));
}

export const isNoun = (word: string): boolean => hasPart(word, NOUNS);
/** A verb or adjective whose dictionary form (ending in 다) is given. */
export const isPredicate = (dictionaryForm: string): boolean => hasPart(dictionaryForm, PREDICATES);

/** One dictionary word found inside a written word (a stem for verbs: 발달하 of 발달하다). */
export interface WordPiece {
  start: number;
  end: number;
  word: string;
  entry: DictionaryWord;
}

/**
 * The dictionary words a written word is made of, longest first from the left; syllables no
 * word covers (particles, endings) are skipped. A poor man's morphological analysis, enough to
 * find compounds (손 + 가락) and Sino-Korean words (發達).
 */
export function dictionaryPieces(word: string): WordPiece[] {
  const words = commonWords();
  const pieces: WordPiece[] = [];
  let start = 0;
  while (start < word.length) {
    let found: WordPiece | undefined;
    for (let end = Math.min(word.length, start + longestWord); end > start; end--) {
      const piece = word.slice(start, end);
      const entry = words.get(piece) ?? stemEntry(piece);
      // One syllable counts only as a noun (산, 책): a one-syllable verb stem is too ambiguous.
      if (entry && (end - start > 1 || isNounEntry(entry))) {
        found = { start, end, word: piece, entry };
        break;
      }
    }
    if (found) {
      pieces.push(found);
      start = found.end;
    } else {
      start++;
    }
  }
  return pieces;
}

const isNounEntry = (entry: DictionaryWord) => [...entry.parts].some((part) => NOUNS.has(part));

/** A verb stem as it is written before an ending: 발달하 for 발달하다 (its Hanja mask shortened). */
function stemEntry(stem: string): DictionaryWord | undefined {
  const entry = commonWords().get(`${stem}다`);
  if (!entry || ![...entry.parts].some((part) => PREDICATES.has(part))) return undefined;
  return { parts: entry.parts, hanja: entry.hanja.slice(0, stem.length) };
}

/**
 * Is this written word a verb or adjective in the future modifier form -(으)ㄹ (할, 먹을, 만날,
 * 도울, 들을, 지을, 만들, 가실)? Then 제27항 tenses the consonant after it.
 */
export function isFutureModifier(word: string, rieulStems = true): boolean {
  if (word.length === 0) return false;
  const last = word[word.length - 1];
  const lastParts = splitSyllableParts(last);
  if (lastParts.coda !== "ㄹ") return false;
  const before = word.slice(0, -1);
  // ㄹ-stems keep their form: 만들 (만들다), 알 (알다).
  if (rieulStems && isPredicate(`${word}다`)) return true;
  // Honorific -(으)실: 가실 (가다), 읽으실 (읽다).
  if (last === "실" && before.length > 0) return isPredicateStem(before.endsWith("으") ? before.slice(0, -1) : before);
  // 할 (하다), 만날 (만나다): the stem's last syllable gains ㄹ.
  if (isPredicate(`${before}${withCoda(last, "")}다`)) return true;
  if (last === "을" && before.length > 0) {
    if (isPredicate(`${before}다`)) return true; // 먹을, 있을
    const previous = before[before.length - 1];
    const previousCoda = splitSyllableParts(previous).coda;
    // ㄷ-irregular 들을 (듣다); ㅅ-irregular 지을 (짓다).
    if (previousCoda === "ㄹ" && isPredicate(`${before.slice(0, -1)}${withCoda(previous, "ㄷ")}다`)) return true;
    if (previousCoda === "" && isPredicate(`${before.slice(0, -1)}${withCoda(previous, "ㅅ")}다`)) return true;
  }
  // ㅂ-irregular 도울 (돕다), 추울 (춥다).
  if (last === "울" && before.length > 0) {
    const previous = before[before.length - 1];
    return splitSyllableParts(previous).coda === "" && isPredicate(`${before.slice(0, -1)}${withCoda(previous, "ㅂ")}다`);
  }
  return false;
}

/** The verb or adjective whose stem the written text is (신 → 신다, 앉 → 앉다), if the dictionary knows it. */
export const isPredicateStem = (stem: string): boolean => stem.length > 0 && isPredicate(`${stem}다`);

function splitSyllableParts(syllable: string): { coda: string } {
  return splitSyllable(syllable);
}

function withCoda(syllable: string, coda: string): string {
  return joinSyllable({ ...splitSyllable(syllable), coda });
}

/** What the dictionary decides about tensing at a seam inside a word (제24, 26, 27, 28항). */
export type Tensing = "required" | "allowed" | "never";

export interface WordFacts {
  /** Compound seams before a vowel, by the index of the syllable after the seam. */
  compoundSeams: Map<number, SeamKind>;
  /** Tensing decided by the dictionary, by the index of the syllable after the seam. */
  tensing: Map<number, Tensing>;
  /**
   * The word is a verb or adjective in the future modifier form -(으)ㄹ, so the next word's first
   * consonant is tensed (제27항): "required", or "allowed" when a noun is spelled the same (말, 볼).
   */
  futureModifier: Tensing | undefined;
}

const TENSABLE_ONSETS = new Set(["ㄱ", "ㄷ", "ㅂ", "ㅅ", "ㅈ"]);
const NASAL_STEM_CODAS = new Set(["ㄴ", "ㅁ", "ㄵ", "ㄻ"]);
/** Endings beginning with -ㄹ whose first consonant is tensed (제27항 붙임): 할게 할걸 할수록 할지 할밖에 할세라 할진대. */
const ENDINGS_AFTER_RIEUL = new Set(["게", "걸", "수", "지", "밖", "세", "진"]);
const VOWELS_TAKING_NIEUN_IN_COMPOUNDS = new Set(["ㅣ", "ㅑ", "ㅕ", "ㅛ", "ㅠ"]);

const factsCache = new Map<string, WordFacts>();
const FACTS_CACHE_SIZE = 4096;

/** Everything the dictionary and the lists above say about one written word (cached: words repeat). */
export function wordFacts(word: string): WordFacts {
  const cached = factsCache.get(word);
  if (cached) return cached;
  const facts = findWordFacts(word);
  if (factsCache.size >= FACTS_CACHE_SIZE) factsCache.delete(factsCache.keys().next().value as string);
  factsCache.set(word, facts);
  return facts;
}

function findWordFacts(word: string): WordFacts {
  const syllables = Array.from(word);
  const compound = compoundSeams(word);
  const listed = listedCompoundTensing(word);
  const tensing = new Map<number, Tensing>();
  const pieces = dictionaryPieces(word);
  for (let index = 1; index < syllables.length; index++) {
    const left = splitSyllable(syllables[index - 1]);
    const right = splitSyllable(syllables[index]);
    const covering = pieces.find((piece) => piece.start <= index - 1 && piece.end > index);
    const seamKind = compound.has(index) ? undefined : compoundSeamFromDictionary(pieces, covering, index, left.coda, right);
    if (seamKind) compound.set(index, seamKind);
    const decided = listed.get(index) ?? tensingAt(word, index, left.coda, right.onset, pieces, covering);
    if (decided) tensing.set(index, decided);
  }
  // A word the dictionary also knows as itself (물 "water", 잘 "well", 말 "speech") is read as that word.
  const futureModifier = isFutureModifier(word) && !commonWords().has(word) ? "required" : undefined;
  return { compoundSeams: compound, tensing, futureModifier };
}

/**
 * Where two nouns meet inside a word, found by the dictionary: the compound's seam (솜 + 이불,
 * 손 + 가락). The second noun must have two syllables or more, or the two together must be a
 * dictionary word: one-syllable nouns look like particles (산 + 이, 산 + 도).
 */
function nounSeamAt(pieces: WordPiece[], covering: WordPiece | undefined, index: number): boolean {
  if (covering) {
    if (!isNounEntry(covering.entry)) return false;
    // A Sino-Korean word is not a compound of that kind (감사 is 感謝, not 감 + 사).
    const at = index - covering.start;
    if (covering.entry.hanja[at - 1] !== "-" && covering.entry.hanja[at] !== "-") return false;
    return isNoun(covering.word.slice(0, at)) && isNoun(covering.word.slice(at));
  }
  const before = pieces.find((piece) => piece.end === index);
  const after = pieces.find((piece) => piece.start === index);
  if (before === undefined || after === undefined || !isNounEntry(before.entry) || !isNounEntry(after.entry)) return false;
  if (after.word.length >= 2) return true;
  // A one-syllable noun after a longer one only among those that form such compounds (부산 + 역,
  // 내복 + 약): most one-syllable nouns are spelled like a particle, an ending or the copula (이, 입, 일).
  return before.word.length >= 2 && COMPOUNDING_SYLLABLE_NOUNS.has(after.word);
}

/** One-syllable nouns that end compounds with ㄴ added before them (제29항): station, medicine, taffy, leaf, oil, rate, inflammation. */
const COMPOUNDING_SYLLABLE_NOUNS = new Set(["역", "약", "엿", "잎", "유", "율", "염", "윷"]);

function compoundSeamFromDictionary(
  pieces: WordPiece[], covering: WordPiece | undefined, index: number, leftCoda: string, right: { onset: string; vowel: string },
): SeamKind | undefined {
  if (right.onset !== "ㅇ" || leftCoda === "" || leftCoda === "ㅇ" || !nounSeamAt(pieces, covering, index)) return undefined;
  // Found by the dictionary, not listed: both readings the standard allows for such a seam.
  return VOWELS_TAKING_NIEUN_IN_COMPOUNDS.has(right.vowel) ? "nieunOrNeutral" : "neutralOrLink";
}

function tensingAt(
  word: string, index: number, leftCoda: string, rightOnset: string, pieces: WordPiece[], covering: WordPiece | undefined,
): Tensing | undefined {
  if (!TENSABLE_ONSETS.has(rightOnset)) return undefined;
  const syllable = word[index];
  // 제26항: ㄹ + ㄷ ㅅ ㅈ inside a Sino-Korean word is tensed (갈등 [갈뜽], 발달 [발딸]), but not between
  // the same Hanja repeated (허허실실 [허허실실], 절절하다 [절절하다]).
  if (covering && leftCoda === "ㄹ" && (rightOnset === "ㄷ" || rightOnset === "ㅅ" || rightOnset === "ㅈ")) {
    const [before, after] = [covering.entry.hanja[index - 1 - covering.start], covering.entry.hanja[index - covering.start]];
    if (before && after && before !== "-" && after !== "-") return before === after ? "never" : "required";
  }
  // 제27항 붙임: endings beginning with -ㄹ after a verb stem (할게요 [할께요], 할수록 [할쑤록]).
  if (leftCoda === "ㄹ" && ENDINGS_AFTER_RIEUL.has(syllable) && (syllable !== "수" || word[index + 1] === "록") &&
    isFutureModifier(word.slice(0, index))) {
    // After a stem in ㄹ (멀-, 알-) the same spelling is also a plain ending (멀지 [멀지]); 갈게 is 가- + -ㄹ게.
    return isFutureModifier(word.slice(0, index), false) ? "required" : "allowed";
  }
  // A native stem in ㄹ before -다 (길다, 놀다, 만들다): only ㄼ ㄾ stems tense their endings (제25항), and
  // -다 is no dependent noun after -ㄹ (제27항), so plain.
  if (leftCoda === "ㄹ" && syllable === "다" && isPredicateStem(word.slice(0, index)) &&
    (covering === undefined || covering.entry.hanja[index - 1 - covering.start] === "-")) return "never";
  // 제24항: endings after a stem in ㄴ ㅁ (ㄵ ㄻ) are tensed (신고 [신꼬], 앉고 [안꼬], 젊지 [점찌]); 다만: not
  // the causative/passive suffix -기- (안기다 [안기다], 옮기다 [옴기다]).
  if (NASAL_STEM_CODAS.has(leftCoda) && isPredicateStem(word.slice(0, index))) {
    // Spelled like a noun too. A Sino-Korean one (남자 男子, 감기 感氣) is taken as the noun, except
    // before the frequent endings -고 and -다, where both stay open (신고 "wearing" / 申告 "report").
    const noun = covering && isNounEntry(covering.entry) ? covering : undefined;
    const at = noun ? index - noun.start : 0;
    const sinoKorean = noun !== undefined && noun.entry.hanja[at - 1] !== "-" && noun.entry.hanja[at] !== "-";
    if (sinoKorean && syllable !== "고" && syllable !== "다") return "never";
    if (syllable === "기" && index + 1 < word.length) return isPredicate(`${word.slice(0, index)}기다`) ? "never" : "allowed";
    if (ENDINGS_TENSED_AFTER_NASAL_STEMS.has(syllable)) return noun ? "allowed" : "required";
  }
  // 제24항 다만 where the dictionary cannot tell: ㄵ ㄻ + 기 followed by more (옮기다, 굶기고) may be -기-.
  if ((leftCoda === "ㄵ" || leftCoda === "ㄻ") && syllable === "기" && index + 1 < word.length) return "allowed";
  // 제28항: where two nouns of a compound meet after ㄴ ㄹ ㅁ ㅇ the second may be tensed (산길 [산낄],
  // 손바닥 [손빠닥]) or not (불고기 [불고기]): a fact of each word the dictionary does not record, so
  // both are accepted (COMPOUND_TENSING decides the listed ones).
  if (SONORANT_CODAS.has(leftCoda) && compoundBeforeConsonant(pieces, covering, index)) return "allowed";
  return undefined;
}

const SONORANT_CODAS = new Set(["ㄴ", "ㄹ", "ㅁ", "ㅇ"]);

/** A noun of the dictionary (not only a bound noun, pronoun or numeral: 것, 그것, 삼 are no compound's part). */
const isCommonNoun = (word: string): boolean => commonWords().get(word)?.parts.has("noun") === true;

/** Also a determiner or a numeral (한 "one", 올 "this year's", 양 "Western", 열 "ten"): a prefix, or a number before a counter. */
function isDeterminerOrNumeral(word: string): boolean {
  const parts = commonWords().get(word)?.parts;
  return parts !== undefined && (parts.has("determiner") || parts.has("numeral"));
}

/**
 * One-syllable nouns spelled like a particle (과, 도; 부터 대로 밖에 조차 begin with 부 대 밖 조), an
 * ending (-게 -기 -자 -지) or a suffix (-간 -답- -당 -별 -상 -성 -식 -실 -장 -적 -점 -중): after a
 * noun they are that, not a compound's second part (사람도 [사람도], 물과 [물과], 사람답다, 그림자).
 */
const SPELLED_LIKE_GRAMMAR = new Set([
  "과", "도", "부", "대", "밖", "조", "게", "기", "자", "지", "간", "답", "당", "별", "상", "성", "식", "실", "장", "적", "점", "중",
]);

/** Is the word's last (or first) syllable Sino-Korean by its own dictionary entry? One-syllable entries carry no Hanja, so: unknown, false. */
function sinoAt(word: string, end: "first" | "last"): boolean {
  const hanja = word.length > 1 ? commonWords().get(word)?.hanja : undefined;
  return hanja !== undefined && hanja[end === "first" ? 0 : hanja.length - 1] !== "-";
}

/**
 * Is the seam before syllable `index` one between the two nouns of a compound (제28항), by the
 * dictionary? Never two Sino-Korean parts (감기 感氣, 점심 + 시간, 환경 + 보호: Sino-Korean words,
 * not tensed by this article), nor a Sino-Korean word and another of two syllables or more (공항 +
 * 버스), nor after a determiner or numeral (한겨울, 열 + 개).
 * - Inside a dictionary word: a native part meets a Sino-Korean one after a noun (산길 山-, 눈동자
 *   -瞳子, 술잔 -盞), or two native nouns one of which has two syllables or more (손 + 바닥, 마음 +
 *   속; not 그림 + 자, spelled like a suffix); two native one-syllable nouns are as often one simple
 *   word (안개, 번개, 신발).
 * - Across two dictionary words (a compound the dictionary does not list): two native nouns (신 +
 *   바람, 울음 + 소리), a one-syllable second one neither after a Sino-Korean word (음식 + 점: a
 *   suffix) nor spelled like a particle or suffix (사람 + 도).
 */
function compoundBeforeConsonant(pieces: WordPiece[], covering: WordPiece | undefined, index: number): boolean {
  if (covering) {
    if (!covering.entry.parts.has("noun")) return false;
    const at = index - covering.start;
    const [left, right] = [covering.word.slice(0, at), covering.word.slice(at)];
    if (!isCommonNoun(left) || isDeterminerOrNumeral(left)) return false;
    // Long entries often lack their Hanja (공중전화 ----): the parts' own entries tell.
    const leftSino = covering.entry.hanja[at - 1] !== "-" || sinoAt(left, "last");
    const rightSino = covering.entry.hanja[at] !== "-" || sinoAt(right, "first");
    if (leftSino && rightSino) return false;
    if (leftSino || rightSino) return Math.min(left.length, right.length) === 1 && (rightSino || isNoun(right));
    if (right.length === 1 && SPELLED_LIKE_GRAMMAR.has(right)) return false;
    return isCommonNoun(right) && Math.max(left.length, right.length) >= 2;
  }
  const before = pieces.find((piece) => piece.end === index);
  const after = pieces.find((piece) => piece.start === index);
  if (before === undefined || after === undefined || !isCommonNoun(before.word) || !isCommonNoun(after.word)) return false;
  if (isDeterminerOrNumeral(before.word) || sinoAt(before.word, "last") || commonWords().get(after.word)?.parts.has("numeral")) return false;
  if (after.word.length >= 2) return !sinoAt(after.word, "first");
  // Two one-syllable nouns the dictionary does not list together are often a Sino-Korean word (정수 of
  // 정수기), and its second syllable a bound noun (수): only a native word before a bound noun (보름 + 달).
  return !SPELLED_LIKE_GRAMMAR.has(after.word) && (before.word.length > 1 || !after.entry.parts.has("bound-noun"));
}

