/**
 * Recordings as plain files under one folder (development, single-machine installs): a WAV on
 * disk plays in any player. The content type sits beside it in a hidden sidecar file; keys never
 * start a part with ".", so sidecars and half-written temporary files cannot collide with a key.
 */
import { randomUUID } from "node:crypto";
import { closeSync, existsSync, fsync, openSync } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { removeFile } from "./remove-file.ts";
import { basename, dirname, join, resolve } from "node:path";
import { KotoError } from "../errors.ts";
import {
  assertByteRange,
  assertContentType,
  assertExpirySeconds,
  assertRecordingKey,
  contentTypeForKey,
  type ByteRange,
  type RecordingStorage,
} from "./recording-storage.ts";

export class FileRecordingStorage implements RecordingStorage {
  readonly kind = "file" as const;
  readonly directory: string;

  constructor(directory: string) {
    this.directory = resolve(directory);
  }

  /**
   * Each file is written to a temporary name, flushed and renamed, so a reader sees the old
   * recording or the new one, never half of one. The sidecar goes first: a crash in between
   * leaves the old bytes with the new type, which for one key (one extension) is the same type.
   */
  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.place(key, contentType, (path) => writeAtomically(path, bytes));
  }

  /**
   * Moves a finished local file (a spool made a WAV, on the same disk) into place under `key`: one
   * rename instead of a second copy of the same bytes. Fails like `put` (EXDEV when the file is on
   * another file system), and the caller then puts the bytes instead.
   */
  async adopt(key: string, localPath: string, contentType: string): Promise<void> {
    await this.place(key, contentType, (path) => rename(localPath, path));
  }

  /** `put` and `adopt`: the folders, the sidecar, the file (by `writeFile`), then the folder synced. */
  private async place(key: string, contentType: string, writeFile: (path: string) => Promise<void>): Promise<void> {
    const path = this.pathOf(key);
    assertContentType(contentType);
    // The root folder once per process (each file operation is a hand-off to libuv's pool that a busy
    // event loop waits on, docs/capacity.md §4.8); if it is removed later, the write below says so.
    if (!this.rootMade) {
      try {
        await mkdir(this.directory, { recursive: true });
        this.rootMade = true;
      } catch (error) {
        throw this.unavailable("save", key, error);
      }
    }
    try {
      await this.writeFiles(path, contentType, writeFile);
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw this.failure("save", key, error);
      // A folder this process made was removed since (a clean-up, an operator): made again, written once more.
      this.madeFolders.clear();
      try {
        await this.writeFiles(path, contentType, writeFile);
      } catch (again) {
        if (errorCode(again) === "ENOENT") this.rootMade = false;
        throw this.failure("save", key, again);
      }
    }
  }

  private async writeFiles(path: string, contentType: string, writeFile: (path: string) => Promise<void>): Promise<void> {
    // Each folder once (a session's recordings share one): a bounded memory of folders made.
    const folder = dirname(path);
    if (!this.madeFolders.has(folder)) {
      await mkdir(folder, { recursive: true });
      if (this.madeFolders.size >= MADE_FOLDERS_REMEMBERED) this.madeFolders.clear();
      this.madeFolders.add(folder);
    }
    // A sidecar only for a type the extension does not already say (a recording's WAV needs none);
    // an older sidecar for this key goes, so the extension's type is what `get` reads back.
    // Whether one is there is asked synchronously: a stat of a name that is not there is a few
    // microseconds, where an unlink handed to libuv's pool costs a busy event loop ~0.1–0.2 ms (§4.9).
    if (contentType === contentTypeForKey(path)) {
      const sidecar = sidecarOf(path);
      if (existsSync(sidecar)) await removeFile(sidecar);
    }
    else await writeAtomically(sidecarOf(path), new TextEncoder().encode(contentType));
    await writeFile(path);
    await syncDirectory(folder);
  }

  private rootMade = false;
  private readonly madeFolders = new Set<string>();

  async get(key: string, range?: ByteRange): Promise<{ bytes: Uint8Array; contentType: string } | null> {
    const path = this.pathOf(key);
    if (range) assertByteRange(range);
    let stored: Uint8Array;
    try {
      stored = range ? await readRange(path, range) : await readFile(path);
    } catch (error) {
      if (isMissing(error)) return null;
      throw this.failure("read", key, error);
    }
    return { bytes: new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength), contentType: await this.contentTypeOf(key, path) };
  }

  async stat(key: string): Promise<{ size: number; contentType: string } | null> {
    const path = this.pathOf(key);
    let size: number;
    try {
      const found = await stat(path);
      if (!found.isFile()) return null;
      size = found.size;
    } catch (error) {
      if (isMissing(error)) return null;
      throw this.failure("read", key, error);
    }
    return { size, contentType: await this.contentTypeOf(key, path) };
  }

  /** The sidecar's type, or the extension's when there is none. */
  private async contentTypeOf(key: string, path: string): Promise<string> {
    try {
      return (await readFile(sidecarOf(path), "utf8")).trim();
    } catch (error) {
      if (!isMissing(error)) throw this.failure("read", key, error);
      return contentTypeForKey(key);
    }
  }

  /** Files have no direct URL: the HTTP layer serves them itself. */
  async presignedUrl(key: string, expirySeconds: number): Promise<string | null> {
    assertRecordingKey(key);
    assertExpirySeconds(expirySeconds);
    return null;
  }

  private pathOf(key: string): string {
    return join(this.directory, ...assertRecordingKey(key));
  }

  private failure(action: "save" | "read", key: string, error: unknown): KotoError {
    const code = errorCode(error);
    if (code === "EISDIR" || code === "ENOTDIR" || code === "EEXIST") {
      return new KotoError(
        "RECORDING_KEY_INVALID",
        `the recording key "${key}" clashes with an existing recording or folder of the same name`,
      );
    }
    return this.unavailable(action, key, error);
  }

  private unavailable(action: "save" | "read", key: string, error: unknown): KotoError {
    const code = errorCode(error);
    const failure = new KotoError(
      "RECORDING_STORAGE_UNAVAILABLE",
      `could not ${action} recording "${key}" in ${this.directory} (${code ?? String(error)}); ` +
        `check that the folder exists, is writable and the disk is not full`,
      503,
    );
    failure.cause = error;
    return failure;
  }
}

