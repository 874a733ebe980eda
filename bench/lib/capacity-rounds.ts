/**
 * Part 0's figures across rounds. One round ramps every variant once; its ratio (lesson ÷ bare) is
 * taken within the round, because this shared VM's speed drifts by more than the lesson room's
 * differences between runs (docs/capacity.md §4.13–4.18: the same code gave 0.38–1.00 in single runs).
 * The headline is the median of the rounds' ratios; every round's figure is printed beside it.
 */

/** What a round needs of one variant's ramp. */
export interface RampOutcome {
  round: number;
  variant: string;
  /** The most sessions within budget; null when even the first level failed. */
  sessions: number | null;
  /**
   * Every measured level: sessions, whether it passed, how busy the whole machine was (100 = all cores) and
   * the server's event loop (100 = one core).
   */
  levels: { sessions: number; passed: boolean; machineBusyPercent: number | null; eventLoopCpuPercent: number | null }[];
}

export interface RoundRatios {
  round: number;
  /** lesson ÷ bare sessions within budget, rounded to 2 places; null when either has none. */
  capacity: number | null;
  /**
   * lesson ÷ bare machine CPU per session at the largest level both passed in this round: how much more a
   * lesson session costs the machine, whatever the rung that broke (null without a common level).
   */
  costPerSession: number | null;
  /** The same for the server's event loop alone (the thread that relays every frame). */
  eventLoopPerSession: number | null;
  /** The level those cost ratios were read at. */
  atSessions: number | null;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : round2((sorted[middle - 1] + sorted[middle]) / 2);
}

/** Each round's ratios of `variant` against `baseline` (rounds where either is missing are left out). */
export function roundRatios(outcomes: readonly RampOutcome[], variant: string, baseline = "bare-uws"): RoundRatios[] {
  const rounds = [...new Set(outcomes.map((outcome) => outcome.round))].sort((a, b) => a - b);
  const result: RoundRatios[] = [];
  for (const round of rounds) {
    const bare = outcomes.find((outcome) => outcome.round === round && outcome.variant === baseline);
    const lesson = outcomes.find((outcome) => outcome.round === round && outcome.variant === variant);
    if (!bare || !lesson) continue;
    const capacity = bare.sessions && lesson.sessions !== null ? round2(lesson.sessions / bare.sessions) : null;
    type Level = RampOutcome["levels"][number];
    const passedAt = (outcome: RampOutcome, sessions: number) =>
      outcome.levels.find((level) => level.sessions === sessions && level.passed && level.machineBusyPercent !== null);
    const common = lesson.levels.filter((level) => passedAt(lesson, level.sessions) && passedAt(bare, level.sessions)).map((level) => level.sessions);
    const atSessions = common.length ? Math.max(...common) : null;
    const costRatio = (measure: (level: Level) => number | null) => {
      if (atSessions === null) return null;
      const [ofLesson, ofBare] = [measure(passedAt(lesson, atSessions)!), measure(passedAt(bare, atSessions)!)];
      return ofLesson === null || ofBare === null ? null : round2(ofLesson / Math.max(0.1, ofBare));
    };
    const costPerSession = costRatio((level) => level.machineBusyPercent);
    const eventLoopPerSession = costRatio((level) => level.eventLoopCpuPercent);
    result.push({ round, capacity, costPerSession, eventLoopPerSession, atSessions });
  }
  return result;
}

/** The headline of a variant: the median of its rounds' capacity ratios and cost ratios. */
export function medianRatios(rounds: readonly RoundRatios[]): { capacity: number | null; costPerSession: number | null; eventLoopPerSession: number | null } {
  const present = (values: (number | null)[]) => values.filter((value): value is number => value !== null);
  return {
    capacity: median(present(rounds.map((round) => round.capacity))),
    costPerSession: median(present(rounds.map((round) => round.costPerSession))),
    eventLoopPerSession: median(present(rounds.map((round) => round.eventLoopPerSession))),
  };
}
