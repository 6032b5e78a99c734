// What the planner test checks on the page, in four groups: CSV upload, a plan of the 40-vehicle
// example, the site's base load and export prices, and errors. Each check is recorded with record(name, ok, detail).
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const PLAN_WAIT_MS = 70_000;

async function text(page, selector) {
    return page.$eval(selector, (el) => el.textContent.trim()).catch(() => '');
}

async function upload(page, out, name, content) {
    const file = path.join(out, name);
    fs.writeFileSync(file, content);
    const input = await page.$('#vehicles-csv');
    await input.uploadFile(file);
    await page.waitForFunction(() => document.querySelector('#csv-status').textContent !== '', { timeout: 5000 });
}

// Waits for the page to leave 'planning'; returns the state it reached.
async function submitted(page) {
    await page.click('#submit');
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), { timeout: PLAN_WAIT_MS });
    return page.evaluate(() => document.body.dataset.state);
}

// submitted(), and the body the page posted to /v1/plans (null when it posted none).
async function submitted_with_request(page) {
    let sent = null;
    const listen = (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/v1/plans')) sent = request.postData();
    };
    page.on('request', listen);
    const state = await submitted(page);
    page.off('request', listen);
    return { state, sent };
}

export async function csv_checks(page, out, record) {
    await upload(page, out, 'bad.csv', 'id,arrival,departure,energy_kwh\nEV1,07:00,09:00,10\nEV2,07:00,09:00,lots\n');
    const error = await text(page, '#form-errors');
    record('a bad CSV row is refused, naming its line', error.includes('CSV line 3') && error.includes('energy_kwh'), error);

    await page.$eval('#csv-status', (el) => (el.textContent = ''));
    await upload(page, out, 'good.csv',
        'id;charger;arrival;departure;energy_kwh;max_kw;v2g\nA1;CP01;07:00;09:30;"12,5";11;no\nA2;;2026-11-24 08:00;12:00;20;;yes\n');
    const rows = await page.$$eval('#vehicles tbody tr', (trs) => trs.length);
    const energy = await page.$eval('#vehicles tbody tr input[data-key="energy_kwh"]', (el) => el.value);
    record('a CSV file fills the vehicles table', rows === 2 && energy === '12.5', `${rows} rows, first energy ${energy}`);
}

