// The live page end to end: a real `evtwin serve` is the OCPP central system of a two-charger site
// on a stepped clock; a charge point (OCPP 1.6J over the browser's own WebSocket) brings a vehicle;
// Debian's Chromium, driven headless through puppeteer-core, uses the page as an operator would:
// the chargers' state, the site's power so far, and the outlook of edf and uncontrolled over the
// next hours, every figure checked against what the server answers and worked out by hand.
//
//   node tests/web/live_test.mjs path/to/evtwin OUT_DIR
//
// Writes a screenshot and the server's log to OUT_DIR, prints one line per check and closes with
// "N passed, M failed"; exits non-zero on any failure, and 77 when Chromium or puppeteer-core is
// missing (tests/support/tool_gate.sh: a failure under CI, a skip elsewhere).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { page_test } from './page_test.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const tariff = path.join(here, '../../scenarios/tariffs/norway_household_flat_illustrative.json');
const START = '2024-07-01T00:00:00Z';
const at = (minutes) => new Date(Date.parse(START) + minutes * 60_000).toISOString();

// Two 11 kW chargers (CP-1, CP-2) under a 40 kW grid connection, 5-minute control periods; a vehicle
// that declares nothing asks 20 kWh and stays 4 hours.
const SITE = `
scenario { name = "live-page", start = "2024-07-01", timezone = "Europe/Oslo", duration = days(1), control_period = minutes(5) }
grid { import_kw = 40 }
charger { name = "CP1", max_kw = 11, efficiency = 1.0 }
charger { name = "CP2", max_kw = 11, efficiency = 1.0 }
tariff { file = "${tariff}" }
live { charge_points = { ["CP-1"] = "CP1", ["CP-2"] = "CP2" }, energy_kwh = 20, stay = hours(4) }
`;

