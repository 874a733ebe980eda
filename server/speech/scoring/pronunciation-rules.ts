/**
 * 표준 발음법 (the standard pronunciation rules of Korean) as small functions over one seam:
 * the final consonant of a syllable meets the first consonant of the next. Each function returns
 * the allowed results, the standard one first. Article numbers (제n항) are those of the rules.
 */
import type { Syllable } from "./hangul.ts";
import {
  ENDINGS_TENSED_AFTER_NASAL_STEMS,
  NOUNS_ENDING_IN_RIEUL_GIYEOK,
  RIEUL_ENDINGS,
  SUFFIXES_KEEPING_NIEUN,
  type SeamKind,
  type Tensing,
} from "./lexicon.ts";

/** One written syllable where it stands. */
export interface SyllableInContext {
  text: string;
  written: Syllable;
  wordStart: boolean;
  wordEnd: boolean;
  /** Set when this syllable begins the second part of a known compound (see COMPOUND_SEAMS). */
  compoundSeamBefore?: SeamKind;
  /** Tensing of this syllable's first consonant, when the dictionary decides it (see wordFacts). */
  tensingBefore?: Tensing;
  /** The word this syllable ends is a future modifier -(으)ㄹ: the next word is tensed (제27항). */
  futureModifier?: Tensing;
  /** This syllable follows the name of a letter (디귿, 지읒 …) inside its word (제16항). */
  afterLetterName?: boolean;
  /** This syllable starts a word that begins with a dependent noun (수, 거, 데 …; see startsWithDependentNoun). */
  dependentNoun?: boolean;
}

/** What a seam becomes: the final consonant of the left syllable and the first of the right. */
export interface Seam {
  coda: string;
  onset: string;
}

/** 제9-11항: the seven sounds a syllable can end in before a pause. */
const REPRESENTATIVE: Readonly<Record<string, string>> = {
  "": "", ㄱ: "ㄱ", ㄲ: "ㄱ", ㅋ: "ㄱ", ㄳ: "ㄱ", ㄺ: "ㄱ",
  ㄴ: "ㄴ", ㄵ: "ㄴ", ㄶ: "ㄴ",
  ㄷ: "ㄷ", ㅅ: "ㄷ", ㅆ: "ㄷ", ㅈ: "ㄷ", ㅊ: "ㄷ", ㅌ: "ㄷ", ㅎ: "ㄷ",
  ㄹ: "ㄹ", ㄼ: "ㄹ", ㄽ: "ㄹ", ㄾ: "ㄹ", ㅀ: "ㄹ",
  ㅁ: "ㅁ", ㄻ: "ㅁ",
  ㅂ: "ㅂ", ㅍ: "ㅂ", ㅄ: "ㅂ", ㄿ: "ㅂ",
  ㅇ: "ㅇ",
};

/** 제14항: a double final splits, its second consonant carrying over (ㅅ tensed: 값이 [갑씨]). */
const DOUBLE_FINALS: Readonly<Record<string, readonly [string, string]>> = {
  ㄳ: ["ㄱ", "ㅆ"], ㄵ: ["ㄴ", "ㅈ"], ㄺ: ["ㄹ", "ㄱ"], ㄻ: ["ㄹ", "ㅁ"], ㄼ: ["ㄹ", "ㅂ"],
  ㄽ: ["ㄹ", "ㅆ"], ㄾ: ["ㄹ", "ㅌ"], ㄿ: ["ㄹ", "ㅍ"], ㅄ: ["ㅂ", "ㅆ"],
};

const TENSE: Readonly<Record<string, string>> = { ㄱ: "ㄲ", ㄷ: "ㄸ", ㅂ: "ㅃ", ㅅ: "ㅆ", ㅈ: "ㅉ" };
const TENSE_CONSONANTS = new Set(["ㄲ", "ㄸ", "ㅃ", "ㅆ", "ㅉ"]);
const ASPIRATED: Readonly<Record<string, string>> = { ㄱ: "ㅋ", ㄷ: "ㅌ", ㅈ: "ㅊ" };
const NASAL: Readonly<Record<string, string>> = { ㄱ: "ㅇ", ㄷ: "ㄴ", ㅂ: "ㅁ" };
const STOPS = new Set(["ㄱ", "ㄷ", "ㅂ"]);
const VOWELS_TAKING_NIEUN = new Set(["ㅣ", "ㅑ", "ㅕ", "ㅛ", "ㅠ"]);

