/**
 * `npm start`: read configuration (environment, then an optional .env), start one process.
 */
import { existsSync } from "node:fs";
import { loadConfig } from "./config.ts";
import { startKotoServer } from "./app.ts";
import { KotoError } from "./errors.ts";

if (existsSync(".env")) process.loadEnvFile(".env");

try {
  const config = loadConfig(process.env);
  await startKotoServer(config, { handleSignals: true });
  // PM2 (`wait_ready`) counts this process as started only now, so a reload replaces one process
  // at a time and never leaves none listening.
  process.send?.("ready");
} catch (error) {
  const message = error instanceof KotoError ? error.message : (error as Error)?.stack ?? String(error);
  console.error(`KOTO Live could not start: ${message}`);
  process.exit(1);
}
