import assert from "node:assert/strict";
import type { ApiClient, FailedAttempt, LessonDetails } from "../../web-client/src/api.ts";
import { failureText } from "../../web-client/src/error-text.ts";
import { setLanguage } from "../../web-client/src/i18n.ts";
import { AttemptDirectory } from "../../web-client/src/views/tutor/attempt-context.ts";
import { tutorFailureText } from "../../web-client/src/views/tutor/tutor-failure.ts";

describe("web client: the tutor dashboard's lists", () => {
  afterEach(() => setLanguage("en"));

  const failures: Array<[code: string, tutor: RegExp]> = [
    ["STT_DISABLED", /^Automatic scoring is off on this server .*grade it\.$/],
    ["STT_TIMEOUT", /^Speech-to-text failed .*evaluate it again or grade it\.$/],
    ["PROVIDER_CIRCUIT_OPEN", /^Speech-to-text failed/],
    ["NO_SPEECH", /^No speech was found in the recording/],
    ["SERVER_RESTARTED", /^The server restarted while this answer was being checked/],
    ["RECORDING_STORAGE_UNAVAILABLE", /^The recording could not be stored/],
    ["EVALUATION_FAILED", /^Automatic scoring could not check this answer/],
    ["SOMETHING_NEW", /^Automatic scoring could not check this answer/],
  ];
  for (const [code, tutor] of failures) {
    it(`says why ${code} is on the list in a tutor's words, not the learner's`, () => {
      const attempt = { failureCode: code, failureReason: "" };
      assert.match(tutorFailureText(attempt), tutor);
      assert.doesNotMatch(tutorFailureText(attempt), /\byour (tutor|answer|recording)\b/i);
      assert.notEqual(tutorFailureText(attempt), failureText(attempt));
      setLanguage("id");
      assert.notEqual(tutorFailureText(attempt), "");
      assert.doesNotMatch(tutorFailureText(attempt), /tutor Anda|jawaban Anda/);
    });
  }

  function attempt(id: string, overrides: Partial<FailedAttempt> = {}): FailedAttempt {
    return {
      id, sessionId: "s1", learnerId: "dewi", lessonId: "ko-en-01-greetings", step: 1, status: "awaiting-tutor",
      failureCode: "STT_DISABLED", failureReason: "", createdAt: "2026-01-01T00:00:00.000Z",
      learnerName: "Dewi", lessonTitle: "Greetings and introducing yourself", ...overrides,
    };
  }

  function fakeApi() {
    const calls: string[] = [];
    const lesson: LessonDetails = {
      id: "ko-en-01-greetings", title: "Greetings and introducing yourself", summary: "", learnerRole: "B", roles: {},
      steps: [{ index: 0, speaker: "A", korean: "안녕하세요. 저는 민수예요." }, { index: 1, speaker: "B", korean: "안녕하세요. 저는 {name}예요." }],
    };
    const api = {
      lesson: async (id: string) => {
        calls.push(`lesson ${id}`);
        return lesson;
      },
    } as unknown as ApiClient;
    return { api, calls };
  }

  it("names the learner and the lesson, and shows the line they were to say with their name in it", async () => {
    const { api, calls } = fakeApi();
    const directory = new AttemptDirectory(api);
    const answers = [attempt("a1"), attempt("a2", { sessionId: "s2", learnerId: "budi", learnerName: "Budi" })];
    await directory.prepare(answers);
    assert.deepEqual(directory.describe(answers[0]!), {
      learnerName: "Dewi", lessonTitle: "Greetings and introducing yourself", line: "안녕하세요. 저는 Dewi예요.",
    });
    assert.equal(directory.describe(answers[1]!).line, "안녕하세요. 저는 Budi예요.");
    await directory.prepare(answers);
    assert.deepEqual(calls, ["lesson ko-en-01-greetings"], "each lesson fetched once");
  });

  it("leaves the name slot as it is for an account that no longer exists", async () => {
    const { api } = fakeApi();
    const directory = new AttemptDirectory(api);
    const old = attempt("a3", { learnerId: "someone", learnerName: null });
    await directory.prepare([old]);
    assert.equal(directory.describe(old).learnerName, null);
    assert.equal(directory.describe(old).line, "안녕하세요. 저는 {name}예요.");
  });
});
