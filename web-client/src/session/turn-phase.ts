/**
 * What the learner's side of a turn is doing, decided from plain facts so it can be tested without a
 * microphone: the speaking controller gathers them, the turn panel labels the microphone from the result.
 */

/** `waiting`: hands-free is on and it is the learner's turn, but a partner line is still being read aloud. */
export type TurnPhase = "idle" | "waiting" | "opening" | "listening" | "evaluating";

export interface TurnFacts {
  /** An utterance is open and still taking audio; `opened` once the server confirmed it. */
  recording: { opened: boolean } | null;
  /** A spoken answer of the learner's is being checked, or an ended utterance awaits its result. */
  evaluating: boolean;
  /** Hands-free is on with the microphone running. */
  armed: boolean;
  myTurn: boolean;
  playbackBusy: boolean;
}

export function turnPhase(facts: TurnFacts): TurnPhase {
  if (facts.recording) return facts.recording.opened ? "listening" : "opening";
  if (facts.evaluating) return "evaluating";
  // Not "listening" while the line the learner answers is still playing: nothing is recorded yet.
  return facts.armed && facts.myTurn && facts.playbackBusy ? "waiting" : "idle";
}
