/**
 * The Unity-facing runtime (KotoClient, LessonSession, MicrophoneStreamer, WebGLMicrophone) and the
 * LessonDemo sample compile with Mono as C# 7.2 against test-only shapes of the UnityEngine and
 * Colyseus members they call (test/unity/csharp/api-shapes). This catches our own mistakes; whether
 * those shapes match Unity 2022.3 and io.colyseus.sdk 0.18 only a Unity editor can tell (README).
 */
import { compileRuntimeAgainstShapes } from "./mono-build.ts";

describe("Unity SDK runtime and sample (compiled against API shapes)", function () {
  this.timeout(180000);

  it("compiles for standalone players and the editor", async () => {
    await compileRuntimeAgainstShapes([]);
  });

  it("compiles for WebGL players (the .jslib microphone path)", async () => {
    await compileRuntimeAgainstShapes(["UNITY_WEBGL"]);
  });
});
