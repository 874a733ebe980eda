/**
 * The C# state classes committed under unity-sdk/Runtime/Schema are what `npm run schema:csharp`
 * makes of schema/index.ts today, the Core's error table is protocol/error-codes.ts, and every asset of the package has the .meta Unity needs to
 * import it from an immutable (git URL) package.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_OUTPUT, PROTOCOL_ERRORS_OUTPUT, generateCsharpSchema, generateProtocolErrors } from "../../scripts/schema-csharp.mjs";
import { expectedMetas, missingMetas } from "../../scripts/unity-meta.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const committedDir = join(root, DEFAULT_OUTPUT);
const csharpFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith(".cs")).sort();

describe("Unity SDK generated schema", function () {
  this.timeout(60000);

  it("matches what schema-codegen makes of schema/index.ts now (run `npm run schema:csharp` after changing the schema)", () => {
    const fresh = mkdtempSync(join(tmpdir(), "koto-schema-cs-"));
    generateCsharpSchema(fresh, { root, metas: false });
    assert.deepEqual(csharpFiles(committedDir), csharpFiles(fresh), "the same classes");
    for (const name of csharpFiles(fresh)) {
      assert.equal(readFileSync(join(committedDir, name), "utf8"), readFileSync(join(fresh, name), "utf8"), `${name} differs from the generator's output`);
    }
  });

  it("carries protocol/error-codes.ts and the server's automatic-retry codes as generated C# (run `npm run schema:csharp`)", async () => {
    const fresh = join(mkdtempSync(join(tmpdir(), "koto-protocol-cs-")), "Protocol.g.cs");
    await generateProtocolErrors(fresh, { root, metas: false });
    assert.equal(readFileSync(join(root, PROTOCOL_ERRORS_OUTPUT), "utf8"), readFileSync(fresh, "utf8"), "Protocol.g.cs differs from the generator's output");
    const { ERROR_CODES } = await import("../../protocol/error-codes.ts");
    const committed = readFileSync(join(root, PROTOCOL_ERRORS_OUTPUT), "utf8");
    for (const code of ERROR_CODES) assert.ok(committed.includes(`{ "${code}", `), code);
  });

  it("carries a generated class for every schema in schema/index.ts", () => {
    const declared = [...readFileSync(join(root, "schema", "index.ts"), "utf8").matchAll(/schema\(\{[\s\S]*?\}, "(\w+)"\)/g)].map((match) => `${match[1]}.cs`).sort();
    assert.ok(declared.length >= 9);
    assert.deepEqual(csharpFiles(committedDir), declared);
  });

  it("has a Unity .meta for every file and folder of the package (run `npm run unity:meta`)", () => {
    const packageDir = join(root, "unity-sdk");
    assert.deepEqual(missingMetas(packageDir), []);
    const metas = expectedMetas(packageDir);
    assert.ok(metas.has("Runtime/Core/Koto.Live.Core.asmdef") && metas.has("package.json"));
    const guids = [...metas.keys()].map((path) => /guid: (\w+)/.exec(readFileSync(join(packageDir, `${path}.meta`), "utf8"))![1]);
    assert.equal(new Set(guids).size, guids.length, "GUIDs are unique");
  });
});

describe("Unity SDK message names", () => {
  it("names only messages protocol/ defines, and every message a learner sends or receives", async () => {
    const { learnerMessages } = await import("../../protocol/client-messages.ts");
    const { SERVER_MESSAGE_TYPES } = await import("../../protocol/server-messages.ts");
    const { BYTES_MESSAGES } = await import("../../protocol/audio-frames.ts");
    const source = readFileSync(join(root, "unity-sdk", "Runtime", "Core", "MessageTypes.cs"), "utf8");
    const block = source.slice(source.indexOf("public static class MessageTypes"), source.indexOf("public static class AttemptStatuses"));
    const named = new Map([...block.matchAll(/public const string (\w+) = "([^"]+)";/g)].map((match) => [match[1], match[2]]));
    // Not message names: the room's name and the platform join option.
    named.delete("RoomName");
    named.delete("PlatformUnity");
    const protocolNames = new Set<string>([...Object.keys(learnerMessages), ...SERVER_MESSAGE_TYPES, ...Object.values(BYTES_MESSAGES)]);
    for (const [constant, name] of named) assert.ok(protocolNames.has(name), `MessageTypes.${constant} = "${name}" is not in protocol/`);
    const sdkNames = new Set(named.values());
    for (const name of [...Object.keys(learnerMessages), ...SERVER_MESSAGE_TYPES, ...Object.values(BYTES_MESSAGES)]) {
      assert.ok(sdkNames.has(name), `protocol/ message "${name}" has no MessageTypes constant in the Unity SDK`);
    }
  });

  it("has LessonSession listen to every message the server sends (an unhandled one is lost, with an SDK warning)", async () => {
    const { SERVER_MESSAGE_TYPES } = await import("../../protocol/server-messages.ts");
    const { BYTES_MESSAGES } = await import("../../protocol/audio-frames.ts");
    const constants = readFileSync(join(root, "unity-sdk", "Runtime", "Core", "MessageTypes.cs"), "utf8");
    const constantOf = new Map([...constants.matchAll(/public const string (\w+) = "([^"]+)";/g)].map((match) => [match[2], match[1]]));
    const session = readFileSync(join(root, "unity-sdk", "Runtime", "LessonSession.cs"), "utf8");
    const handled = new Set([...session.matchAll(/\.OnMessage<[^>]+>\(MessageTypes\.(\w+)/g)].map((match) => match[1]));
    for (const name of [...SERVER_MESSAGE_TYPES, BYTES_MESSAGES.learnerAudio]) {
      assert.ok(handled.has(constantOf.get(name) ?? ""), `LessonSession has no OnMessage for "${name}"`);
    }
  });
});
