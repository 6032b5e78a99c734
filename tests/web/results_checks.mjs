// What the results page test checks: the runs list and its filters, two runs compared, a run's replay,
// its stations and a fleet's batteries. The database's numbers are read with Debian's sqlite3 (independently of the
// server), and each number the page shows is compared with them. Each check is recorded with
// record(name, ok, detail).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const close = (a, b, tolerance = 1e-9) => Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b));

export function sql(db, query) {
    const text = execFileSync('sqlite3', ['-json', db, query], { encoding: 'utf8' });
    return text.trim() ? JSON.parse(text) : [];
}

// The energy charged from and discharged into the grid by each connector of `run` over [from, to),
// integrated from the stored change-only rows (each holds until the next, or the run's end).
export function connector_energy(db, run, from, to) {
    const [{ end }] = sql(db, `SELECT coalesce(ended_ms, end_ms) AS end FROM runs WHERE run_id = ${run}`);
    const rows = sql(db, `SELECT connector, t_ms, grid_kw FROM connector_series WHERE run_id = ${run} ORDER BY connector, t_ms`);
    const energy = new Map();
    rows.forEach((r, i) => {
        const next = rows[i + 1]?.connector === r.connector ? rows[i + 1].t_ms : end;
        const a = Math.max(r.t_ms, from), b = Math.min(next, to, end);
        if (!(b > a)) return;
        const e = energy.get(r.connector) ?? { charged: 0, discharged: 0 };
        const kwh = (r.grid_kw * (b - a)) / 3.6e6;
        if (kwh > 0) e.charged += kwh;
        else e.discharged -= kwh;
        energy.set(r.connector, e);
    });
    return energy;
}

async function ready(page) {
    await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state) && !document.querySelector('[data-loading="true"]'));
    return page.evaluate(() => document.body.dataset.state);
}

export async function runs_checks(page, record, db) {
    await page.waitForSelector('#runs-table tbody tr');
    const shown = await page.$$eval('#runs-table tbody tr', (trs) => trs.map((tr) => ({
        id: tr.dataset.run,
        strategy: tr.children[3].textContent,
        kpis: Object.fromEntries([...tr.querySelectorAll('td[data-kpi]')].map((td) => [td.dataset.kpi, td.dataset.value])),
    })));
    const runs = sql(db, 'SELECT run_id, strategy_name FROM runs ORDER BY run_id');
    record('the runs list shows every run of the database', shown.length === runs.length &&
        runs.every((r, i) => shown[i].id === `1-${r.run_id}` && shown[i].strategy.startsWith(r.strategy_name)),
    shown.map((r) => `${r.id} ${r.strategy}`).join(', '));
    const kpis = sql(db, 'SELECT run_id, name, value FROM kpis');
    const wrong = [];
    let compared = 0;
    for (const k of kpis) {
        const cell = shown[k.run_id - 1]?.kpis[k.name];
        if (cell === undefined) continue;
        compared += 1;
        if (!(k.value === null ? cell === '' : close(Number(cell), k.value))) wrong.push(`${k.run_id} ${k.name}: ${cell} != ${k.value}`);
    }
    record('the runs list\'s KPIs are the database\'s', compared >= 8 * runs.length && wrong.length === 0,
        wrong.length ? wrong.join('; ') : `${compared} values`);

    await page.select('#filter-strategy', 'edf');
    await page.click('#filters button[type="submit"]');
    await ready(page);
    const filtered = await page.$$eval('#runs-table tbody tr', (trs) => trs.map((tr) => tr.dataset.run));
    const edf = sql(db, "SELECT run_id FROM runs WHERE strategy_name = 'edf'").map((r) => `1-${r.run_id}`);
    record('the strategy filter keeps that strategy\'s runs', filtered.join() === edf.join(), filtered.join());
    await page.select('#filter-strategy', '');
    await page.click('#filters button[type="submit"]');
    await ready(page);
}

