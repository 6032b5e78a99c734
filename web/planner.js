// The planner page: wires the form, the API and the result views together. The page's state is kept
// in body[data-state] (idle, planning, done, error) so that a person's assistive technology and the
// headless test can both tell when a plan is shown.
import { api, ApiError, token } from './api.js';
import { vehicles_from_csv } from './csv.js';
import { ErrorList, field_for } from './errors.js';
import { example_request } from './example.js';
import { PlanForm } from './form.js';
import { heatmap } from './heatmap.js';
import { check_server } from './page_status.js';
import { power_chart } from './power_chart.js';
import { ess_tables, kpi_table, meta_text, recommendation, vehicle_table, warning_list } from './results.js';
import { SiteClock } from './times.js';

const $ = (id) => document.getElementById(id);
const form_element = $('plan-form');
const form = new PlanForm(form_element);
const errors = new ErrorList($('form-errors'), form_element);
let shown = null;  // the response on screen

function set_state(state, status = '') {
    document.body.dataset.state = state;
    $('plan-status').textContent = status;
}

// ---- access ------------------------------------------------------------------------------------

async function load_strategies() {
    if (!token.get()) {
        $('token-help').textContent = 'Enter the server\'s token to plan. The server prints where its token file is.';
        return;
    }
    try {
        const { strategies } = await api.strategies();
        for (const select of [$('strategy'), $('baseline')]) {
            const current = select.value;
            select.replaceChildren(...strategies.map((s) => new Option(`${s.name} ${s.version ?? ''}`.trim(), s.name)));
            if (!strategies.some((s) => s.name === current)) select.add(new Option(current, current));
            select.value = current;
        }
    } catch (e) {
        // The form still works with the defaults; a wrong token shows on submit, next to its field.
        if (e instanceof ApiError && e.status === 401) $('token-help').textContent = 'Enter the server\'s token to plan.';
    }
}

$('token').value = token.get();
$('token').addEventListener('change', () => {
    token.set($('token').value.trim());
    $('token-help').textContent = 'Kept in this browser only.';
    load_strategies();
});
$('token-show').addEventListener('click', () => {
    const show = $('token').type === 'password';
    $('token').type = show ? 'text' : 'password';
    $('token-show').textContent = show ? 'Hide' : 'Show';
    $('token-show').setAttribute('aria-pressed', String(show));
});
$('token-forget').addEventListener('click', () => {
    token.set('');
    $('token').value = '';
});

// ---- filling the form --------------------------------------------------------------------------

$('load-example').addEventListener('click', () => {
    errors.clear();
    form.fill(example_request());
    set_state('idle', 'Example loaded: 40 vehicles. Plan charging when ready.');
});
$('vehicle-add').addEventListener('click', () => form.vehicles.add({}).querySelector('input').focus());
$('vehicle-clear').addEventListener('click', () => form.vehicles.clear());

$('vehicles-csv').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';  // the same file may be chosen again after a fix
    if (!file) return;
    errors.clear();
    try {
        const rows = vehicles_from_csv(await file.text());
        form.vehicles.set(rows);
        $('csv-status').textContent = `${rows.length} vehicles loaded from ${file.name}`;
        $('csv-status').dataset.ok = 'true';
    } catch (error) {
        $('csv-status').textContent = `${file.name} not loaded`;
        $('csv-status').dataset.ok = 'false';
        errors.show(`${file.name} was not loaded: the table is unchanged.`, [{ element: null, message: error.message }]);
    }
});

$('pv-file').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    // A column of numbers, possibly under a header: keep the numbers, whatever separates them.
    const words = (await file.text()).split(/[\s,;]+/).filter((w) => w !== '' && Number.isFinite(Number(w)));
    $('pv-forecast').value = words.join(' ');
});

for (const id of Intl.supportedValuesOf?.('timeZone') ?? []) $('timezones').append(new Option(id));

// ---- planning ----------------------------------------------------------------------------------

form_element.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.clear();
    let request;
    try {
        request = form.request();
    } catch (problems) {
        if (!Array.isArray(problems)) throw problems;
        set_state('error', '');
        errors.show('Check these fields before planning:', problems.map((p) => ({ element: p.element, message: p.message })));
        return;
    }
    const began = Date.now();
    $('results').dataset.stale = 'true';  // what is shown no longer answers the form
    set_state('planning', 'Planning…');
    $('submit').disabled = true;
    const timer = setInterval(() => {
        $('plan-status').textContent = `Planning… ${Math.round((Date.now() - began) / 1000)} s`;
    }, 1000);
    try {
        const response = await api.plan(request);
        history.replaceState(null, '', `#plan=${encodeURIComponent(response.id)}`);
        show(response);
        set_state('done', `Planned in ${((Date.now() - began) / 1000).toFixed(1)} s.`);
    } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        set_state('error', '');
        show_api_error(error);
    } finally {
        clearInterval(timer);
        $('submit').disabled = false;
    }
});

function show_api_error(error) {
    const element = error.status === 401 ? $('token') : error.path ? field_for(form_element, error.path) : null;
    const titles = {
        0: 'The server could not be reached:', 400: 'The server could not read the request (400):',
        401: 'The server refused the token (401):', 413: 'The request is too large for the server (413):',
        422: 'The server refused the plan (422):',
    };
    errors.show(titles[error.status] ?? `The server answered ${error.status}:`, [{ element, message: error.message, path: error.path }]);
}

// ---- results -----------------------------------------------------------------------------------

function show(response) {
    shown = response;
    const clock = new SiteClock(response.timezone);
    const results = $('results');
    results.hidden = false;
    results.dataset.planId = response.id;
    delete results.dataset.stale;
    $('results-title').textContent = `Plan for ${response.site}`;
    $('result-meta').textContent = meta_text(response, clock);
    recommendation($('recommendation'), response);
    warning_list($('warnings'), response.warnings ?? []);
    kpi_table($('kpi-table'), response);
    $('ess-results-card').hidden = !ess_tables($('ess-results'), response);

    const { svg, legend } = power_chart(response, clock);
    $('power-chart').replaceChildren(svg);
    $('power-legend').replaceChildren(...legend.map(({ label, cls }) => {
        const li = document.createElement('li');
        li.innerHTML = `<span class="swatch ${cls}" aria-hidden="true"></span>`;
        li.append(label);
        return li;
    }));
    show_vehicles();

    const link = $('download-json');
    if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([JSON.stringify(response, null, 2)], { type: 'application/json' }));
    link.download = `${response.id}.json`;
    $('results-title').focus();
}

function show_vehicles() {
    if (!shown) return;
    const run = document.querySelector('input[name="view-run"]:checked').value;
    const clock = new SiteClock(shown.timezone);
    $('heatmap').replaceChildren(heatmap(shown[run], shown, clock));
    vehicle_table($('vehicle-results'), shown[run], clock);
    $('heatmap-title').textContent = `Charging power per vehicle (${run}, ${shown[run].strategy})`;
}
for (const radio of document.querySelectorAll('input[name="view-run"]')) radio.addEventListener('change', show_vehicles);

// A plan's address (#plan=ID) opens it again, from the server's store.
async function open_from_address() {
    const id = new URLSearchParams(location.hash.slice(1)).get('plan');
    if (!id || !token.get()) return;
    try {
        show(await api.get_plan(id));
        set_state('done', '');
    } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        show_api_error(error);
    }
}

set_state('idle');
check_server();
load_strategies();
open_from_address();
