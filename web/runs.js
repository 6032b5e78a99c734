// The results page: the runs of the databases `evtwin serve --results` serves, filtered, with their
// KPIs; one run's replay, stations and KPIs; two runs compared. body[data-state] says what the page
// is doing (idle, loading, ready, error) and the address (#run=1-2, #compare=1-1,1-2) reopens a view.
import { results, token } from './api.js';
import { Batteries } from './batteries.js';
import { h } from './dom.js';
import { check_server, set_state, show_error } from './page_status.js';
import { LETTERS, all_kpis_table, compare_table, fill_filters, legend_item, runs_table } from './runs_table.js';
import { Replay, power_series } from './replay.js';
import { series_chart } from './series_chart.js';
import { Stations } from './stations.js';
import { SiteClock } from './times.js';

const $ = (id) => document.getElementById(id);
const replay = new Replay($);
const stations = new Stations($);
const batteries = new Batteries($);
const selected = new Set();
let shown_runs = null;  // the /runs answer shown, its pages together
let runs_refresh = null;
let current = null;   // the open run's /runs/{id} answer
let shown_for = {};  // the run each lazily loaded view shows

function filters() {
    return { scenario: $('filter-scenario').value, strategy: $('filter-strategy').value,
        seed: $('filter-seed').value, status: $('filter-status').value };
}

const PAGE = 500;  // runs asked at once; "Show more" asks the next ones

// more: append the next page of the same filters to the list shown.
async function load_runs(more = false) {
    if (!token.get()) {
        $('token-help').textContent = 'Enter the server\'s token to see its runs.';
        return;
    }
    set_state('loading');
    try {
        const answer = await results.runs({ ...filters(), offset: more ? shown_runs.runs.length : 0, limit: PAGE });
        if (more) answer.runs = [...shown_runs.runs, ...answer.runs];
        shown_runs = answer;
        fill_filters($('filter-scenario'), answer.scenarios);
        fill_filters($('filter-strategy'), answer.strategies);
        $('run-count').textContent = answer.total > answer.runs.length ? `(${answer.runs.length} of ${answer.total})` : `(${answer.total})`;
        $('more-runs').hidden = answer.total <= answer.runs.length;
        $('run-files').textContent = `from ${answer.files.join(', ')}`;
        runs_table($('runs-table'), answer, selected, { open: (id) => open_run(id), toggle });
        $('page-error').hidden = true;
        $('token-help').textContent = 'Kept in this browser only.';
        set_state('ready');
        clearTimeout(runs_refresh);
        if (answer.runs.some((r) => r.status === 'running')) runs_refresh = setTimeout(() => load_runs(), 15_000);
    } catch (e) {
        show_error(e);
    }
}

function toggle(id, checked) {
    if (checked) selected.add(id);
    else selected.delete(id);
    $('compare-button').disabled = selected.size < 2 || selected.size > LETTERS.length;
}

function show_view(view) {
    for (const button of $('tabs').querySelectorAll('button')) button.setAttribute('aria-pressed', String(button.dataset.view === view));
    for (const name of ['replay', 'stations', 'batteries', 'kpis', 'compare']) $(`${name}-view`).hidden = name !== view;
    const lazy = { stations, batteries }[view];
    if (lazy && current && shown_for[view] !== current.id) {
        shown_for[view] = current.id;
        lazy.open(current, new SiteClock(current.timezone));
    }
}

async function open_run(id) {
    set_state('loading');
    try {
        current = await results.run(id);
        const clock = new SiteClock(current.timezone);
        history.replaceState(null, '', `#run=${id}`);
        $('tabs').hidden = false;
        $('tab-compare').hidden = true;
        $('kpis-meta').textContent = `${current.id} · ${current.scenario} · ${current.strategy} · ${current.file}`;
        all_kpis_table($('all-kpis'), current);
        shown_for = {};
        show_view('replay');
        await replay.open(current, clock);
        set_state('ready');
    } catch (e) {
        show_error(e);
    }
}

const COMPARE_CLASSES = ['import', 'pv', 'ev', 'ess', 'base-load'];

async function compare(ids) {
    set_state('loading');
    try {
        const runs = await Promise.all(ids.map((id) => results.run(id)));
        const a = runs[0];
        history.replaceState(null, '', `#compare=${ids.join(',')}`);
        $('tabs').hidden = false;
        $('tab-compare').hidden = false;
        show_view('compare');
        $('compare-meta').textContent = runs.map((r, i) => `${LETTERS[i]} = ${r.id} (${r.scenario}, ${r.strategy}, seed ${r.seed})`).join(' · ');
        compare_table($('compare-table'), runs);
        // Each run over A's horizon: a run that has nothing there is left out of the chart, said so.
        const window = { from_ms: a.start_ms, to_ms: a.data_end_ms };
        const [limits, ...powers] = await Promise.all([results.view(a.id, 'limits', window),
            ...runs.map((r) => (r.start_ms < window.to_ms && r.data_end_ms > window.from_ms
                ? results.view(r.id, 'power', { ...window, points: 400 }) : null))]);
        const series = runs.flatMap((r, i) => (powers[i] ? power_series(powers[i], [{ key: 'grid_kw', id: `compare-${LETTERS[i].toLowerCase()}`,
            label: `${LETTERS[i]} ${r.id} grid import`, cls: COMPARE_CLASSES[i] }]) : []));
        // Drawn in reverse of the list: A first, each later run over it.
        const chart = series_chart({ prefix: 'compare', window: powers[0], series: [...series].reverse(), limits, clock: new SiteClock(a.timezone),
            label: `Grid import of runs ${ids.join(', ')}` });
        $('compare-chart').replaceChildren(chart.svg);
        const missing = runs.filter((r, i) => !powers[i]).map((r) => r.id);
        $('compare-legend').replaceChildren(...series.map((s) => legend_item(s.cls, s.label)),
            ...(missing.length ? [h('li', {}, `no data over A's horizon: ${missing.join(', ')}`)] : []));
        set_state('ready');
    } catch (e) {
        show_error(e);
    }
}

$('token').value = token.get();
$('token').addEventListener('change', () => {
    token.set($('token').value.trim());
    load_runs();
});
$('token-forget').addEventListener('click', () => {
    token.set('');
    $('token').value = '';
});
$('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    load_runs();
});
$('compare-button').addEventListener('click', () => compare([...selected]));
$('more-runs').addEventListener('click', () => load_runs(true));
for (const button of $('tabs').querySelectorAll('button')) button.addEventListener('click', () => show_view(button.dataset.view));

check_server();
await load_runs();
const hash = new URLSearchParams(location.hash.slice(1));
if (hash.get('run')) await open_run(hash.get('run'));
else if (hash.get('compare')) await compare(hash.get('compare').split(','));
