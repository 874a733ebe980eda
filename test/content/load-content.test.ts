import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { isKotoError } from "../../server/errors.ts";
import { defaultContentDir, lessonSummary, loadContent, type Lesson } from "../../server/content/load-content.ts";

type Json = Record<string, any>;

/** A small lesson that passes every rule; each broken case changes one thing in it. */
function validLesson(id = "ko-en-01-greetings"): Json {
  const line = (speaker: "A" | "B", korean: string, translation: string) => ({ speaker, korean, translation });
  return {
    id,
    title: "Greetings",
    level: "beginner",
    summary: "Say hello.",
    roles: { A: { name: "민수", description: "A student." }, B: { name: "You", description: "You." } },
    learnerRole: "B",
    vocabulary: [{ korean: "안녕하세요", meaning: "hello" }],
    steps: [
      line("A", "안녕하세요. 저는 민수예요.", "Hello. I'm Minsu."),
      { ...line("B", "안녕하세요. 저는 에밀리예요.", "Hello. I'm Emily."), accepted: ["안녕하세요. 저는 에밀리예요.", "안녕하세요. 에밀리입니다."], hint: "Give your name." },
      line("A", "만나서 반가워요.", "Nice to meet you."),
      { ...line("B", "저도 반가워요.", "Nice to meet you too."), audioUrl: "https://cdn.example.com/b4.mp3" },
      line("A", "학생이에요?", "Are you a student?"),
      { ...line("B", "네, 학생이에요.", "Yes, I'm a student."), hint: null, audioUrl: null },
    ],
  };
}

const enPack = { id: "ko-en", title: "Korean for English speakers", learnerLanguage: "en" };

