// The live page: the site `evtwin serve` drives as its OCPP central system, now. Its power so far
// (the live run on the results routes, where a live server serves its own database first, as run
// 1-{run_id}) and its outlook per strategy (GET /v1/live/outlook), each vehicle's expected energy by
// departure, and every charger's state. body[data-state] says what the page is doing (idle,
// loading, ready, error); the state refreshes every 10 s, the outlook when asked.
import { live, results, token } from './api.js';
import { h } from './dom.js';
import { live_chart } from './live_chart.js';
import { check_server, set_state, show_error } from './page_status.js';
import { legend_item } from './runs_table.js';
import { fixed } from './svg.js';
import { SiteClock } from './times.js';

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 10_000;
let state = null;    // the last GET /v1/live answer
let outlook = null;  // the last outlook answer
let refresh = null;

const clock = () => new SiteClock(state?.timezone ?? 'UTC');
const hours_asked = () => Number($('outlook-hours').value) || 4;

// What the site drew over the hours before now, or null where the results routes do not have it.
async function power_so_far(now_ms) {
    const from_ms = Math.max(Date.parse(state.start), now_ms - hours_asked() * 3_600_000);
    if (!(now_ms > from_ms)) return null;
    try {
        return await results.view(`1-${state.run_id}`, 'power', { from_ms, to_ms: now_ms, points: 240 });
    } catch (e) {
        if (e.status === 404) return null;
        throw e;
    }
}

async function draw() {
    const now_ms = Date.parse(state.now);
    const span_ms = hours_asked() * 3_600_000;
    const past = await power_so_far(now_ms);
    const shown = outlook && Date.parse(outlook.start) <= now_ms + span_ms ? outlook : null;
    const to_ms = shown ? Math.max(Date.parse(shown.end), now_ms + 60_000) : now_ms + span_ms;
    $('live-chart').replaceChildren(live_chart({ past, outlook: shown, now_ms, from_ms: now_ms - span_ms, to_ms, clock: clock() }));
    $('live-legend').replaceChildren(legend_item('import', past ? 'Grid import so far' : 'Grid import so far (no data yet)'),
        ...(shown?.strategies ?? []).map((s, i) => legend_item(`outlook-${i}`, `${s.strategy}: mean of ${shown.draws} futures, 10–90 % band`)));
}

function charger_table() {
    const sessions = new Map(state.sessions.map((s) => [`${s.charge_point}/${s.connector}`, s]));
    const head = h('tr', {}, ...['Charge point', 'Connector', 'Charger', 'State', 'Power (kW)', 'Limit (kW)', 'Session', 'Delivered (kWh)', 'Requested (kWh)', 'Departure']
        .map((t) => h('th', { scope: 'col' }, t)));
    const rows = state.connectors.map((c) => {
        const s = sessions.get(`${c.charge_point}/${c.connector}`);
        const what = !c.online ? 'offline' : c.faulted ? 'faulted' : s ? (Math.abs(c.power_kw) > 1e-9 ? 'charging' : 'plugged in') : 'free';
        return h('tr', { 'data-charger': c.charger },
            h('td', {}, c.charge_point), h('td', { class: 'num' }, String(c.connector)), h('td', {}, c.charger),
            h('td', { class: what === 'offline' ? 'offline' : what === 'faulted' ? 'faulted' : '' }, what),
            h('td', { class: 'num' }, fixed(c.power_kw, 2)), h('td', { class: 'num' }, fixed(c.limit_kw, 2)),
            h('td', {}, s ? String(s.id) : ''), h('td', { class: 'num' }, s ? fixed(s.delivered_kwh, 2) : ''),
            h('td', { class: 'num' }, s ? fixed(s.requested_kwh, 1) : ''), h('td', {}, s ? clock().text(s.departure) : ''));
    });
    $('charger-table').replaceChildren(h('thead', {}, head), h('tbody', {}, ...rows));
    const count = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;
    $('charger-count').textContent = `(${state.connectors.length}; ${count(state.sessions.length, 'vehicle')}, ` +
        `${count(state.charge_points_connected, 'charge point')} connected)`;
}

