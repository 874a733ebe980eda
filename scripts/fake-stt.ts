/**
 * `npm run fake-stt`: the loopback OpenAI-compatible speech-to-text fake the tests use, on its own,
 * to try spoken answers end to end without an API key or a Whisper server. It cannot listen: every
 * answer is heard as FAKE_STT_TRANSCRIPT (default: the first lesson's first line said right), so the
 * score shows what the pipeline does with that text. Prints the line that starts a server against it.
 */
import { startFakeOpenAiStt } from "../test/fakes/fake-openai-stt.ts";

const transcript = process.env.FAKE_STT_TRANSCRIPT?.trim() || "안녕하세요. 저는 에밀리예요.";
const stt = await startFakeOpenAiStt({ transcript: () => transcript });
// The fake keeps each request with its audio for tests to inspect; running for hours, it keeps none.
setInterval(() => { stt.requests.length = 0; }, 1000).unref();
console.log(`fake speech-to-text on ${stt.baseUrl}; every answer is heard as "${transcript}"`);
console.log(`start the server against it:\n  STT_PROVIDER=openai OPENAI_STT_BASE_URL=${stt.baseUrl} npm start`);
const stop = () => void stt.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
