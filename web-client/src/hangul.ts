/**
 * Lays a scored attempt over the line the learner had to say: each Hangul syllable of the line gets
 * the verdict the server gave it (`SyllableResult.index` counts Hangul syllables only), spaces and
 * punctuation pass through, inserted syllables sit after the syllable they followed. When the server
 * scored against another accepted answer, the verdicts are laid over what was heard instead.
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
  /** Whose syllable `text` is: the line's (what should be said) or the one heard. */
  shows: "target" | "heard";
  target: string;
  heard: string;
  jamo: JamoChange[];
}

/** How a jamo is written in "ㅂ heard as ∅": an empty side (no final consonant) is shown, never blank. */
export function jamoShown(jamo: string): string {
  return jamo || "∅";
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

/**
 * Whether the verdicts describe this line, every syllable of it. The server scores against every
 * accepted answer and keeps the closest, so its indices may count the syllables of another answer
 * (a shorter one, or the line with the lesson's example name where the learner's own is shown).
 * No verdicts yet (evaluation pending) describe any line.
 */
export function verdictsFitLine(line: string, syllables: readonly SyllableVerdict[]): boolean {
  const hangul = [...line].filter(isHangulSyllable);
  const placed = syllables.filter((syllable) => syllable.index >= 0);
  if (syllables.length === 0) return true;
  return placed.length === hangul.length && placed.every((syllable) => hangul[syllable.index] === syllable.target);
}

/** The line with each syllable's verdict; plain (no verdicts) when the verdicts describe another answer. */
export function alignSyllables(line: string, syllables: readonly SyllableVerdict[]): LineToken[] {
  const characters = [...line];
  if (!verdictsFitLine(line, syllables)) return characters.map(plain);
  const byIndex = new Map<number, SyllableVerdict>();
  for (const syllable of syllables) if (syllable.index >= 0) byIndex.set(syllable.index, syllable);

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

  const tokens: LineToken[] = (insertedAfter.get(-1) ?? []).map(targetToken);
  let hangulIndex = 0;
  for (const character of characters) {
    if (!isHangulSyllable(character)) {
      tokens.push(plain(character));
      continue;
    }
    const result = byIndex.get(hangulIndex);
    tokens.push(result ? targetToken(result) : plain(character));
    tokens.push(...(insertedAfter.get(hangulIndex) ?? []).map(targetToken));
    hangulIndex++;
  }
  return tokens;
}

/**
 * What was heard (the transcript or the typed text), each syllable with its verdict: spaces and
 * punctuation as heard, and a syllable of the answer that was not heard shown where it was missed
 * (after the heard syllable it followed). Used when the verdicts do not describe the line itself.
 * A transcript the scorer read differently (digits read as Hangul) keeps the verdicts' own order.
 */
export function alignHeard(heard: string, syllables: readonly SyllableVerdict[]): LineToken[] {
  const characters = [...heard];
  const said = syllables.filter((syllable) => syllable.verdict !== "omitted").map((syllable) => syllable.heard);
  const hangul = characters.filter(isHangulSyllable);
  const fits = hangul.length === said.length && hangul.every((syllable, index) => syllable === said[index]);
  if (!fits) return syllables.map(heardToken);

  const tokens: LineToken[] = [];
  let next = 0;
  const missedHere = () => {
    while (next < syllables.length && syllables[next]!.verdict === "omitted") tokens.push(heardToken(syllables[next++]!));
  };
  missedHere();
  for (const character of characters) {
    if (!isHangulSyllable(character)) {
      tokens.push(plain(character));
      continue;
    }
    tokens.push(heardToken(syllables[next++]!));
    missedHere();
  }
  return tokens;
}

function plain(character: string): LineToken {
  return { text: character, verdict: null, shows: "target", target: "", heard: "", jamo: [] };
}

/** A verdict on the line: the line's syllable (an inserted one, being in no line, shows what was heard). */
function targetToken(syllable: SyllableVerdict): LineToken {
  const verdict = asVerdict(syllable.verdict);
  const shows = verdict === "inserted" ? "heard" : "target";
  return { ...tokenParts(syllable), verdict, shows, text: shows === "heard" ? syllable.heard || syllable.target : syllable.target };
}

/** A verdict on what was heard: the heard syllable (a missed one, being unheard, shows the line's). */
function heardToken(syllable: SyllableVerdict): LineToken {
  const verdict = asVerdict(syllable.verdict);
  const shows = verdict === "omitted" ? "target" : "heard";
  return { ...tokenParts(syllable), verdict, shows, text: shows === "heard" ? syllable.heard || syllable.target : syllable.target };
}

function tokenParts(syllable: SyllableVerdict): Pick<LineToken, "target" | "heard" | "jamo"> {
  return { target: syllable.target, heard: syllable.heard, jamo: parseJamo(syllable.jamo) };
}
