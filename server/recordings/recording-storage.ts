/**
 * Where learner recordings live. Rooms and pipelines call this interface; whether the bytes land
 * in a local folder or an S3 bucket (MinIO in production) is decided once, at start.
 */
import { KotoError } from "../errors.ts";

export interface RecordingStorage {
  readonly kind: "file" | "s3";
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /**
   * Where the storage is this machine's disk: moves a finished local file into place under `key`
   * instead of writing its bytes again. Absent elsewhere; when it fails, `put` the bytes.
   */
  adopt?(key: string, localPath: string, contentType: string): Promise<void>;
  /** null when nothing is stored under the key. With `range` (inside the object: see `stat`), only those bytes. */
  get(key: string, range?: ByteRange): Promise<{ bytes: Uint8Array; contentType: string } | null>;
  /** How many bytes are stored under the key, and their type; null when nothing is. */
  stat(key: string): Promise<{ size: number; contentType: string } | null>;
  /**
   * A short-lived direct URL (S3 presigned GET), so a tutor's browser fetches audio without the
   * game server in the path; null where the storage has no such thing (files). Not a promise that
   * the key exists: the URL answers 404 for a missing recording.
   */
  presignedUrl(key: string, expirySeconds: number): Promise<string | null>;
}

/** Bytes `start` to `end` of a stored object, both included (the form of HTTP's byte ranges). */
export interface ByteRange {
  start: number;
  end: number;
}

export function assertByteRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`a byte range runs from a first to a last byte, 0 <= first <= last, not ${start}-${end}`);
  }
}

export interface AttemptAddress {
  sessionId: string;
  learnerId: string;
  attemptId: string;
}

export type RecordingExtension = "wav" | "ogg";

/** S3's own limit on object names; a file path of this length is also fine on Linux. */
const MAX_KEY_LENGTH = 1024;
const KEY_CHARACTERS = /^[A-Za-z0-9/_.-]+$/;
const KEY_PART = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;
/** RFC 9110 token "/" token, optionally followed by parameters; no control characters. */
const CONTENT_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"\r\n]*"|[A-Za-z0-9!#$&^_.+-]+))*$/;

const CONTENT_TYPE_BY_EXTENSION: Record<string, string> = {
  wav: "audio/wav",
  ogg: "audio/ogg",
  opus: "audio/ogg",
  webm: "audio/webm",
  json: "application/json",
};

/** "sessions/<sessionId>/<learnerId>/<attemptId>.wav": one folder per session, then per learner. */
export function recordingKey(attempt: AttemptAddress, extension: RecordingExtension): string {
  const parts: [string, string][] = [
    ["session id", attempt.sessionId],
    ["learner id", attempt.learnerId],
    ["attempt id", attempt.attemptId],
  ];
  for (const [name, value] of parts) {
    if (typeof value !== "string" || !KEY_PART.test(value) || value.includes("..")) {
      throw new KotoError(
        "RECORDING_KEY_INVALID",
        `the ${name} ${quote(value)} cannot name a recording: use 1 to 128 letters, digits, "_", "-" or "." (not first, never "..")`,
      );
    }
  }
  if (extension !== "wav" && extension !== "ogg") {
    throw new KotoError("RECORDING_KEY_INVALID", `recordings are stored as wav or ogg, not ${quote(extension)}`);
  }
  return `sessions/${attempt.sessionId}/${attempt.learnerId}/${attempt.attemptId}.${extension}`;
}

/**
 * The one rule for keys, shared by every storage so a key valid in tests is valid in production:
 * relative, "/"-separated, plain characters, no empty, hidden, "." or ".." segments.
 */
export function assertRecordingKey(key: string): string[] {
  const refuse = (reason: string): never => {
    throw new KotoError("RECORDING_KEY_INVALID", `the recording key ${quote(key)} is not allowed: ${reason}`);
  };
  if (typeof key !== "string" || key.length === 0) refuse("it is empty");
  if (key.length > MAX_KEY_LENGTH) refuse(`it is longer than ${MAX_KEY_LENGTH} characters`);
  if (!KEY_CHARACTERS.test(key)) refuse('use only letters, digits, "/", "_", "-" and "."');
  if (key.startsWith("/")) refuse("it must be relative, not start with /");
  if (key.includes("..")) refuse('it must not contain ".."');
  const segments = key.split("/");
  if (segments.some((segment) => segment.length === 0)) refuse('it must not have empty parts ("//" or a trailing "/")');
  if (segments.some((segment) => segment.startsWith("."))) refuse('no part may start with "."');
  return segments;
}

export function assertContentType(contentType: string): void {
  if (typeof contentType !== "string" || contentType.length > 200 || !CONTENT_TYPE.test(contentType)) {
    throw new KotoError(
      "RECORDING_CONTENT_TYPE_INVALID",
      `the content type ${quote(contentType)} is not a media type such as "audio/wav"`,
    );
  }
}

/** Used when a stored object carries no content type of its own. */
export function contentTypeForKey(key: string): string {
  const dot = key.lastIndexOf(".");
  const extension = dot === -1 ? "" : key.slice(dot + 1).toLowerCase();
  return CONTENT_TYPE_BY_EXTENSION[extension] ?? "application/octet-stream";
}

export function assertExpirySeconds(expirySeconds: number): void {
  // S3 signatures (v4) are valid for at most seven days.
  if (!Number.isInteger(expirySeconds) || expirySeconds < 1 || expirySeconds > 7 * 24 * 3600) {
    throw new RangeError(`a presigned URL lives 1 to 604800 seconds, not ${expirySeconds}`);
  }
}

function quote(value: unknown): string {
  const text = JSON.stringify(String(value));
  return text.length > 82 ? `${text.slice(0, 80)}…"` : text;
}
