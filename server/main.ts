/**
 * `npm start`: read configuration (environment, then an optional .env), start one process.
 */
import { existsSync } from "node:fs";
import { loadConfig } from "./config.ts";
import { startKotoServer } from "./app.ts";
import { KotoError } from "./errors.ts";
import { isRedisConnectionError } from "./cluster/coordination.ts";

if (existsSync(".env")) process.loadEnvFile(".env");

// A Redis outage must not end the lessons running here (see isRedisConnectionError); anything else
// unhandled still stops the process, and PM2 starts a fresh one.
process.on("unhandledRejection", (reason) => {
  if (isRedisConnectionError(reason)) {
    console.warn(`KOTO Live: a Redis call failed during an outage (${(reason as Error)?.message ?? reason}); carrying on`);
    return;
  }
  console.error("KOTO Live: unhandled rejection", reason);
  process.exit(1);
});

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
