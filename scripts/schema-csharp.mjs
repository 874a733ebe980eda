/**
 * Generates the Unity SDK's C# state classes from `schema/index.ts` with @colyseus/schema's own
 * `schema-codegen`, into `unity-sdk/Runtime/Schema/` (or the folder given). Classes that no longer
 * exist are removed first (only files carrying the generator's header), and new files get their
 * Unity `.meta`. The drift test runs this into a temporary folder and compares.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeMetas } from "./unity-meta.mjs";

export const SCHEMA_SOURCE = "schema/index.ts";
export const DEFAULT_OUTPUT = "unity-sdk/Runtime/Schema";
const GENERATED_MARK = "THIS FILE HAS BEEN GENERATED AUTOMATICALLY";

export function generateCsharpSchema(outputDir, { root = process.cwd(), metas = true } = {}) {
  const output = resolve(root, outputDir);
  mkdirSync(output, { recursive: true });
  for (const name of readdirSync(output)) {
    if (!name.endsWith(".cs")) continue;
    const file = join(output, name);
    if (!readFileSync(file, "utf8").includes(GENERATED_MARK)) continue;
    rmSync(file);
    if (existsSync(`${file}.meta`)) rmSync(`${file}.meta`);
  }
  const codegen = join(root, "node_modules", "@colyseus", "schema", "bin", "schema-codegen");
  execFileSync(process.execPath, [codegen, SCHEMA_SOURCE, "--csharp", "--namespace", "Koto.Schema", "--output", output], {
    cwd: root, stdio: ["ignore", "ignore", "inherit"],
  });
  if (metas) writeMetas(resolve(root, "unity-sdk"));
  return readdirSync(output).filter((name) => name.endsWith(".cs")).sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outputDir = process.argv[2] ?? DEFAULT_OUTPUT;
  for (const name of generateCsharpSchema(outputDir)) console.log(`generated ${join(outputDir, name)}`);
}
