/**
 * What the app remembers between visits (localStorage): the learner's and the tutor's sign-in and the
 * chosen language pack. Storage may be unavailable (private mode): everything then lasts one page.
 */
import type { SignedIn } from "./api.ts";

const KEYS = { learner: "koto.learner", tutor: "koto.tutor", pack: "koto.pack", display: "koto.display" } as const;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function read<T>(key: string): T | null {
  try {
    const raw = storage()?.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) storage()?.removeItem(key);
    else storage()?.setItem(key, JSON.stringify(value));
  } catch {
    // full or blocked: keep going without remembering
  }
}

/** A sign-in that has not expired (with a minute to spare). */
function valid(signedIn: SignedIn | null): SignedIn | null {
  if (!signedIn?.token) return null;
  const expires = Date.parse(signedIn.expiresAt);
  return Number.isFinite(expires) && expires - 60_000 < Date.now() ? null : signedIn;
}

export const remembered = {
  learner: () => valid(read<SignedIn>(KEYS.learner)),
  setLearner: (signedIn: SignedIn | null) => write(KEYS.learner, signedIn),
  tutor: () => valid(read<SignedIn>(KEYS.tutor)),
  setTutor: (signedIn: SignedIn | null) => write(KEYS.tutor, signedIn),
  pack: () => read<string>(KEYS.pack),
  setPack: (pack: string) => write(KEYS.pack, pack),
  display: () => ({ romanization: true, translation: true, ...read<{ romanization: boolean; translation: boolean }>(KEYS.display) }),
  setDisplay: (display: { romanization: boolean; translation: boolean }) => write(KEYS.display, display),
  storage,
};