await page_test({ name: 'live_test', budget_ms: 120_000 }, async ({ out, record, serve, open_page }) => {
    const site = path.join(out, 'site.lua');
    fs.writeFileSync(site, SITE);
    const server = await serve(path.join(here, '../../web'), { args: ['--scenario', site, '--strategy', 'edf', '--clock', 'step'] });
    const { page, errors } = await open_page();
    await page.goto(`${server.url}live.html`, { waitUntil: 'load', timeout: 15_000 });
    const call = (method, route, body) => page.evaluate(async ({ method, route, body, token }) => {
        const r = await fetch(route, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: body ? JSON.stringify(body) : undefined });
        return { status: r.status, json: await r.json() };
    }, { method, route, body, token: server.token });
    const step = (minutes) => call('POST', 'v1/clock', { to: at(minutes) });

    // The charge point: boots, plugs a vehicle into connector 1 at 00:01 and meters 5 kWh by 00:31,
    // answering every call of the central system (its charging profiles) with Accepted.
    const ws_url = server.url.replace('http', 'ws') + 'ocpp/CP-1';
    await page.evaluate((url) => new Promise((resolve, reject) => {
        const ws = new WebSocket(url, 'ocpp1.6');
        window.charge_point = { ws, next: 1, pending: new Map(), calls: [] };
        ws.onopen = resolve;
        ws.onerror = () => reject(new Error('the WebSocket did not open'));
        ws.onclose = (e) => (window.charge_point.closed = `closed: ${e.code} ${e.reason}`);
        ws.onmessage = (m) => {
            const frame = JSON.parse(m.data);
            if (frame[0] === 2) {
                window.charge_point.calls.push(frame[2]);
                ws.send(JSON.stringify([3, frame[1], { status: 'Accepted' }]));
            } else if (frame[0] === 3 || frame[0] === 4) {
                window.charge_point.pending.get(frame[1])?.(frame);
            }
        };
        window.cp_call = (action, payload) => new Promise((done) => {
            const id = String(window.charge_point.next++);
            window.charge_point.pending.set(id, done);
            ws.send(JSON.stringify([2, id, action, payload]));
        });
    }), ws_url);
    const cp_call = (action, payload) => page.evaluate((a, p) => window.cp_call(a, p), action, payload);
    const boot = await cp_call('BootNotification', { chargePointVendor: 'evtwin', chargePointModel: 'LivePage' });
    record('the charge point boots', boot[0] === 3 && boot[2].status === 'Accepted', JSON.stringify(boot));
    await cp_call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: at(0) });
    await step(1);
    const started = await cp_call('StartTransaction', { connectorId: 1, idTag: 'DRIVER1', meterStart: 0, timestamp: at(1) });
    record('a transaction starts', started[0] === 3 && started[2].idTagInfo.status === 'Accepted', JSON.stringify(started));
    await cp_call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: at(1) });
    await step(31);
    const meter = (kwh, power_kw, minutes) => cp_call('MeterValues', { connectorId: 1, transactionId: started[2].transactionId,
        meterValue: [{ timestamp: at(minutes), sampledValue: [
            { value: String(kwh * 1000), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
            { value: String(power_kw * 1000), measurand: 'Power.Active.Import', unit: 'W' }] }] });
    await meter(5, 11, 31);
    await step(31);

    // The page, as an operator opens it.
    await page.type('#token', server.token);
    await page.keyboard.press('Tab');
    // The table comes first, the power so far once its results have come: "ready" follows both.
    await page.waitForFunction(() => document.querySelectorAll('#charger-table tbody tr').length === 2 && document.body.dataset.state === 'ready');
    const chargers = await page.$$eval('#charger-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    record('the chargers: CP1 charging with its session, CP2 offline (its charge point never connected)',
        chargers[0][2] === 'CP1' && chargers[0][3] === 'charging' && chargers[0][7] === '5.00' && chargers[0][8] === '20.0' &&
        chargers[1][2] === 'CP2' && chargers[1][3] === 'offline',
        `${JSON.stringify(chargers)} ${await page.evaluate(() => window.charge_point.closed ?? 'open')}`);
    const past = await page.$eval('#live-past', (p) => Number(p.dataset.points)).catch(() => 0);
    record('the site\'s power so far is drawn from the live run', past > 0, `${past} points`);

    await page.$eval('#outlook-strategies', (el) => (el.value = 'edf, uncontrolled'));
    await page.$eval('#outlook-draws', (el) => (el.value = '1'));
    await page.click('#outlook-run');
    await page.waitForFunction(() => document.querySelectorAll('#outlook-table thead th').length === 3 && document.body.dataset.state === 'ready');
    const answer = (await call('GET', 'v1/live/outlook?hours=4&strategies=edf,uncontrolled&draws=1')).json;
    const edf = answer.strategies[0];
    // 15 kWh left at 11 kW from 00:31, one vehicle alone: both strategies charge at once.
    const near = (a, b, tolerance) => Math.abs(a - b) <= tolerance;
    record('the outlook: 15 kWh left, bought at 1.20 NOK/kWh, by both strategies',
        answer.strategies.every((s) => near(s.import_kwh, 15, 1e-3) && near(s.energy_cost, 18, 1e-3)) && edf.site_kw.length === 48,
        JSON.stringify(answer.strategies.map((s) => [s.strategy, s.import_kwh, s.energy_cost])));
    record('the vehicle gets its 20 kWh, no chance of leaving short',
        near(edf.vehicles[0].expected_kwh, 20, 1e-3) && edf.vehicles[0].miss_chance === 0 && edf.vehicles[0].charge_point === 'CP-1',
        JSON.stringify(edf.vehicles));
    const table = await page.$$eval('#outlook-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    record('the page shows each strategy\'s cost as the server answers it',
        table[0][0] === 'Cost' && table[0][1] === '18.00 NOK' && table[0][2] === '18.00 NOK', JSON.stringify(table[0]));
    const vehicles = await page.$$eval('#vehicle-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    record('the vehicle table: CP-1/1 expecting 20.0 kWh under both, 0 % short',
        vehicles.length === 1 && vehicles[0][0] === 'CP-1/1' && vehicles[0][4] === '20.0' && vehicles[0][5] === '0 %' && vehicles[0][6] === '20.0',
        JSON.stringify(vehicles));
    const lines = await page.$$eval('#live-chart path.outlook', (p) => p.map((e) => Number(e.dataset.points)));
    record('the chart draws one outlook line per strategy, a step per control period', lines.length === 2 && lines.every((n) => n === 48), JSON.stringify(lines));
    const refused = await fetch(`${server.url}v1/live/outlook?strategies=nope`, { headers: { Authorization: `Bearer ${server.token}` } });
    const why = await refused.json();
    record('a strategy the server cannot load is refused, naming the parameter', refused.status === 422 && why.error.path === 'strategies',
        JSON.stringify(why));
    await page.screenshot({ path: path.join(out, 'live_page.png'), fullPage: true });
    record('no script error on the page', errors.length === 0, errors.join(' | '));
});
