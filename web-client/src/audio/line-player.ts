/**
 * Reads partner lines aloud, one after another: the line's recording when it has one, otherwise the
 * browser's Korean voice. Browsers without speech synthesis or without a Korean voice (headless
 * ones, some Linux desktops) simply show the line; nothing here throws.
 */

export interface PlayableLine {
  index: number;
  korean: string;
  audioUrl: string;
}

export type VoiceAvailability = "unknown" | "available" | "none";

/** How much slower the "slower" replay is: slow enough to hear each syllable, pitch kept. */
export const SLOW_RATE = 0.7;

/** Dispatched on window when a line's recording finished playing (tests and analytics listen). */
export const LINE_ENDED_EVENT = "koto:line-ended";

/**
 * Model audio comes as Ogg Opus, with the same file as WAV beside it (same name, ".wav"): a browser
 * that cannot play Ogg Opus (Safari before 18.4) gets the WAV.
 */
export function playableModelAudio(url: string, canPlay: (type: string) => string = canPlayType): string {
  if (!url.endsWith(".opus") || canPlay('audio/ogg; codecs="opus"') !== "") return url;
  return `${url.slice(0, -".opus".length)}.wav`;
}

function canPlayType(type: string): string {
  try {
    return typeof Audio === "undefined" ? "" : new Audio().canPlayType(type);
  } catch {
    return "";
  }
}

/** Upper bound on how long a line may take, so a voice that never reports its end cannot stall the lesson. */
const lineTimeoutMs = (line: PlayableLine, rate = 1) => (2500 + 220 * [...line.korean].length) / rate;
const VOICES_WAIT_MS = 600;

export class LinePlayer {
  voice: VoiceAvailability = "unknown";
  private readonly queue: { line: PlayableLine; rate: number }[] = [];
  private readonly announced = new Set<number>();
  private playing: { line: PlayableLine; stop: () => void } | null = null;
  private readonly idleListeners = new Set<() => void>();
  private readonly changeListeners = new Set<() => void>();
  private muted = false;

  constructor(private readonly resolveUrl: (url: string) => string = (url) => url) {}

  get busy(): boolean {
    return this.playing !== null || this.queue.length > 0;
  }

  get currentIndex(): number | null {
    return this.playing?.line.index ?? null;
  }

  onIdle(listener: () => void): () => void {
    this.idleListeners.add(listener);
    return () => this.idleListeners.delete(listener);
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Lines already in the conversation when the page opened are not read out again. */
  markSaid(lines: readonly PlayableLine[]): void {
    for (const line of lines) this.announced.add(line.index);
  }

  /** Reads out the lines not announced yet, in order. */
  announce(lines: readonly PlayableLine[]): void {
    for (const line of lines) {
      if (this.announced.has(line.index)) continue;
      this.announced.add(line.index);
      if (!this.muted) this.queue.push({ line, rate: 1 });
    }
    void this.pump();
  }

  /** The learner asked to hear a line: it interrupts whatever is playing. */
  playNow(line: PlayableLine, options: { slow?: boolean } = {}): void {
    this.queue.length = 0;
    this.playing?.stop();
    this.queue.push({ line, rate: options.slow ? SLOW_RATE : 1 });
    void this.pump();
  }

  stop(): void {
    this.muted = true;
    this.queue.length = 0;
    this.playing?.stop();
  }

  private async pump(): Promise<void> {
    if (this.playing) return;
    const next = this.queue.shift();
    if (!next) {
      for (const listener of this.idleListeners) listener();
      return;
    }
    let ended!: () => void;
    const finished = new Promise<void>((resolve) => (ended = resolve));
    const { line, rate } = next;
    const timer = setTimeout(ended, lineTimeoutMs(line, rate));
    let cancel = () => {};
    let stopped = false;
    const playing = { line, stop: () => { stopped = true; cancel(); ended(); } };
    this.playing = playing;
    this.emitChange();
    try {
      cancel = await this.start(line, rate, ended);
      if (stopped) cancel();
    } catch {
      ended();
    }
    await finished;
    clearTimeout(timer);
    this.playing = null;
    this.emitChange();
    void this.pump();
  }

  /** Starts a line; resolves with a function that cuts it short. Calls `done` when it ends. */
  private async start(line: PlayableLine, rate: number, done: () => void): Promise<() => void> {
    if (line.audioUrl) {
      const audio = new Audio(this.resolveUrl(playableModelAudio(line.audioUrl)));
      audio.playbackRate = rate;
      audio.preservesPitch = true;
      audio.onended = () => {
        globalThis.dispatchEvent?.(new CustomEvent(LINE_ENDED_EVENT, { detail: { index: line.index, url: audio.src, rate } }));
        done();
      };
      audio.onerror = done;
      // Autoplay may be refused before any tap: the line stays on screen with its play button.
      audio.play().catch(done);
      return () => audio.pause();
    }
    const synthesis = globalThis.speechSynthesis;
    if (!synthesis || typeof SpeechSynthesisUtterance === "undefined") {
      this.setVoice("none");
      done();
      return () => {};
    }
    const voice = await koreanVoice(synthesis);
    this.setVoice(voice ? "available" : "none");
    if (!voice) {
      done();
      return () => {};
    }
    const utterance = new SpeechSynthesisUtterance(line.korean);
    utterance.voice = voice;
    utterance.lang = voice.lang || "ko-KR";
    utterance.rate = 0.9 * rate;
    utterance.onend = done;
    utterance.onerror = done;
    try {
      synthesis.cancel();
      synthesis.speak(utterance);
    } catch {
      done();
    }
    return () => {
      try {
        synthesis.cancel();
      } catch {
        // nothing to cancel
      }
    };
  }

  private setVoice(voice: VoiceAvailability): void {
    if (this.voice === voice) return;
    this.voice = voice;
    this.emitChange();
  }

  private emitChange(): void {
    for (const listener of this.changeListeners) listener();
  }
}

/** A ko-KR voice, waiting briefly for the voice list: browsers fill it asynchronously. */
async function koreanVoice(synthesis: SpeechSynthesis): Promise<SpeechSynthesisVoice | null> {
  const pick = () => {
    try {
      const voices = synthesis.getVoices() ?? [];
      return voices.find((voice) => /^ko(-|_|$)/i.test(voice.lang)) ?? null;
    } catch {
      return null;
    }
  };
  const now = pick();
  if (now) return now;
  return new Promise((resolve) => {
    const finish = () => {
      synthesis.removeEventListener?.("voiceschanged", finish);
      clearTimeout(timer);
      resolve(pick());
    };
    const timer = setTimeout(finish, VOICES_WAIT_MS);
    synthesis.addEventListener?.("voiceschanged", finish);
  });
}
