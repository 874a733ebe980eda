/**
 * Bench child: a share of the load generator's sessions (bench/lib/load-driver.ts, ProcessLoad),
 * on the same Colyseus client as the in-process generator (BENCH_CLIENT_WS).
 */
import { InProcessLoad, type SessionSpec } from "../lib/load-driver.ts";
import { loadSdk } from "../lib/sdk.ts";
import { serveParent } from "./child-side.ts";

const sdk = await loadSdk(process.env.BENCH_CLIENT_WS === "undici" ? "undici" : "ws");
let load: InProcessLoad | null = null;
const ready = () => {
  if (!load) throw new Error("init first");
  return load;
};

const parent = serveParent({
  init: (spec: SessionSpec) => {
    load = new InProcessLoad(sdk, spec);
    return true;
  },
  add: ({ count, from }: { count: number; from: number }) => ready().add(count, from).then(() => true),
  openWindow: () => ready().openWindow().then(() => true),
  closeWindow: () => ready().closeWindow().then(() => true),
  results: () => ready().results(),
  close: async () => {
    await load?.close();
    load = null;
    return true;
  },
});
parent.ready({});
