/**
 * Bench child: the loopback OpenAI-compatible speech-to-text fake, in its own process so its work
 * is not counted as the server's. Every answer waits BENCH_STT_DELAY_MS, then returns a near miss
 * of the learner's first line ("요" heard as "오"): the attempt is scored, not correct, and the
 * learner stays on the same line, so utterances can repeat without the lesson ending.
 */
import { startFakeOpenAiStt } from "../../test/fakes/fake-openai-stt.ts";
import { serveParent } from "./child-side.ts";

export const NEAR_MISS = "안녕하세오. 저는 에밀리에요.";

const delayMs = Number(process.env.BENCH_STT_DELAY_MS ?? 300);
const stt = await startFakeOpenAiStt({ delayMs, transcript: () => NEAR_MISS });
let served = 0;
// The fake keeps every request (with its audio) for tests to inspect; a bench only counts them.
setInterval(() => {
  served += stt.requests.length;
  stt.requests.length = 0;
}, 500).unref();
const parent = serveParent({
  count: () => served + stt.requests.length,
});
parent.ready({ baseUrl: stt.baseUrl, delayMs });