export async function plan_checks(page, out, record, example) {
    await page.click('#load-example');
    const rows = await page.$$eval('#vehicles tbody tr', (trs) => trs.length);
    record('the example fills 40 vehicles', rows === 40, `${rows} rows`);

    const { state, sent } = await submitted_with_request(page);
    if (state !== 'done') {
        record('the example is planned', false, await text(page, '#form-errors'));
        await page.screenshot({ path: path.join(out, 'planner_full.png'), fullPage: true });
        return;
    }
    record('the example is planned', true, await text(page, '#plan-status'));
    let body = null;
    try {
        body = JSON.parse(sent);
    } catch {
        // recorded below
    }
    record('the page sends the documented request (docs/examples/plan_40ev.json)', isDeepStrictEqual(body, example),
        body ? (isDeepStrictEqual(body, example) ? '' : 'differs') : 'no request seen');

    const kpis = await page.$$eval('#kpi-table tbody tr', (trs) => trs.map((tr) => ({
        kpi: tr.dataset.kpi,
        plan: tr.querySelector('[data-run="plan"]').textContent,
        baseline: tr.querySelector('[data-run="baseline"]').textContent,
    })));
    const numeric = kpis.filter((k) => /\d/.test(k.plan) && /\d/.test(k.baseline));
    record('the KPI table shows numbers for plan and baseline', kpis.length >= 8 && numeric.length === kpis.length,
        kpis.filter((k) => !numeric.includes(k)).map((k) => k.kpi).join(', '));

    const heat_rows = await page.$$eval('#heatmap .heat-row', (rows) => rows.length);
    record('the heatmap has 40 rows', heat_rows === 40, `${heat_rows} rows`);

    const advice = await page.$eval('#recommendation', (el) => ({
        use: el.dataset.use, text: el.textContent.trim(), visible: el.offsetHeight > 0,
    }));
    record('the recommendation is shown', ['plan', 'baseline'].includes(advice.use) && advice.visible && advice.text.length > 10,
        advice.text);

    // In SVG y grows downwards: the import stays under the capacity line when no point of its path
    // lies above the line (beyond a hundredth of a pixel of rounding).
    const geometry = await page.evaluate(() => {
        const line = document.querySelector('#capacity-line');
        const d = document.querySelector('#chart-import')?.getAttribute('d') ?? '';
        const ys = [...d.matchAll(/[ML]([-\d.]+),([-\d.]+)/g)].map((m) => Number(m[2]));
        return { capacity_y: Number(line?.getAttribute('y1')), ys };
    });
    const above = geometry.ys.filter((y) => y < geometry.capacity_y - 0.01);
    record('the plotted import never exceeds the capacity line',
        Number.isFinite(geometry.capacity_y) && geometry.ys.length > 0 && above.length === 0,
        `${geometry.ys.length} points, ${above.length} above the line at y=${geometry.capacity_y}`);

    const vehicles = await page.$$eval('#vehicle-results tbody tr', (trs) => trs.length);
    const count = await page.$eval('#vehicle-summary', (el) => Number(el.dataset.count)).catch(() => NaN);
    record('the results list 40 vehicles', vehicles === 40 && count === 40, `${vehicles} rows, summary ${count}`);

    // The example's first vehicle arrives at 07:00 site time; the browser runs in New York time.
    const first = example.vehicles[0];
    const arrival = await page.$eval(`#vehicle-results tr[data-vehicle="${first.id}"] td:nth-of-type(2)`, (td) => td.textContent)
        .catch(() => '');
    record('times are shown in the site\'s time zone', arrival.includes(first.arrival.slice(11, 16)),
        `${first.id} arrival shown as "${arrival}", requested ${first.arrival}`);

    await page.screenshot({ path: path.join(out, 'planner_full.png'), fullPage: true });
    const results = await page.$('#results');
    await results.screenshot({ path: path.join(out, 'planner_result.png') });
}

