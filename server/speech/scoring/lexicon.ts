/**
 * The few facts about particular words that the pronunciation rules need and spelling does not
 * show: where a word is a compound of two content words (표준 발음법 제15항, 제29항), and which
 * syllables are nouns or dependent nouns. Short lists of common words, not a dictionary.
 */

/**
 * How the consonant before a vowel carries over at a compound's seam:
 * - "nieun": ㄴ is added before 이/야/여/요/유 (솜이불 [솜니불], 꽃잎 [꼰닙]) (제29항);
 * - "nieunOrLink": ㄴ is added, or the consonant simply carries over (금융 [금늉/그뮹]);
 * - "neutralLink": the consonant is first reduced to its representative sound (겉옷 [거돋]) (제15항);
 * - "eitherLink": carried over as written or as the representative sound (맛있다 [마싣따/마딛따]).
 */
export type SeamKind = "nieun" | "nieunOrLink" | "neutralLink" | "eitherLink";

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
  return seams;
}

/** Nouns ending in ㄺ: unlike verb stems (읽고 [일꼬]) they keep [ㄱ] before ㄱ (닭고기 [닥꼬기]). */
export const NOUNS_ENDING_IN_RIEUL_GIYEOK = new Set(["닭", "흙", "칡", "삵"]);

/**
 * Dependent nouns (and 곳) after the future modifier -(으)ㄹ, whose first consonant is tensed
 * (할 수 [할쑤], 갈 거예요 [갈꺼예요]) (제27항).
 */
export const DEPENDENT_NOUNS_AFTER_RIEUL = new Set(["수", "것", "거", "걸", "게", "건", "데", "바", "적", "줄", "지", "듯", "곳"]);

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
