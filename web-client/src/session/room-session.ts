/**
 * One connection to a lesson session, for a learner or a tutor. It turns the SDK's events into a
 * connection state a person understands, keeps a plain snapshot of the synchronized state, and
 * relays server messages. Dropped sockets are retried by the SDK; the server keeps the seat.
 * When the server process stops (it says `server-draining`, then closes with the "session moving"
 * code) or dies, the session is resumed on another process (`create` with `resume`, by whoever
 * comes back first, learner or tutor; `joinById` when it is open again) under the same id: one
 * "reconnecting" notice, then back on the same line.
 */
import { Client, type Room } from "@colyseus/sdk";
import { fromMatchmakingError } from "../../../protocol/matchmaking.ts";
import { SERVER_MESSAGE_TYPES } from "../../../protocol/server-messages.ts";
import { BYTES_MESSAGES } from "../../../protocol/audio-frames.ts";
import { SERVER_DRAINING, SESSION_MOVING_CLOSE_CODE, SESSION_OPEN_CODES } from "../../../protocol/session-moves.ts";
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
/** After a drop, how long the SDK's own reconnection gets before we check whether the process is gone. */
const PROBE_AFTER_DROP_MS = 1500;
/** Rejoin back-off: doubling from 250 ms to 5 s, with jitter so a whole process's clients spread out. */
const REJOIN_FIRST_DELAY_MS = 250;
const REJOIN_MAX_DELAY_MS = 5000;
const REJOIN_GIVE_UP_MS = 120_000;

/** How to come back into the same session after its process stopped. */
interface Rejoin {
  endpoint: string;
  token: string;
  /** The learner's lesson; a tutor's is the one in the last snapshot. */
  lessonId?: string;
}