// The example again with a base load (a daily profile) and an export price per step: both reach the
// request, the site's power chart draws the base load, and a malformed profile line is refused.
export async function site_checks(page, out, record) {
    await page.click('#load-example');
    await page.$eval('#base-load', (t) => (t.value = '00:00 20\n7:00 60\n19:00 30'));
    const steps = 96;  // the example's day in 15-minute steps
    await page.$eval('#export-prices', (t, n) => (t.value = Array.from({ length: n }, (_, i) => (i < n / 2 ? 0.04 : 0.06)).join(' ')),
        steps);
    const { state, sent } = await submitted_with_request(page);
    let site = null;
    try {
        site = JSON.parse(sent).site;
    } catch {
        // recorded below
    }
    const profile = [{ from: '00:00', kw: 20 }, { from: '07:00', kw: 60 }, { from: '19:00', kw: 30 }];
    record('a base load profile and export prices per step are sent and planned',
        state === 'done' && isDeepStrictEqual(site?.base_load, { profile }) && site?.tariff?.export_prices?.length === steps,
        `${state}: ${JSON.stringify(site?.base_load)}, ${site?.tariff?.export_prices?.length} export prices ${await text(page, '#form-errors')}`);
    const drawn = await page.$eval('#chart-base-load', (path) => path.getAttribute('d').split('L').length).catch(() => 0);
    record('the site power chart draws the base load', drawn > steps, `${drawn} points`);

    // A base load above the site's 100 kW: the plan goes over the import limit, and says by how much.
    await page.$eval('#base-load', (t) => (t.value = '00:00 20\n12:00 110\n13:00 20'));
    await page.$eval('#export-prices', (t) => (t.value = ''));
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/v1/plans'),
        { timeout: 70_000 });
    const over = await submitted(page);
    const misses = (await (await answered).json()).plan?.misses?.grid;
    const shown = await page.$eval('#kpi-table td[data-kpi="import_overshoot_kwh"][data-run="plan"]', (td) => td.textContent)
        .catch(() => '');
    const expected = `${misses?.import_overshoot_kwh?.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} kWh`;
    record('a base load over the grid limit is planned and its overshoot shown as the server gives it',
        over === 'done' && misses?.import_overshoot_kwh > 0 && shown === expected,
        `${over}: ${misses?.import_overshoot_kwh} kWh over, shown "${shown}"`);

    await page.$eval('#base-load', (t) => (t.value = '00:00 20\nseven 60'));
    const refused = await submitted(page);
    const error = await text(page, '#form-errors');
    record('a malformed base load line is refused, naming its line', refused === 'error' && error.includes('line 2'), error);
    await page.$eval('#base-load', (t) => (t.value = ''));
    await page.$eval('#export-prices', (t) => (t.value = ''));

    // 2 MW of PV at noon for an hour, far beyond what the site can take or export: curtailed at the
    // cost given, which reaches the request and the KPI table.
    await page.$eval('#pv-forecast', (t, n) => (t.value = Array.from({ length: n }, (_, i) => (i >= 48 && i < 52 ? 2000 : 0)).join(' ')),
        steps);
    await page.$eval('#pv-curtailment-cost', (input) => (input.value = '0.05'));
    const priced = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/v1/plans'),
        { timeout: 70_000 });
    const { state: curtailed, sent: with_pv } = await submitted_with_request(page);
    const kpis = (await (await priced).json()).plan?.kpis;
    const cost_shown = await page.$eval('#kpi-table tr[data-kpi="curtailment_cost"]', (tr) => tr.textContent).catch(() => '');
    record('a cost of curtailment is sent, and what the plan curtailed is priced and shown',
        curtailed === 'done' && JSON.parse(with_pv ?? 'null')?.site?.pv?.curtailment_cost_per_kwh === 0.05 &&
            kpis?.curtailment_cost > 0 && Math.abs(kpis.curtailment_cost - 0.05 * kpis.pv_curtailed_kwh) < 1e-6 &&
            cost_shown.includes('PV curtailment cost'),
        `${curtailed}: ${JSON.stringify(kpis)}, row "${cost_shown}"`);
    await page.$eval('#pv-forecast', (t) => (t.value = ''));
    await page.$eval('#pv-curtailment-cost', (input) => (input.value = ''));

    // A 100 kWh battery at half, wanted at 0.9 at the end: the SoC wanted reaches the request, the
    // plan ends there, and the table shows where each run's battery ended.
    await page.click('#ess-add');
    for (const [id, value] of [['#ess-capacity', '100'], ['#ess-charge', '50'], ['#ess-discharge', '50'],
        ['#ess-soc', '0.5'], ['#ess-end-soc', '0.9']])
        await page.$eval(id, (input, v) => (input.value = v), value);
    const with_end = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/v1/plans'),
        { timeout: 70_000 });
    const { state: ended, sent: with_ess } = await submitted_with_request(page);
    const ess_kpis = (await (await with_end).json()).plan?.kpis;
    const soc_shown = await page.$eval('#kpi-table td[data-kpi="ess_end_soc"][data-run="plan"]', (td) => td.textContent)
        .catch(() => '');
    const sent_ess = JSON.parse(with_ess ?? 'null')?.site?.ess;
    record('the SoC wanted of the battery at the end is sent, planned and shown',
        ended === 'done' && Array.isArray(sent_ess) && sent_ess.length === 1 && sent_ess[0].end_soc === 0.9 &&
            Math.abs((ess_kpis?.ess_end_soc ?? 0) - 0.9) < 1e-3 && soc_shown === '0.900',
        `${ended}: ${JSON.stringify(sent_ess)} ${JSON.stringify(ess_kpis)}, shown "${soc_shown}"`);
    await page.click('#ess-list .remove-battery');
}

