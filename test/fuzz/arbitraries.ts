/**
 * What a hostile client can send, as fast-check arbitraries: room messages of every type (and of
 * no known type), binary frames, HTTP requests, forged tokens and broken lesson files.
 */
import fc from "fast-check";
import { learnerMessages, tutorMessages } from "../../rooms/lesson/messages.ts";

// ---- room messages ------------------------------------------------------------------------------

const knownTypes = [...Object.keys(learnerMessages), ...Object.keys(tutorMessages)];
/** Names that reach odd corners: the wildcard, byte-handler names, Object.prototype members. */
const trickyTypes = ["*", "_$baudio", "_$b", "_$b*", "__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "", " ", "audio", "error"];

export const messageType: fc.Arbitrary<string | number> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...knownTypes) },
  { weight: 3, arbitrary: fc.constantFrom(...trickyTypes) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((name) => `_$${name}`) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: false })) },
);

const hostileObjects = fc.constantFrom<unknown>(
  { toString: 1 }, { valueOf: 1 }, { toString: 1, valueOf: 1 }, { byteLength: "x" }, { byteLength: -1 },
  { byteLength: 1e12, buffer: 1 }, { text: { toString: 1 } }, { attemptId: { toString: 1 } }, { step: { valueOf: 1 } },
  { __proto__: { polluted: true } }, { constructor: { prototype: { polluted: true } } }, { then: 1 }, [], [[[]]],
);

/** Nested `depth` deep: arrays or objects. */
const deep = fc.integer({ min: 50, max: 3000 }).map((depth) => {
  let value: unknown = "bottom";
  for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { next: value };
  return value;
});

const hugeString = fc.integer({ min: 1000, max: 60_000 }).chain((length) =>
  fc.constantFrom("가", "a", "\u0000", "😀", "%").map((unit) => unit.repeat(Math.ceil(length / unit.length))));

/** Payloads that look like the real ones with one field wrong. */
const nearMisses = fc.oneof(
  fc.record({ text: fc.oneof(fc.string(), fc.anything(), hugeString), step: fc.oneof(fc.integer(), fc.anything()), attemptId: fc.oneof(fc.string(), fc.anything()) }, { requiredKeys: [] }),
  fc.record({ codec: fc.oneof(fc.constantFrom("pcm16", "opus"), fc.anything()), sampleRate: fc.oneof(fc.integer(), fc.double(), fc.anything()), mode: fc.anything() }, { requiredKeys: [] }),
  fc.record({ learnerId: fc.oneof(fc.string(), fc.anything()), text: fc.anything(), attemptId: fc.anything(), score: fc.oneof(fc.integer(), fc.double(), fc.anything()), comment: fc.anything() }, { requiredKeys: [] }),
);

export const payload: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.anything({ withBigInt: false, withDate: true, withMap: false, withSet: false, withTypedArray: true, withNullPrototype: true }) },
  { weight: 3, arbitrary: hostileObjects },
  { weight: 3, arbitrary: nearMisses },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

export type RoomCase =
  | { kind: "room-data"; as: "learner" | "tutor"; type: string | number; payload: unknown; request: boolean }
  | { kind: "room-bytes"; as: "learner" | "tutor"; type: string | number; bytes: Uint8Array }
  | { kind: "raw-frame"; as: "learner" | "tutor"; bytes: Uint8Array };

const who = fc.constantFrom<"learner" | "tutor">("learner", "learner", "tutor");

export const roomCase: fc.Arbitrary<RoomCase> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("room-data" as const), as: who, type: messageType, payload, request: fc.boolean() }) },
  // Odd names with hostile payloads, often enough that 1,000 cases meet each pair a few times.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("room-data" as const), as: who, type: fc.constantFrom(...trickyTypes), payload: hostileObjects, request: fc.boolean() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("room-bytes" as const), as: who,
      type: fc.oneof({ weight: 4, arbitrary: fc.constant<string | number>("audio") }, { weight: 1, arbitrary: messageType }),
      bytes: fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.uint8Array({ minLength: 2048, maxLength: 20_000 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("raw-frame" as const), as: who, bytes: fc.uint8Array({ minLength: 1, maxLength: 512 }) }) },
);

// ---- HTTP ---------------------------------------------------------------------------------------

const pathChar = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@%".split(""));
const segment = fc.oneof(
  fc.constantFrom("api", "auth", "guest", "login", "lessons", "progress", "me", "attempts", "audio", "sessions", "koto", "healthz",
    "..", ".", "%", "%2e%2e", "%2F", "%00", "%E0%A4%A", "%zz", "index.html", "assets", "matchmake", "create", "lesson", "__healthcheck"),
  fc.string({ unit: pathChar, maxLength: 30 }),
);
const path = fc.oneof(
  fc.constantFrom("/", "/healthz", "/api/auth/guest", "/api/auth/login", "/api/lessons", "/api/lessons/ko-en-01-greetings",
    "/api/progress/me", "/api/sessions", "/api/attempts/x/audio", "/koto/", "/koto", "/matchmake/create/lesson", "/__healthcheck"),
  fc.array(segment, { minLength: 1, maxLength: 6 }).map((segments) => `/${segments.join("/")}`),
).chain((base) => fc.option(fc.string({ unit: pathChar, maxLength: 30 }), { nil: undefined }).map((query) => (query === undefined ? base : `${base}?${query}`)));

