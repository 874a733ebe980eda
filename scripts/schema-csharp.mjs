/**
 * Generates the Unity SDK's C# from the TypeScript sources it must agree with:
 * - the state classes, from `schema/index.ts` with @colyseus/schema's own `schema-codegen`, into
 *   `unity-sdk/Runtime/Schema/` (classes that no longer exist are removed first, only files carrying
 *   the generator's header);
 * - the error codes with their default sentences (`protocol/error-codes.ts`), the failure codes
 *   the server evaluates again by itself (`server/attempts/evaluation-result.ts`) and how sessions
 *   move between processes (`protocol/session-moves.ts`), into `unity-sdk/Runtime/Core/Protocol.g.cs`.
 * New files get their Unity `.meta`. Runs under tsx (`npm run schema:csharp`), which reads the .ts
 * sources; the drift test runs it into a temporary folder and compares.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeMetas } from "./unity-meta.mjs";

export const SCHEMA_SOURCE = "schema/index.ts";
export const DEFAULT_OUTPUT = "unity-sdk/Runtime/Schema";
export const PROTOCOL_ERRORS_OUTPUT = "unity-sdk/Runtime/Core/Protocol.g.cs";
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

const csharpString = (text) => JSON.stringify(text).replace(/\\u([0-9a-f]{4})/g, (_, hex) => `\\u${hex}`);

/** The C# text of Protocol.g.cs. */
export function protocolErrorsCsharp(sentences, retryableFailures, moves = { closeCode: 4100, openCodes: [], drainingMessage: "server-draining" }) {
  const rows = Object.entries(sentences).map(([code, sentence]) => `            { ${csharpString(code)}, ${csharpString(sentence)} },`);
  const retryable = retryableFailures.map((code) => `            ${csharpString(code)},`);
  return `// ${GENERATED_MARK} by \`npm run schema:csharp\` from protocol/error-codes.ts
// server/attempts/evaluation-result.ts and protocol/session-moves.ts: do not edit (a test fails when it drifts).
using System.Collections.Generic;

namespace Koto.Live.Core
{
    /// <summary>Every error code the server sends to a client, with its default English sentence (docs/protocol.md).</summary>
    public static partial class ProtocolErrors
    {
        public static readonly Dictionary<string, string> Sentences = new Dictionary<string, string>
        {
${rows.join("\n")}
        };

        /// <summary>Attempt failure codes the server evaluates again by itself once the provider answers.</summary>
        public static readonly HashSet<string> RetriedAutomatically = new HashSet<string>
        {
${retryable.join("\n")}
        };
    }

    /// <summary>How a session moves to another process when its process stops (docs/protocol.md).</summary>
    public static partial class SessionMoves
    {
        /// <summary>WebSocket close code: this session is moving, resume it.</summary>
        public const int MovingCloseCode = ${moves.closeCode};

        /// <summary>The message a stopping process sends first.</summary>
        public const string DrainingMessage = ${csharpString(moves.drainingMessage)};

        /// <summary>Refusals of a resume that mean "the session is open: join it by id".</summary>
        public static readonly HashSet<string> OpenCodes = new HashSet<string>
        {
${moves.openCodes.map((code) => `            ${csharpString(code)},`).join("\n")}
        };
    }
}
`;
}

export async function generateProtocolErrors(outputFile, { root = process.cwd(), metas = true } = {}) {
  const { ERROR_SENTENCES } = await import(pathToFileURL(join(root, "protocol", "error-codes.ts")).href);
  const { RETRYABLE_FAILURES } = await import(pathToFileURL(join(root, "server", "attempts", "evaluation-result.ts")).href);
  const moves = await import(pathToFileURL(join(root, "protocol", "session-moves.ts")).href);
  const output = resolve(root, outputFile);
  writeFileSync(output, protocolErrorsCsharp(ERROR_SENTENCES, [...RETRYABLE_FAILURES],
    { closeCode: moves.SESSION_MOVING_CLOSE_CODE, openCodes: [...moves.SESSION_OPEN_CODES], drainingMessage: moves.SERVER_DRAINING }));
  if (metas) writeMetas(resolve(root, "unity-sdk"));
  return output;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outputDir = process.argv[2] ?? DEFAULT_OUTPUT;
  for (const name of generateCsharpSchema(outputDir)) console.log(`generated ${join(outputDir, name)}`);
  console.log(`generated ${await generateProtocolErrors(process.argv[3] ?? PROTOCOL_ERRORS_OUTPUT)}`);
}