/** Folders this process made and remembers, so that most writes skip the mkdir. */
const MADE_FOLDERS_REMEMBERED = 10_000;

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${randomUUID()}.tmp`);
  try {
    const handle = await open(temporary, "wx");
    try {
      await handle.writeFile(bytes);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Only the bytes of `range` (fewer when the file ends first), not the whole file. */
async function readRange(path: string, range: ByteRange): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const wanted = Buffer.alloc(Math.max(0, Math.min(range.end + 1, size) - range.start));
    let filled = 0;
    while (filled < wanted.byteLength) {
      const { bytesRead } = await handle.read(wanted, filled, wanted.byteLength - filled, range.start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return wanted.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/**
 * Makes the renames themselves durable; not every platform can open a folder, so best effort.
 * Opening and closing a folder are quick system calls made here directly; only the fsync, which
 * waits for the disk, goes to libuv's pool (one hand-off instead of three, every kept recording).
 */
async function syncDirectory(directory: string): Promise<void> {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(directory, "r");
    const opened = descriptor;
    await new Promise<void>((resolve) => fsync(opened, () => resolve()));
  } catch {
    // Durability of the rename is a bonus; the write itself already succeeded.
  } finally {
    if (descriptor !== undefined) {
      try {
        closeSync(descriptor);
      } catch {
        // Nothing was written through it.
      }
    }
  }
}

function sidecarOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.content-type`);
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR";
}

function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}
