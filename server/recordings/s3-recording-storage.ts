/**
 * Recordings in an S3 bucket (MinIO in production) through the `minio` client. Every failure of
 * the store becomes RECORDING_STORAGE_UNAVAILABLE with a sentence an operator can act on; a
 * missing object is not a failure but `null`.
 */
import * as http from "node:http";
import * as https from "node:https";
import { Client, S3Error, type ClientOptions } from "minio";
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

export interface S3RecordingStorageOptions {
  endPoint: string;
  port?: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  /** The seed deployment uses "koto-audio". */
  bucket: string;
  /** Defaults to "us-east-1", which MinIO accepts; a set region also spares a lookup per presign. */
  region?: string;
  /** Path-style URLs (`host/bucket/key`): what MinIO and s3rver expect. Defaults to true. */
  pathStyle?: boolean;
  /** A request whose socket stays silent this long is abandoned. Defaults to 10 s. */
  requestTimeoutMs?: number;
  /** Retries for 429/5xx answers (connection errors are not retried by the client). Defaults to 1. */
  maxRetries?: number;
  /** Connections of its own (default: Node's shared keep-alive pool). */
  agent?: http.Agent;
}

type Transport = NonNullable<ClientOptions["transport"]>;

const NOT_FOUND_CODES = new Set(["NoSuchKey", "NotFound"]);
const isNotFound = (error: unknown) => error instanceof S3Error && error.code !== undefined && NOT_FOUND_CODES.has(error.code);
const CREDENTIAL_CODES = new Set(["AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken"]);

class StorageTimeoutError extends Error {
  readonly code = "ETIMEDOUT";
}

export class S3RecordingStorage implements RecordingStorage {
  readonly kind = "s3" as const;
  readonly bucket: string;
  private readonly region: string;
  private readonly client: Client;
  private readonly location: string;
  private readonly requestTimeoutMs: number;

