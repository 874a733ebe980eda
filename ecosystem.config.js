// PM2 process file: `pm2 start ecosystem.config.js` (from the project folder, after `npm ci`).
//
// N processes in fork mode (default: one per core; KOTO_INSTANCES=n to choose), each on
// PORT + NODE_APP_INSTANCE with its own PUBLIC_ADDRESS. Several processes need REDIS_URL (rooms are
// then listed in Redis and reachable from any process); without it, run one instance.
//
// PM2 runs the pinned Node 24 from node_modules directly, not `npm start`: under npm the server is a
// grandchild of PM2, so SIGTERM from `pm2 reload` would hit npm and `process.send("ready")` would
// not reach PM2 (`wait_ready`). `--import tsx` runs the TypeScript sources.
//
// The package is ESM: PM2 loads this file with require(), which Node >= 20.19 answers with this
// module's named exports.
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { SERVER_ENV, SERVER_NODE_FLAGS } from "./server/node-flags.mjs";

const root = fileURLToPath(new URL(".", import.meta.url));
// The same .env the server reads, so the drain deadline and the instance count agree with it.
const dotenv = existsSync(`${root}.env`) ? parseEnv(readFileSync(`${root}.env`, "utf8")) : {};
const setting = (name) => process.env[name] ?? dotenv[name];

const instances = Number(setting("KOTO_INSTANCES")) || availableParallelism();
const drainDeadlineSeconds = Number(setting("DRAIN_DEADLINE_SECONDS")) || 20;

export const apps = [
  {
    name: "koto-live",
    cwd: root,
    script: "server/main.ts",
    interpreter: `${root}node_modules/node/bin/node`,
    node_args: [...SERVER_NODE_FLAGS, "--import", "tsx"],
    instances,
    exec_mode: "fork",
    instance_var: "NODE_APP_INSTANCE",
    autorestart: true,
    // A process that cannot start (Redis or Postgres down) is retried with growing pauses, not in a loop.
    exp_backoff_restart_delay: 500,
    max_memory_restart: "1G",
    // Started means listening: PM2 waits for process.send("ready") before moving to the next instance.
    wait_ready: true,
    listen_timeout: 60_000,
    // SIGTERM starts the drain (answers in flight are scored and stored, clients are moved); PM2 must
    // not SIGKILL before the drain deadline has passed and the store has been closed.
    kill_timeout: (drainDeadlineSeconds + 15) * 1000,
    // PORT, HOST, REDIS_URL, DATABASE_URL, PUBLIC_ADDRESS, … come from .env (or the environment pm2
    // was started from): a value set here would hide the one in .env.
    env: {
      NODE_ENV: "production",
      ...SERVER_ENV,
    },
  },
];

export default { apps };
