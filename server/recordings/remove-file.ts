import { unlink } from "node:fs/promises";

/**
 * Deletes one file; a file already gone is fine. One unlink, where `rm(path, { force: true })`
 * first lstat()s it: each is a hand-off to libuv's pool that a busy event loop pays for, and a
 * kept recording removes its spool file every utterance (docs/capacity.md §4.9).
 */
export async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code !== "ENOENT") throw error;
  }
}
