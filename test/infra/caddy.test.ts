import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@colyseus/sdk";
import type { LessonState } from "../../schema/index.ts";
import { nextMessage, waitForState } from "../support/koto-test-server.ts";
import { waitFor } from "../support/processes.ts";
import {
  greeting, lessonAcrossProcesses, openUtterance, pcmFrames, startCluster, stream, type Cluster,
} from "../support/cluster.ts";

describe("infra/Caddyfile in front of two processes sharing Redis", function () {
  this.timeout(180_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster({ processes: 2, caddy: true });
  });
  after(async () => {
    await cluster?.stop();
  });

  it("serves the web client at /koto", async () => {
    const bare = await fetch(`${cluster.caddy!.siteBase}/koto`, { redirect: "manual" });
    assert.equal(bare.status, 308);
    assert.equal(bare.headers.get("location"), "/koto/");
    const page = await fetch(`${cluster.caddy!.siteBase}/koto/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    // Client-side routes fall back to the app.
    assert.match(await (await fetch(`${cluster.caddy!.siteBase}/koto/some/route`)).text(), /<html/i);
  });

  it("spreads /koto-api over both processes and routes /koto-api/p/<port> to that process only", async () => {
    const seen = new Set<string>();
    await waitFor(async () => {
      const health = (await (await fetch(`${cluster.caddy!.apiBase}/healthz`)).json()) as { processId: string };
      seen.add(health.processId);
      return seen.size === 2;
    }, "requests to reach both processes", 60_000, 10);
    for (const process of cluster.processes) {
      const health = (await (await fetch(`${cluster.caddy!.apiBase}/p/${process.port}/healthz`)).json()) as { processId: string };
      assert.equal(health.processId, process.processId);
    }
    // Another local service is not reachable through the per-process route.
    const secret = createServer((_request, response) => response.end("another project's secret")).listen(0, "127.0.0.1");
    await once(secret, "listening");
    try {
      const port = (secret.address() as AddressInfo).port;
      assert.doesNotMatch(await (await fetch(`${cluster.caddy!.apiBase}/p/${port}/`)).text(), /secret/);
    } finally {
      secret.close();
    }
  });

  it("plays a lesson through Caddy: the tutor, seated by the other process, hears the learner live and grades", async () => {
    const apiBase = cluster.caddy!.apiBase;
    const { learner, kim, room, other } = await lessonAcrossProcesses(cluster, apiBase, "Mina");

    // The tutor's matchmaking request goes to the process that does not hold the room.
    const tutorRoom = await new Client(`${apiBase}/p/${other.port}`).joinById<LessonState>(room.roomId, { token: kim.token, platform: "web" });
    await waitForState(tutorRoom, (state) => state.participants.has(learner.userId), "the tutor to see the learner", 15_000);
    const relayed: Uint8Array[] = [];
    tutorRoom.onMessage("learner-audio", (bytes: Uint8Array) => relayed.push(bytes));
    const started = nextMessage(tutorRoom, "utterance-started", 15_000);

    const attemptId = await openUtterance(room);
    assert.equal((await started).attemptId, attemptId);
    const frames = pcmFrames(greeting().samples);
    await stream(room, frames);
    await waitFor(() => relayed.length === frames.length, "every frame to be relayed to the tutor", 30_000);
    room.send("utterance-close");

    // No speech-to-text configured: the attempt waits for the tutor, who grades it.
    await waitForState(tutorRoom, (state) => state.attempts.find((attempt) => attempt.id === attemptId)?.status === "awaiting-tutor", "the attempt to await the tutor", 30_000);
    tutorRoom.send("grade", { attemptId, score: 85, comment: "좋아요!" });
    const graded = await waitForState(room, (state) => state.attempts.find((attempt) => attempt.id === attemptId)?.tutorScore === 85, "the learner to see the grade", 15_000);
    assert.equal(graded.attempts.find((attempt) => attempt.id === attemptId)!.tutorComment, "좋아요!");

    await tutorRoom.leave();
    await room.leave();
  });
});
