// The runs list with its main KPIs, every KPI of one run, and two runs' KPIs side by side with their
// differences. Cells carry the server's number in data-value, so what is shown can be checked
// against the database.
import { h } from './dom.js';
import { fixed } from './svg.js';

// The KPIs the runs list shows, and which way is better, so the better run can be marked.
export const MAIN_KPIS = [
    { key: 'energy_cost', label: 'Energy cost', better: 'lower' },
    { key: 'demand_charge', label: 'Demand charge', better: 'lower' },
    { key: 'cpo_profit', label: 'CPO profit', better: 'higher' },
    { key: 'energy_delivered', label: 'Delivered', better: 'higher' },
    { key: 'energy_served', label: 'Served', better: 'higher' },
    { key: 'unmet_energy', label: 'Unmet', better: 'lower' },
    { key: 'peak_import', label: 'Peak import', better: 'lower' },
    { key: 'limit_violations', label: 'Violations', better: 'lower' },
];

const BETTER = {
    ...Object.fromEntries(MAIN_KPIS.map((k) => [k.key, k.better])),
    grid_import: 'lower', export_revenue: 'higher', charging_revenue: 'higher', v2g_revenue: 'lower',
    sessions_fully_served: 'higher', user_satisfaction: 'higher', pv_self_consumption: 'higher',
    pv_curtailed: 'lower', clipped_energy: 'lower', ev_degradation_cost: 'lower', ess_degradation_cost: 'lower',
    sessions_rejected: 'lower', ev_fade: 'lower', ess_fade: 'lower',
};


export const legend_item = (cls, label) => h('li', {}, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), label);

// show_unit false: the unit only chooses the digits (the column's head names it).
export function value_text(value, unit, show_unit = true) {
    if (value === null || value === undefined) return '–';
    const digits = unit === 'count' ? 0 : Math.abs(value) >= 1000 ? 0 : unit === 'cycles' ? 3 : 2;
    return `${fixed(value, digits)}${unit && show_unit ? ` ${unit}` : ''}`;
}

function kpi_cell(value, unit, extra = {}, show_unit = true) {
    return h('td', { class: 'num', 'data-value': value ?? '', ...extra }, value_text(value, unit, show_unit));
}

// runs: the /runs answer's runs; selected: a Set of ids; on: {open(id), toggle(id, checked)}.
export function runs_table(table, answer, selected, on) {
    const head = h('tr', {}, h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Compare')),
        ...['Run', 'Scenario', 'Strategy', 'Seed', 'Status'].map((t) => h('th', { scope: 'col' }, t)),
        ...MAIN_KPIS.map((k) => h('th', { scope: 'col', class: 'num' }, k.label,
            h('span', { class: 'unit' }, answer.kpi_units[k.key] ? ` (${answer.kpi_units[k.key]})` : ''))));
    const rows = answer.runs.map((run) => {
        const box = h('input', { type: 'checkbox', checked: selected.has(run.id), 'aria-label': `Compare run ${run.id}` });
        box.addEventListener('change', () => on.toggle(run.id, box.checked));
        const open = h('button', { type: 'button', class: 'link', 'data-run': run.id }, run.id);
        open.addEventListener('click', () => on.open(run.id));
        const strategy = run.strategy + (run.strategy_options ? ` (${run.strategy_options})` : '');
        return h('tr', { 'data-run': run.id },
            h('td', {}, box), h('td', {}, open), h('td', {}, run.scenario), h('td', {}, strategy),
            h('td', { class: 'num' }, String(run.seed)), h('td', { class: `status-${run.status}` }, run.status),
            ...MAIN_KPIS.map((k) => kpi_cell(run.kpis[k.key] ?? null, answer.kpi_units[k.key], { 'data-kpi': k.key }, false)));
    });
    table.replaceChildren(h('thead', {}, head), h('tbody', {}, ...rows));
}

// Every KPI of one run (the /runs/{id} answer's kpi_list).
export function all_kpis_table(table, run) {
    const rows = run.kpi_list.map((k) => h('tr', { 'data-kpi': k.name },
        h('th', { scope: 'row' }, k.name.replaceAll('_', ' ')),
        kpi_cell(k.value, k.unit, { 'data-kpi': k.name }),
        h('td', { class: 'note' }, k.reproducible ? '' : 'wall clock')));
    table.replaceChildren(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'KPI'), h('th', { scope: 'col', class: 'num' }, 'Value'),
        h('th', {}, ''))), h('tbody', {}, ...rows));
}

export const LETTERS = 'ABCDE';

// Runs' KPIs side by side (the /runs/{id} answers, A first): each other run's value, its difference
// from A and that difference's share of A; of A and each other run, the better marked.
export function compare_table(table, runs) {
    const [a, ...others] = runs;
    const by_name = others.map((r) => Object.fromEntries(r.kpi_list.map((k) => [k.name, k])));
    const rows = a.kpi_list.filter((k) => k.reproducible && by_name.every((m) => m[k.name])).map((k) => {
        const better = BETTER[k.name];
        const cells = [];
        let a_better = false;
        by_name.forEach((m) => {
            const other = m[k.name];
            const delta = k.value !== null && other.value !== null ? other.value - k.value : null;
            const share = delta !== null && k.value ? (100 * delta) / Math.abs(k.value) : null;
            let mark = '';
            if (better && delta !== null && Math.abs(delta) > 1e-9) mark = (better === 'lower') === (delta < 0) ? 'other' : 'a';
            a_better ||= mark === 'a';
            cells.push(kpi_cell(other.value, k.unit, { class: `num${mark === 'other' ? ' better' : ''}` }),
                h('td', { class: 'num delta', 'data-value': delta ?? '' }, delta === null ? '–' : `${delta > 0 ? '+' : ''}${value_text(delta, k.unit)}`),
                h('td', { class: 'num' }, share === null ? '' : `${share > 0 ? '+' : ''}${fixed(share, Math.abs(share) < 1 ? 2 : 1)} %`));
        });
        return h('tr', { 'data-kpi': k.name }, h('th', { scope: 'row' }, k.name.replaceAll('_', ' ')),
            kpi_cell(k.value, k.unit, { class: `num${a_better && others.length === 1 ? ' better' : ''}` }), ...cells);
    });
    const head = [h('th', { scope: 'col' }, 'KPI'), h('th', { scope: 'col', class: 'num' }, `A: ${a.id} ${a.strategy}`)];
    others.forEach((r, i) => head.push(h('th', { scope: 'col', class: 'num' }, `${LETTERS[i + 1]}: ${r.id} ${r.strategy}`),
        h('th', { scope: 'col', class: 'num' }, `${LETTERS[i + 1]} − A`), h('th', { scope: 'col', class: 'num' }, '%')));
    table.replaceChildren(h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...rows));
}

// A filter's choices: the values of every run the server has (the server lists them whatever the
// filters), the current choice kept.
export function fill_filters(select, values) {
    const current = select.value;
    const options = [...values].sort();
    select.replaceChildren(new Option('any', ''), ...options.map((v) => new Option(v, v)));
    select.value = options.includes(current) ? current : '';
}
