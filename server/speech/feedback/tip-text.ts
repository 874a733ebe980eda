// Line breaks and tabs become spaces; other control characters go. Format characters such as
// bidirectional overrides, which could make a tip display as something else, go too; U+200D
// (zero-width joiner) stays because emoji sequences need it.
const CONTROL = /(?!\s)\p{Cc}/gu;
const FORMAT = /(?!\u200D)\p{Cf}/gu;

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Makes a tip safe to show: printable characters only, single spaces, and at most `maxChars`
 * user-perceived characters, cut at a word boundary when one is near the end.
 */
export function cleanTip(text: string, maxChars: number): string {
  const printable = text.replace(CONTROL, "").replace(FORMAT, "").replace(/\s+/g, " ").trim();
  const pieces = Array.from(graphemes.segment(printable), (piece) => piece.segment);
  if (pieces.length <= maxChars) return printable;
  const kept = pieces.slice(0, maxChars - 1);
  const lastSpace = kept.lastIndexOf(" ");
  const cut = lastSpace >= Math.floor(maxChars * 0.6) ? kept.slice(0, lastSpace) : kept;
  return `${cut.join("").trimEnd()}…`;
}
