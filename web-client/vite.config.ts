/**
 * Builds the learner app and tutor console into web-client/dist. The server serves that folder at
 * PUBLIC_BASE_PATH (/koto) and at /, so every asset path is relative (base "./").
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { precompress } from "./precompress.ts";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "./",
  publicDir: "public",
  logLevel: "warn",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // The font ships as many small unicode-range files; none should be inlined into the CSS.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 700,
  },
  worker: { format: "es" },
  plugins: [precompress()],
});