/**
 * Finals after which ㄱ ㄷ ㅂ ㅅ ㅈ are tensed: every obstruent (제23항), the stem finals
 * ㄼ ㄾ (제25항) and ㄵ ㄻ (제24항).
 */
const TENSING_FINALS = new Set([
  "ㄱ", "ㄲ", "ㅋ", "ㄳ", "ㄺ", "ㄷ", "ㅅ", "ㅆ", "ㅈ", "ㅊ", "ㅌ", "ㅂ", "ㅍ", "ㅄ", "ㄿ",
  "ㄼ", "ㄾ", "ㄽ", "ㄵ", "ㄻ",
]);

/** 제9-11항: how a final consonant sounds before a pause or at the end. */
export function finalBeforePause(coda: string): string {
  return REPRESENTATIVE[coda] ?? coda;
}

/**
 * 제13, 14, 12-4, 17항: inside a word a final carries over to a following vowel as written
 * (옷이 [오시], 닭을 [달글]); ㅎ falls silent (좋아요 [조아요]); ㄷ ㅌ before 이 become ㅈ ㅊ (같이 [가치]).
 */
export function carryOverAsWritten(left: SyllableInContext, right: SyllableInContext, compound = false): Seam {
  const coda = left.written.coda;
  if (right.afterLetterName && LETTER_NAME_FINALS[coda]) return { coda: "", onset: LETTER_NAME_FINALS[coda] };
  let seam: Seam;
  if (coda === "" || coda === "ㅇ") seam = { coda, onset: "ㅇ" };
  else if (coda === "ㅎ") seam = { coda: "", onset: "ㅇ" };
  else if (coda === "ㄶ") seam = { coda: "", onset: "ㄴ" };
  else if (coda === "ㅀ") seam = { coda: "", onset: "ㄹ" };
  else if (DOUBLE_FINALS[coda]) seam = { coda: DOUBLE_FINALS[coda][0], onset: DOUBLE_FINALS[coda][1] };
  else seam = { coda: "", onset: coda };
  // 제17항 applies before a particle or suffix 이, not before a content word (밭이랑 [반니랑]).
  return compound ? seam : palatalized(seam, right);
}

/**
 * 제16항: the names of the letters carry their final over as it is said at a word's end, except
 * ㄱ ㅂ ㅅ: 디귿이 [디그시], 지읒을 [지으슬], 키읔이 [키으기], 피읖에 [피으베], 히읗이 [히으시].
 */
const LETTER_NAME_FINALS: Readonly<Record<string, string>> = { ㄷ: "ㅅ", ㅈ: "ㅅ", ㅊ: "ㅅ", ㅌ: "ㅅ", ㅎ: "ㅅ", ㅋ: "ㄱ", ㅍ: "ㅂ" };
export const LETTER_NAMES = ["디귿", "지읒", "치읓", "키읔", "티읕", "피읖", "히읗"] as const;

/**
 * 제17항: ㄷ, ㅌ meeting the vowel ㅣ become ㅈ, ㅊ, also where 이 contracted with 어 to 여
 * (붙여 [부처], 닫혀 [다처]); but not before other 여 syllables (맏형 [마텽]).
 */
function palatalizes(right: SyllableInContext): boolean {
  return right.written.vowel === "ㅣ" || right.text === "여" || right.text === "혀";
}

function palatalized(seam: Seam, right: SyllableInContext): Seam {
  if (!palatalizes(right)) return seam;
  if (seam.onset === "ㄷ") return { coda: seam.coda, onset: "ㅈ" };
  if (seam.onset === "ㅌ") return { coda: seam.coda, onset: "ㅊ" };
  return seam;
}

/**
 * 제15항: before a vowel-initial content word the final is first reduced to its representative
 * sound, then carried over (옷 입어요 [오디버요], 겉옷 [거돋]).
 */
export function carryOverReduced(left: SyllableInContext): Seam {
  const reduced = finalBeforePause(left.written.coda);
  if (reduced === "" || reduced === "ㅇ") return { coda: reduced, onset: "ㅇ" };
  return { coda: "", onset: reduced };
}

/**
 * 제29항: between a final consonant and 이/야/여/요/유 of the next content word, ㄴ is added
 * (솜이불 [솜니불], 옷 입어요 [온니버요]); after ㄹ it is heard as ㄹ (할 일 [할릴]).
 */
