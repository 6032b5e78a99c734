// The results page end to end: `evtwin run` writes two runs of scenarios/quickstart.lua, one of a
// returning fleet, a V2G day (scenarios/v2g_kepco_peak.lua) and the quickstart with a demand
// response into one database, a real `evtwin serve --results` serves it, and Debian's Chromium, driven headless
// through puppeteer-core, uses the page as a stakeholder would: the runs and their KPIs, a filter,
// two runs compared, a run's replay (local times, heatmap, events, limits, prices, scrub) and its
// stations on a date, the fleet's batteries; every number checked is read from the database with sqlite3.
//
//   node tests/web/results_test.mjs path/to/evtwin OUT_DIR
//
// Writes screenshots and the server's log to OUT_DIR, prints one line per check and closes with
// "N passed, M failed"; exits non-zero on any failure, and 77 when Chromium, puppeteer-core or sqlite3 is missing
// (tests/support/tool_gate.sh, which ctest runs it through, turns that into a failure under CI and a
// skip elsewhere). Chromium: /usr/bin/chromium, or $EVTWIN_CHROMIUM.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { page_test } from './page_test.mjs';
import { batteries_checks, compare_checks, hook_checks, replay_checks, runs_checks, stations_checks, v2g_checks } from './results_checks.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function sqlite3_installed(fail) {
    try {
        execFileSync('sqlite3', ['-version']);
    } catch {
        fail('no sqlite3 on the PATH: run scripts/install-deps (Debian package sqlite3)');
    }
}

await page_test({ name: 'results_test', budget_ms: 110_000, check_tools: sqlite3_installed }, async ({ evtwin, out, record, serve, open_page }) => {
    const db = path.resolve(out, 'results.db');
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
    for (const strategy of ['uncontrolled', 'edf'])
        execFileSync(evtwin, ['run', path.join(here, '../../scenarios/quickstart.lua'), '--quiet', '--strategy', strategy, '--db', db]);
    execFileSync(evtwin, ['run', path.join(here, '../../bench/scenarios/year_200_chargers.lua'), '--quiet',
        '-D', 'days=14', '-D', 'fleet=150', '--db', db]);
    execFileSync(evtwin, ['run', path.join(here, '../../scenarios/v2g_kepco_peak.lua'), '--quiet', '--db', db]);
    // The quickstart with the demand-response afternoon of docs/scenario-dsl.md: a fault, a limit
    // change, a price spike and a repair on 2 July.
    const tariffs = path.join(here, '../../scenarios/tariffs/');
    const hooked = fs.readFileSync(path.join(here, '../../scenarios/quickstart.lua'), 'utf8')
        .replace('file = "tariffs/', `file = "${tariffs}`) + `
at("2024-07-02T14:00", function(site)
  site.demand_response { node = "T1", limit_kw = 60, duration = hours(2) }
  site.price_spike { factor = 5, duration = hours(1) }
end)
at("2024-07-02T09:00", function(site) site.fault("CP07") end)
at("2024-07-02T17:00", function(site) site.repair("CP07") end)
`;
    fs.writeFileSync(path.join(out, 'demand_response.lua'), hooked);
    execFileSync(evtwin, ['run', path.join(out, 'demand_response.lua'), '--quiet', '--db', db]);
    record('evtwin run writes two runs of the quickstart, a fortnight of a 150-vehicle fleet, a V2G day and a demand response', true);
    const server = await serve(path.join(here, '../../web'), { args: ['--results', db] });
    const { page, errors } = await open_page();

    await page.goto(`${server.url}runs.html`, { waitUntil: 'load', timeout: 15_000 });
    await page.waitForSelector('body[data-state="idle"]');
    record('the page loads', true);
    await page.type('#token', 'not-the-token');
    await page.keyboard.press('Tab');  // 'change' stores the token and lists the runs
    await page.waitForFunction(() => document.body.dataset.state === 'error');
    const refused = await page.$eval('#page-error', (el) => (el.hidden ? '' : el.textContent));
    record('a wrong token is refused, saying so', refused.includes('refused the token'), refused);
    await page.$eval('#token', (el) => (el.value = ''));
    await page.type('#token', server.token);
    await page.keyboard.press('Tab');

    await runs_checks(page, record, db);
    await compare_checks(page, out, record, db);
    const { load_ms, week } = await replay_checks(page, out, record, db);
    await stations_checks(page, out, record, db);
    await batteries_checks(page, out, record, db);
    await v2g_checks(page, out, record, db);
    await hook_checks(page, record, db);
    console.log(`# replay window load: one day ${load_ms} ms, one week ${week} ms`);
    const unexpected = errors.filter((e) => !/status of 401/.test(e));  // the wrong token's refusal, logged by Chromium
    record('no script error on the page', unexpected.length === 0, unexpected.join(' | '));
});