export async function compare_checks(page, out, record, db) {
    const boxes = await page.$$('#runs-table tbody input[type="checkbox"]');
    await boxes[0].click();
    await boxes[1].click();
    await page.click('#compare-button');
    await ready(page);
    await page.waitForSelector('#compare-table tbody tr');
    const cost = await page.$eval('#compare-table tr[data-kpi="energy_cost"]', (tr) => [...tr.querySelectorAll('td')].map((td) => td.dataset.value));
    const [a, b] = sql(db, "SELECT value FROM kpis WHERE name = 'energy_cost' ORDER BY run_id").map((r) => r.value);
    record('compare: both runs\' energy cost and their difference', close(Number(cost[0]), a) && close(Number(cost[1]), b) &&
        close(Number(cost[2]), b - a, 1e-6), `${cost.join(' / ')} against ${a} / ${b}`);
    const paths = await page.$$eval('#compare-chart path.series', (ps) => ps.map((p) => p.id));
    record('compare: both runs\' grid import overlaid', paths.includes('compare-a') && paths.includes('compare-b'), paths.join());
    await (await page.$('#compare-view')).screenshot({ path: path.join(out, 'results_compare.png') });

    // A third run, of another site and time: its KPIs join the table, its power is not over A's horizon.
    await boxes[2].click();
    await page.click('#compare-button');
    await ready(page);
    await page.waitForFunction(() => document.querySelectorAll('#compare-table thead th').length === 8);
    const peaks = await page.$eval('#compare-table tr[data-kpi="peak_import"]', (tr) => [...tr.querySelectorAll('td')].map((td) => td.dataset.value));
    const stored = sql(db, "SELECT value FROM kpis WHERE name = 'peak_import' AND run_id <= 3 ORDER BY run_id").map((r) => r.value);
    const legend = await page.$eval('#compare-legend', (el) => el.textContent);
    record('compare: three runs\' peaks and differences, a run of another horizon said to have no data there',
        close(Number(peaks[0]), stored[0]) && close(Number(peaks[4]), stored[2]) && close(Number(peaks[5]), stored[2] - stored[0], 1e-6) &&
        legend.includes('no data over A\'s horizon: 1-3'), `${peaks.join(' / ')} against ${stored.join(' / ')}; ${legend}`);
    await boxes[2].click();
}