export function nieunAdded(left: SyllableInContext, right: SyllableInContext): Seam | undefined {
  const reduced = finalBeforePause(left.written.coda);
  if (reduced === "" || !VOWELS_TAKING_NIEUN.has(right.written.vowel)) return undefined;
  if (reduced === "ㄹ") return { coda: "ㄹ", onset: "ㄹ" };
  return { coda: NASAL[reduced] ?? reduced, onset: "ㄴ" };
}

/** The results allowed at a compound's seam before a vowel (see SeamKind). */
export function compoundSeam(left: SyllableInContext, right: SyllableInContext, kind: SeamKind): Seam[] {
  const withNieun = nieunAdded(left, right);
  switch (kind) {
    case "nieun":
      return [withNieun ?? carryOverReduced(left)];
    case "nieunOrLink":
      return withNieun ? [withNieun, carryOverAsWritten(left, right, true)] : [carryOverAsWritten(left, right, true)];
    case "neutralLink":
      return [carryOverReduced(left)];
    case "eitherLink":
      return [carryOverAsWritten(left, right, true), carryOverReduced(left)];
    case "nieunOrNeutral":
      return withNieun ? [withNieun, carryOverReduced(left)] : [carryOverReduced(left)];
    case "neutralOrLink":
      return [carryOverReduced(left), carryOverAsWritten(left, right, true)];
  }
}

/** Across a word boundary before a vowel, spoken without a pause: 제15항, with 제29항 ㄴ-addition as an option. */
export function acrossWordsBeforeVowel(left: SyllableInContext, right: SyllableInContext): Seam[] {
  const withNieun = nieunAdded(left, right);
  return withNieun ? [carryOverReduced(left), withNieun] : [carryOverReduced(left)];
}

/**
 * A pause between words: the left word ends in its representative sound (제9-11항) and the right
 * word starts afresh, except that dependent nouns after -ㄹ stay tensed (할 수 [할 쑤]) (제27항).
 */
export function pauseBetween(left: SyllableInContext, right: SyllableInContext): Seam[] {
  const coda = finalBeforePause(left.written.coda);
  const onset = right.written.onset;
  if (tensedAfterFutureModifier(left, right) && right.dependentNoun) return [{ coda, onset: TENSE[onset] }, { coda, onset }];
  return [{ coda, onset }];
}

/**
 * 제27항: after the future modifier -(으)ㄹ, said together, the next word's ㄱ ㄷ ㅂ ㅅ ㅈ is tensed:
 * "required" after a verb form the dictionary knows (만날 사람 [만날싸람]), "allowed" beside the plain
 * form otherwise (dependent nouns after any -ㄹ: 갈 곳 [갈꼳]; 말 "speech" is spelled like 말- "stop").
 */
function tensedAfterFutureModifier(left: SyllableInContext, right: SyllableInContext): Tensing | undefined {
  if (left.written.coda !== "ㄹ" || !right.wordStart || TENSE[right.written.onset] === undefined) return undefined;
  if (left.futureModifier === "required") return "required";
  return left.futureModifier === "allowed" || right.dependentNoun ? "allowed" : undefined;
}

/**
 * A final consonant before a consonant, inside a word or across words spoken together
 * (`acrossWords`). In order: ㅎ with its neighbour (제12항), the final reduced (제9-11항), tensing
 * (제23-27항), nasalisation (제18-19항) and ㄹ-assimilation (제20항).
 */
export function beforeConsonant(left: SyllableInContext, right: SyllableInContext, acrossWords: boolean): Seam[] {
  let coda = left.written.coda;
  const onset = right.written.onset;
  if (coda === "") return [{ coda, onset }];
  if (coda === "ㅎ" || coda === "ㄶ" || coda === "ㅀ") {
    const rest = coda === "ㅎ" ? "" : coda === "ㄶ" ? "ㄴ" : "ㄹ";
    const merged = hieutBeforeConsonant(coda, rest, onset);
    if (merged) return [merged];
    coda = rest === "" ? "ㄷ" : rest;
  }
  if (onset === "ㅎ") return [aspiratedWithHieut(acrossWords ? finalBeforePause(coda) : coda, right, acrossWords)];
  return assimilated(coda, left, right, acrossWords);
}

