// The planner page end to end: a real `evtwin serve`, Debian's Chromium driven headless through
// puppeteer-core, and the page used as an operator would: token, CSV upload, the 40-vehicle example,
// a plan, its charts and tables, a site with a base load and export prices, and the errors of a bad
// form.
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
import { start_server } from './server.mjs';
import { plan_checks, site_checks, error_checks, csv_checks } from './checks.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TEST_BUDGET_MS = 110_000;

const MISSING_TOOL = 77;

function usage_error(message, code = 1) {
    console.error(`planner_test: ${message}`);
    console.log(code === MISSING_TOOL ? 'not run' : '0 passed, 1 failed');
    process.exit(code);
}

const [evtwin, out] = process.argv.slice(2);
if (!evtwin || !out) usage_error('usage: node planner_test.mjs path/to/evtwin OUT_DIR');
if (!fs.existsSync(evtwin)) usage_error(`no evtwin binary at ${evtwin}`);
const chromium = process.env.EVTWIN_CHROMIUM ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) usage_error(`no Chromium at ${chromium}: run scripts/install-deps (Debian package chromium)`, MISSING_TOOL);
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
    server = await start_server(path.resolve(evtwin), path.resolve(out), path.join(here, '../../web'));
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

    await page.goto(server.url, { waitUntil: 'load', timeout: 15_000 });
    await page.waitForSelector('body[data-state="idle"]');
    record('the page loads', true);
    await page.type('#token', server.token);
    await page.keyboard.press('Tab');  // 'change' stores the token

    await csv_checks(page, out, record);
    const example = JSON.parse(fs.readFileSync(path.join(here, '../../docs/examples/plan_40ev.json'), 'utf8'));
    await plan_checks(page, out, record, example);
    await site_checks(page, out, record);
    await error_checks(page, out, record, server.token);
    const unexpected = page_errors.filter((e) => !/status of (401|422)/.test(e));  // refused requests, logged by Chromium
    record('no script error on the page', unexpected.length === 0, unexpected.join(' | '));
} catch (e) {
    record('the test ran to its end', false, e.stack ?? String(e));
} finally {
    clearTimeout(watchdog);
    await cleanup();
}
finish();
