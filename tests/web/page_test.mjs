// What the page tests share: their arguments (path/to/evtwin OUT_DIR) and tools, the tally of their
// checks ("ok - ..." lines, then "N passed, M failed"), `evtwin serve` and a headless Chromium
// (puppeteer-core) that are stopped whatever happens, and a time budget for the whole test. A
// missing tool exits with 77 (tests/support/tool_gate.sh: a failure under CI, a skip elsewhere).
// Chromium: /usr/bin/chromium, or $EVTWIN_CHROMIUM.
import fs from 'node:fs';
import path from 'node:path';
import { start_server } from './server.mjs';

export const MISSING_TOOL = 77;

// Runs `body({ evtwin, out, record, serve, open_page })` as test `name`: `serve(web, options)` starts
// the server (server.mjs's options), `open_page()` gives { page, errors }: a browser page whose zone
// is not the site's, and the script errors it logs. `check_tools(fail)` may refuse a missing tool.
export async function page_test({ name, budget_ms, check_tools = () => {} }, body) {
    const usage_error = (message, code = 1) => {
        console.error(`${name}: ${message}`);
        console.log(code === MISSING_TOOL ? 'not run' : '0 passed, 1 failed');
        process.exit(code);
    };
    const [evtwin, out] = process.argv.slice(2);
    if (!evtwin || !out) usage_error(`usage: node ${name}.mjs path/to/evtwin OUT_DIR`);
    if (!fs.existsSync(evtwin)) usage_error(`no evtwin binary at ${evtwin}`);
    const chromium = process.env.EVTWIN_CHROMIUM ?? '/usr/bin/chromium';
    if (!fs.existsSync(chromium)) usage_error(`no Chromium at ${chromium}: run scripts/install-deps (Debian package chromium)`, MISSING_TOOL);
    check_tools((message) => usage_error(message, MISSING_TOOL));
    let puppeteer;
    try {
        puppeteer = (await import('puppeteer-core')).default;
    } catch {
        usage_error('puppeteer-core is not installed in tests/web/node_modules: run scripts/install-deps', MISSING_TOOL);
    }
    fs.mkdirSync(out, { recursive: true });

    const results = [];
    const record = (check, ok, detail = '') => {
        results.push(ok);
        console.log(`${ok ? 'ok' : 'not ok'} - ${check}${detail ? `: ${detail}` : ''}`);
    };
    let server = null, browser = null;
    const cleanup = async () => {
        await Promise.race([browser?.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
        browser?.process()?.kill('SIGKILL');
        if (!server) return;
        const end = await server.stop();
        server = null;
        record('evtwin serve ran through the test and stopped on SIGTERM', !end.early && end.code === 0,
            `${end.early ? 'it had stopped by itself, ' : ''}exit code ${end.code}, signal ${end.signal}`);
    };
    const finish = () => {
        const failed = results.filter((ok) => !ok).length;
        console.log(`${results.length - failed} passed, ${failed} failed`);
        process.exit(failed || results.length === 0 ? 1 : 0);
    };
    // Whatever hangs, the test ends in bounded time, with the browser and the server stopped.
    const watchdog = setTimeout(async () => {
        record('the whole test within its time budget', false, `still running after ${budget_ms / 1000} s`);
        await cleanup();
        finish();
    }, budget_ms);

    const serve = async (web, options) => {
        server = await start_server(path.resolve(evtwin), path.resolve(out), web, options);
        record('evtwin serve answers GET /v1/health', true);
        return server;
    };
    const open_page = async () => {
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
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        return { page, errors };
    };
    try {
        await body({ evtwin: path.resolve(evtwin), out, record, serve, open_page });
    } catch (e) {
        record('the test ran to its end', false, e.stack ?? String(e));
    } finally {
        clearTimeout(watchdog);
        await cleanup();
    }
    finish();
}