/** 제12항 1-3: ㅎ before ㄱ ㄷ ㅈ aspirates them (놓고 [노코]), before ㅅ tenses it (많소 [만쏘]), before ㄴ becomes ㄴ (놓는 [논는]). */
function hieutBeforeConsonant(coda: string, rest: string, onset: string): Seam | undefined {
  if (ASPIRATED[onset]) return { coda: rest, onset: ASPIRATED[onset] };
  if (onset === "ㅅ") return { coda: rest, onset: "ㅆ" };
  if (onset === "ㄴ") return coda === "ㅀ" ? { coda: "ㄹ", onset: "ㄹ" } : { coda: "ㄴ", onset: "ㄴ" };
  return undefined;
}

/**
 * 제12항 붙임 1-2: ㄱ ㄷ ㅂ ㅈ (and ㅅ ㅊ ㅌ heard as ㄷ) merge with a following ㅎ into ㅋ ㅌ ㅍ ㅊ
 * (축하 [추카], 못해요 [모태요], 앉히다 [안치다], 옷 한 벌 [오탄벌]); ㄷ+히 gives 치 (굳히다 [구치다]).
 */
function aspiratedWithHieut(coda: string, right: SyllableInContext, acrossWords: boolean): Seam {
  switch (coda) {
    case "ㄱ": case "ㄲ": case "ㅋ": case "ㄳ":
      return { coda: "", onset: "ㅋ" };
    case "ㄺ":
      return { coda: "ㄹ", onset: "ㅋ" };
    case "ㄷ":
      return { coda: "", onset: palatalizes(right) && !acrossWords ? "ㅊ" : "ㅌ" };
    case "ㅅ": case "ㅆ": case "ㅊ": case "ㅌ":
      return { coda: "", onset: "ㅌ" };
    case "ㅈ":
      return { coda: "", onset: acrossWords ? "ㅌ" : "ㅊ" };
    case "ㄵ":
      return { coda: "ㄴ", onset: "ㅊ" };
    case "ㄾ":
      return { coda: "ㄹ", onset: "ㅌ" };
    case "ㅂ": case "ㅍ": case "ㅄ":
      return { coda: "", onset: "ㅍ" };
    case "ㄼ": case "ㄿ":
      return { coda: "ㄹ", onset: "ㅍ" };
    default:
      return { coda: finalBeforePause(coda), onset: "ㅎ" };
  }
}

function assimilated(writtenCoda: string, left: SyllableInContext, right: SyllableInContext, acrossWords: boolean): Seam[] {
  const writtenOnset = right.written.onset;
  let coda = acrossWords ? finalBeforePause(writtenCoda) : reducedBeforeConsonant(writtenCoda, left, right);
  let onset = writtenOnset;
  const decided = acrossWords ? undefined : right.tensingBefore;
  if (TENSE[onset] && (decided === "required" || (TENSING_FINALS.has(writtenCoda) && decided === undefined))) onset = TENSE[onset];
  if (STOPS.has(coda) && (onset === "ㄴ" || onset === "ㅁ")) coda = NASAL[coda];
  let keepsNieun = false;
  if (onset === "ㄹ") {
    if (STOPS.has(coda)) {
      coda = NASAL[coda];
      onset = "ㄴ";
    } else if (coda === "ㅁ" || coda === "ㅇ") {
      onset = "ㄴ";
    } else if (coda === "ㄴ") {
      keepsNieun = !acrossWords && !left.wordStart && SUFFIXES_KEEPING_NIEUN.has(right.text);
      if (keepsNieun) onset = "ㄴ";
      else coda = "ㄹ";
    }
  }
  if (coda === "ㄹ" && onset === "ㄴ") onset = "ㄹ";

  const seams: Seam[] = [{ coda, onset }];
  if (keepsNieun) seams.push({ coda: "ㄹ", onset: "ㄹ" });
  const afterModifier = acrossWords ? tensedAfterFutureModifier(left, right) : undefined;
  if (afterModifier === "required") seams[0] = { coda, onset: TENSE[writtenOnset] };
  else if (afterModifier === "allowed") seams.unshift({ coda, onset: TENSE[writtenOnset] });
  if (!acrossWords && decided === "allowed" && TENSE[writtenOnset]) seams.push({ coda, onset: TENSE[writtenOnset] });
  if (!acrossWords && decided === undefined) seams.push(...optionalTensing(writtenCoda, coda, left, right));
  // 제30항: the ㅅ between the parts of a compound (냇가 [내까/낻까]) may fall silent before a tensed consonant.
  if (!acrossWords && writtenCoda === "ㅅ" && TENSE_CONSONANTS.has(onset)) seams.push({ coda: "", onset });
  return seams;
}

