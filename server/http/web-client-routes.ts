/**
 * Serves the built web client (web-client/dist) at PUBLIC_BASE_PATH (the seed's Caddy path, /koto)
 * and at / for local use. The bundle uses relative asset paths, so both mounts work.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import { KotoError } from "../errors.ts";
import { endpoint, errorResponse } from "./endpoint.ts";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".wav": "audio/wav",
  ".webmanifest": "application/manifest+json",
};

export function webClientRoutes(distDirectory: string, basePath: string) {
  const serve = (request: Request): Response => {
    const pathname = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    if (pathname.startsWith("/api/")) return errorResponse(new KotoError("NOT_FOUND", `no API route ${pathname}`, 404));
    if (!existsSync(join(distDirectory, "index.html"))) {
      return errorResponse(new KotoError("WEB_CLIENT_NOT_BUILT", "the web client is not built; run `npm run build:web`", 404));
    }
    const relative = basePath !== "/" && (pathname === basePath || pathname.startsWith(basePath + "/"))
      ? pathname.slice(basePath.length) : pathname;
    const file = resolveInside(distDirectory, relative);
    const found = file !== null && existsSync(file) && statSync(file).isFile();
    // A missing file (a stale asset after a deploy) is a 404, not the app page served as JavaScript.
    if (!found && extname(relative) !== "") return errorResponse(new KotoError("NOT_FOUND", `no file ${pathname}`, 404));
    // Other unknown paths get the app itself, which routes on the client.
    const target = found ? file : join(distDirectory, "index.html");
    const type = CONTENT_TYPES[extname(target)] ?? "application/octet-stream";
    const immutable = target.includes(`${sep}assets${sep}`);
    const headers: Record<string, string> = { "content-type": type, "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache" };
    const encoded = precompressed(target, request.headers.get("accept-encoding") ?? "");
    if (encoded) {
      headers["content-encoding"] = encoded.encoding;
      headers.vary = "Accept-Encoding";
    }
    return new Response(readFileSync(encoded?.file ?? target), { status: 200, headers });
  };
  return {
    webRoot: endpoint("GET", "/", async ({ request }) => serve(request)),
    webBase: endpoint("GET", basePath === "/" ? "/index.html" : basePath, async ({ request }) => serve(request)),
    webFiles: endpoint("GET", "/**", async ({ request }) => serve(request)),
  };
}

/**
 * The build writes `.br` and `.gz` beside each compressible file (web-client/precompress.ts):
 * brotli when the browser takes it, else gzip, else the plain file.
 */
function precompressed(file: string, acceptEncoding: string): { file: string; encoding: "br" | "gzip" } | null {
  const accepts = (coding: string) => new RegExp(`(^|[,\\s])${coding}(;q=(?!0(\\.0*)?(\\s|,|$))[\\d.]+)?(\\s*(,|$))`, "i").test(acceptEncoding);
  if (accepts("br") && existsSync(`${file}.br`)) return { file: `${file}.br`, encoding: "br" };
  if (accepts("gzip") && existsSync(`${file}.gz`)) return { file: `${file}.gz`, encoding: "gzip" };
  return null;
}

/** A path inside `root`, or null when the request tries to climb out of it. */
function resolveInside(root: string, requestPath: string): string | null {
  const candidate = normalize(join(root, requestPath));
  return candidate === root || candidate.startsWith(root.endsWith(sep) ? root : root + sep) ? candidate : null;
}
