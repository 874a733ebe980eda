import assert from "node:assert/strict";
import { multipartBody } from "../../../server/speech/stt/multipart-body.ts";

/** Reads a body back with undici's own multipart parser (what FormData uploads are checked against). */
async function parse(parts: Uint8Array[], contentType: string): Promise<FormData> {
  return new Response(new Blob(parts as Uint8Array<ArrayBuffer>[]), { headers: { "content-type": contentType } }).formData();
}

describe("multipartBody", () => {
  it("holds the fields and the file byte for byte, as a standard parser reads them", async () => {
    // Bytes that look like framing (CRLF, dashes) inside the file must come back unchanged.
    const bytes = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 13, 10, 45, 45, 0, 255, 13, 10, 13, 10, 7]);
    const { parts, contentType } = multipartBody(
      { model: "whisper-1", language: "ko", prompt: "감사합니다\r\n두 줄" },
      { field: "file", filename: "attempt.wav", type: "audio/wav", bytes },
    );
    assert.equal(parts[1], bytes, "the file's bytes are sent as they are, not copied");
    const form = await parse(parts, contentType);
    assert.equal(form.get("model"), "whisper-1");
    assert.equal(form.get("language"), "ko");
    assert.equal(form.get("prompt"), "감사합니다\r\n두 줄");
    const file = form.get("file") as File;
    assert.equal(file.name, "attempt.wav");
    assert.equal(file.type, "audio/wav");
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), bytes);
  });

  it("uses a new boundary for every body", () => {
    const file = { field: "file", filename: "a.wav", type: "audio/wav", bytes: new Uint8Array(4) };
    assert.notEqual(multipartBody({}, file).contentType, multipartBody({}, file).contentType);
  });

  it("refuses a name that would break the framing", () => {
    const file = { field: "file", filename: "a.wav", type: "audio/wav", bytes: new Uint8Array(4) };
    assert.throws(() => multipartBody({ 'na"me': "x" }, file), RangeError);
    assert.throws(() => multipartBody({}, { ...file, filename: "a\r\nb.wav" }), RangeError);
  });
});