/** Writes `files` (path relative to the content dir -> JSON value, or raw text) into a fresh temp dir. */
function contentDirWith(files: Record<string, Json | string>): string {
  const root = mkdtempSync(join(tmpdir(), "koto-content-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return root;
}

function withLesson(change: (lesson: Json) => void): Record<string, Json | string> {
  const lesson = validLesson();
  change(lesson);
  return { "packs/ko-en/pack.json": enPack, "packs/ko-en/lessons/01-greetings.json": lesson };
}

function loadError(dir: string): Error & { code?: string } {
  try {
    loadContent(dir);
  } catch (error) {
    return error as Error;
  }
  assert.fail("loadContent accepted broken content");
}

const LESSON = "packs/ko-en/lessons/01-greetings.json (lesson ko-en-01-greetings)";

describe("loadContent", () => {
  const tempDirs: string[] = [];
  const tempContent = (files: Record<string, Json | string>) => {
    const dir = contentDirWith(files);
    tempDirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  describe("the shipped packs", () => {
    const catalog = loadContent(defaultContentDir);
    const lessons = [...catalog.lessons.values()];

    it("offer at least three lessons in English and in Indonesian", () => {
      for (const [packId, language] of [["ko-en", "en"], ["ko-id", "id"]] as const) {
        const pack = catalog.packs.find((candidate) => candidate.id === packId);
        assert.ok(pack, `pack ${packId} is missing`);
        assert.equal(pack.learnerLanguage, language);
        assert.ok(pack.lessonIds.length >= 3, `${packId} has ${pack.lessonIds.length} lessons`);
        for (const id of pack.lessonIds) assert.equal(catalog.getLesson(id)?.learnerLanguage, language);
      }
    });

    it("romanize every line and every vocabulary item into plain ASCII", () => {
      for (const lesson of lessons) {
        for (const line of [...lesson.steps, ...lesson.vocabulary]) {
          assert.match(line.romanization, /^[\x20-\x7E]+$/, `${lesson.id}: "${line.korean}" -> "${line.romanization}"`);
          assert.match(line.romanization, /[a-z]/, `${lesson.id}: "${line.korean}" has no romanized letters`);
        }
      }
    });

    it("keep punctuation and spaces in romanization, as es-hangul's romanize does, and the {name} slot as a slot", () => {
      const greetings = catalog.getLesson("ko-en-01-greetings")!;
      const cafe = catalog.getLesson("ko-id-02-cafe")!;
      assert.equal(greetings.steps[0]!.romanization, "annyeonghaseyo. jeoneun minsuyeyo.");
      assert.equal(greetings.steps[2]!.romanization, "mannaseo bangawoyo. {name} ssineun eoneu nara saramieyo?");
      assert.equal(cafe.steps[1]!.romanization, "aiseu amerikano han jan juseyo.");
    });

    it("accept the written line first, then the distinct variants", () => {
      for (const lesson of lessons) {
        for (const step of lesson.steps) {
          assert.equal(step.accepted[0], step.korean);
          assert.equal(new Set(step.accepted).size, step.accepted.length, `${lesson.id} steps[${step.index}]`);
        }
      }
    });

    it("follow the authoring guide: 6-10 alternating steps, 5-10 words, a hint on every learner line", () => {
      for (const lesson of lessons) {
        assert.ok(lesson.steps.length >= 6 && lesson.steps.length <= 10, `${lesson.id} has ${lesson.steps.length} steps`);
        assert.ok(lesson.vocabulary.length >= 5 && lesson.vocabulary.length <= 10, `${lesson.id} vocabulary`);
        for (const step of lesson.steps.slice(1)) {
          assert.notEqual(step.speaker, lesson.steps[step.index - 1]!.speaker, `${lesson.id} steps[${step.index}] repeats a speaker`);
        }
        for (const step of lesson.steps.filter((candidate) => candidate.speaker === lesson.learnerRole)) {
          assert.ok(step.hint, `${lesson.id} steps[${step.index}] has no hint for the learner`);
        }
      }
    });
  });

  describe("a valid pack", () => {
    it("numbers steps, fills defaults and takes the learner language from the pack", () => {
      const catalog = loadContent(tempContent(withLesson(() => {})));
      const lesson = catalog.getLesson("ko-en-01-greetings")!;
      assert.equal(lesson.pack, "ko-en");
      assert.equal(lesson.learnerLanguage, "en");
      assert.deepEqual(lesson.steps.map((step) => step.index), [0, 1, 2, 3, 4, 5]);
      assert.deepEqual(lesson.steps[1]!.accepted, ["안녕하세요. 저는 에밀리예요.", "안녕하세요. 에밀리입니다."]);
      assert.deepEqual(lesson.steps[0]!.accepted, ["안녕하세요. 저는 민수예요."]);
      assert.equal(lesson.steps[0]!.hint, null);
      assert.equal(lesson.steps[0]!.audioUrl, null);
      assert.equal(lesson.steps[3]!.audioUrl, "https://cdn.example.com/b4.mp3");
      assert.equal(lesson.vocabulary[0]!.romanization, "annyeonghaseyo");
    });

    it("lists lessons in file-name order", () => {
      const catalog = loadContent(tempContent({
        "packs/ko-en/pack.json": enPack,
        "packs/ko-en/lessons/02-cafe.json": validLesson("ko-en-02-cafe"),
        "packs/ko-en/lessons/01-greetings.json": validLesson("ko-en-01-greetings"),
        "packs/ko-en/lessons/README.md": "not a lesson",
      }));
      assert.deepEqual(catalog.packs[0]!.lessonIds, ["ko-en-01-greetings", "ko-en-02-cafe"]);
    });

    it("freezes lessons so one room cannot change them for every other room", () => {
      const lesson: Lesson = loadContent(tempContent(withLesson(() => {}))).getLesson("ko-en-01-greetings")!;
      assert.throws(() => { lesson.steps[0]!.korean = "바뀜"; }, TypeError);
      assert.throws(() => { lesson.steps.push(lesson.steps[0]!); }, TypeError);
    });

    it("summarizes a lesson for the lesson list", () => {
      const lesson = loadContent(tempContent(withLesson(() => {}))).getLesson("ko-en-01-greetings")!;
      assert.deepEqual(lessonSummary(lesson), {
        id: "ko-en-01-greetings", pack: "ko-en", title: "Greetings", level: "beginner",
        summary: "Say hello.", stepCount: 6, learnerLanguage: "en",
      });
    });
  });

  describe("a broken lesson stops start-up with CONTENT_INVALID naming file, lesson and field", () => {
    const cases: { name: string; files: () => Record<string, Json | string>; line: string }[] = [
      {
        name: "invalid JSON",
        files: () => ({ "packs/ko-en/pack.json": enPack, "packs/ko-en/lessons/01-greetings.json": '{ "id": "ko-en-01-greetings", ' }),
        line: "packs/ko-en/lessons/01-greetings.json: invalid JSON: ",
      },
      {
        name: "a speaker other than A or B",
        files: () => withLesson((lesson) => { lesson.steps[3].speaker = "C"; }),
        line: `${LESSON}: steps[3].speaker: expected "A" or "B"`,
      },
      {
        name: "a missing field",
        files: () => withLesson((lesson) => { delete lesson.summary; }),
        line: `${LESSON}: summary: is required`,
      },
      {
        name: "an unknown field",
        files: () => withLesson((lesson) => { lesson.steps[1].note = "typo of hint"; }),
        line: `${LESSON}: steps[1].note: unknown field`,
      },
      {
        name: "a lesson id used twice",
        files: () => ({ ...withLesson(() => {}), "packs/ko-en/lessons/02-cafe.json": validLesson("ko-en-01-greetings") }),
        line: "packs/ko-en/lessons/02-cafe.json (lesson ko-en-01-greetings): id: the same id is already used by packs/ko-en/lessons/01-greetings.json",
      },
      {
        name: "an id without the pack prefix",
        files: () => withLesson((lesson) => { lesson.id = "ko-id-01-greetings"; }),
        line: `packs/ko-en/lessons/01-greetings.json (lesson ko-id-01-greetings): id: must start with "ko-en-", the pack id`,
      },
      {
        name: "no steps",
        files: () => withLesson((lesson) => { lesson.steps = []; }),
        line: `${LESSON}: steps: needs at least 6 item(s)`,
      },
      {
        name: "Korean without Hangul",
        files: () => withLesson((lesson) => { lesson.steps[2].korean = "mannaseo bangawoyo"; }),
        line: `${LESSON}: steps[2].korean: must contain Hangul`,
      },
      {
        name: "an accepted answer without Hangul",
        files: () => withLesson((lesson) => { lesson.steps[1].accepted = ["hello"]; }),
        line: `${LESSON}: steps[1].accepted[0]: must contain Hangul`,
      },
      {
        name: "a vocabulary word without Hangul",
        files: () => withLesson((lesson) => { lesson.vocabulary[0].korean = "annyeong"; }),
        line: `${LESSON}: vocabulary[0].korean: must contain Hangul`,
      },
      {
        name: "a blank string",
        files: () => withLesson((lesson) => { lesson.roles.A.description = "   "; }),
        line: `${LESSON}: roles.A.description: must not be empty`,
      },
      {
        name: "a wrong type",
        files: () => withLesson((lesson) => { lesson.title = 7; }),
        line: `${LESSON}: title: expected string, got number 7`,
      },
      {
        name: "an unknown level",
        files: () => withLesson((lesson) => { lesson.level = "expert"; }),
        line: `${LESSON}: level: expected "beginner", "elementary" or "intermediate"`,
      },
      {
        name: "a role that never speaks",
        files: () => withLesson((lesson) => { for (const step of lesson.steps) step.speaker = "A"; }),
        line: `${LESSON}: steps: role "B" never speaks`,
      },
      {
        name: "an audio address that is not http(s)",
        files: () => withLesson((lesson) => { lesson.steps[0].audioUrl = "ftp://cdn.example.com/a.mp3"; }),
        line: `${LESSON}: steps[0].audioUrl: must be an http or https URL`,
      },
      {
        name: "a misspelt name slot",
        files: () => withLesson((lesson) => { lesson.roles.B.exampleName = "에밀리"; lesson.steps[1].korean = "저는 {nama}예요."; }),
        line: `${LESSON}: steps[1].korean: only the slot {name} may be written in braces`,
      },
      {
        name: "a name slot without an example name for the model audio",
        files: () => withLesson((lesson) => { lesson.steps[1].korean = "저는 {name}예요."; lesson.steps[1].accepted = ["{name}예요."]; }),
        line: `${LESSON}: roles.B.exampleName: is required because lines use {name}`,
      },
      {
        name: "accepted answers that drop the name slot the line has",
        files: () => withLesson((lesson) => { lesson.roles.B.exampleName = "에밀리"; lesson.steps[1].korean = "저는 {name}예요."; }),
        line: `${LESSON}: steps[1].accepted: must use {name} exactly where "korean" does`,
      },
    ];

    for (const { name, files, line } of cases) {
      it(`rejects ${name}`, () => {
        const error = loadError(tempContent(files()));
        assert.ok(isKotoError(error), `expected a KotoError, got ${error}`);
        assert.equal(error.code, "CONTENT_INVALID");
        assert.ok(error.message.includes(line), `expected the message to contain\n  ${line}\nbut it was\n${error.message}`);
      });
    }

    it("lists every problem of a file, not just the first", () => {
      const error = loadError(tempContent(withLesson((lesson) => {
        lesson.steps[0].speaker = "C";
        lesson.steps[4].korean = "hakseng";
        lesson.extra = true;
      })));
      for (const line of [
        `${LESSON}: steps[0].speaker: expected "A" or "B"`,
        `${LESSON}: steps[4].korean: must contain Hangul`,
        `${LESSON}: extra: unknown field`,
      ]) assert.ok(error.message.includes(line), `missing ${line} in\n${error.message}`);
      assert.match(error.message, /has 3 problems:/);
    });
  });

  describe("a broken pack layout stops start-up", () => {
    const cases: { name: string; files: () => Record<string, Json | string>; line: string }[] = [
      {
        name: "a pack without pack.json",
        files: () => ({ "packs/ko-en/lessons/01-greetings.json": validLesson() }),
        line: "packs/ko-en/pack.json: missing pack.json",
      },
      {
        name: "a pack without lessons",
        files: () => ({ "packs/ko-en/pack.json": enPack }),
        line: "packs/ko-en/lessons: the pack has no lessons",
      },
      {
        name: "a content directory without packs",
        files: () => ({ "README.md": "nothing here" }),
        line: "packs: no packs found",
      },
      {
        name: "a pack id that differs from its folder",
        files: () => ({ ...withLesson(() => {}), "packs/ko-en/pack.json": { ...enPack, id: "ko-eng" } }),
        line: 'packs/ko-en/pack.json: id: must be "ko-en", the name of the pack folder',
      },
      {
        name: "an unsupported learner language",
        files: () => ({ ...withLesson(() => {}), "packs/ko-en/pack.json": { ...enPack, learnerLanguage: "fr" } }),
        line: 'packs/ko-en/pack.json: learnerLanguage: expected "en" or "id"',
      },
    ];

    for (const { name, files, line } of cases) {
      it(`rejects ${name}`, () => {
        const error = loadError(tempContent(files()));
        assert.equal(error.code, "CONTENT_INVALID");
        assert.ok(error.message.includes(line), `expected the message to contain\n  ${line}\nbut it was\n${error.message}`);
      });
    }

    it("rejects a content directory that does not exist", () => {
      const error = loadError(join(tmpdir(), "koto-content-that-does-not-exist"));
      assert.equal(error.code, "CONTENT_INVALID");
      assert.match(error.message, /does not exist/);
    });
  });
});
