/**
 * A multipart/form-data body (RFC 7578): text fields, then one file, as three parts written one after
 * the other (the framing before the file, the file's own bytes, the closing boundary).
 *
 * Why not `FormData`: it is fetch's body type (undici streams it chunk by chunk), and the request
 * goes over node:http (http-post.ts: half the CPU per request); prepared parts are written at once.
 * Why parts and not one buffer: the file is a recording (up to 30 s, ~1 MB), and copying it into a
 * body of its own was an ArrayBuffer that large per answer, the kind of memory that starts V8's full
 * collections (docs/capacity.md §4.19). The format is FormData's own
 * (test/speech/stt/multipart-body.test.ts reads it back with undici's parser).
 */
import { randomBytes } from "node:crypto";

export interface MultipartFile {
  field: string;
  filename: string;
  type: string;
  bytes: Uint8Array;
}

/** Names and file names are ours (constants); a quote or line break in one would break the framing. */
const UNSAFE_NAME = /["\r\n]/;

export interface MultipartBody {
  /** Written in order; the file's part is the caller's own bytes (not copied), read until the request is sent. */
  parts: Uint8Array[];
  contentType: string;
}

export function multipartBody(fields: Record<string, string>, file: MultipartFile): MultipartBody {
  // 24 random bytes: the chance that they occur in the audio is nil, as with FormData's own boundary.
  const boundary = `koto-${randomBytes(24).toString("hex")}`;
  for (const name of [...Object.keys(fields), file.field, file.filename]) {
    if (UNSAFE_NAME.test(name)) throw new RangeError(`a multipart name cannot contain quotes or line breaks: ${JSON.stringify(name)}`);
  }
  let head = "";
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`;
  const encoder = new TextEncoder();
  const headBytes = encoder.encode(head);
  const tailBytes = encoder.encode(`\r\n--${boundary}--\r\n`);
  return { parts: [headBytes, file.bytes, tailBytes], contentType: `multipart/form-data; boundary=${boundary}` };
}
