import type { Logger } from "pino";
import type { Config } from "../../server/config.ts";
import type { ContentCatalog } from "../../server/content/lesson.ts";
import type { TokenService } from "../../server/auth/token-service.ts";
import type { Store } from "../../server/store/store.ts";
import type { Room } from "@colyseus/core";
import type { SpeechService } from "../../server/speech/speech-service.ts";
import type { OpenLessons } from "./open-lessons.ts";

/** What a lesson room needs from the server; injected so the room never knows what is behind it. */
export interface LessonRoomServices {
  config: Config;
  store: Store;
  content: ContentCatalog;
  tokens: TokenService;
  logger: Logger;
  speech: SpeechService;
  /** The lessons each learner sits in on this process (capped). */
  openLessons: OpenLessons;
  /** Settles attempts a stopped process left recording or evaluating (used when resuming its session). */
  recoverInterrupted?: (sessionId: string) => Promise<unknown>;
  onRoomCreated?: (room: Room) => void;
  onRoomDisposed?: (room: Room) => void;
}
