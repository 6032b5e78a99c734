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
import { start_server } from './server.mjs';
import { execFileSync } from 'node:child_process';
import { batteries_checks, compare_checks, hook_checks, replay_checks, runs_checks, stations_checks, v2g_checks } from './results_checks.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TEST_BUDGET_MS = 110_000;

const MISSING_TOOL = 77;

function usage_error(message, code = 1) {
    console.error(`results_test: ${message}`);
    console.log(code === MISSING_TOOL ? 'not run' : '0 passed, 1 failed');
    process.exit(code);
}

const [evtwin, out] = process.argv.slice(2);
if (!evtwin || !out) usage_error('usage: node results_test.mjs path/to/evtwin OUT_DIR');
if (!fs.existsSync(evtwin)) usage_error(`no evtwin binary at ${evtwin}`);
const chromium = process.env.EVTWIN_CHROMIUM ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) usage_error(`no Chromium at ${chromium}: run scripts/install-deps (Debian package chromium)`, MISSING_TOOL);
try {
    execFileSync('sqlite3', ['-version']);
} catch {
    usage_error('no sqlite3 on the PATH: run scripts/install-deps (Debian package sqlite3)', MISSING_TOOL);
}
let puppeteer;
try {
    puppeteer = (await import('puppeteer-core')).default;
} catch {
    usage_error('puppeteer-core is not installed in tests/web/node_modules: run scripts/install-deps', MISSING_TOOL);
}
fs.mkdirSync(out, { recursive: true });

const results = [];
function record(name, ok, detail = '') {
    results.push(ok);
    console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? `: ${detail}` : ''}`);
}

let server = null, browser = null;
async function cleanup() {
    await Promise.race([browser?.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    browser?.process()?.kill('SIGKILL');
    if (!server) return;
    const end = await server.stop();
    server = null;
    record('evtwin serve ran through the test and stopped on SIGTERM', !end.early && end.code === 0,
        `${end.early ? 'it had stopped by itself, ' : ''}exit code ${end.code}, signal ${end.signal}`);
}

function finish() {
    const failed = results.filter((ok) => !ok).length;
    console.log(`${results.length - failed} passed, ${failed} failed`);
    process.exit(failed || results.length === 0 ? 1 : 0);
}

// Whatever hangs, the test ends in bounded time, with the browser and the server stopped.
const watchdog = setTimeout(async () => {
    record('the whole test within its time budget', false, `still running after ${TEST_BUDGET_MS / 1000} s`);
    await cleanup();
    finish();
}, TEST_BUDGET_MS);

try {
    const db = path.resolve(out, 'results.db');
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
    for (const strategy of ['uncontrolled', 'edf'])
        execFileSync(path.resolve(evtwin), ['run', path.join(here, '../../scenarios/quickstart.lua'), '--quiet', '--strategy', strategy, '--db', db]);
    execFileSync(path.resolve(evtwin), ['run', path.join(here, '../../bench/scenarios/year_200_chargers.lua'), '--quiet',
        '-D', 'days=14', '-D', 'fleet=150', '--db', db]);
    execFileSync(path.resolve(evtwin), ['run', path.join(here, '../../scenarios/v2g_kepco_peak.lua'), '--quiet', '--db', db]);
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
    execFileSync(path.resolve(evtwin), ['run', path.join(out, 'demand_response.lua'), '--quiet', '--db', db]);
    record('evtwin run writes two runs of the quickstart, a fortnight of a 150-vehicle fleet, a V2G day and a demand response', true);
    server = await start_server(path.resolve(evtwin), path.resolve(out), path.join(here, '../../web'), { args: ['--results', db] });
    record('evtwin serve answers GET /v1/health', true);
    browser = await puppeteer.launch({
        executablePath: chromium,
        headless: true,
        timeout: 30_000,
        protocolTimeout: 60_000,
        args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-dev-shm-usage', '--disable-gpu'],
    });
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.setViewport({ width: 1280, height: 900 });
    // Not the site's zone: the page must show the site's local times whatever the browser's zone is.
    await page.emulateTimezone('America/New_York');
    const page_errors = [];
    page.on('pageerror', (e) => page_errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && page_errors.push(m.text()));

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
    const unexpected = page_errors.filter((e) => !/status of 401/.test(e));  // the wrong token's refusal, logged by Chromium
    record('no script error on the page', unexpected.length === 0, unexpected.join(' | '));
} catch (e) {
    record('the test ran to its end', false, e.stack ?? String(e));
} finally {
    clearTimeout(watchdog);
    await cleanup();
}
finish();
