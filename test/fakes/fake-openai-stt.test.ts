import assert from "node:assert/strict";
import { startFakeOpenAiStt, type FakeOpenAiStt } from "./fake-openai-stt.ts";
import { makeTestWav } from "./test-wav.ts";

/** Raw multipart uploads, so the fake is checked against the wire format rather than our client. */
describe("startFakeOpenAiStt", () => {
  let fake: FakeOpenAiStt;
  beforeEach(async () => {
    fake = await startFakeOpenAiStt({ transcript: (request) => `${request.audio.byteLength} bytes` });
  });
  afterEach(() => fake.close());

  const upload = (fields: Record<string, string>, file: Uint8Array = makeTestWav()) => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(file)], { type: "audio/wav" }), "a.wav");
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return fetch(`${fake.baseUrl}/v1/audio/transcriptions`, { method: "POST", body: form });
  };
  const good = { model: "whisper-1", language: "ko", response_format: "json" };

  it("parses the multipart upload and answers {text}", async () => {
    const wav = makeTestWav({ durationMs: 300 });
    const response = await upload(good, wav);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { text: `${wav.byteLength} bytes` });
    assert.deepEqual(fake.requests[0]!.audio, wav);
    assert.equal(fake.requests[0]!.fileName, "a.wav");
  });

  it("answers plain text for response_format=text", async () => {
    const response = await upload({ ...good, response_format: "text" });
    assert.equal(await response.text(), `${makeTestWav().byteLength} bytes`);
  });

  const refusals: { name: string; fields: Record<string, string>; file?: Uint8Array; message: RegExp }[] = [
    { name: "a file that is not a RIFF WAV", fields: good, file: new TextEncoder().encode("ID3 this is an mp3 pretending".padEnd(64, ".")), message: /Invalid file format/ },
    { name: "no model", fields: { language: "ko" }, message: /model/ },
    { name: "a language other than ko", fields: { ...good, language: "en" }, message: /language 'ko' only/ },
    { name: "no language", fields: { model: "whisper-1" }, message: /language 'ko' only/ },
  ];
  for (const row of refusals) {
    it(`refuses ${row.name} with an OpenAI error body`, async () => {
      const response = await upload(row.fields, row.file);
      assert.equal(response.status, 400);
      const body = (await response.json()) as { error: { message: string; type: string } };
      assert.match(body.error.message, row.message);
      assert.equal(body.error.type, "invalid_request_error");
    });
  }

  it("fails only the next `times` requests, with a server_error for 5xx", async () => {
    fake.setBehavior({ failWith: { status: 500, times: 1 } });
    const first = await upload(good);
    assert.equal(first.status, 500);
    assert.equal(((await first.json()) as { error: { type: string } }).error.type, "server_error");
    assert.equal((await upload(good)).status, 200);
  });

  it("holds every answer for delayMs", async () => {
    fake.setBehavior({ delayMs: 120 });
    const started = performance.now();
    await upload(good);
    assert.ok(performance.now() - started >= 115);
  });
});