const soc_text = (v) => v.toLocaleString('en-GB', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

// Two batteries added through the form: a 100 kWh one at half wanted at 0.9 that may not charge from
// the grid (the example has no PV: it cannot charge at all), and a 200 kWh one at 0.1 wanted at 0.9,
// priority 5, that its 5 kW of charging cannot fill in the day (a soft plan: it ends short). Both
// reach the request as site.ess's array, the permission withheld as grid_charge: false, and each
// run's table shows both with the SoC the server answered and the second's shortfall; then a name
// repeated is refused at the second battery's name, a priority of 1.5 at the first's priority, the
// request's permission and priority are filled back, and "Remove" takes the batteries off again.
export async function ess_checks(page, out, record) {
    await page.click('#load-example');
    await page.click('#ess-add');
    await page.click('#ess-add');
    const fields = [['name', 'container', 'cabinet'], ['capacity', '100', '200'], ['charge', '50', '5'],
        ['discharge', '50', '5'], ['soc', '0.5', '0.1'], ['end-soc', '0.9', '0.9']];
    for (const [field, first, second] of fields) {
        await page.type(`#ess-${field}`, first);
        await page.type(`#ess2-${field}`, second);
    }
    await page.click('#ess-grid-charge');  // "May charge from the grid", unchecked
    await page.type('#ess2-priority', '5');
    const legends = await page.$$eval('#ess-list fieldset.battery legend', (ls) => ls.map((l) => l.textContent));
    const resources = await page.$('#resources');
    if (resources) await resources.screenshot({ path: path.join(out, 'planner_battery_form.png') });
    record('"Add a battery" adds a fieldset per battery, named as typed',
        isDeepStrictEqual(legends, ['Battery 1 (container)', 'Battery 2 (cabinet)']), legends.join(', '));

    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/v1/plans'),
        { timeout: 70_000 });
    const { state, sent } = await submitted_with_request(page);
    const answer = await (await answered).json().catch(() => ({}));
    const ess = JSON.parse(sent ?? 'null')?.site?.ess;
    const wanted = [
        { name: 'container', capacity_kwh: 100, soc: 0.5, max_charge_kw: 50, max_discharge_kw: 50, end_soc: 0.9, grid_charge: false },
        { name: 'cabinet', capacity_kwh: 200, soc: 0.1, max_charge_kw: 5, max_discharge_kw: 5, end_soc: 0.9, priority: 5 },
    ];
    record('two batteries are sent as site.ess\'s array, with grid_charge: false and a priority, and planned',
        state === 'done' && isDeepStrictEqual(ess, wanted), `${state}: ${JSON.stringify(ess)} ${await text(page, '#form-errors')}`);
    const container_socs = ['plan', 'baseline'].map((run) => (answer[run]?.ess ?? []).find((b) => b.name === 'container')?.end_soc);
    record('a battery that may not charge from the grid, on a site without PV, ends no fuller in either run',
        container_socs.every((soc) => soc <= 0.5 + 1e-6), `container ends at ${container_socs.join(' and ')}, from 0.5`);

    const shown = await page.$$eval('#ess-results tbody tr', (trs) => trs.map((tr) => ({
        run: tr.dataset.run, name: tr.dataset.battery,
        end_soc: tr.querySelector('[data-key="end_soc"]').textContent,
        short: tr.querySelector('[data-key="short_kwh"]').textContent,
    }))).catch(() => []);
    const expected = ['plan', 'baseline'].flatMap((run) => (answer[run]?.ess ?? []).map((b) => ({
        run, name: b.name, end_soc: soc_text(b.end_soc),
    })));
    record('the results show both batteries of each run with the SoC at the end the server answered',
        expected.length === 4 && isDeepStrictEqual(shown.map(({ short, ...row }) => row), expected),
        `shown ${JSON.stringify(shown)}, answered ${JSON.stringify(expected)}`);

    const miss = (answer.plan?.misses?.ess ?? []).find((m) => m.name === 'cabinet');
    const cabinet = shown.find((row) => row.run === 'plan' && row.name === 'cabinet');
    const short_text = miss ? `${miss.short_kwh.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} kWh short` : '';
    record('a battery the plan leaves short of its SoC wanted shows the kWh short as the server answers it',
        miss?.short_kwh > 1 && answer.plan.misses.ess.length === 2 && cabinet?.short === short_text,
        `misses ${JSON.stringify(answer.plan?.misses?.ess)}, shown "${cabinet?.short}"`);
    const card = await page.$('#ess-results-card');
    if (card) await card.screenshot({ path: path.join(out, 'planner_batteries.png') });

    // The second battery named as the first: the server refuses it at /site/ess/1/name, and the
    // page marks that field and names it.
    await page.$eval('#ess2-name', (input) => (input.value = ''));
    await page.type('#ess2-name', 'container');
    const refused = await submitted(page);
    const error = await page.$eval('#form-errors', (box) => ({
        path: box.querySelector('li')?.dataset.path ?? '',
        field: box.querySelector('.error-field')?.textContent ?? '', text: box.textContent.trim(),
    })).catch(() => ({ path: '', field: '', text: '' }));
    const marked = await page.$eval('#ess2-name', (input) => input.getAttribute('aria-invalid')).catch(() => null);
    const first_marked = await page.$eval('#ess-name', (input) => input.getAttribute('aria-invalid')).catch(() => null);
    record('a battery name repeated is refused at the second battery\'s name field',
        refused === 'error' && error.path === '/site/ess/1/name' && error.field === 'Battery 2 (container): Name' &&
            marked === 'true' && first_marked === null,
        `${refused}: ${error.text} (path ${error.path}, field "${error.field}", marked ${marked})`);

    // A priority that is not a whole number: the server refuses it at /site/ess/0/priority, and the
    // page marks that field.
    await page.$eval('#ess2-name', (input) => (input.value = ''));
    await page.type('#ess2-name', 'cabinet');
    await page.type('#ess-priority', '1.5');
    const fractional = await submitted(page);
    const priority_error = await page.$eval('#form-errors', (box) => ({
        path: box.querySelector('li')?.dataset.path ?? '',
        field: box.querySelector('.error-field')?.textContent ?? '', text: box.textContent.trim(),
    })).catch(() => ({ path: '', field: '', text: '' }));
    const priority_marked = await page.$eval('#ess-priority', (input) => input.getAttribute('aria-invalid')).catch(() => null);
    record('a priority of 1.5 is refused at the first battery\'s priority field',
        fractional === 'error' && priority_error.path === '/site/ess/0/priority' &&
            priority_error.field === 'Battery 1 (container): Priority (higher first)' && priority_marked === 'true',
        `${fractional}: ${priority_error.text} (path ${priority_error.path}, field "${priority_error.field}", marked ${priority_marked})`);

    // A saved request's site.ess, one battery object or an array, fills one fieldset per battery.
    const filled = await page.evaluate(async () => {
        const { EssList } = await import('./ess_list.js');
        const list = new EssList(document.createElement('div'), document.createElement('button'));
        list.set({ capacity_kwh: 60, max_charge_kw: 30 });
        const one = list.fieldsets().map((f) => f.querySelector('[data-key="capacity_kwh"]').value);
        list.set([{ name: 'a', capacity_kwh: 10, max_charge_kw: 5 }, { name: 'b', capacity_kwh: 20, max_charge_kw: 5 }]);
        const two = list.fieldsets().map((f) => `${f.querySelector('[data-key="name"]').value}:${f.dataset.path}`);
        return { one, two };
    });
    record('a request\'s site.ess, one object or an array, fills one fieldset per battery',
        isDeepStrictEqual(filled, { one: ['60'], two: ['a:/site/ess/0', 'b:/site/ess/1'] }), JSON.stringify(filled));

    // The batteries sent above filled back: the permission withheld unchecks its box, the others stay
    // checked, the priority returns; and a 422 at a battery's permission finds its checkbox.
    const restored = await page.evaluate(async (batteries) => {
        const { EssList } = await import('./ess_list.js');
        const { field_for } = await import('./errors.js');
        const list = new EssList(document.createElement('div'), document.createElement('button'));
        list.set(batteries);
        const fields = list.fieldsets().map((f) => ({
            grid_charge: f.querySelector('[data-key="grid_charge"]').checked,
            grid_discharge: f.querySelector('[data-key="grid_discharge"]').checked,
            priority: f.querySelector('[data-key="priority"]').value,
        }));
        return { fields, error_at: field_for(document.getElementById('plan-form'), '/site/ess/1/grid_charge')?.id ?? null };
    }, ess ?? []);
    record('a request\'s grid_charge: false and priority are filled back, and a 422 at a permission finds its checkbox',
        isDeepStrictEqual(restored, {
            fields: [{ grid_charge: false, grid_discharge: true, priority: '' }, { grid_charge: true, grid_discharge: true, priority: '5' }],
            error_at: 'ess2-grid-charge',
        }), JSON.stringify(restored));

    await page.click('#ess-list fieldset:nth-child(2) .remove-battery');
    await page.click('#ess-list .remove-battery');
    const left = await page.$$eval('#ess-list fieldset', (f) => f.length);
    const focused = await page.evaluate(() => document.activeElement?.id);
    record('"Remove" takes each battery off, the focus going to "Add a battery" after the last',
        left === 0 && focused === 'ess-add', `${left} left, focus on ${focused}`);
}