  constructor(options: S3RecordingStorageOptions) {
    this.bucket = options.bucket;
    this.region = options.region ?? "us-east-1";
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    const scheme = options.useSSL ? "https" : "http";
    this.location = `${scheme}://${options.endPoint}${options.port === undefined ? "" : `:${options.port}`}`;
    try {
      this.client = new Client({
        endPoint: options.endPoint,
        port: options.port,
        useSSL: options.useSSL,
        accessKey: options.accessKey,
        secretKey: options.secretKey,
        region: this.region,
        pathStyle: options.pathStyle ?? true,
        transport: withSocketTimeout(options.useSSL ? https : http, this.requestTimeoutMs, options.agent),
        retryOptions: { maximumRetryCount: options.maxRetries ?? 1, baseDelayMs: 100, maximumDelayMs: 2000 },
      });
    } catch (error) {
      throw new KotoError("CONFIG_INVALID", `the recording store settings are invalid: ${describe(error)}`);
    }
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(this.bucket)) {
      throw new KotoError("CONFIG_INVALID", `"${this.bucket}" is not a valid S3 bucket name (3-63 lowercase letters, digits, "." or "-")`);
    }
  }

  /** Creates the bucket when it is missing; safe to call at every start and from several processes. */
  async ensureBucket(): Promise<void> {
    try {
      if (await this.client.bucketExists(this.bucket)) return;
      await this.client.makeBucket(this.bucket, this.region);
    } catch (error) {
      // Another process may have created it between our check and our request (MinIO answers
      // BucketAlreadyOwnedByYou, others BucketAlreadyExists): what counts is that it is there now.
      if (error instanceof S3Error && (await this.client.bucketExists(this.bucket).catch(() => false))) return;
      throw this.unavailable(`prepare bucket "${this.bucket}"`, error);
    }
  }

  /** Whether the bucket is there, without creating it (a HEAD request: no error body to drain). */
  async bucketExists(): Promise<boolean> {
    try {
      return await this.client.bucketExists(this.bucket);
    } catch (error) {
      throw this.unavailable(`check bucket "${this.bucket}"`, error);
    }
  }

  /** Whether an object is stored under `key` (a HEAD request). */
  async exists(key: string): Promise<boolean> {
    assertRecordingKey(key);
    try {
      await this.client.statObject(this.bucket, key);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw this.unavailable(`look for "${key}"`, error);
    }
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    assertRecordingKey(key);
    assertContentType(contentType);
    const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    try {
      await this.client.putObject(this.bucket, key, body, body.byteLength, { "Content-Type": contentType });
    } catch (error) {
      throw this.unavailable(`save recording "${key}"`, error);
    }
  }

  async get(key: string, range?: ByteRange): Promise<{ bytes: Uint8Array; contentType: string } | null> {
    assertRecordingKey(key);
    if (range) assertByteRange(range);
    try {
      const body = range
        ? await this.client.getPartialObject(this.bucket, key, range.start, range.end - range.start + 1)
        : await this.client.getObject(this.bucket, key);
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      // The client hands back the HTTP response itself; its headers carry the stored type.
      const header = body instanceof http.IncomingMessage ? body.headers["content-type"] : undefined;
      const contentType = header ?? (await this.client.statObject(this.bucket, key)).metaData["content-type"];
      return { bytes: new Uint8Array(Buffer.concat(chunks)), contentType: this.typeOrExtensions(key, contentType) };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw this.unavailable(`read recording "${key}"`, error);
    }
  }

  async stat(key: string): Promise<{ size: number; contentType: string } | null> {
    assertRecordingKey(key);
    try {
      const found = await this.client.statObject(this.bucket, key);
      return { size: found.size, contentType: this.typeOrExtensions(key, found.metaData["content-type"]) };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw this.unavailable(`read recording "${key}"`, error);
    }
  }

  private typeOrExtensions(key: string, contentType: unknown): string {
    return typeof contentType === "string" && contentType !== "" ? contentType : contentTypeForKey(key);
  }

  /** Signed locally (the region is known), so this works even while the store is briefly down. */
  async presignedUrl(key: string, expirySeconds: number): Promise<string> {
    assertRecordingKey(key);
    assertExpirySeconds(expirySeconds);
    try {
      return await this.client.presignedGetObject(this.bucket, key, expirySeconds);
    } catch (error) {
      throw this.unavailable(`sign a link to recording "${key}"`, error);
    }
  }

  private unavailable(action: string, error: unknown): KotoError {
    if (error instanceof KotoError) return error;
    const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
    let reason: string;
    if (error instanceof StorageTimeoutError) {
      reason = `the recording store at ${this.location} did not answer within ${this.requestTimeoutMs} ms`;
    } else if (error instanceof S3Error && code === "NoSuchBucket") {
      reason = `the bucket "${this.bucket}" does not exist at ${this.location}; create it (ensureBucket at start-up) or fix the bucket name`;
    } else if (error instanceof S3Error && code !== undefined && CREDENTIAL_CODES.has(code)) {
      reason = `the recording store at ${this.location} refused our credentials (${code}); check the access key and secret key`;
    } else if (error instanceof S3Error) {
      reason = `the recording store at ${this.location} answered ${code ?? "an error"}: ${error.message}`;
    } else if (code !== undefined && /^E[A-Z]+$/.test(code)) {
      reason = `could not reach the recording store at ${this.location} (${code}); check that it is running and the endpoint and port are right`;
    } else {
      reason = `the recording store at ${this.location} failed: ${describe(error)}`;
    }
    const failure = new KotoError("RECORDING_STORAGE_UNAVAILABLE", `could not ${action}: ${reason}`, 503);
    failure.cause = error;
    return failure;
  }
}

/**
 * The minio client sets no timeout of its own, so a store that accepts connections and then
 * hangs would hold a learner's attempt forever. A socket silent for `timeoutMs` ends the request.
 */
function withSocketTimeout(base: Transport, timeoutMs: number, agent?: http.Agent): Transport {
  const request = (options: http.RequestOptions, callback?: (response: http.IncomingMessage) => void) => {
    const outgoing = base.request(agent ? { ...options, agent } : options, callback);
    outgoing.setTimeout(timeoutMs, () => {
      outgoing.destroy(new StorageTimeoutError(`no answer within ${timeoutMs} ms`));
    });
    return outgoing;
  };
  return { request: request as Transport["request"] };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
