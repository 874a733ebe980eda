import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { KotoServer } from "../../server/app.ts";
import { openStore } from "../../server/store/open-store.ts";
import { guest, startTestServer } from "../support/koto-test-server.ts";
import { runKotoCli } from "../support/cli.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("One process per embedded database directory", function () {
  this.timeout(120_000);

  it("refuses `koto create-tutor` beside a running server, and nothing the server acknowledged is lost", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "koto-lock-"));
    let server: KotoServer = await startTestServer({ dataDir });
    const mina = await guest(server, "Mina");
    const refused = await runKotoCli(["create-tutor", "kim@koto.test", "--name", "Teacher Kim"],
      { DATA_DIR: dataDir, KOTO_TUTOR_PASSWORD: "correct horse battery" });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /DATA_DIRECTORY_IN_USE: .*open in another KOTO process/);
    const joon = await guest(server, "Joon");
    await server.close();

    const created = await runKotoCli(["create-tutor", "kim@koto.test", "--name", "Teacher Kim"],
      { DATA_DIR: dataDir, KOTO_TUTOR_PASSWORD: "correct horse battery" });
    assert.equal(created.code, 0, created.stderr);
    server = await startTestServer({ dataDir });
    try {
      assert.ok(await server.store.getUser(mina.userId));
      assert.ok(await server.store.getUser(joon.userId));
      assert.ok(await server.store.findTutorByEmail("kim@koto.test"));
    } finally {
      await server.close();
    }
  });

  it("takes over the lock of a process killed with -9", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "koto-lock-"));
    // A holder that refreshes its lock every second and counts it stale after 3 s.
    const script = join(dataDir, "holder.mts");
    writeFileSync(script, `
      import { openStore } from ${JSON.stringify(join(root, "server/store/open-store.ts"))};
      await openStore({ dataDir: ${JSON.stringify(dataDir)}, lock: { staleMs: 3000 } });
      console.log("holding");
      setInterval(() => {}, 1000);
    `);
    const holder = spawn(process.execPath, ["--import", "tsx", script], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    const holderExited = new Promise((resolve) => holder.once("exit", resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on("data", (chunk) => String(chunk).includes("holding") && resolve());
        holder.on("exit", (code) => reject(new Error(`holder exited with ${code}`)));
      });
      await assert.rejects(openStore({ dataDir, lock: { staleMs: 3000 } }), /DATA_DIRECTORY_IN_USE/);
    } finally {
      holder.kill("SIGKILL");
      await holderExited;
    }
    const store = await openStore({ dataDir, lock: { staleMs: 3000, waitMs: 20_000 } });
    try {
      assert.ok(await store.createGuest("Mina"));
    } finally {
      await store.close();
    }
  });
});