// The example's day in 15-minute steps for 6 hours, then hourly: the request carries both runs, and
// the charts draw one column per step of the answer, each as long as its step.
export async function steps_checks(page, out, record) {
    await page.click('#load-example');
    await page.$eval('#coarse-from-h', (input) => (input.value = '6'));
    await page.$eval('#coarse-step-min', (input) => (input.value = '60'));
    const { state, sent } = await submitted_with_request(page);
    let steps = null;
    try {
        steps = JSON.parse(sent).steps;
    } catch {
        // recorded below
    }
    const wanted = [{ minutes: 15, count: 24 }, { minutes: 60, count: 18 }];
    const columns = await page.$$eval('#power-chart .hover rect', (rects) => rects.map((r) => Number(r.getAttribute('width'))))
        .catch(() => []);
    record('steps of 15 minutes for 6 h and then hourly are sent, planned and drawn, an hour four quarters wide',
        state === 'done' && isDeepStrictEqual(steps, wanted) && columns.length === 42 &&
        Math.abs(columns[41] - 4 * columns[0]) < 0.1,
        `${state}: ${JSON.stringify(steps)}, ${columns.length} columns ${columns[0]} and ${columns[41]} wide ${await text(page, '#form-errors')}`);
    await page.screenshot({ path: path.join(out, 'planner_steps.png'), fullPage: true });

    await page.$eval('#coarse-step-min', (input) => (input.value = '50'));
    const refused = await submitted(page);
    const error = await text(page, '#form-errors');
    record('coarser steps that do not divide the hours after the fine ones are refused, naming the field',
        refused === 'error' && error.includes('Coarser step'), error);
    await page.$eval('#coarse-from-h', (input) => (input.value = ''));
    await page.$eval('#coarse-step-min', (input) => (input.value = ''));
}

