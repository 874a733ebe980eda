/**
 * One connection to a lesson room, for a learner or a tutor. It turns the SDK's events into a
 * connection state a person understands, keeps a plain snapshot of the synchronized state, and
 * relays server messages. Dropped sockets are retried by the SDK; the server keeps the seat.
 */
import { Client, type Room } from "@colyseus/sdk";
import { fromMatchmakingError } from "../../../protocol/matchmaking.ts";
import { SERVER_MESSAGE_TYPES } from "../../../protocol/server-messages.ts";
import { BYTES_MESSAGES } from "../../../protocol/audio-frames.ts";
import { normalizeSnapshot, type LessonSnapshot } from "./snapshot.ts";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "reconnected" | "ended" | "lost" | "failed";

/** Close codes after which the session is over for good, rather than the connection lost. */
const ENDED_CODES = new Set([1000, 4000, 4001]);

export type { ServerErrorMessage as ServerError } from "../../../protocol/error-codes.ts";

type Listener<T> = (value: T) => void;

/** How long the "back online" state shows before it settles to "connected". */
const BACK_ONLINE_MS = 4000;
/**
 * The SDK retries only rooms that have been up this long (default 5 s). A learner may lose the
 * network seconds after opening a lesson, and the server holds the seat either way.
 */
const MIN_UPTIME_FOR_RETRY_MS = 500;
const RESUME_KEY = "koto.resume.";

export class RoomSession {
  snapshot: LessonSnapshot = normalizeSnapshot(undefined);
  connection: ConnectionState = "connecting";
  /** Set when the server said the session is over: `completed` for a finished lesson. */
  ended: { completed: boolean } | null = null;

