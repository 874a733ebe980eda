import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  choosePlan,
  compareGlibcVersions,
  elfHash,
  glibcVersion,
  needsPatch,
  parseLddVersion,
  patchElfForOldGlibc,
  readImports,
  readVersionNeeds,
  requiredGlibc,
  run,
} from "../../scripts/patch-uws-glibc.mjs";

const projectRoot = resolve(import.meta.dirname, "../..");
const appNode = join(projectRoot, "node_modules", ".bin", "node");
const installedUws = join(projectRoot, "node_modules", "uWebSockets.js");
const hostGlibc = glibcVersion();

/** The ABI of the Node that runs the server, which picks the uws_linux_x64_<abi>.node file. */
function appNodeAbi(): string {
  const probe = spawnSync(appNode, ["-p", "process.versions.modules"], { encoding: "utf8" });
  assert.equal(probe.status, 0, probe.stderr);
  return probe.stdout.trim();
}

/** The binary as shipped: the postinstall keeps it as .orig once it has patched the live copy. */
function pristineBinary(abi: string): Buffer {
  const live = join(installedUws, `uws_linux_x64_${abi}.node`);
  return readFileSync(existsSync(`${live}.orig`) ? `${live}.orig` : live);
}

function differingOffsets(a: Buffer, b: Buffer): number[] {
  assert.equal(a.length, b.length);
  const offsets: number[] = [];
  for (let offset = 0; offset < a.length; offset++) if (a[offset] !== b[offset]) offsets.push(offset);
  return offsets;
}

/** Loads a uWS binary in the server's Node with every import bound up front, serves one request. */
function serveOneRequest(binaryPath: string) {
  const script = `
    import { createRequire } from "node:module";
    const require = createRequire(process.argv[1]);
    const uws = require(process.argv[1]);
    uws.App().get("/*", (res) => { res.end("annyeong"); }).listen("127.0.0.1", 0, async (token) => {
      if (!token) { console.error("listen failed"); process.exit(2); }
      const response = await fetch("http://127.0.0.1:" + uws.us_socket_local_port(token) + "/lesson");
      console.log(JSON.stringify({ status: response.status, body: await response.text() }));
      uws.us_listen_socket_close(token);
      process.exit(0);
    });`;
  return spawnSync(appNode, ["--input-type=module", "-e", script, binaryPath], {
    encoding: "utf8",
    env: { ...process.env, LD_BIND_NOW: "1" },
    timeout: 15_000,
  });
}