export async function error_checks(page, out, record, token) {
    // Vehicle 3 leaves before it arrives: the server refuses it, and the page names the field.
    await page.$eval('#vehicles tbody tr:nth-child(3) input[data-key="departure"]', (input) => {
        const arrival = input.closest('tr').querySelector('input[data-key="arrival"]').value;
        input.value = arrival.replace(/\d{2}:\d{2}$/, '04:00');
    });
    const state = await submitted(page);
    const error = await page.$eval('#form-errors', (box) => ({
        text: box.textContent.trim(), visible: !box.hidden,
        path: box.querySelector('li')?.dataset.path ?? '',
        field: box.querySelector('.error-field')?.textContent ?? '',
    })).catch(() => ({ text: '', visible: false, path: '', field: '' }));
    const marked = error.path
        ? await page.$eval(`[data-path="${error.path}"]`, (el) => el.getAttribute('aria-invalid')).catch(() => null)
        : null;
    record('a departure before arrival is refused, naming the field',
        state === 'error' && error.visible && /^\/vehicles\/2\/(arrival|departure)$/.test(error.path) &&
        /Vehicle 3 \(EV03\): (Arrival|Departure)/.test(error.field) && marked === 'true',
        `${error.text} (path ${error.path || 'none'}, marked ${marked})`);
    await page.screenshot({ path: path.join(out, 'planner_error.png'), fullPage: false });

    await page.$eval('#token', (input) => (input.value = ''));
    await page.type('#token', 'not-the-token');
    await page.keyboard.press('Tab');
    const refused = await submitted(page);
    const field = await text(page, '#form-errors .error-field');
    record('a wrong token is refused, naming the token field', refused === 'error' && field === 'API token', field);
    await page.$eval('#token', (input) => (input.value = ''));
    await page.type('#token', token);
    await page.keyboard.press('Tab');
}
