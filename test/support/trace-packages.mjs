/**
 * Preload (`node --import`) for tests: records every npm package the process resolves and writes
 * their names, one per line, to $TRACE_PACKAGES_FILE when the process exits. Used to check that a
 * server on its embedded defaults never loads the clients of services it is not configured to use.
 */
import { writeFileSync } from "node:fs";
import { registerHooks } from "node:module";

const packages = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    const name = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(resolved.url ?? "")?.[1];
    if (name) packages.add(name);
    return resolved;
  },
});
process.once("exit", () => writeFileSync(process.env.TRACE_PACKAGES_FILE, [...packages].sort().join("\n") + "\n"));
