import pino, { type Logger } from "pino";

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "koto-live" } });
}

/**
 * The logger handed to Colyseus. It logs every message frame it cannot decode as an error with its
 * stack (`debugAndPrintError`), so a client sending thousands of malformed request frames wrote
 * megabytes of error log and slowed the process. Its errors are kept to `perWindow` lines per
 * `windowMs`; the rest are counted and the count is logged once the window ends.
 */
export function colyseusLogger(logger: Logger, { perWindow = 20, windowMs = 10_000, now = Date.now } = {}): Logger {
  const child = logger.child({ component: "colyseus" });
  const error = child.error.bind(child);
  let windowStart = 0;
  let logged = 0;
  let suppressed = 0;
  child.error = ((...args: Parameters<Logger["error"]>) => {
    const at = now();
    if (at - windowStart >= windowMs) {
      if (suppressed > 0) error({ suppressed, windowMs }, "Colyseus errors not logged (too many in a short while)");
      windowStart = at;
      logged = 0;
      suppressed = 0;
    }
    if (logged >= perWindow) {
      suppressed++;
      return;
    }
    logged++;
    error(...args);
  }) as Logger["error"];
  return child;
}
