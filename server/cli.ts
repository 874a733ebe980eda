/**
 * `npm run koto -- <command>`: operator and author tools.
 *   create-tutor <email> [--name "Display Name"]   password read from KOTO_TUTOR_PASSWORD or stdin
 *   disable-tutor <email> / enable-tutor <email>    a disabled tutor can neither sign in nor use a token
 *   score "<target>" "<heard>"                     one JSON object: the scorer's verdict
 *   synthesize-audio [--lesson <id>] [--force]      model audio for every lesson line (TTS_PROVIDER)
 */
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import { loadConfig, type Config } from "./config.ts";
import { KotoError } from "./errors.ts";
import { hashPassword } from "./auth/passwords.ts";
import { openStore } from "./store/open-store.ts";
import { scoreCommand } from "./speech/scoring/cli.ts";
import { loadContent, spokenLines } from "./content/load-content.ts";
import { createTextToSpeech, openModelAudio } from "./model-audio/open-model-audio.ts";

const USAGE = `usage:
  npm run koto -- help
  npm run koto -- create-tutor <email> [--name "Display Name"]   (password from KOTO_TUTOR_PASSWORD or stdin)
  npm run koto -- disable-tutor <email>
  npm run koto -- enable-tutor <email>
  npm run --silent koto -- score "<target>" "<heard>"
  npm run koto -- synthesize-audio [--lesson <lesson-id>] [--force]   (provider from TTS_PROVIDER)`;

async function readPassword(env: NodeJS.ProcessEnv): Promise<string> {
  if (env.KOTO_TUTOR_PASSWORD) return env.KOTO_TUTOR_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write("Password for the tutor: ");
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new KotoError("PASSWORD_MISSING", "give the password on stdin or in KOTO_TUTOR_PASSWORD");
}

async function createTutor(args: string[]): Promise<string> {
  const [email, ...rest] = args;
  const parsedEmail = z.string().trim().toLowerCase().email().safeParse(email);
  if (!parsedEmail.success) throw new KotoError("USAGE", `create-tutor needs an email address\n${USAGE}`);
  const nameFlag = rest.indexOf("--name");
  const displayName = nameFlag >= 0 ? rest[nameFlag + 1]?.trim() : parsedEmail.data.split("@")[0];
  if (!displayName) throw new KotoError("USAGE", `--name needs a value\n${USAGE}`);
  const config = loadCliConfig();
  const passwordHash = await hashPassword(await readPassword(process.env));
  const store = await openCliStore(config);
  try {
    const tutor = await store.createTutor(parsedEmail.data, displayName, passwordHash);
    return `created tutor ${tutor.email} (${tutor.displayName}, id ${tutor.id}) in ${store.kind}`;
  } finally {
    await store.close();
  }
}

async function setTutorDisabled(args: string[], disabled: boolean): Promise<string> {
  const parsedEmail = z.string().trim().toLowerCase().email().safeParse(args[0]);
  if (!parsedEmail.success) throw new KotoError("USAGE", `${disabled ? "disable" : "enable"}-tutor needs an email address\n${USAGE}`);
  const store = await openCliStore(loadCliConfig());
  try {
    const tutor = await store.setTutorDisabled(parsedEmail.data, disabled);
    if (!tutor) throw new KotoError("TUTOR_NOT_FOUND", `no tutor with the email ${parsedEmail.data}`, 404);
    return `${disabled ? "disabled" : "enabled"} tutor ${tutor.email} (${tutor.displayName}) in ${store.kind}` +
      (disabled ? "; their tokens stop working at once" : "");
  } finally {
    await store.close();
  }
}

function loadCliConfig(): Config {
  if (existsSync(".env")) process.loadEnvFile(".env");
  return loadConfig(process.env);
}

/** Refuses at once (DATA_DIRECTORY_IN_USE) when a running server holds the embedded database. */
function openCliStore(config: Config) {
  return openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, timeouts: config.databaseTimeouts });
}

/** Reads every line of every lesson (or one) aloud and stores the audio the server then serves. */
async function synthesizeAudio(args: string[]): Promise<string> {
  const lessonFlag = args.indexOf("--lesson");
  const lessonId = lessonFlag >= 0 ? args[lessonFlag + 1] : undefined;
  if (lessonFlag >= 0 && !lessonId) throw new KotoError("USAGE", `--lesson needs a lesson id\n${USAGE}`);
  if (existsSync(".env")) process.loadEnvFile(".env");
  const config = loadConfig(process.env);
  const content = loadContent(config.contentDir);
  const lessons = lessonId ? [content.getLesson(lessonId)] : [...content.lessons.values()];
  if (lessons[0] === undefined) throw new KotoError("LESSON_NOT_FOUND", `no lesson "${lessonId}"`);
  const tts = createTextToSpeech(config.modelAudio.tts);
  const library = await openModelAudio(config.modelAudio, { prepare: true });
  const lines = lessons.flatMap((lesson) => spokenLines(lesson!));
  const report = await library.synthesize(lines, tts, {
    force: args.includes("--force"),
    onLine: (text, outcome) => process.stderr.write(`${text}  ${outcome}\n`),
  });
  const where = config.modelAudio.storage.kind === "s3" ? `bucket ${config.modelAudio.storage.bucket}` : config.modelAudio.storage.directory;
  const summary = `${tts.name} (${tts.voice}): ${report.synthesized} synthesized, ${report.reused} kept, ${report.failed.length} failed, in ${where}`;
  if (report.failed.length > 0) throw new KotoError("TTS_FAILED", `${summary}\n${report.failed.map((f) => `${f.text}: ${f.reason}`).join("\n")}`);
  return summary;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case "create-tutor":
      console.log(await createTutor(args));
      return;
    case "disable-tutor":
    case "enable-tutor":
      console.log(await setTutorDisabled(args, command === "disable-tutor"));
      return;
    case "score":
      console.log(scoreCommand(args));
      return;
    case "synthesize-audio":
      console.log(await synthesizeAudio(args));
      return;
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return;
    default:
      if (!command) {
        // No command: the list of commands, as `help` prints it, and a usage exit status for scripts.
        console.error(USAGE);
        process.exitCode = 2;
        return;
      }
      throw new KotoError("USAGE", `unknown command "${command}"\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof KotoError ? error.message : error);
  process.exitCode = error instanceof KotoError && error.code === "USAGE" ? 2 : 1;
});
