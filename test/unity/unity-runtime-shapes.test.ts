/**
 * The Unity-facing runtime (KotoClient, LessonSession, MicrophoneStreamer, WebGLMicrophone) and the
 * LessonDemo sample compile with Mono as C# 7.2 against test-only shapes of the UnityEngine and
 * Colyseus members they call (test/unity/csharp/api-shapes). This catches our own mistakes; whether
 * those shapes match Unity 2022.3 and io.colyseus.sdk 0.18 only a Unity editor can tell (README).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileRuntimeAgainstShapes, compileSnippetAgainstShapes, packageDir } from "./mono-build.ts";

const useMicrophone = `
public static class UsesTheMicrophone
{
    public static string[] Devices() { return UnityEngine.Microphone.devices; }
}
`;

describe("Unity SDK runtime and sample (compiled against API shapes)", function () {
  this.timeout(180000);

  it("compiles for standalone players and the editor", async () => {
    await compileRuntimeAgainstShapes([]);
  });

  it("compiles for WebGL players (the .jslib microphone path)", async () => {
    await compileRuntimeAgainstShapes(["UNITY_WEBGL"]);
  });

  it("compiles in the editor with WebGL as the build target (where Unity's Microphone exists)", async () => {
    await compileRuntimeAgainstShapes(["UNITY_WEBGL", "UNITY_EDITOR"]);
  });

  it("has no Microphone in the WebGL player's shapes, as Unity has none there, so naming it unguarded fails the WebGL build", async () => {
    assert.equal(await compileSnippetAgainstShapes([], useMicrophone), null, "standalone shapes have Microphone");
    assert.equal(await compileSnippetAgainstShapes(["UNITY_WEBGL", "UNITY_EDITOR"], useMicrophone), null, "the editor has Microphone for any target");
    const complaint = await compileSnippetAgainstShapes(["UNITY_WEBGL"], useMicrophone);
    assert.match(complaint ?? "", /Microphone/, "a WebGL player build must not find UnityEngine.Microphone");
  });

  it("catches the Colyseus SDK's HTTP refusals (HttpException), not only MatchMakeException, when matchmaking", () => {
    // The SDK reports onAuth/onCreate refusals (bad token, unknown lesson, session to resume) over HTTP.
    const client = readFileSync(join(packageDir, "Runtime", "KotoClient.cs"), "utf8");
    assert.match(client, /catch \(HttpException error\)\s*\{\s*throw new KotoException\(ErrorCodes\.FromHttpRefusal\(error\.StatusCode, error\.Message/);
  });
});
