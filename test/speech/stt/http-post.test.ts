import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { postBytes } from "../../../server/speech/stt/http-post.ts";

describe("postBytes", () => {
  let server: Server;
  let url: string;
  let answer: (body: Buffer, respond: (status: number, text: string) => void) => void;

  beforeEach(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => answer(Buffer.concat(chunks), (status, text) => response.writeHead(status).end(text)));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/audio/transcriptions`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("sends the bytes with their length and gives back the status and the text", async () => {
    let seen: { body: Buffer } | null = null;
    answer = (body, respond) => {
      seen = { body };
      respond(201, '{"text":"안녕"}');
    };
    const body = Uint8Array.from([1, 2, 3, 250]);
    assert.deepEqual(await postBytes(url, { "content-type": "application/octet-stream" }, body, AbortSignal.timeout(5000)), { status: 201, text: '{"text":"안녕"}' });
    assert.deepEqual([...seen!.body], [1, 2, 3, 250]);
  });

  it("sends parts one after the other as one body, with their total length", async () => {
    let seen: Buffer | null = null;
    answer = (body, respond) => {
      seen = body;
      respond(200, "ok");
    };
    const parts = [Uint8Array.from([1, 2]), new Uint8Array(0), Uint8Array.from([3]), new Uint8Array(70_000).fill(9)];
    assert.equal((await postBytes(url, {}, parts, AbortSignal.timeout(5000))).status, 200);
    assert.equal(seen!.length, 3 + 70_000);
    assert.deepEqual([...seen!.subarray(0, 4)], [1, 2, 3, 9]);
  });

  it("stops reading an answer larger than 1 MB", async () => {
    answer = (_body, respond) => respond(200, "x".repeat(2 * 1024 * 1024));
    await assert.rejects(postBytes(url, {}, new Uint8Array(1), AbortSignal.timeout(5000)), /larger than/);
  });

  it("rejects with an AbortError when the signal fires, as fetch does (mapped to a timeout or a cancel)", async () => {
    answer = () => {}; // never answers
    await assert.rejects(postBytes(url, {}, new Uint8Array(1), AbortSignal.timeout(200)), (error: Error) => error.name === "AbortError");
  });

  it("rejects with the errno of a refused connection, and refuses a URL that is not http(s)", async () => {
    const closed = url;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await assert.rejects(postBytes(closed, {}, new Uint8Array(1), AbortSignal.timeout(5000)), (error: NodeJS.ErrnoException) => error.code === "ECONNREFUSED");
    await assert.rejects(postBytes("file:///etc/passwd", {}, new Uint8Array(1), AbortSignal.timeout(5000)), TypeError);
    server = createServer().listen(0, "127.0.0.1"); // for afterEach
  });
});