describe("patch-uws-glibc", () => {
  describe("deciding from the host glibc", () => {
    const cases: [host: string, patch: boolean][] = [
      ["2.39", false],
      ["2.38", false],
      ["2.40", false],
      ["2.37", true],
      ["2.36", true],
      ["2.9", true],
    ];
    for (const [host, patch] of cases) {
      it(`${patch ? "patches" : "leaves the binaries alone"} on glibc ${host}`, () => {
        assert.equal(needsPatch(host), patch);
      });
    }

    it("orders versions by number, not by text", () => {
      assert.equal(compareGlibcVersions("2.10", "2.9"), 1);
      assert.equal(compareGlibcVersions("2.2.5", "2.3"), -1);
      assert.equal(compareGlibcVersions("2.36", "2.36"), 0);
    });

    const plans: [host: string, now: string | undefined, after: string | undefined, plan: string][] = [
      ["2.39", "2.38", "2.36", "leave"],
      ["2.38", "2.38", "2.36", "leave"],
      ["2.37", "2.38", "2.36", "patch"],
      ["2.36", "2.38", "2.36", "patch"],
      ["2.35", "2.38", "2.36", "unsupported"],
      ["2.36", "2.36", "2.36", "leave"],
      ["2.36", undefined, undefined, "leave"],
    ];
    for (const [host, now, after, plan] of plans) {
      it(`plans "${plan}" on glibc ${host} for a binary needing ${now} (${after} once patched)`, () => {
        assert.equal(choosePlan(host, now, after), plan);
      });
    }

    const lddOutputs: [distribution: string, output: string, version: string | undefined][] = [
      ["Debian 12", "ldd (Debian GLIBC 2.36-9+deb12u14) 2.36\nCopyright (C) 2022", "2.36"],
      ["Ubuntu 24.04", "ldd (Ubuntu GLIBC 2.39-0ubuntu8.4) 2.39\n", "2.39"],
      ["Fedora", "ldd (GNU libc) 2.40\n", "2.40"],
      ["Alpine (musl)", "musl libc (x86_64)\nVersion 1.2.5\n", undefined],
    ];
    for (const [distribution, output, version] of lddOutputs) {
      it(`reads ${version ?? "no glibc"} from ldd --version on ${distribution}`, () => {
        assert.equal(parseLddVersion(output), version);
      });
    }

    it("finds the same glibc through the Node report as ldd reports", () => {
      const ldd = spawnSync("ldd", ["--version"], { encoding: "utf8" });
      assert.equal(hostGlibc, parseLddVersion(ldd.stdout));
    });
  });

  describe("patchElfForOldGlibc on the binary Node 24 loads", () => {
    let abi: string;
    let pristine: Buffer;
    let workDirectory: string;

    before(() => {
      abi = appNodeAbi();
      pristine = pristineBinary(abi);
      workDirectory = mkdtempSync(join(tmpdir(), "koto-uws-patch-"));
    });
    after(() => rmSync(workDirectory, { recursive: true, force: true }));

    it("starts from a shipped binary that needs GLIBC_2.38 for three C23 imports", () => {
      assert.equal(requiredGlibc(pristine), "2.38");
      const c23 = readImports(pristine).filter((entry) => entry.version === "GLIBC_2.38").map((entry) => entry.name);
      assert.deepEqual(c23.sort(), ["__isoc23_sscanf", "__isoc23_strtol", "__isoc23_strtoul"]);
    });

    it("computes vna_hash as the loader does, for every version the binary needs", () => {
      assert.equal(elfHash("GLIBC_2.7"), 0x0d696917);
      for (const need of readVersionNeeds(pristine)) {
        for (const version of need.versions) assert.equal(elfHash(version.name), version.hash, version.name);
      }
    });

    it("removes every need for GLIBC_2.38, leaving glibc 2.36 as the floor", () => {
      const { patched, image } = patchElfForOldGlibc(pristine);
      assert.equal(patched, true);
      const names = readVersionNeeds(image).flatMap((need) => need.versions.map((version) => `${need.file} ${version.name}`));
      assert.ok(!names.some((name) => name.endsWith("GLIBC_2.38")), names.join(", "));
      assert.ok(names.includes("libc.so.6 GLIBC_2.7"));
      const renamed = readVersionNeeds(image).flatMap((need) => need.versions).find((version) => version.name === "GLIBC_2.7");
      assert.equal(renamed?.hash, 0x0d696917);
      assert.equal(requiredGlibc(image), "2.36");
    });

    it("redirects exactly the three C23 imports to their older glibc entry points", () => {
      const { image } = patchElfForOldGlibc(pristine);
      const before = readImports(pristine);
      const after = readImports(image);
      assert.equal(after.length, before.length);
      const redirected = after
        .map((entry, position) => ({ before: before[position], after: entry }))
        .filter(({ before: old, after: now }) => old.name !== now.name || old.version !== now.version || old.library !== now.library)
        .map(({ before: old, after: now }) => `${old.name}@${old.version} -> ${now.name}@${now.version} (${now.library})`)
        .sort();
      assert.deepEqual(redirected, [
        "__isoc23_sscanf@GLIBC_2.38 -> __isoc99_sscanf@GLIBC_2.7 (libc.so.6)",
        "__isoc23_strtol@GLIBC_2.38 -> strtol@GLIBC_2.2.5 (libc.so.6)",
        "__isoc23_strtoul@GLIBC_2.38 -> strtoul@GLIBC_2.2.5 (libc.so.6)",
      ]);
    });

    it("changes only the bytes it reports, twelve in all, and never its input", () => {
      const untouched = Buffer.from(pristine);
      const { image, changes } = patchElfForOldGlibc(pristine);
      assert.ok(pristine.equals(untouched));
      const reported = changes.flatMap((change) =>
        change.bytes.flatMap((range) => Array.from({ length: range.length }, (_, step) => range.offset + step)),
      );
      assert.deepEqual(differingOffsets(pristine, image), reported.sort((a, b) => a - b));
      assert.equal(reported.length, 12);
    });

    it("recognises a patched binary and leaves it alone", () => {
      const once = patchElfForOldGlibc(pristine).image;
      const twice = patchElfForOldGlibc(once);
      assert.equal(twice.patched, false);
      assert.deepEqual(twice.changes, []);
      assert.ok(twice.image.equals(once));
    });

    it("refuses a binary that needs GLIBC_2.38 for an import it cannot redirect", () => {
      const altered = Buffer.from(pristine);
      const at = altered.indexOf("__isoc23_strtoul\0", 0, "latin1");
      assert.ok(at > 0);
      altered.write("x", at + "__isoc23_strtou".length, "latin1");
      assert.throws(() => patchElfForOldGlibc(altered), /UWS_PATCH_UNKNOWN_IMPORT: __isoc23_strtoux/);
    });

    it("refuses bytes that are not an ELF file", () => {
      assert.throws(() => patchElfForOldGlibc(Buffer.from("#!/bin/sh\necho not a library\n".padEnd(80))), /ELF_UNSUPPORTED/);
    });

    it("the shipped binary fails to load here exactly when glibc is older than 2.38", () => {
      const shipped = join(workDirectory, `shipped_${abi}.node`);
      writeFileSync(shipped, pristine);
      const attempt = serveOneRequest(shipped);
      if (needsPatch(hostGlibc ?? "0")) {
        assert.notEqual(attempt.status, 0);
        assert.match(attempt.stderr, /GLIBC_2\.38/);
      } else {
        assert.equal(attempt.status, 0, attempt.stderr);
      }
    });

    it("the patched binary loads in Node 24 with LD_BIND_NOW=1 and serves HTTP", () => {
      const patchedPath = join(workDirectory, `patched_${abi}.node`);
      writeFileSync(patchedPath, patchElfForOldGlibc(pristine).image);
      const served = serveOneRequest(patchedPath);
      assert.equal(served.status, 0, served.stderr);
      assert.deepEqual(JSON.parse(served.stdout), { status: 200, body: "annyeong" });
    });
  });

  describe("run, as the npm postinstall", () => {
    let abi: string;
    let pristine: Buffer;
    let project: string;
    let binary: string;
    let lines: string[];
    const log = (line: string) => lines.push(line);

    /** A project whose node_modules holds uWebSockets.js with only the shipped binary for this Node. */
    function freshProject(): void {
      project = mkdtempSync(join(tmpdir(), "koto-uws-project-"));
      const uws = join(project, "node_modules", "uWebSockets.js");
      mkdirSync(uws, { recursive: true });
      for (const file of ["package.json", "uws.js"]) copyFileSync(join(installedUws, file), join(uws, file));
      binary = join(uws, `uws_linux_x64_${abi}.node`);
      writeFileSync(binary, pristine);
      lines = [];
    }

    before(() => {
      abi = appNodeAbi();
      pristine = pristineBinary(abi);
    });
    beforeEach(freshProject);
    afterEach(() => rmSync(project, { recursive: true, force: true }));

    it("patches on glibc 2.36, keeps the shipped file as .orig and proves uWS loads", () => {
      const outcome = run({ projectRoot: project, hostGlibc: "2.36", platform: "linux", arch: "x64", appNode, log });
      assert.equal(outcome.action, "patched");
      assert.equal(outcome.verified, true, lines.join("\n"));
      assert.ok(readFileSync(`${binary}.orig`).equals(pristine));
      assert.equal(requiredGlibc(readFileSync(binary)), "2.36");
      assert.ok(lines.some((line) => line.includes("patched 12 bytes")), lines.join("\n"));
      assert.ok(lines.some((line) => line.startsWith("verified:")), lines.join("\n"));
    });

    it("changes nothing on a second run", () => {
      run({ projectRoot: project, hostGlibc: "2.36", platform: "linux", arch: "x64", appNode, log });
      const patchedOnce = readFileSync(binary);
      lines = [];
      const outcome = run({ projectRoot: project, hostGlibc: "2.36", platform: "linux", arch: "x64", appNode, log });
      assert.equal(outcome.action, "none");
      assert.deepEqual(outcome.binaries.map((entry) => entry.action), ["leave"]);
      assert.ok(readFileSync(binary).equals(patchedOnce));
      assert.ok(readFileSync(`${binary}.orig`).equals(pristine));
      assert.ok(lines.some((line) => line.includes("patched earlier")), lines.join("\n"));
      assert.equal(outcome.verified, true);
    });

    it("touches nothing on glibc 2.38 or newer and says so in one line", () => {
      const outcome = run({ projectRoot: project, hostGlibc: "2.39", platform: "linux", arch: "x64", appNode, log });
      assert.equal(outcome.action, "none");
      assert.ok(readFileSync(binary).equals(pristine));
      assert.equal(existsSync(`${binary}.orig`), false);
      assert.equal(lines.length, 1);
      assert.match(lines[0], /glibc 2\.39 >= 2\.38/);
    });

    it("on glibc older than 2.36 writes nothing and points to TRANSPORT=ws", () => {
      const outcome = run({ projectRoot: project, hostGlibc: "2.35", platform: "linux", arch: "x64", appNode, log });
      assert.equal(outcome.action, "unsupported");
      assert.ok(readFileSync(binary).equals(pristine));
      assert.equal(existsSync(`${binary}.orig`), false);
      assert.ok(lines.some((line) => line.includes("TRANSPORT=ws") && line.includes("needs glibc 2.36")), lines.join("\n"));
    });

    it("does nothing off linux x64 or without uWebSockets.js", () => {
      run({ projectRoot: project, hostGlibc: "2.36", platform: "darwin", arch: "arm64", appNode, log });
      assert.ok(readFileSync(binary).equals(pristine));
      rmSync(join(project, "node_modules"), { recursive: true });
      const outcome = run({ projectRoot: project, hostGlibc: "2.36", platform: "linux", arch: "x64", appNode, log });
      assert.equal(outcome.action, "none");
      assert.equal(lines.length, 2);
      assert.match(lines[1], /not installed/);
    });
  });
});
