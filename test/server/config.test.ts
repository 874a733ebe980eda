import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { configSchema, loadConfig } from "../../server/config.ts";

describe("loadConfig", () => {
  it("starts with embedded defaults when nothing is set", () => {
    const config = loadConfig({});
    assert.equal(config.port, 5000);
    assert.equal(config.host, "127.0.0.1");
    assert.equal(config.dataDir, "./data");
    assert.equal(config.transport, "uws");
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.speech.stt.provider, "none");
    assert.equal(config.speech.feedback.provider, "template");
    assert.deepEqual(config.recordings, { kind: "file", directory: "./data/recordings" });
    assert.equal(config.heapGrowingPercent, 200);
    assert.equal(loadConfig({ HEAP_GROWING_PERCENT: "0" }).heapGrowingPercent, 0);
  });

  const invalid: [Record<string, string>, RegExp][] = [
    [{ PORT: "http" }, /PORT="http"/],
    [{ PORT: "70000" }, /PORT="70000"/],
    [{ TRANSPORT: "tcp" }, /TRANSPORT="tcp"/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL="mysql:\/\/x": must start with postgres/],
    [{ JWT_SECRET: "short" }, /JWT_SECRET="short": must be at least 32 characters/],
    [{ MAX_LEARNERS_PER_ROOM: "0" }, /MAX_LEARNERS_PER_ROOM/],
    [{ STT_PROVIDER: "gemini" }, /GEMINI_API_KEY="": is required when STT_PROVIDER=gemini/],
    [{ STT_PROVIDER: "openai" }, /OPENAI_STT_BASE_URL="": is required when STT_PROVIDER=openai/],
    [{ S3_ENDPOINT: "minio.local" }, /S3_ACCESS_KEY="": is required when S3_ENDPOINT is set/],
    [{ SERVE_WEB_CLIENT: "maybe" }, /SERVE_WEB_CLIENT="maybe"/],
    [{ HEAP_GROWING_PERCENT: "-1" }, /HEAP_GROWING_PERCENT="-1"/],
    [{ HEAP_GROWING_PERCENT: "lots" }, /HEAP_GROWING_PERCENT="lots"/],
    [{ MAX_AUDIO_FRAME_BYTES: "60000", MAX_MESSAGE_BYTES: "32768" }, /MAX_AUDIO_FRAME_BYTES/],
  ];
  for (const [env, message] of invalid) {
    it(`stops with a message naming the variable for ${JSON.stringify(env)}`, () => {
      assert.throws(() => loadConfig(env), (error: Error & { code?: string }) => {
        assert.equal(error.code, "CONFIG_INVALID");
        assert.match(error.message, message);
        return true;
      });
    });
  }

  it("treats empty values as unset, as .env files often have them", () => {
    assert.equal(loadConfig({ PORT: "", DATABASE_URL: " " }).port, 5000);
  });

  it("runs one process with local presence unless REDIS_URL is set", () => {
    assert.equal(loadConfig({}).redis, undefined);
    assert.deepEqual(loadConfig({ REDIS_URL: "redis://127.0.0.1:6379/2", REDIS_PASSWORD: "s3cret", DATABASE_URL: "postgres://db/koto" }).redis, {
      url: "redis://127.0.0.1:6379/2", password: "s3cret", keyPrefix: "koto:",
    });
    assert.throws(() => loadConfig({ REDIS_URL: "http://127.0.0.1:6379", DATABASE_URL: "postgres://db/koto" }), /REDIS_URL/);
    assert.throws(() => loadConfig({ REDIS_URL: "redis://127.0.0.1:6379" }), /DATABASE_URL.*PGlite/);
  });

  it("gives each PM2 instance its own port and public address", () => {
    const config = loadConfig({ PORT: "5000", NODE_APP_INSTANCE: "3", PUBLIC_ADDRESS: "koto.example/koto-api/p/{port}/" });
    assert.equal(config.port, 5003);
    assert.equal(config.instance, 3);
    assert.equal(config.publicAddress, "koto.example/koto-api/p/5003");
    assert.equal(loadConfig({ PUBLIC_ADDRESS: "host:81/i{instance}", NODE_APP_INSTANCE: "2" }).publicAddress, "host:81/i2");
    assert.throws(() => loadConfig({ PUBLIC_ADDRESS: "https://koto.example" }), /PUBLIC_ADDRESS/);
    assert.throws(() => loadConfig({ PORT: "65535", NODE_APP_INSTANCE: "1" }), /NODE_APP_INSTANCE/);
    // A PORT too big on its own is named alone: no instance number was set to blame.
    assert.throws(() => loadConfig({ PORT: "70000" }), (error: Error) => /PORT/.test(error.message) && !/NODE_APP_INSTANCE/.test(error.message));
  });

  it("configures Gemini speech-to-text, Gemini feedback and S3 together", () => {
    const config = loadConfig({
      STT_PROVIDER: "gemini", GEMINI_API_KEY: "k", S3_ENDPOINT: "127.0.0.1", S3_PORT: "9000", S3_ACCESS_KEY: "a", S3_SECRET_KEY: "s",
    });
    assert.equal(config.speech.stt.provider, "gemini");
    assert.equal(config.speech.feedback.provider, "gemini");
    assert.equal(config.recordings.kind, "s3");
  });

  it("documents every variable in README", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const variable of Object.keys(configSchema.shape)) assert.ok(readme.includes(`\`${variable}\``), `${variable} is missing from README`);
  });

  it("documents every variable in .env.example", () => {
    const example = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
    for (const variable of Object.keys(configSchema.shape)) {
      assert.match(example, new RegExp(`^#? ?${variable}=`, "m"), `${variable} is missing from .env.example`);
    }
  });
});
