// The results page on a year-long run of 200 chargers (bench/scenarios/year_200_chargers.lua, edf):
// the time from opening a run's address to its replay drawn (first paint of the replay), and the
// time each window change takes (fetching its four windowed answers and drawing them, as the page
// measures it), for a day, a week, 30 days and the whole year, in headless Chromium.
//
//   node bench/results_page_bench.mjs build/bin/evtwin OUT_DIR [RESULTS.db]
//
// Without RESULTS.db it runs the year into OUT_DIR/year.db first. Prints one line per measurement.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { start_server } from '../tests/web/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const puppeteer = createRequire(path.join(here, '../tests/web/package.json'))('puppeteer-core');
const [evtwin, out, given] = process.argv.slice(2);
if (!evtwin || !out) {
    console.error('usage: node bench/results_page_bench.mjs path/to/evtwin OUT_DIR [RESULTS.db]');
    process.exit(2);
}
fs.mkdirSync(out, { recursive: true });
const db = path.resolve(given ?? path.join(out, 'year.db'));
if (!given) {
    fs.rmSync(db, { force: true });
    execFileSync(path.resolve(evtwin), ['run', path.join(here, 'scenarios/year_200_chargers.lua'), '--quiet', '--db', db]);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const server = await start_server(path.resolve(evtwin), path.resolve(out), path.join(here, '../web'), { args: ['--results', db] });
const browser = await puppeteer.launch({ executablePath: process.env.EVTWIN_CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-dev-shm-usage', '--disable-gpu'] });
try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`${server.url}runs.html`);
    await page.evaluate((t) => localStorage.setItem('evtwin.token', t), server.token);
    const loaded = () => page.waitForFunction(() => document.querySelector('#replay-view').dataset.loading === 'false' &&
        document.querySelector('#replay-chart svg'), { timeout: 60_000 });

    const paints = [];
    for (let i = 0; i < 5; ++i) {
        await page.goto('about:blank');
        const started = Date.now();
        await page.goto(`${server.url}runs.html#run=1-1`);
        await loaded();
        paints.push(Date.now() - started);
    }
    console.log(`first paint of the replay (address opened to chart drawn), median of 5: ${median(paints)} ms (${paints.join(', ')})`);

    const load_ms = () => page.$eval('#replay-view', (el) => Number(el.dataset.loadMs));
    for (const [label, span] of [['1 day', '86400000'], ['1 week', '604800000'], ['30 days', '2592000000']]) {
        await page.select('#window-span', span);
        await loaded();
        const changes = [];
        for (let i = 0; i < 7; ++i) {
            await page.click('#window-next');
            await page.waitForFunction(() => document.querySelector('#replay-view').dataset.loading === 'true', { timeout: 5000 }).catch(() => {});
            await loaded();
            changes.push(await load_ms());
        }
        console.log(`window change, ${label}: median ${median(changes)} ms, max ${Math.max(...changes)} ms (${changes.join(', ')})`);
    }
    await page.select('#window-span', 'all');
    await loaded();
    console.log(`whole year as one window: ${await load_ms()} ms`);
    await page.screenshot({ path: path.join(out, 'results_year.png'), fullPage: true });
} finally {
    await browser.close();
    await server.stop();
}