  private readonly snapshotListeners = new Set<Listener<LessonSnapshot>>();
  private readonly connectionListeners = new Set<Listener<ConnectionState>>();
  private readonly messageListeners = new Map<string, Set<Listener<any>>>();
  private snapshotQueued = false;
  private closed = false;
  /** Learners may come back into their lesson after a page reload; tutors simply join again. */
  private resumable = false;
  private rememberedToken = "";
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(readonly room: Room, readonly userId: string) {
    room.reconnection.minUptime = MIN_UPTIME_FOR_RETRY_MS;
    room.onStateChange(() => this.queueSnapshot());
    room.onDrop(() => this.setConnection("reconnecting"));
    room.onReconnect(() => {
      this.setConnection("reconnected");
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => {
        if (this.connection === "reconnected") this.setConnection("connected");
      }, BACK_ONLINE_MS);
    });
    room.onLeave((code) => {
      this.closed = true;
      // A lost connection (retries exhausted, or dropped too soon to retry) keeps the resume
      // token: a reload may still get the seat back while the server holds it.
      if (ENDED_CODES.has(code) || this.ended) {
        this.forgetResume();
        this.setConnection("ended");
      } else {
        this.setConnection("lost");
      }
    });
    room.onError((code, message) => {
      const refusal = fromMatchmakingError({ code, message });
      this.emit("error", { code: refusal.code === "MATCHMAKING_FAILED" ? "CONNECTION_PROBLEM" : refusal.code, message: refusal.sentence, type: null });
    });
    for (const type of [...SERVER_MESSAGE_TYPES, BYTES_MESSAGES.learnerAudio]) {
      room.onMessage(type, (payload: unknown) => this.emit(type, payload));
    }
    this.on("session-ended", (payload: { completed?: boolean }) => {
      this.ended = { completed: !!payload?.completed };
      this.forgetResume();
      this.setConnection("ended");
    });
    this.connection = "connected";
    this.queueSnapshot();
  }

  /** Opens a lesson as a learner: back into the same room after a reload when the seat is still held. */
  static async openLesson(endpoint: string, lessonId: string, token: string, userId: string): Promise<RoomSession> {
    const client = new Client(endpoint);
    const resume = readResume(lessonId, userId);
    let session: RoomSession | undefined;
    if (resume) {
      try {
        session = new RoomSession(await client.reconnect(resume), userId);
      } catch {
        forget(lessonId, userId);
      }
    }
    session ??= new RoomSession(await client.create("lesson", { lessonId, token, platform: "web" }), userId);
    session.resumable = true;
    return session;
  }

  /** Joins a running session (a tutor spectating, or a second learner). */
  static async join(endpoint: string, roomId: string, token: string, userId: string): Promise<RoomSession> {
    const client = new Client(endpoint);
    return new RoomSession(await client.joinById(roomId, { token, platform: "web" }), userId);
  }

  get roomId(): string {
    return this.room.roomId;
  }

  onSnapshot(listener: Listener<LessonSnapshot>): () => void {
    this.snapshotListeners.add(listener);
    return () => this.snapshotListeners.delete(listener);
  }

  onConnection(listener: Listener<ConnectionState>): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  on<T = any>(type: string, listener: Listener<T>): () => void {
    let listeners = this.messageListeners.get(type);
    if (!listeners) this.messageListeners.set(type, (listeners = new Set()));
    listeners.add(listener);
    return () => listeners!.delete(listener);
  }

  send(type: string, payload?: unknown): void {
    // A finished session still takes messages (a tutor grading, a learner's hint); a closed socket does not.
    if (this.closed) return;
    this.room.send(type as never, payload as never);
  }

  sendBytes(type: string, bytes: Uint8Array): void {
    // Audio is live: frames that would arrive after a reconnect are stale, so they are not queued.
    if (!this.isOpen) return;
    this.room.sendBytes(type, bytes);
  }

  /** The socket is up (the session may have ended, the room is still there). */
  get isOpen(): boolean {
    return !this.closed && (this.connection === "connected" || this.connection === "reconnected" || (this.connection === "ended" && !!this.ended));
  }

  async leave(): Promise<void> {
    this.forgetResume();
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.settleTimer);
    this.setConnection("ended");
    await Promise.race([this.room.leave(true), new Promise((resolve) => setTimeout(resolve, 1500))]);
  }

  private queueSnapshot(): void {
    if (this.snapshotQueued) return;
    this.snapshotQueued = true;
    queueMicrotask(() => {
      this.snapshotQueued = false;
      const state = this.room.state as { toJSON?: () => unknown } | undefined;
      if (!state?.toJSON) return;
      this.snapshot = normalizeSnapshot(state.toJSON() as Partial<LessonSnapshot>);
      if (this.resumable && this.rememberedToken !== this.room.reconnectionToken) this.rememberResume();
      for (const listener of this.snapshotListeners) listener(this.snapshot);
    });
  }

  private setConnection(state: ConnectionState): void {
    if (this.connection === state) return;
    if ((this.connection === "ended" || this.connection === "lost") && state !== "ended") return;
    this.connection = state;
    for (const listener of this.connectionListeners) listener(state);
  }

  private emit(type: string, payload: unknown): void {
    for (const listener of this.messageListeners.get(type) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        // One broken view must not stop the others from hearing the message.
        reportError(error);
      }
    }
  }

  private rememberResume(): void {
    const lessonId = this.snapshot.lesson.id;
    if (!lessonId || !this.room.reconnectionToken || this.connection === "ended") return;
    writeResume(lessonId, this.userId, this.room.reconnectionToken);
    this.rememberedToken = this.room.reconnectionToken;
  }

  private forgetResume(): void {
    this.resumable = false;
    if (this.snapshot.lesson.id) forget(this.snapshot.lesson.id, this.userId);
  }
}

function sessionStore(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

function readResume(lessonId: string, userId: string): string | null {
  return sessionStore()?.getItem(`${RESUME_KEY}${userId}.${lessonId}`) ?? null;
}

function writeResume(lessonId: string, userId: string, token: string): void {
  try {
    sessionStore()?.setItem(`${RESUME_KEY}${userId}.${lessonId}`, token);
  } catch {
    // resume after reload is a convenience
  }
}

function forget(lessonId: string, userId: string): void {
  try {
    sessionStore()?.removeItem(`${RESUME_KEY}${userId}.${lessonId}`);
  } catch {
    // ditto
  }
}
