/**
 * Writes the `.meta` files Unity needs for every asset of the `unity-sdk/` package. A package
 * installed by git URL is immutable: Unity ignores any file without a committed `.meta` ("has no
 * meta file, but it's in an immutable folder"). GUIDs are derived from the path, so regenerating
 * never changes an existing asset's identity. Folders ending in `~` (Samples~) are not imported
 * and get none. Usage: `node scripts/unity-meta.mjs [packageDir]`; `--check` only lists what is missing.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const header = (guid) => `fileFormatVersion: 2\nguid: ${guid}\n`;
const tail = "  userData: \n  assetBundleName: \n  assetBundleVariant: \n";

function importerFor(name) {
  if (name === "package.json") return "PackageManifestImporter:\n  externalObjects: {}\n" + tail;
  if (name.endsWith(".cs")) {
    return "MonoImporter:\n  externalObjects: {}\n  serializedVersion: 2\n  defaultReferences: []\n  executionOrder: 0\n  icon: {instanceID: 0}\n" + tail;
  }
  if (name.endsWith(".asmdef")) return "AssemblyDefinitionImporter:\n  externalObjects: {}\n" + tail;
  if (name.endsWith(".jslib")) {
    // A .jslib must be enabled for WebGL only, or other platforms' builds fail on it.
    return "PluginImporter:\n  externalObjects: {}\n  serializedVersion: 2\n  iconMap: {}\n  executionOrder: {}\n  defineConstraints: []\n"
      + "  isPreloaded: 0\n  isOverridable: 0\n  isExplicitlyReferenced: 0\n  validateReferences: 1\n  platformData:\n"
      + "  - first:\n      Any: \n    second:\n      enabled: 0\n      settings: {}\n"
      + "  - first:\n      Editor: Editor\n    second:\n      enabled: 0\n      settings:\n        DefaultValueInitialized: true\n"
      + "  - first:\n      WebGL: WebGL\n    second:\n      enabled: 1\n      settings: {}\n" + tail;
  }
  if (/\.(md|txt|xml|json|js)$/.test(name)) return "TextScriptImporter:\n  externalObjects: {}\n" + tail;
  return "DefaultImporter:\n  externalObjects: {}\n" + tail;
}

const guidOf = (path) => createHash("md5").update(`koto-unity-sdk:${path}`).digest("hex");

/** Every asset path (relative, "/"-separated) that needs a .meta, and the .meta text it should have. */
export function expectedMetas(packageDir) {
  const metas = new Map();
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith(".") || name.endsWith(".meta") || name.endsWith("~")) continue;
      const full = join(dir, name);
      const path = relative(packageDir, full).split("\\").join("/");
      const folder = statSync(full).isDirectory();
      metas.set(path, header(guidOf(path)) + (folder ? "folderAsset: yes\nDefaultImporter:\n  externalObjects: {}\n" + tail : importerFor(name)));
      if (folder) walk(full);
    }
  };
  walk(packageDir);
  return metas;
}

export function missingMetas(packageDir) {
  return [...expectedMetas(packageDir).keys()].filter((path) => !existsSync(join(packageDir, `${path}.meta`)));
}

export function writeMetas(packageDir) {
  const written = [];
  for (const [path, text] of expectedMetas(packageDir)) {
    const file = join(packageDir, `${path}.meta`);
    if (existsSync(file)) continue;
    writeFileSync(file, text);
    written.push(path);
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes("--check");
  const packageDir = resolve(args.find((arg) => !arg.startsWith("--")) ?? "unity-sdk");
  if (check) {
    const missing = missingMetas(packageDir);
    for (const path of missing) console.error(`missing ${path}.meta`);
    process.exit(missing.length ? 1 : 0);
  }
  for (const path of writeMetas(packageDir)) console.log(`wrote ${path}.meta`);
}
