export {
  assertRecordingKey,
  contentTypeForKey,
  recordingKey,
  type AttemptAddress,
  type RecordingExtension,
  type RecordingStorage,
} from "./recording-storage.ts";
export { FileRecordingStorage } from "./file-recording-storage.ts";
export type { S3RecordingStorage, S3RecordingStorageOptions } from "./s3-recording-storage.ts";
import type { S3RecordingStorage, S3RecordingStorageOptions } from "./s3-recording-storage.ts";

/**
 * A bucket's storage, its module loaded on first use: the S3 client (minio, with its XML parsers,
 * ~40 MB resident) stays out of a process that keeps recordings in files (docs/capacity.md §4.11).
 */
export async function newS3RecordingStorage(options: S3RecordingStorageOptions): Promise<S3RecordingStorage> {
  const { S3RecordingStorage: Storage } = await import("./s3-recording-storage.ts");
  return new Storage(options);
}
