/**
 * GET /api/model-audio/<file>.opus (Ogg Opus) or .wav: a lesson line read aloud. Names change whenever the audio
 * would (they hash provider, voice and text), so browsers may keep a file for a day without asking
 * and revalidate with its ETag after that.
 */
import { KotoError } from "../errors.ts";
import type { ModelAudioLibrary } from "../model-audio/model-audio-library.ts";
import { endpoint } from "./endpoint.ts";

const CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800";

export function modelAudioRoutes(library: ModelAudioLibrary) {
  return {
    modelAudio: endpoint("GET", "/api/model-audio/:file", async ({ request, params }) => {
      const file = await library.file(params.file ?? "");
      if (!file) throw new KotoError("MODEL_AUDIO_NOT_FOUND", `no model audio "${params.file}"; run \`npm run koto -- synthesize-audio\``, 404);
      const headers = { etag: file.etag, "cache-control": CACHE_CONTROL, "content-type": file.contentType };
      if (matchesEtag(request.headers.get("if-none-match"), file.etag)) return new Response(null, { status: 304, headers });
      return new Response(file.bytes as unknown as BodyInit, {
        status: 200,
        headers: { ...headers, "content-length": String(file.bytes.byteLength), "accept-ranges": "none" },
      });
    }),
  };
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.trim() === "*" || header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}
