import type { UtteranceTiming } from "./endpointer.ts";

/**
 * Cuts the silence before and after the speech (keeping `padMs` on each side so plosive onsets
 * and fading endings survive), which is what speech-to-text is billed for. `samples` must start
 * at the endpointer's time zero. The result is a view of `samples` (no copy); no speech found gives
 * an empty array.
 */
export function trimSilence(
  samples: Int16Array,
  timing: Pick<UtteranceTiming, "speechStartMs" | "speechEndMs">,
  sampleRate = 16000,
  padMs = 150,
): Int16Array {
  if (timing.speechStartMs === null || timing.speechEndMs === null) return new Int16Array(0);
  const samplesPerMs = sampleRate / 1000;
  const start = Math.max(0, Math.floor((timing.speechStartMs - padMs) * samplesPerMs));
  const end = Math.min(samples.length, Math.ceil((timing.speechEndMs + padMs) * samplesPerMs));
  return end > start ? samples.subarray(start, end) : new Int16Array(0);
}