/** 제11항 다만, 제10항 다만: ㄺ is [ㄹ] before ㄱ in verb stems (읽고 [일꼬]); 밟- is [밥] (밟다 [밥따]). */
function reducedBeforeConsonant(coda: string, left: SyllableInContext, right: SyllableInContext): string {
  if (coda === "ㄺ" && right.written.onset === "ㄱ" && !NOUNS_ENDING_IN_RIEUL_GIYEOK.has(left.text)) return "ㄹ";
  if (coda === "ㄼ" && (left.text === "밟" || (left.text === "넓" && (right.text === "죽" || right.text === "둥")))) return "ㅂ";
  return finalBeforePause(coda);
}

/**
 * Tensing that depends on grammar spelling cannot show, accepted beside the plain sound:
 * after verb stems in ㄴ ㅁ (제24항: 신고 [신꼬]), after ㄹ in Sino-Korean words (제26항: 갈등 [갈뜽])
 * and in the endings -ㄹ게, -ㄹ걸 (제27항 붙임: 할게요 [할께요]).
 */
function optionalTensing(writtenCoda: string, coda: string, left: SyllableInContext, right: SyllableInContext): Seam[] {
  const onset = right.written.onset;
  if (!TENSE[onset]) return [];
  // 는 before 다 is the ending -는다 (먹는다), not a stem: no tensing there.
  const afterNasalStem = (writtenCoda === "ㄴ" || writtenCoda === "ㅁ") && onset !== "ㅂ" && left.text !== "는" &&
    ENDINGS_TENSED_AFTER_NASAL_STEMS.has(right.text);
  const afterRieul = writtenCoda === "ㄹ" &&
    ((onset === "ㄷ" || onset === "ㅅ" || onset === "ㅈ") || (onset === "ㄱ" && RIEUL_ENDINGS.has(right.text)));
  return afterNasalStem || afterRieul ? [{ coda, onset: TENSE[onset] }] : [];
}

/**
 * 제4항 붙임, 제5항 and 제22항: the vowels a syllable may be said with, the standard one first.
 * ㅢ after a consonant is [ㅣ] (희망 [히망]); 의 after the first syllable may be [ㅣ] (주의 [주이]),
 * and at a word's end (the particle) [ㅔ] (우리의 [우리에]); ㅖ other than 예 례 may be [ㅔ]
 * (시계 [시게]); ㅚ may be [ㅞ] (외국 [웨국]); 어 after ㅣ ㅚ may be [여] (되어 [되여]), 오 after ㅣ [요] (아니오 [아니요]).
 */
export function vowelOptions(syllable: SyllableInContext, previous: SyllableInContext | undefined): string[] {
  const { onset, vowel } = syllable.written;
  const afterOpenSyllable = previous !== undefined && !syllable.wordStart && previous.written.coda === "" && onset === "ㅇ";
  switch (vowel) {
    case "ㅢ":
      if (onset !== "ㅇ") return ["ㅣ"];
      if (syllable.wordStart) return ["ㅢ"];
      return syllable.wordEnd ? ["ㅢ", "ㅣ", "ㅔ"] : ["ㅢ", "ㅣ"];
    case "ㅖ":
      return onset === "ㅇ" || onset === "ㄹ" ? ["ㅖ"] : ["ㅖ", "ㅔ"];
    case "ㅚ":
      return ["ㅚ", "ㅞ"];
    case "ㅓ":
      return afterOpenSyllable && (previous.written.vowel === "ㅣ" || previous.written.vowel === "ㅚ") ? ["ㅓ", "ㅕ"] : ["ㅓ"];
    case "ㅗ":
      return afterOpenSyllable && previous.written.vowel === "ㅣ" ? ["ㅗ", "ㅛ"] : ["ㅗ"];
    default:
      return [vowel];
  }
}

/** 제5항 다만 1: 져 쪄 쳐 are said [저 쩌 처] (가져요 [가저요]). */
export function vowelAfterOnset(onset: string, vowel: string): string {
  return vowel === "ㅕ" && (onset === "ㅈ" || onset === "ㅉ" || onset === "ㅊ") ? "ㅓ" : vowel;
}
