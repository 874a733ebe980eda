/**
 * Lays a scored attempt over the line the learner had to say: each Hangul syllable of the line gets
 * the verdict the server gave it (`SyllableResult.index` counts Hangul syllables only), spaces and
 * punctuation pass through, inserted syllables sit after the syllable they followed.
 */

export type Verdict = "correct" | "substituted" | "omitted" | "inserted";

export interface SyllableVerdict {
  index: number;
  target: string;
  heard: string;
  verdict: string;
  /** "ㅓ>ㅗ,ㄱ>ㅋ": expected > heard, per jamo. */
  jamo: string;
}

export interface LineToken {
  text: string;
  /** null for characters that are not scored (spaces, punctuation, Latin). */
  verdict: Verdict | null;
  heard: string;
  jamo: JamoChange[];
}

export interface JamoChange {
  expected: string;
  heard: string;
}

export function isHangulSyllable(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return code >= 0xac00 && code <= 0xd7a3;
}

export function parseJamo(jamo: string): JamoChange[] {
  return jamo.split(",").map((pair) => pair.trim()).filter(Boolean).map((pair) => {
    const [expected = "", heard = ""] = pair.split(">");
    return { expected, heard };
  });
}

const asVerdict = (verdict: string): Verdict =>
  verdict === "correct" || verdict === "substituted" || verdict === "omitted" || verdict === "inserted" ? verdict : "substituted";

export function alignSyllables(line: string, syllables: readonly SyllableVerdict[]): LineToken[] {
  const characters = [...line];
  const hangul = characters.filter(isHangulSyllable);
  const byIndex = new Map<number, SyllableVerdict>();
  for (const syllable of syllables) if (syllable.index >= 0) byIndex.set(syllable.index, syllable);
  // The server may have matched another accepted answer: then indices do not describe this line,
  // and the result is shown as the server's own sequence of target syllables.
  const fitsLine = [...byIndex.values()].every((syllable) => hangul[syllable.index] === syllable.target);
  if (!fitsLine) return syllables.map(toToken);

  const insertedAfter = new Map<number, SyllableVerdict[]>();
  let previousIndex = -1;
  for (const syllable of syllables) {
    if (syllable.index >= 0) {
      previousIndex = syllable.index;
      continue;
    }
    const list = insertedAfter.get(previousIndex) ?? [];
    list.push(syllable);
    insertedAfter.set(previousIndex, list);
  }

  const tokens: LineToken[] = (insertedAfter.get(-1) ?? []).map(toToken);
  let hangulIndex = 0;
  for (const character of characters) {
    if (!isHangulSyllable(character)) {
      tokens.push({ text: character, verdict: null, heard: "", jamo: [] });
      continue;
    }
    const result = byIndex.get(hangulIndex);
    tokens.push(result ? toToken(result) : { text: character, verdict: null, heard: "", jamo: [] });
    tokens.push(...(insertedAfter.get(hangulIndex) ?? []).map(toToken));
    hangulIndex++;
  }
  return tokens;
}

function toToken(syllable: SyllableVerdict): LineToken {
  const verdict = asVerdict(syllable.verdict);
  return {
    text: verdict === "inserted" ? syllable.heard || syllable.target : syllable.target,
    verdict,
    heard: syllable.heard,
    jamo: parseJamo(syllable.jamo),
  };
}
