import assert from "node:assert/strict";
import { bytesResponse, rangeNotSatisfiable, wantedBytes } from "../../server/http/byte-ranges.ts";

const ask = (range: string | null, size = 1000, extra: Record<string, string> = {}) =>
  wantedBytes(new Headers({ ...(range === null ? {} : { range }), ...extra }), size);

describe("byte ranges of stored audio", () => {
  it("serves the whole file without a Range header, or when the range is all of it", () => {
    assert.deepEqual(ask(null), { whole: true });
    assert.deepEqual(ask("bytes=0-"), { whole: true });
    assert.deepEqual(ask("bytes=0-999"), { whole: true });
  });

  it("reads first-last, open-ended and suffix ranges, clamped to the file", () => {
    assert.deepEqual(ask("bytes=0-43"), { whole: false, range: { start: 0, end: 43 } });
    assert.deepEqual(ask("bytes=500-"), { whole: false, range: { start: 500, end: 999 } });
    assert.deepEqual(ask("bytes=-100"), { whole: false, range: { start: 900, end: 999 } });
    assert.deepEqual(ask("bytes=990-5000"), { whole: false, range: { start: 990, end: 999 } });
  });

  it("calls a range that starts past the end unsatisfiable, and any range of an empty file", () => {
    assert.equal(ask("bytes=1000-"), "unsatisfiable");
    assert.equal(ask("bytes=2000-3000"), "unsatisfiable");
    assert.equal(ask("bytes=0-10", 0), "unsatisfiable");
    // A last byte before the first: unsatisfiable, as Express (the same parser) answers it.
    assert.equal(ask("bytes=5-1"), "unsatisfiable");
  });

  it("ignores what it does not serve: malformed headers, other units, several ranges, If-Range", () => {
    for (const header of ["bytes=ten-twenty", "items=0-5", "0-5", "bytes=0-9,500-509"]) {
      assert.deepEqual(ask(header), { whole: true }, header);
    }
    // Overlapping ranges are one range.
    assert.deepEqual(ask("bytes=0-9,5-19"), { whole: false, range: { start: 0, end: 19 } });
    assert.deepEqual(ask("bytes=0-9", 1000, { "if-range": '"abc"' }), { whole: true }, "no validator to compare with");
  });

  it("honours If-Range only when it names the file's own strong tag", () => {
    const asked = (ifRange: string) => wantedBytes(new Headers({ range: "bytes=0-9", "if-range": ifRange }), 1000, '"v1"');
    assert.deepEqual(asked('"v1"'), { whole: false, range: { start: 0, end: 9 } });
    assert.deepEqual(asked('"v0"'), { whole: true });
    assert.deepEqual(asked('W/"v1"'), { whole: true }, "a weak tag never matches");
    assert.deepEqual(asked("Wed, 21 Oct 2026 07:28:00 GMT"), { whole: true });
  });

  it("answers 206 with Content-Range for a part and 200 for the whole", async () => {
    const bytes = Uint8Array.from({ length: 10 }, (_, i) => i);
    const part = bytesResponse(bytes, "audio/wav", 1000, { start: 20, end: 29 }, { "cache-control": "private, no-store" });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), "bytes 20-29/1000");
    assert.equal(part.headers.get("content-length"), "10");
    assert.equal(part.headers.get("accept-ranges"), "bytes");
    assert.equal(part.headers.get("cache-control"), "private, no-store");
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), bytes);
    const whole = bytesResponse(bytes, "audio/wav", 10, null);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get("content-range"), null);
  });

  it("refuses an unsatisfiable range with 416, the size, and a code", async () => {
    const refused = rangeNotSatisfiable(1234);
    assert.equal(refused.status, 416);
    assert.equal(refused.headers.get("content-range"), "bytes */1234");
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "RANGE_NOT_SATISFIABLE");
    assert.match(body.error.message, /0-1233/);
  });
});
