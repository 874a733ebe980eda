/**
 * GET /api/model-audio/<file>.opus (Ogg Opus) or .wav: a lesson line read aloud. Names change whenever the audio
 * would (they hash provider, voice and text), so browsers may keep a file for a day without asking
 * and revalidate with its ETag after that.
 */
import { KotoError } from "../errors.ts";
import type { ModelAudioLibrary } from "../model-audio/model-audio-library.ts";
import { endpoint } from "./endpoint.ts";
import { bytesResponse, rangeNotSatisfiable, wantedBytes } from "./byte-ranges.ts";

const CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800";

export function modelAudioRoutes(library: ModelAudioLibrary) {
  return {
    modelAudio: endpoint("GET", "/api/model-audio/:file", async ({ request, params }) => {
      const file = await library.file(params.file ?? "");
      if (!file) throw new KotoError("MODEL_AUDIO_NOT_FOUND", `no model audio "${params.file}"; run \`npm run koto -- synthesize-audio\``, 404);
      const headers = { etag: file.etag, "cache-control": CACHE_CONTROL, "content-type": file.contentType };
      if (matchesEtag(request.headers.get("if-none-match"), file.etag)) return new Response(null, { status: 304, headers });
      const size = file.bytes.byteLength;
      const wanted = wantedBytes(request.headers, size, file.etag);
      if (wanted === "unsatisfiable") return rangeNotSatisfiable(size, "the model audio");
      if (wanted.whole) return bytesResponse(file.bytes, file.contentType, size, null, headers);
      const { start, end } = wanted.range;
      return bytesResponse(file.bytes.subarray(start, end + 1), file.contentType, size, wanted.range, headers);
    }),
  };
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.trim() === "*" || header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}
