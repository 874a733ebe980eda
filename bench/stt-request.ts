/**
 * `npm run bench:stt-request`: event-loop CPU per speech-to-text request, the production client
 * (OpenAiSpeechToText: one prepared multipart body over node:http with keep-alive) against the
 * baseline it replaced (fetch with a FormData body), measured in the same run against the loopback
 * OpenAI-compatible fake in its own process (bench/children/fake-stt.ts, answering at once).
 * A 6 s answer as WAV (192 KB), eight requests in flight at a time, like answers ending together.
 */
import { encodeWav } from "../server/speech/audio/index.ts";
import { OpenAiSpeechToText } from "../server/speech/stt/openai-speech-to-text.ts";
import { startChild } from "./lib/children.ts";

const REQUESTS = Number(process.env.BENCH_STT_REQUESTS ?? 2000);
const IN_FLIGHT = 8;
const ROUNDS = 2;
// A real WAV (the fake checks it): 6 s of a quiet 220 Hz tone at 16 kHz.
const wav = encodeWav(Int16Array.from({ length: 6 * 16_000 }, (_, i) => Math.round(2000 * Math.sin((2 * Math.PI * 220 * i) / 16_000))), 16_000);

const fake = await startChild("fake-stt", "fake-stt.ts", { BENCH_STT_DELAY_MS: "0" });
const baseUrl = fake.info.baseUrl as string;
const client = new OpenAiSpeechToText({ baseUrl, timeoutMs: 5000 });

async function viaFetchFormData(): Promise<void> {
  const form = new FormData();
  form.append("file", new Blob([wav], { type: "audio/wav" }), "attempt.wav");
  for (const [name, value] of [["model", "whisper-1"], ["language", "ko"], ["response_format", "json"], ["temperature", "0"]]) form.append(name, value);
  const response = await fetch(`${baseUrl}/v1/audio/transcriptions`, {
    method: "POST", body: form, headers: { accept: "application/json" }, signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`fake answered ${response.status}`);
  await response.text();
}
const viaClient = async () => {
  await client.transcribe({ wav, language: "ko" });
};

/** CPU per request (µs) of this process (the client) and of the fake's process (what stands in for the STT server). */
async function cpuPerRequestUs(request: () => Promise<void>): Promise<{ client: number; fake: number }> {
  for (let i = 0; i < 200; i++) await request(); // warm-up: connections, JIT
  const before = process.cpuUsage();
  const fakeBefore = await fake.call<number>("cpuUs");
  for (let done = 0; done < REQUESTS; done += IN_FLIGHT) await Promise.all(Array.from({ length: IN_FLIGHT }, request));
  const used = process.cpuUsage(before);
  const fakeUsed = (await fake.call<number>("cpuUs")) - fakeBefore;
  return { client: (used.user + used.system) / REQUESTS, fake: fakeUsed / REQUESTS };
}

try {
  const rows: [string, { client: number; fake: number }][] = [];
  // Alternated: a figure that moved between rounds says the machine was busy.
  for (let round = 0; round < ROUNDS; round++) {
    rows.push(["fetch + FormData (baseline)", await cpuPerRequestUs(viaFetchFormData)]);
    rows.push(["OpenAiSpeechToText (node:http)", await cpuPerRequestUs(viaClient)]);
  }
  console.log(`speech-to-text request, ${wav.byteLength} B WAV, ${REQUESTS} requests per figure, ${IN_FLIGHT} in flight`);
  for (const [name, us] of rows) {
    console.log(`  ${name.padEnd(32)} ${us.client.toFixed(0).padStart(6)} µs CPU per request (the fake server's: ${us.fake.toFixed(0)} µs)`);
  }
  const mean = (prefix: string) => rows.filter(([name]) => name.startsWith(prefix)).reduce((sum, [, us]) => sum + us.client, 0) / ROUNDS;
  console.log(`  client ÷ baseline: ${(mean("OpenAi") / mean("fetch")).toFixed(2)}`);
} finally {
  await fake.stop();
}