/** A refusal that means the session cannot be resumed at all. */
const FINAL_REFUSALS = /^(SESSION_ENDED|SESSION_EXPIRED|SESSION_NOT_FOUND|SESSION_LESSON_MISMATCH|AUTH_[A-Z_]+|ROOM_FULL|ALREADY_IN_ROOM):/;

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
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set while the session is being moved to another process. */
  private moving: Promise<void> | null = null;
  private room: Room;

  private constructor(room: Room, readonly userId: string, private readonly rejoin: Rejoin) {
    this.room = room;
    this.bind(room);
    this.on("session-ended", (payload: { completed?: boolean }) => {
      this.ended = { completed: !!payload?.completed };
      this.forgetResume();
      this.setConnection("ended");
    });
    // The process is stopping: this is the one notice the learner sees until the session is back.
    this.on(SERVER_DRAINING, () => this.setConnection("reconnecting"));
    this.connection = "connected";
    this.queueSnapshot();
  }

  /** Listens to one SDK room; a resumed session binds the new one the same way. */
  private bind(room: Room): void {
    room.reconnection.minUptime = MIN_UPTIME_FOR_RETRY_MS;
    room.onStateChange(() => {
      if (room === this.room) this.queueSnapshot();
    });
    room.onDrop(() => {
      if (room !== this.room) return;
      this.setConnection("reconnecting");
      // The SDK retries the same process; if that process is gone, the session must move instead.
      clearTimeout(this.probeTimer);
      this.probeTimer = setTimeout(() => {
        if (room === this.room && this.connection === "reconnecting") void this.moveSession(room, { probe: true });
      }, PROBE_AFTER_DROP_MS);
    });
    room.onReconnect(() => {
      if (room !== this.room) return;
      clearTimeout(this.probeTimer);
      this.backOnline();
    });
    room.onLeave((code) => {
      if (room !== this.room) return;
      clearTimeout(this.probeTimer);
      if (ENDED_CODES.has(code) || this.ended) {
        this.closed = true;
        this.forgetResume();
        this.setConnection("ended");
        return;
      }
      // The session is moving (the process stopped), or the SDK could not get back to its process
      // (it died): resume it on a live one. Only when that fails is the connection lost; the resume
      // token is kept then, so a reload may still get the seat back while the server holds it.
      void this.moveSession(room, { probe: false });
    });
    room.onError((code, message) => {
      // While the session is reconnecting or moving, each failed try of the SDK reports an error:
      // the one "reconnecting" notice already says so, and the outcome (back, or lost) follows.
      if (room !== this.room || this.moving || this.connection === "reconnecting") return;
      const refusal = fromMatchmakingError({ code, message });
      this.emit("error", { code: refusal.code === "MATCHMAKING_FAILED" ? "CONNECTION_PROBLEM" : refusal.code, message: refusal.sentence, type: null });
    });
    for (const type of new Set([...SERVER_MESSAGE_TYPES, BYTES_MESSAGES.learnerAudio, SERVER_DRAINING])) {
      room.onMessage(type, (payload: unknown) => {
        if (room === this.room) this.emit(type, payload);
      });
    }
  }

  private backOnline(): void {
    this.setConnection("reconnected");
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      if (this.connection === "reconnected") this.setConnection("connected");
    }, BACK_ONLINE_MS);
  }

  /**
   * Brings the session back on a live process. With `probe`, the old room may still be alive (a
   * network drop the SDK is retrying): then the server answers "still open" and we leave it to the
   * SDK, checking again later.
   */
  private moveSession(from: Room, { probe }: { probe: boolean }): Promise<void> {
    this.moving ??= (async () => {
      this.setConnection("reconnecting");
      const sessionId = from.roomId;
      const started = Date.now();
      let delay = REJOIN_FIRST_DELAY_MS;
      const sdkGotBack = () => probe && this.connection !== "reconnecting";
      while (!this.closed && this.room === from && !sdkGotBack() && Date.now() - started < REJOIN_GIVE_UP_MS) {
        // Jitter first, so the clients of a whole process do not all arrive at once.
        await sleep(delay / 2 + Math.random() * (delay / 2));
        if (this.closed || this.room !== from) return;
        try {
          const room = await this.rejoinRoom(sessionId);
          this.adopt(from, room);
          return;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const code = /^([A-Z_]+):/.exec(message)?.[1];
          const stillOpen = code !== undefined && ((SESSION_OPEN_CODES as readonly string[]).includes(code) || code === "ALREADY_IN_ROOM");
          if (probe && stillOpen) {
            // Its process still holds our seat (a network drop): the SDK's retries will get us back.
          } else if (FINAL_REFUSALS.test(message)) {
            this.closed = true;
            this.forgetResume();
            this.setConnection("lost");
            this.emit("error", { code: code ?? "RESUME_FAILED", message });
            return;
          }
        }
        delay = Math.min(delay * 2, REJOIN_MAX_DELAY_MS);
      }
      if (!this.closed && this.room === from && !sdkGotBack()) {
        this.closed = true;
        this.setConnection("lost");
      }
    })().finally(() => {
      this.moving = null;
    });
    return this.moving;
  }

  private async rejoinRoom(sessionId: string): Promise<Room> {
    const client = new Client(this.rejoin.endpoint);
    const options = { token: this.rejoin.token, platform: "web" as const };
    // Whoever comes back first resumes the session, a tutor too (with the lesson they were watching):
    // a tutor is not left waiting for a learner who may never return, and sees the restored state.
    const lessonId = this.rejoin.lessonId ?? this.snapshot.lesson.id;
    if (!lessonId) return client.joinById(sessionId, options);
    try {
      return await client.create("lesson", { ...options, lessonId, resume: sessionId });
    } catch (error) {
      // Another participant resumed it first (or it is still open): take a seat in it.
      const code = /^([A-Z_]+):/.exec(error instanceof Error ? error.message : "")?.[1];
      if (code && (SESSION_OPEN_CODES as readonly string[]).includes(code)) return client.joinById(sessionId, options);
      throw error;
    }
  }

  /** Switches to the resumed room; the old one is left quietly (its socket is gone or going). */
  private adopt(from: Room, room: Room): void {
    this.room = room;
    this.bind(room);
    from.removeAllListeners();
    from.reconnection.maxRetries = 0;
    this.closed = false;
    this.rememberedToken = "";
    this.queueSnapshot();
    this.backOnline();
  }

  /** Opens a lesson as a learner: back into the same room after a reload when the seat is still held. */
  static async openLesson(endpoint: string, lessonId: string, token: string, userId: string): Promise<RoomSession> {
    const client = new Client(endpoint);
    const resume = readResume(lessonId, userId);
    let session: RoomSession | undefined;
    const rejoin = { endpoint, token, lessonId };
    if (resume) {
      try {
        session = new RoomSession(await client.reconnect(resume), userId, rejoin);
      } catch {
        forget(lessonId, userId);
      }
    }
    session ??= new RoomSession(await client.create("lesson", { lessonId, token, platform: "web" }), userId, rejoin);
    session.resumable = true;
    return session;
  }

  /** Joins a running session (a tutor spectating, or a second learner). */
  static async join(endpoint: string, roomId: string, token: string, userId: string): Promise<RoomSession> {
    const client = new Client(endpoint);
    return new RoomSession(await client.joinById(roomId, { token, platform: "web" }), userId, { endpoint, token });
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

  /** False when the message could not go (the socket is closed or the session is moving): say so, it is not queued. */
  send(type: string, payload?: unknown): boolean {
    // A finished session still takes messages (a tutor grading, a learner's hint); a closed socket does not.
    if (this.closed || this.moving) return false;
    this.room.send(type as never, payload as never);
    return true;
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
    clearTimeout(this.probeTimer);
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