const headerValue = fc.string({ unit: fc.constantFrom(..." !\"#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~".split("")), maxLength: 120 });
const header = fc.oneof(
  fc.tuple(fc.constant("content-type"), fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "multipart/form-data", "", "application/JSON")),
  fc.tuple(fc.constant("authorization"), fc.oneof(headerValue.map((value) => `Bearer ${value}`), headerValue)),
  fc.tuple(fc.constant("x-forwarded-for"), fc.oneof(fc.ipV4(), fc.ipV6(), headerValue)),
  fc.tuple(fc.constantFrom("accept", "origin", "referer", "cookie", "x-koto-peer-address", "range", "if-none-match", "expect"), headerValue),
  fc.tuple(fc.stringMatching(/^x-[a-z]{1,16}$/), headerValue),
);

export interface HttpCase {
  kind: "http";
  method: string;
  path: string;
  headers: [string, string][];
  body: string;
}

export const httpCase: fc.Arbitrary<HttpCase> = fc.record({
  kind: fc.constant("http" as const),
  method: fc.constantFrom("GET", "GET", "HEAD", "POST", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "FOO"),
  path,
  headers: fc.array(header, { maxLength: 6 }),
  body: fc.oneof(
    fc.constant(""),
    fc.anything().map((value) => { try { return JSON.stringify(value) ?? ""; } catch { return ""; } }),
    fc.record({ name: fc.anything(), email: fc.anything(), password: fc.anything() }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 300 }),
    fc.integer({ min: 15_000, max: 40_000 }).map((size) => `{"name":"${"x".repeat(size)}"}`),
  ),
});

// ---- tokens -------------------------------------------------------------------------------------

export interface TokenCase {
  kind: "token";
  secret: "right" | "wrong";
  alg: "HS256" | "HS512" | "none" | "RS256";
  exp: "missing" | "past" | "future" | "string";
  iss: "koto-live" | "other" | "missing";
  sub: "unknown-user" | "number" | "missing" | "empty";
  role: "learner" | "tutor" | "admin" | "missing";
  name: "string" | "number" | "missing";
  tamper: "none" | "payload" | "signature" | "header" | "truncate";
  via: "http" | "room";
}

export const tokenCase: fc.Arbitrary<TokenCase> = fc.record({
  kind: fc.constant("token" as const),
  secret: fc.constantFrom("right", "wrong"),
  alg: fc.constantFrom("HS256", "HS256", "HS512", "none", "RS256"),
  exp: fc.constantFrom("missing", "past", "future", "future", "string"),
  iss: fc.constantFrom("koto-live", "koto-live", "other", "missing"),
  sub: fc.constantFrom("unknown-user", "unknown-user", "number", "missing", "empty"),
  role: fc.constantFrom("learner", "tutor", "admin", "missing"),
  name: fc.constantFrom("string", "string", "number", "missing"),
  tamper: fc.constantFrom("none", "none", "payload", "signature", "header", "truncate"),
  via: fc.constantFrom("http", "http", "http", "room"),
});

// ---- content files ------------------------------------------------------------------------------

export interface ContentCase {
  kind: "content";
  /** A JSON path into a real lesson file and what to put there, or a whole replacement file. */
  mutation: { path: (string | number)[]; value: unknown; remove: boolean } | { replaceWith: string };
}

const lessonPath = fc.oneof(
  fc.constantFrom<(string | number)[]>(["id"], ["title"], ["level"], ["roles"], ["learnerRole"], ["vocabulary"], ["steps"], ["summary"]),
  fc.tuple(fc.constant("steps"), fc.integer({ min: -1, max: 12 }), fc.constantFrom("speaker", "korean", "translation", "accept", "hint", "audio", "romanization", "extra")).map((parts) => [...parts]),
  fc.tuple(fc.constant("vocabulary"), fc.integer({ min: 0, max: 12 }), fc.constantFrom("korean", "meaning", "extra")).map((parts) => [...parts]),
  fc.tuple(fc.constant("roles"), fc.constantFrom("A", "B", "C", "__proto__")).map((parts) => [...parts]),
);

export const contentCase: fc.Arbitrary<ContentCase> = fc.record({
  kind: fc.constant("content" as const),
  mutation: fc.oneof(
    { weight: 6, arbitrary: fc.record({ path: lessonPath, value: fc.oneof(fc.anything(), hostileObjects, hugeString, deep), remove: fc.boolean() }) },
    {
      weight: 1,
      arbitrary: fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue().map((value) => JSON.stringify(value)), fc.constantFrom("", "{", "null", "[]", "\uFEFF{}", '{"__proto__":{"x":1}}'))
        .map((replaceWith) => ({ replaceWith })),
    },
  ),
});

export type FuzzCase = RoomCase | HttpCase | TokenCase | ContentCase;

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { weight: 10, arbitrary: roomCase },
  { weight: 4, arbitrary: httpCase },
  { weight: 2, arbitrary: tokenCase },
  { weight: 1, arbitrary: contentCase },
);
