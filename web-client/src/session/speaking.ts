/**
 * The learner's microphone turns. Push-to-talk: hold to speak, release to send. Hands-free: tap
 * once; the server ends each answer when the learner stops talking (its endpointing), and after a
 * correct answer the next line is listened for as soon as the partner has finished speaking. A
 * wrong answer stops hands-free so the learner can look at the result first.
 */
import { opusSupported } from "../audio/opus-encoder.ts";
import { Microphone, MicrophoneError, type MicrophoneProblem } from "../audio/microphone.ts";
import type { ServerMessages } from "../../../protocol/server-messages.ts";
import { isMyTurn } from "./conversation.ts";
import { turnPhase, type TurnPhase } from "./turn-phase.ts";
import { isSettled, type LessonSnapshot } from "./snapshot.ts";
import { Utterance, type UtteranceMode, type UtteranceTransport } from "./utterance.ts";

export type MicState = "off" | "starting" | "on" | "problem";

export interface SpeakingState {
  mode: UtteranceMode;
  mic: MicState;
  problem: MicrophoneProblem | null;
  problemDetail: string;
  /** Hands-free is on: each of the learner's lines is listened for. */
  armed: boolean;
  phase: TurnPhase;
  level: number;
}

export interface SpeakingSession extends UtteranceTransport {
  readonly userId: string;
  readonly snapshot: LessonSnapshot;
  readonly isOpen: boolean;
  on<T = any>(type: string, listener: (payload: T) => void): () => void;
}

export interface SpeakingOptions {
  openMicrophone?: () => Promise<Microphone>;
  /** True while a partner line is being read aloud: hands-free waits rather than record it. */
  playbackBusy?: () => boolean;
}

export class SpeakingController {
  state: SpeakingState = { mode: "hands-free", mic: "off", problem: null, problemDetail: "", armed: false, phase: "idle", level: 0 };
  private microphone: Microphone | null = null;
  /** Whether utterances go out as Opus (WebCodecs), decided when the microphone opens. */
  private opus = false;
  private utterance: Utterance | null = null;
  private readonly listeners = new Set<(state: SpeakingState) => void>();
  private readonly levelListeners = new Set<(level: number) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private pressed = false;
  private disposed = false;

  constructor(private readonly session: SpeakingSession, private readonly options: SpeakingOptions = {}) {
    this.unsubscribe.push(
      session.on<{ attemptId: string }>("utterance-opened", ({ attemptId }) => {
        if (this.utterance?.attemptId !== attemptId) return;
        this.utterance.confirmOpened();
        this.refresh();
      }),
      // The server ended the utterance (silence, length limit, release): capture stops at once,
      // so no frame is sent for an utterance the server has closed.
      session.on<ServerMessages["utterance-ended"]>("utterance-ended", ({ attemptId }) => {
        if (this.utterance?.attemptId !== attemptId) return;
        this.utterance.finish();
        this.refresh();
      }),
      session.on<{ type?: string | null }>("error", (error) => {
        if (error?.type !== "utterance-open" || !this.utterance || this.utterance.opened) return;
        // Refused (not your turn, too many answers…): the error itself is shown by the page.
        this.utterance.finish();
        this.utterance = null;
        this.set({ armed: false });
        this.refresh();
      }),
    );
  }

