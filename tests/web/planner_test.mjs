// The planner page end to end: a real `evtwin serve`, Debian's Chromium driven headless through
// puppeteer-core, and the page used as an operator would: token, CSV upload, the 40-vehicle example,
// a plan, its charts and tables, a site with a base load and export prices, two batteries, steps of
// two lengths, and the errors of a bad form.
//
//   node tests/web/planner_test.mjs path/to/evtwin OUT_DIR
//
// Writes screenshots and the server's log to OUT_DIR, prints one line per check and closes with
// "N passed, M failed"; exits non-zero on any failure, and 77 when Chromium or puppeteer-core is missing
// (tests/support/tool_gate.sh, which ctest runs it through, turns that into a failure under CI and a
// skip elsewhere). Chromium: /usr/bin/chromium, or $EVTWIN_CHROMIUM.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { page_test } from './page_test.mjs';
import { plan_checks, site_checks, ess_checks, steps_checks, error_checks, csv_checks } from './checks.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

await page_test({ name: 'planner_test', budget_ms: 110_000 }, async ({ out, record, serve, open_page }) => {
    const server = await serve(path.join(here, '../../web'));
    const { page, errors } = await open_page();
    await page.goto(server.url, { waitUntil: 'load', timeout: 15_000 });
    await page.waitForSelector('body[data-state="idle"]');
    record('the page loads', true);
    await page.type('#token', server.token);
    await page.keyboard.press('Tab');  // 'change' stores the token

    await csv_checks(page, out, record);
    const example = JSON.parse(fs.readFileSync(path.join(here, '../../docs/examples/plan_40ev.json'), 'utf8'));
    await plan_checks(page, out, record, example);
    await site_checks(page, out, record);
    await ess_checks(page, out, record);
    await steps_checks(page, out, record);
    await error_checks(page, out, record, server.token);
    const unexpected = errors.filter((e) => !/status of (401|422)/.test(e));  // refused requests, logged by Chromium
    record('no script error on the page', unexpected.length === 0, unexpected.join(' | '));
});
