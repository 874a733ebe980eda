/**
 * Builds the Unity SDK's engine-free C# with Debian's Mono (`mcs`, C# 7.2) for the tests in this
 * folder: Koto.Live.Core, the committed generated schema (against test/unity/csharp's stub of the
 * Colyseus schema attributes), the NUnit tests and the WavToFrames console program. Built once per
 * mocha run into a temporary folder. Missing Mono is a failure with the command that fixes it,
 * never a skip: `bash .ci/run` installs it.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
export const packageDir = join(root, "unity-sdk");
const csharpDir = join(root, "test", "unity", "csharp");

export const MONO_PACKAGES = "mono-mcs mono-runtime nunit-console libnunit-cil-dev libmono-system-runtime-serialization4.0-cil";

export interface MonoBuild {
  dir: string;
  core: string;
  schema: string;
  tests: string;
  wavToFrames: string;
}

function which(command: string, searchPath: string): boolean {
  return searchPath.split(":").some((dir) => dir && existsSync(join(dir, command)));
}

/** The NUnit 2.6 framework assembly the tests compile against (Debian: libnunit-cil-dev). */
function nunitFramework(): string | undefined {
  const cli = "/usr/lib/cli";
  if (!existsSync(cli)) return undefined;
  const folder = readdirSync(cli).filter((name) => name.startsWith("nunit.framework-")).sort().pop();
  return folder ? join(cli, folder, "nunit.framework.dll") : undefined;
}

/** Throws a clear error naming what to install when the Mono toolchain is not there. */
export function requireMono(searchPath = process.env.PATH ?? ""): { nunitFramework: string } {
  const missing = ["mcs", "mono", "nunit-console"].filter((command) => !which(command, searchPath));
  const framework = nunitFramework();
  if (!framework) missing.push("nunit.framework.dll");
  if (!existsSync("/usr/lib/mono/4.5/System.Runtime.Serialization.dll")) missing.push("System.Runtime.Serialization.dll");
  if (missing.length) {
    throw new Error(`The Unity SDK tests need Mono, which is missing here (${missing.join(", ")}). `
      + `Install it with: apt-get install -y --no-install-recommends ${MONO_PACKAGES}  (bash .ci/run does this).`);
  }
  return { nunitFramework: framework! };
}

const sources = (dir: string) => readdirSync(dir).filter((name) => name.endsWith(".cs")).sort().map((name) => join(dir, name));

async function mcs(args: string[]): Promise<void> {
  try {
    await run("mcs", ["-langversion:7.2", "-nologo", ...args], { maxBuffer: 16 * 1024 * 1024 });
  } catch (error: any) {
    throw new Error(`mcs failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  }
}

let build: Promise<MonoBuild> | undefined;

export function buildUnityCsharp(): Promise<MonoBuild> {
  build ??= (async () => {
    const { nunitFramework } = requireMono();
    const dir = mkdtempSync(join(tmpdir(), "koto-unity-"));
    const out = (name: string) => join(dir, name);
    // The Core must build with warnings as errors: it ships to every Unity project that installs us.
    await mcs(["-target:library", "-warnaserror+", `-out:${out("Koto.Live.Core.dll")}`, ...sources(join(packageDir, "Runtime", "Core"))]);
    await mcs(["-target:library", `-out:${out("Koto.Schema.dll")}`, join(csharpDir, "api-shapes", "ColyseusSchemaStub.cs"), ...sources(join(packageDir, "Runtime", "Schema"))]);
    await mcs([
      "-target:library", `-out:${out("Koto.Live.Tests.dll")}`,
      `-r:${out("Koto.Live.Core.dll")}`, `-r:${out("Koto.Schema.dll")}`, `-r:${nunitFramework}`,
      "-r:System.Runtime.Serialization.dll", "-r:System.Xml.dll", "-r:System.Core.dll",
      ...sources(csharpDir).filter((file) => !file.endsWith("WavToFrames.cs")),
    ]);
    await mcs(["-target:exe", `-out:${out("WavToFrames.exe")}`, `-r:${out("Koto.Live.Core.dll")}`, join(csharpDir, "WavToFrames.cs")]);
    return { dir, core: out("Koto.Live.Core.dll"), schema: out("Koto.Schema.dll"), tests: out("Koto.Live.Tests.dll"), wavToFrames: out("WavToFrames.exe") };
  })();
  build.catch(() => { build = undefined; });
  return build;
}

export async function runMono(program: string, args: string[]): Promise<string> {
  const { stdout } = await run("mono", [program, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, MONO_ENV_OPTIONS: "" } });
  return stdout;
}

/**
 * The test-only shapes of the UnityEngine and Colyseus members (test/unity/csharp/api-shapes), built with
 * the same preprocessor defines as the code compiled against them: a WebGL player's UnityEngine has no
 * `Microphone`, and neither do the shapes under `UNITY_WEBGL` without `UNITY_EDITOR`.
 */
async function shapesFor(build: MonoBuild, defines: string[]): Promise<string> {
  const shapes = join(build.dir, `Shapes.${tagOf(defines)}.dll`);
  if (!existsSync(shapes)) {
    await mcs(["-target:library", ...defines.map((define) => `-define:${define}`), `-out:${shapes}`, `-r:${build.schema}`,
      ...sources(join(csharpDir, "api-shapes")).filter((file) => !file.endsWith("ColyseusSchemaStub.cs"))]);
  }
  return shapes;
}

const tagOf = (defines: string[]) => defines.join("-") || "standalone";

/**
 * Compiles unity-sdk/Runtime (Koto.Live) and the LessonDemo sample against test-only shapes of the
 * UnityEngine and Colyseus members they call, with warnings as errors, once per set of
 * preprocessor defines (the WebGL player path is behind UNITY_WEBGL).
 */
export async function compileRuntimeAgainstShapes(defines: string[]): Promise<void> {
  const build = await buildUnityCsharp();
  const tag = tagOf(defines);
  const shapes = await shapesFor(build, defines);
  const runtime = join(build.dir, `Koto.Live.${tag}.dll`);
  const defineArgs = defines.map((define) => `-define:${define}`);
  await mcs(["-target:library", "-warnaserror+", ...defineArgs, `-out:${runtime}`, `-r:${build.core}`, `-r:${build.schema}`, `-r:${shapes}`, ...sources(join(packageDir, "Runtime"))]);
  await mcs(["-target:library", "-warnaserror+", ...defineArgs, `-out:${join(build.dir, `LessonDemo.${tag}.dll`)}`,
    `-r:${build.core}`, `-r:${build.schema}`, `-r:${shapes}`, `-r:${runtime}`, ...sources(join(packageDir, "Samples~", "LessonDemo"))]);
}

/** Compiles one C# snippet against the shapes for `defines`; resolves to the compiler's complaint, or null when it compiled. */
export async function compileSnippetAgainstShapes(defines: string[], snippet: string): Promise<string | null> {
  const build = await buildUnityCsharp();
  const shapes = await shapesFor(build, defines);
  const dir = mkdtempSync(join(build.dir, "snippet-"));
  const file = join(dir, "Snippet.cs");
  writeFileSync(file, snippet);
  try {
    await mcs(["-target:library", ...defines.map((define) => `-define:${define}`), `-out:${join(dir, "Snippet.dll")}`, `-r:${shapes}`, file]);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
