export {
  assertRecordingKey,
  contentTypeForKey,
  recordingKey,
  type AttemptAddress,
  type RecordingExtension,
  type RecordingStorage,
} from "./recording-storage.ts";
export { FileRecordingStorage } from "./file-recording-storage.ts";
export { S3RecordingStorage, type S3RecordingStorageOptions } from "./s3-recording-storage.ts";