export async function replay_checks(page, out, record, db) {
    await page.click('#runs-table tbody tr:nth-child(2) button.link');
    await ready(page);
    await page.waitForSelector('#replay-chart svg');
    const load_ms = await page.$eval('#replay-view', (el) => Number(el.dataset.loadMs));
    const [run] = sql(db, 'SELECT start_ms, timezone FROM runs WHERE run_id = 2');
    const axis = await page.$$eval('#replay-chart .grid text.tick', (ts) => ts.map((t) => t.textContent));
    // The site is in Seoul (UTC+9) and the browser in New York: the first day's labels are Seoul's.
    record('replay: the first day in the site\'s local time, whatever the browser\'s zone',
        run.timezone === 'Asia/Seoul' && axis.includes('06:00') && axis.includes('12:00'), axis.join(' '));
    const rows = await page.$eval('#replay-heatmap canvas', (c) => Number(c.dataset.rows));
    const [{ n }] = sql(db, 'SELECT count(*) AS n FROM connectors WHERE run_id = 2');
    record('replay: one heatmap row per connector', rows === n, `${rows} rows, ${n} connectors`);
    const [{ events }] = sql(db, `SELECT count(*) AS events FROM events WHERE run_id = 2 AND t_ms >= ${run.start_ms} AND t_ms < ${run.start_ms + 86_400_000}`);
    const count = await page.$eval('#event-count', (el) => el.textContent);
    record('replay: the window\'s events are the database\'s', count.startsWith(`(${events}`), `${count} against ${events}`);
    const limit = await page.$eval('#replay-import-limit', (el) => Number(el.dataset.kw));
    const [grid] = sql(db, 'SELECT import_limit_kw FROM nodes WHERE run_id = 2 AND node = 0');
    record('replay: the grid import limit drawn', close(limit, grid.import_limit_kw), `${limit} kW`);
    const bands = await page.$$eval('#replay-price-strip rect', (rs) => rs.length);
    record('replay: the tariff\'s price bands drawn', bands > 1, `${bands} bands`);

    await page.$eval('#scrub', (el) => {
        el.value = '500';
        el.dispatchEvent(new Event('input'));
    });
    const cursor = await page.$eval('#cursor-time', (el) => ({ text: el.textContent, ms: Number(el.dataset.ms) }));
    record('replay: scrubbing to the middle of the day shows noon in Seoul', cursor.text.includes('12:00') &&
        cursor.ms === run.start_ms + 43_200_000, `${cursor.text} (${cursor.ms})`);
    await page.evaluate(() => document.activeElement?.blur());  // the page's keys, not a control's
    await page.keyboard.down('Shift');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.up('Shift');
    const stepped = await page.$eval('#cursor-time', (el) => ({ text: el.textContent, ms: Number(el.dataset.ms) }));
    record('replay: Shift+→ steps the cursor an hour', stepped.ms === cursor.ms + 3_600_000, stepped.text);
    // A click on the plot moves the cursor there: three quarters along is 18:00 in Seoul.
    const box = await page.$eval('#replay-chart svg', (svg) => { const r = svg.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
    const { W, LEFT, RIGHT } = await page.evaluate(async () => (await import('./series_chart.js')).chart_geometry);
    const scale = box.w / W;
    await page.mouse.click(box.x + (LEFT + 0.75 * (W - LEFT - RIGHT)) * scale, box.y + 100 * scale);
    const picked = await page.$eval('#cursor-time', (el) => Number(el.dataset.ms));
    record('replay: a click on the chart moves the cursor there', Math.abs(picked - (run.start_ms + 64_800_000)) < 600_000,
        `${(picked - run.start_ms) / 3_600_000} h into the day`);
    await page.select('#window-span', '604800000');
    await ready(page);
    const week = await page.$eval('#replay-view', (el) => Number(el.dataset.loadMs));
    record('replay: a week\'s window loads', week > 0, `first day ${load_ms} ms, the week ${week} ms (shown on the page)`);
    await (await page.$('#replay-view')).screenshot({ path: path.join(out, 'results_replay.png') });
    return { load_ms, week };
}

// The stations table against the energies integrated from the database over [from, to).
async function stations_against_database(page, db, run, from, to) {
    const shown = await page.$$eval('#stations-table tbody tr', (trs) => trs.map((tr) => ({
        name: tr.dataset.station, charged: Number(tr.children[3].dataset.value), discharged: Number(tr.children[4].dataset.value),
    })));
    const energy = connector_energy(db, run, from, to);
    const names = sql(db, `SELECT connector, charger_name FROM connectors WHERE run_id = ${run} ORDER BY connector`);
    const wrong = names.filter((c) => {
        const row = shown.find((s) => s.name === c.charger_name);
        const e = energy.get(c.connector) ?? { charged: 0, discharged: 0 };
        return !row || !close(row.charged, e.charged) || !close(row.discharged, e.discharged);
    }).map((c) => c.charger_name);
    if (shown.length !== names.length) wrong.push(`${shown.length} rows for ${names.length} chargers`);
    const total = { charged: 0, discharged: 0 };
    for (const e of energy.values()) {
        total.charged += e.charged;
        total.discharged += e.discharged;
    }
    return { shown: shown.length, wrong, total };
}

export async function stations_checks(page, out, record, db) {
    await page.click('#tab-stations');
    await page.waitForSelector('#stations-table tbody tr');
    await page.$eval('#stations-date', (el) => {
        el.value = '2024-07-02';
        el.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => document.querySelector('#stations-view').dataset.date === '2024-07-02');
    // 2 July in Seoul (UTC+9): 1 July 15:00 to 2 July 15:00 UTC.
    const { shown, wrong, total } = await stations_against_database(page, db, 2, Date.UTC(2024, 6, 1, 15), Date.UTC(2024, 6, 2, 15));
    record('stations: each charger\'s energy on a local date is the database\'s', wrong.length === 0 && total.charged > 1,
        `${shown} stations, ${total.charged.toFixed(3)} kWh charged; wrong: ${wrong.join(', ')}`);
    await (await page.$('#stations-view')).screenshot({ path: path.join(out, 'results_stations.png') });
}

export async function batteries_checks(page, out, record, db) {
    await page.click('#runs-table tbody tr:nth-child(3) button.link');
    await ready(page);
    await page.click('#tab-batteries');
    await page.waitForSelector('#fleet-vehicles tbody tr');
    const counts = await page.$$eval('#fleet-grades .grade', (gs) => Object.fromEntries(gs.map((g) => [g.dataset.grade, Number(g.dataset.count)])));
    const stored = Object.fromEntries(sql(db, "SELECT grade, count(*) AS n FROM battery_health WHERE run_id = 3 AND battery != 'ess' GROUP BY grade")
        .map((r) => [r.grade, r.n]));
    const same = Object.keys(stored).length > 0 && Object.entries(stored).every(([g, n]) => counts[g] === n) &&
        Object.keys(counts).length === Object.keys(stored).length;
    record('batteries: the fleet\'s grades are the database\'s', same, `${JSON.stringify(counts)} against ${JSON.stringify(stored)}`);
    const models = await page.$$eval('#fleet-models tbody tr', (trs) => trs.length);
    const [{ groups }] = sql(db, "SELECT count(*) AS groups FROM (SELECT DISTINCT model, model_year FROM battery_health WHERE run_id = 3 AND battery != 'ess')");
    record('batteries: one row per car model and model year', models === groups, `${models} rows, ${groups} in the database`);
    const first = await page.$eval('#fleet-vehicles tbody tr', (tr) => ({ vehicle: tr.dataset.vehicle, soh: Number(tr.children[5].dataset.value) }));
    const [stored_first] = sql(db, `SELECT soh_end FROM battery_health WHERE run_id = 3 AND vehicle = '${first.vehicle.replaceAll("'", "''")}'`);
    await page.click('#fleet-vehicles tbody tr');
    await page.waitForSelector('#vehicle-health .soh-history');
    const points = await page.$eval('#vehicle-health .battery-detail', (el) => Number(el.dataset.points));
    const [{ sessions }] = sql(db, `SELECT count(*) AS sessions FROM sessions WHERE run_id = 3 AND vehicle_id = '${first.vehicle.replaceAll("'", "''")}'`);
    record('batteries: a vehicle\'s SoH and its history, one point per session and the end', close(first.soh, stored_first.soh_end) &&
        points === sessions + 1, `${first.vehicle}: SoH ${first.soh}, ${points} points, ${sessions} sessions`);
    await (await page.$('#batteries-view')).screenshot({ path: path.join(out, 'results_batteries.png') });
}

export async function v2g_checks(page, out, record, db) {
    await page.click('#runs-table tbody tr:nth-child(4) button.link');
    await ready(page);
    await page.click('#tab-stations');
    // The run's first day: 10 July 2024 in Seoul, 9 July 15:00 to 10 July 15:00 UTC.
    await page.waitForFunction(() => document.querySelector('#stations-view').dataset.date === '2024-07-10');
    const { shown, wrong, total } = await stations_against_database(page, db, 4, Date.UTC(2024, 6, 9, 15), Date.UTC(2024, 6, 10, 15));
    record('stations: a V2G day\'s energy charged and discharged per charger is the database\'s', wrong.length === 0 &&
        total.discharged > 1, `${shown} stations, ${total.charged.toFixed(3)} kWh charged, ${total.discharged.toFixed(3)} kWh discharged; wrong: ${wrong.join(', ')}`);
    await (await page.$('#stations-view')).screenshot({ path: path.join(out, 'results_stations_v2g.png') });
}

export async function hook_checks(page, record, db) {
    await page.click('#runs-table tbody tr:nth-child(5) button.link');
    await ready(page);
    await page.select('#window-span', '86400000');
    await ready(page);
    await page.$eval('#window-start', (el) => {
        el.value = '2024-07-02';
        el.dispatchEvent(new Event('change'));
    });
    // 2 July in Seoul: 1 July 15:00 to 2 July 15:00 UTC.
    const from = Date.UTC(2024, 6, 1, 15), to = Date.UTC(2024, 6, 2, 15);
    await page.waitForFunction((t) => document.querySelector('#cursor-time').dataset.ms >= t, {}, from);
    await ready(page);
    const marks = await page.$$eval('#replay-event-marks .mark', (ms) => ms.map((m) => m.dataset.kind).sort());
    const stored = sql(db, `SELECT kind FROM events WHERE run_id = 5 AND t_ms >= ${from} AND t_ms < ${to} AND kind IN ('fault', 'repair', 'limit_change', 'price_spike', 'interrupted', 'hook_log', 'strategy') ORDER BY kind`).map((r) => r.kind);
    record('replay: a fault, its repair, limit changes and a price spike marked on the chart', marks.join() === stored.join() &&
        stored.includes('fault') && stored.includes('price_spike'), `${marks.join(', ')} against ${stored.join(', ')}`);
    const changes = await page.$$eval('#replay-chart line.limit-change', (ls) => ls.length);
    record('replay: each limit change drawn', changes === stored.filter((k) => k === 'limit_change').length, `${changes} lines`);
    const dearest = await page.$$eval('#replay-price-strip rect', (rs) => Math.max(...rs.map((r) => Number(r.dataset.price))));
    const [{ price }] = sql(db, `SELECT max(import_price) AS price FROM tariff_prices WHERE run_id = 5 AND t_ms >= ${from} AND t_ms < ${to}`);
    record('replay: the price spike in the price strip', close(dearest, price), `${dearest} against ${price}`);
}
