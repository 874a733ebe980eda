import assert from "node:assert/strict";
import { startFakeGemini, type FakeGemini } from "./fake-gemini.ts";
import { makeTestWav } from "./test-wav.ts";

/** Raw REST calls, so the fake is checked against the wire format rather than against our client. */
describe("startFakeGemini", () => {
  let fake: FakeGemini;
  beforeEach(async () => {
    fake = await startFakeGemini({ apiKey: "key", transcript: (request) => `${request.audio?.byteLength} bytes` });
  });
  afterEach(() => fake.close());

  const generate = (body: unknown, options: { model?: string; key?: string | null } = {}) =>
    fetch(`${fake.baseUrl}/v1beta/models/${options.model ?? "gemini-2.5-flash"}:generateContent`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(options.key === null ? {} : { "x-goog-api-key": options.key ?? "key" }) },
      body: JSON.stringify(body),
    });
  const audioBody = (wav: Uint8Array) => ({
    contents: [{ role: "user", parts: [{ text: "Transcribe" }, { inlineData: { mimeType: "audio/wav", data: Buffer.from(wav).toString("base64") } }] }],
    generationConfig: { responseMimeType: "application/json", responseJsonSchema: { type: "object" } },
  });

  it("answers candidates[0].content.parts[0].text with the handler's transcript and counts 32 audio tokens a second", async () => {
    const wav = makeTestWav({ durationMs: 1000 });
    const response = await generate(audioBody(wav));
    assert.equal(response.status, 200);
    const body = (await response.json()) as {
      candidates: { content: { parts: { text: string }[] }; finishReason: string }[];
      usageMetadata: { promptTokensDetails: { modality: string; tokenCount: number }[] };
    };
    assert.deepEqual(JSON.parse(body.candidates[0]!.content.parts[0]!.text), { transcript: `${wav.byteLength} bytes` });
    assert.equal(body.candidates[0]!.finishReason, "STOP");
    assert.deepEqual(body.usageMetadata.promptTokensDetails, [{ modality: "AUDIO", tokenCount: 32 }]);
  });

  it("refuses like Google: missing key 403, wrong key 400, unknown model 404, schema without JSON mime 400", async () => {
    const wav = makeTestWav();
    const cases: [Promise<Response>, number, string][] = [
      [generate(audioBody(wav), { key: null }), 403, "PERMISSION_DENIED"],
      [generate(audioBody(wav), { key: "other" }), 400, "INVALID_ARGUMENT"],
      [generate(audioBody(wav), { model: "gemini-9" }), 404, "NOT_FOUND"],
      [generate({ ...audioBody(wav), generationConfig: { responseJsonSchema: { type: "object" } } }), 400, "INVALID_ARGUMENT"],
      [generate({ contents: [] }), 400, "INVALID_ARGUMENT"],
    ];
    for (const [pending, status, googleStatus] of cases) {
      const response = await pending;
      assert.equal(response.status, status);
      const body = (await response.json()) as { error: { code: number; message: string; status: string } };
      assert.equal(body.error.code, status);
      assert.equal(body.error.status, googleStatus);
      assert.ok(body.error.message.length > 0);
    }
    assert.equal(fake.requests.length, 0, "refused requests are not recorded");
  });

  it("fails only the next `times` requests when told to", async () => {
    fake.setBehavior({ failWith: { status: 503, times: 2 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await generate(audioBody(makeTestWav()))).status);
    assert.deepEqual(statuses, [503, 503, 200]);
  });

  it("holds every answer for delayMs", async () => {
    fake.setBehavior({ delayMs: 120 });
    const started = performance.now();
    await generate(audioBody(makeTestWav()));
    assert.ok(performance.now() - started >= 115);
  });

  it("answers text-only requests with the tip handler", async () => {
    fake.setBehavior({ tip: (request) => `tip for ${request.promptText}` });
    const response = await generate({ contents: [{ role: "user", parts: [{ text: "저는" }] }] });
    const body = (await response.json()) as { candidates: { content: { parts: { text: string }[] } }[] };
    assert.deepEqual(JSON.parse(body.candidates[0]!.content.parts[0]!.text), { tip: "tip for 저는" });
  });
});