function outlook_tables() {
    const c = outlook.currency;
    const rows = [
        ['Cost', (s) => `${fixed(s.cost, 2)} ${c}`], ['Energy cost', (s) => `${fixed(s.energy_cost, 2)} ${c}`],
        ['Export revenue', (s) => `${fixed(s.export_revenue, 2)} ${c}`], ['Demand charge added', (s) => `${fixed(s.demand_charge, 2)} ${c}`],
        ['Peak import', (s) => `${fixed(s.peak_kw, 1)} kW`], ['Imported', (s) => `${fixed(s.import_kwh, 1)} kWh`],
        ['Exported', (s) => `${fixed(s.export_kwh, 1)} kWh`], ['Vehicles arriving', (s) => fixed(s.expected_arrivals, 1)],
        ['… finding no connector', (s) => fixed(s.rejected_arrivals, 1)], ['… their energy', (s) => `${fixed(s.arrivals_kwh, 1)} kWh`],
        ['Clipped decisions', (s) => String(s.violations)],
    ];
    $('outlook-table').replaceChildren(
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), ...outlook.strategies.map((s) => h('th', { scope: 'col' }, s.strategy)))),
        h('tbody', {}, ...rows.map(([label, value]) => h('tr', {}, h('th', { scope: 'row' }, label),
            ...outlook.strategies.map((s) => h('td', { class: 'num' }, value(s)))))));
    const first = outlook.strategies[0];
    const vehicle_rows = (first?.vehicles ?? []).map((v, i) => h('tr', { 'data-session': String(v.session) },
        h('td', {}, `${v.charge_point}/${v.connector}`), h('td', {}, String(v.session)), h('td', {}, clock().text(v.departure)),
        h('td', { class: 'num' }, fixed(v.requested_kwh, 1)),
        ...outlook.strategies.flatMap((s) => {
            const w = s.vehicles[i];
            const miss = w.miss_chance === null ? 'leaves later' : `${fixed(100 * w.miss_chance, 0)} %`;
            return [h('td', { class: 'num' }, fixed(w.expected_kwh, 1)), h('td', { class: w.miss_chance > 0 ? 'num miss' : 'num' }, miss)];
        })));
    $('vehicle-table').replaceChildren(
        h('thead', {}, h('tr', {}, ...['Charger', 'Session', 'Departure', 'Requested (kWh)'].map((t) => h('th', { scope: 'col' }, t)),
            ...outlook.strategies.flatMap((s) => [h('th', { scope: 'col' }, `${s.strategy}: expected (kWh)`), h('th', { scope: 'col' }, `${s.strategy}: chance short`)]))),
        h('tbody', {}, ...vehicle_rows));
    $('outlook-window').textContent = `(${clock().text(outlook.start)} to ${clock().text(outlook.end)}, ${outlook.draws} futures, steps of ${fixed(outlook.step_s / 60, 0)} min)`;
}

async function load_state() {
    clearTimeout(refresh);
    if (!token.get()) {
        $('token-help').textContent = 'Enter the server\'s token to see the live site.';
        return;
    }
    try {
        state = await live.state();
        $('site-meta').textContent = `${state.strategy} · run ${state.run_id} · ${state.decisions} decisions · now ${clock().text(state.now)} (${state.timezone})`;
        charger_table();
        await draw();
        $('page-error').hidden = true;
        $('token-help').textContent = 'Kept in this browser only.';
        if (document.body.dataset.state !== 'loading') set_state('ready');
        refresh = setTimeout(load_state, REFRESH_MS);
    } catch (e) {
        show_error(e);
    }
}

async function look_ahead() {
    if (!state) await load_state();
    if (!state) return;
    set_state('loading');
    $('outlook-status').textContent = 'Simulating…';
    const started = performance.now();
    try {
        outlook = await live.outlook({ hours: $('outlook-hours').value, strategies: $('outlook-strategies').value.replace(/\s+/g, ''),
            draws: $('outlook-draws').value });
        $('outlook-status').textContent = `${outlook.strategies.length} strategies × ${outlook.draws} futures in ${fixed((performance.now() - started) / 1000, 2)} s`;
        outlook_tables();
        await draw();
        set_state('ready');
    } catch (e) {
        $('outlook-status').textContent = '';
        show_error(e);
    }
}

$('token').value = token.get();
$('token').addEventListener('change', () => {
    token.set($('token').value.trim());
    load_state();
});
$('token-forget').addEventListener('click', () => {
    token.set('');
    $('token').value = '';
});
$('outlook-form').addEventListener('submit', (e) => {
    e.preventDefault();
    look_ahead();
});

check_server();
await load_state();
