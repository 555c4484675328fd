/**
 * axe-core (pinned in package.json) run inside a page of the built extension: injected through the DevTools protocol
 * (page.evaluate is not subject to the extension pages' CSP) and run on the whole document, WCAG 2.x A/AA rules plus
 * axe's best practices (page-has-heading-one, region, …).
 */
import axe from "axe-core";
import type { Page } from "playwright-core";

export interface AxeViolation {
  id: string;
  help: string;
  nodes: string[];
}

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected above
    const run = (window as any).axe.run as (ctx: Document, o: object) => Promise<{ violations: any[] }>;
    const { violations } = await run(document, { resultTypes: ["violations"] });
    return violations.map((v) => ({
      id: v.id as string,
      help: v.help as string,
      nodes: v.nodes.map((n: { target: string[] }) => n.target.join(" ")),
    }));
  });
}

/** Fails with every violation listed (rule, help, nodes) so the report says what to fix. */
export async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0) {
    throw new Error(
      `axe: ${violations.length} violation(s) in ${state}:\n${violations.map((v) => `  ${v.id}: ${v.help} → ${v.nodes.join(", ")}`).join("\n")}`,
    );
  }
}