  onChange(listener: (state: SpeakingState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Meter updates, about 20 a second, kept apart from the (rarer) state changes. */
  onLevel(listener: (level: number) => void): () => void {
    this.levelListeners.add(listener);
    return () => this.levelListeners.delete(listener);
  }

  setMode(mode: UtteranceMode): void {
    if (mode === this.state.mode) return;
    if (this.state.armed) this.stopHandsFree();
    this.set({ mode });
  }

  /** Push-to-talk: the button went down. */
  async pressStart(): Promise<void> {
    this.pressed = true;
    if (!(await this.ensureMicrophone()) || !this.pressed) return;
    if (!this.utterance) this.openUtterance("push-to-talk");
  }

  /** Push-to-talk: the button came up. */
  pressEnd(): void {
    this.pressed = false;
    if (this.utterance && this.utterance.mode === "push-to-talk") {
      this.utterance.release();
      this.refresh();
    }
  }

  async toggleHandsFree(): Promise<void> {
    if (this.state.armed) return this.stopHandsFree();
    this.set({ armed: true });
    if (!(await this.ensureMicrophone())) {
      this.set({ armed: false });
      return;
    }
    this.refresh();
  }

  /** "Try again" after a result: listen again in hands-free mode; push-to-talk waits for the button. */
  async retry(): Promise<void> {
    if (this.state.mode === "hands-free" && !this.state.armed) await this.toggleHandsFree();
  }

  /** Call with every new snapshot and whenever playback goes idle. */
  refresh(): void {
    if (this.disposed) return;
    const snapshot = this.session.snapshot;
    const current = this.utterance;
    if (current) {
      const attempt = snapshot.attempts.find((candidate) => candidate.id === current.attemptId);
      if (!current.done && attempt && attempt.status !== "recording") current.finish();
      if (current.done && (!current.opened || (attempt && isSettled(attempt.status)) || !this.session.isOpen)) {
        this.utterance = null;
        if (attempt && isSettled(attempt.status) && !attempt.correct && this.state.armed) this.set({ armed: false });
      }
    }
    if (!this.session.isOpen && this.utterance) {
      // The server closes an utterance whose learner dropped; nothing more can be sent on it.
      this.utterance.finish();
      this.utterance = null;
    }
    if (snapshot.phase === "finished" && this.state.armed) this.set({ armed: false });
    if (this.state.armed && !this.utterance && this.state.mic === "on" && this.session.isOpen
      && isMyTurn(snapshot, this.session.userId) && !this.evaluating(snapshot) && !this.options.playbackBusy?.()) {
      this.openUtterance("hands-free");
    }
    this.set({ phase: this.phase(snapshot) });
  }

  get currentAttemptId(): string | null {
    return this.utterance?.attemptId ?? null;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.utterance?.release();
    this.utterance = null;
    for (const stop of this.unsubscribe) stop();
    this.listeners.clear();
    this.levelListeners.clear();
    await this.microphone?.close();
    this.microphone = null;
  }

  private stopHandsFree(): void {
    this.set({ armed: false });
    this.utterance?.release();
    this.refresh();
  }

  private openUtterance(mode: UtteranceMode): void {
    const snapshot = this.session.snapshot;
    if (!isMyTurn(snapshot, this.session.userId) || !this.microphone) return;
    this.utterance = new Utterance(this.session, snapshot.currentStep, mode, this.microphone.sampleRate, this.opus);
    this.utterance.open();
    this.set({ phase: "opening" });
  }

  private async ensureMicrophone(): Promise<boolean> {
    if (this.microphone) return true;
    if (this.state.mic === "starting") return false;
    this.set({ mic: "starting", problem: null, problemDetail: "" });
    try {
      const microphone = await (this.options.openMicrophone ?? Microphone.open)();
      if (this.disposed) {
        await microphone.close();
        return false;
      }
      this.microphone = microphone;
      this.opus = await opusSupported(microphone.sampleRate);
      microphone.onFrame((samples) => this.utterance?.push(samples));
      microphone.onLevel((level) => {
        this.state.level = level;
        for (const listener of this.levelListeners) listener(level);
      });
      microphone.onEnded(() => {
        this.utterance?.release();
        this.microphone = null;
        void microphone.close();
        this.set({ mic: "problem", problem: "missing", problemDetail: "the microphone stopped", armed: false });
      });
      this.set({ mic: "on" });
      return true;
    } catch (error) {
      const problem = error instanceof MicrophoneError ? error.problem : "failed";
      this.set({ mic: "problem", problem, problemDetail: (error as Error)?.message ?? String(error), armed: false });
      return false;
    }
  }

  private evaluating(snapshot: LessonSnapshot): boolean {
    return snapshot.attempts.some((attempt) => attempt.learnerId === this.session.userId && attempt.kind === "spoken" && !isSettled(attempt.status));
  }

  private phase(snapshot: LessonSnapshot): TurnPhase {
    return turnPhase({
      recording: this.utterance && !this.utterance.done ? { opened: this.utterance.opened } : null,
      evaluating: this.evaluating(snapshot) || this.utterance !== null,
      armed: this.state.armed && this.state.mic === "on",
      myTurn: isMyTurn(snapshot, this.session.userId),
      playbackBusy: this.options.playbackBusy?.() ?? false,
    });
  }

  private set(change: Partial<SpeakingState>): void {
    let changed = false;
    for (const [key, value] of Object.entries(change) as [keyof SpeakingState, never][]) {
      if (this.state[key] !== value) {
        (this.state as unknown as Record<string, unknown>)[key] = value;
        changed = true;
      }
    }
    if (changed) for (const listener of this.listeners) listener(this.state);
  }
}
