/**
 * `npm run measure:pages`: reads every saved CRM page (test/fixtures/crm/*.html) with its adapter and prints, per CRM,
 * how much of each page's hand-written ground truth (*.truth.json) was read, then what was missed, page by page.
 * `--quiet` prints the table only.
 */
import { measurePage, table, truthFiles } from "./page-measure";

const results = [];
for (const file of truthFiles()) results.push(await measurePage(file));
console.log(table(results));
if (!process.argv.includes("--quiet")) {
  for (const r of results) {
    if (r.misses.length === 0) continue;
    console.log(`\n${r.fixture}`);
    for (const miss of r.misses) console.log(`  - ${miss}`);
  }
}
