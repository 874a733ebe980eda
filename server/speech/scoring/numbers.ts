/**
 * Numbers written as digits, read aloud. Sino-Korean (일, 이, 삼) is the reading of record;
 * the native reading (하나, 둘 / 한, 두, 세) is offered beside it for 1-99, since a transcript
 * writes "3시" for what a learner says as 세 시.
 */
const SINO_DIGITS = ["영", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"];
const SINO_PLACES = ["", "십", "백", "천"];
const SINO_GROUPS = ["", "만", "억", "조"];
const LARGEST_GROUPED = 10n ** 16n - 1n;

const NATIVE_UNITS = ["", "하나", "둘", "셋", "넷", "다섯", "여섯", "일곱", "여덟", "아홉"];
/** Before a counter (세 개, 두 시) the first four and 스물 shorten. */
const NATIVE_UNITS_BEFORE_COUNTER = ["", "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉"];
const NATIVE_TENS = ["", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔"];

/** Reads a whole number the Sino-Korean way: 0 영, 10 십, 2024 이천이십사, 10000 만. */
export function sinoKoreanNumber(value: number | bigint): string {
  const number = BigInt(value);
  if (number < 0n) return `마이너스${sinoKoreanNumber(-number)}`;
  if (number === 0n) return "영";
  if (number > LARGEST_GROUPED) return spellDigits(number.toString(), "영");
  let reading = "";
  let rest = number;
  for (let group = 0; rest > 0n; group++) {
    const groupValue = Number(rest % 10000n);
    rest /= 10000n;
    if (groupValue === 0) continue;
    // 만 alone means 10,000 (not 일만); 억 and 조 keep their 일.
    const groupReading = groupValue === 1 && group === 1 ? "" : fourDigits(groupValue);
    reading = groupReading + SINO_GROUPS[group] + reading;
  }
  return reading;
}

function fourDigits(value: number): string {
  let reading = "";
  for (let place = 3; place >= 0; place--) {
    const digit = Math.floor(value / 10 ** place) % 10;
    if (digit === 0) continue;
    const digitReading = digit === 1 && place > 0 ? "" : SINO_DIGITS[digit];
    reading += digitReading + SINO_PLACES[place];
  }
  return reading;
}

/** 1-99 in native Korean; `beforeCounter` gives 한/두/세/네/스무 as in 세 시, 스무 살. */
export function nativeKoreanNumber(value: number, beforeCounter: boolean): string | undefined {
  if (!Number.isInteger(value) || value < 1 || value > 99) return undefined;
  const tens = Math.floor(value / 10);
  const units = value % 10;
  if (beforeCounter && value === 20) return "스무";
  return NATIVE_TENS[tens] + (beforeCounter ? NATIVE_UNITS_BEFORE_COUNTER : NATIVE_UNITS)[units];
}

/** Counters only ever read the Sino-Korean way: months, days, years, floors, won, seconds. */
const SINO_ONLY_COUNTERS = new Set(["월", "일", "년", "층", "원", "초"]);

/** Digit by digit, as phone numbers and codes are read. */
export function spellDigits(digits: string, zero = "공"): string {
  return Array.from(digits, (digit) => (digit === "0" ? zero : SINO_DIGITS[Number(digit)])).join("");
}

/**
 * The ways one number token can be read, Sino-Korean first. `after` is the text that follows
 * it: a token right before a Hangul counter takes the counter form of the native reading, and
 * the months 6월 and 10월 are 유월 and 시월. Leading zeros (010) are read digit by digit.
 */
export function numberReadings(token: string, after: string): string[] {
  const [whole, fraction] = token.replaceAll(",", "").split(".");
  if (whole.length > 1 && whole.startsWith("0") && fraction === undefined) return [spellDigits(whole)];
  const value = BigInt(whole);
  const sino = sinoKoreanNumber(value) + (fraction === undefined ? "" : `점${spellDigits(fraction, "영")}`);
  if (fraction !== undefined) return [sino];
  const next = after.trimStart().charAt(0);
  if (next === "월" && (value === 6n || value === 10n)) return [value === 6n ? "유" : "시"];
  if (SINO_ONLY_COUNTERS.has(next)) return [sino];
  const native = nativeKoreanNumber(Number(value), /[\uAC00-\uD7A3]/u.test(next));
  return native === undefined ? [sino] : [sino, native];
}
