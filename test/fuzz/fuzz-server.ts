/**
 * The server under fuzzing, in its own process so that a crash is seen as a crash (an exit code
 * and a stack on stderr), not as the test runner dying. Speaks to the test over IPC: it reports its
 * port and, when asked, its heap after a full garbage collection.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer } from "../support/koto-test-server.ts";
import { hashPassword } from "../../server/auth/passwords.ts";

const transport = process.env.FUZZ_TRANSPORT === "ws" ? "ws" : "uws";
const server = await startTestServer({
  transport,
  dataDir: mkdtempSync(join(tmpdir(), "koto-fuzz-")),
  env: { JWT_SECRET: process.env.FUZZ_JWT_SECRET ?? "", RECONNECT_WINDOW_SECONDS: "0" },
});
// The attackers' tutor: tutors reach message handlers learners cannot.
await server.store.createTutor("fuzz-tutor@koto.test", "Fuzz Tutor", await hashPassword("fuzz tutor password", 4));
process.send!({ kind: "listening", port: server.port });

process.on("message", async (message: { kind: string }) => {
  if (message.kind === "memory") {
    for (let round = 0; round < 3; round++) {
      (globalThis as { gc?: () => void }).gc?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const usage = process.memoryUsage();
    process.send!({ kind: "memory", heapUsed: usage.heapUsed, rss: usage.rss, rooms: server.liveRooms.size });
  }
  if (message.kind === "stop") {
    await server.close();
    process.exit(0);
  }
});
