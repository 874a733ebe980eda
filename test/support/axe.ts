/** axe-core in a Playwright page: the accessibility check every browser test runs on its page states. */
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_SOURCE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** Serious and critical axe violations on the page as it is now, as "rule (impact): target" lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE_SOURCE });
  return page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((violation: any) => violation.impact === "serious" || violation.impact === "critical")
      .flatMap((violation: any) => violation.nodes.map((node: any) => `${violation.id} (${violation.impact}): ${node.target.join(" ")}`));
  });
}
