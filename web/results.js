// The answer's tables and words: the recommendation, the KPIs of the plan against the baseline, and
// what each vehicle asked for and got.
import { h } from './dom.js';
import { step_spans } from './power_chart.js';
import { el, fixed, px, title } from './svg.js';

// lower/higher: which way is better, so the better run of each KPI can be marked (none: neither
// is); an optional KPI's row is left out when the server gives no value for it, a sparse one when
// both runs have none of it.
// The misses (`misses.grid`, what a plan whose site could not keep its limits went over them by) are
// shown only when a run has one.
const KPIS = [
    { key: 'cost', label: 'Total cost', unit: 'money', better: 'lower' },
    { key: 'energy_cost', label: 'Energy cost', unit: 'money', better: 'lower' },
    { key: 'demand_charge', label: 'Demand charge', unit: 'money', better: 'lower' },
    { key: 'export_revenue', label: 'Export revenue', unit: 'money', better: 'higher', optional: true },
    { key: 'curtailment_cost', label: 'PV curtailment cost', unit: 'money', better: 'lower', sparse: true },
    { key: 'ess_end_value', label: 'Value stored in the ESS', unit: 'money', better: 'higher', sparse: true },
    { key: 'ess_end_soc', label: 'ESS state of charge at the end', unit: '', digits: 3, optional: true },
    { key: 'energy_kwh', label: 'Energy delivered', unit: 'kWh', better: 'higher' },
    { key: 'peak_kw', label: 'Peak import', unit: 'kW', better: 'lower' },
    { key: 'unmet_kwh', label: 'Unmet energy', unit: 'kWh', better: 'lower' },
    { key: 'requests_met_pct', label: 'Requests met', unit: '%', better: 'higher', digits: 1 },
    { key: 'violations', label: 'Limit violations', unit: '', better: 'lower', digits: 0 },
    { key: 'import_overshoot_kwh', label: 'Over the import limit', unit: 'kWh', better: 'lower', miss: true },
    { key: 'max_import_overshoot_kw', label: 'Most over the import limit', unit: 'kW', better: 'lower', miss: true },
    { key: 'export_overshoot_kwh', label: 'Over the export limit', unit: 'kWh', better: 'lower', miss: true },
    { key: 'pv_curtailed_kwh', label: 'PV curtailed', unit: 'kWh', better: 'lower', miss: true },
];

const value_of = (result, kpi) => (kpi.miss ? result.misses?.grid?.[kpi.key] : result.kpis?.[kpi.key]);


function money(value, currency) {
    if (value === null || value === undefined) return '–';
    try {
        return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(value);
    } catch {
        return `${fixed(value, 2)} ${currency}`;  // not an ISO 4217 code
    }
}

function kpi_text(kpi, value, currency) {
    if (kpi.unit === 'money') return money(value, currency);
    const digits = kpi.digits ?? 1;
    return kpi.unit ? `${fixed(value, digits)} ${kpi.unit}` : fixed(value, digits);
}

// The server's reason is a clause ("the plan saves ..."); shown alone, it reads as a sentence.
function sentence(text) {
    const t = text.trim();
    if (!t) return t;
    return t[0].toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.');
}

export function recommendation(box, response) {
    const { use, strategy, reason, saving } = response.recommendation;
    const chosen = use === 'plan' ? response.plan.strategy : response.baseline.strategy;
    box.dataset.use = use;
    box.className = `recommendation use-${use}`;
    const head = use === 'plan' ? `Use the plan (${strategy ?? chosen})` : `Keep the baseline (${chosen})`;
    const parts = [h('strong', { class: 'verdict' }, head), h('span', { class: 'reason' }, sentence(reason ?? ''))];
    if (typeof saving === 'number') {
        let text = `The plan would cost ${money(-saving, response.currency)} more than the baseline.`;
        if (saving >= 0 && use === 'plan') text = `Saves ${money(saving, response.currency)} against the baseline.`;
        else if (saving > 0) text = `The plan would cost ${money(saving, response.currency)} less, but does not serve as well.`;
        parts.push(h('span', { class: 'saving', 'data-saving': saving }, text));
    }
    if (response.plan.fallback) {
        parts.push(h('span', { class: 'fallback' },
            `The ${strategy ?? 'planning'} strategy failed (${response.plan.fallback}); the baseline's schedule stands in for it.`));
    }
    box.replaceChildren(...parts);
}

export function kpi_table(table, response) {
    const { plan, baseline, currency } = response;
    const head = h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'KPI'),
        h('th', { scope: 'col', class: 'num' }, `Plan (${plan.strategy})`),
        h('th', { scope: 'col', class: 'num' }, `Baseline (${baseline.strategy})`),
        h('th', { scope: 'col', class: 'num' }, 'Plan − baseline')));
    const body = h('tbody');
    for (const kpi of KPIS) {
        const p = value_of(plan, kpi), b = value_of(baseline, kpi);
        if (kpi.optional && typeof p !== 'number' && typeof b !== 'number') continue;
        if ((kpi.miss || kpi.sparse) && !p && !b) continue;
        const both = typeof p === 'number' && typeof b === 'number';
        const better = kpi.better && both && p !== b ? ((p < b) === (kpi.better === 'lower') ? 'plan' : 'baseline') : null;
        const cell = (run, value) => h('td', { class: `num${better === run ? ' better' : ''}`, 'data-kpi': kpi.key, 'data-run': run },
            kpi_text(kpi, value, currency), better === run ? h('span', { class: 'visually-hidden' }, ' (better)') : null);
        const diff = both ? p - b : null;
        const diff_text = diff === null ? '–' : `${diff > 0 ? '+' : diff < 0 ? '−' : '±'}${kpi_text(kpi, Math.abs(diff), currency)}`;
        body.append(h('tr', { 'data-kpi': kpi.key },
            h('th', { scope: 'row' }, kpi.label), cell('plan', p), cell('baseline', b),
            h('td', { class: 'num diff', 'data-kpi': kpi.key, 'data-run': 'difference' }, diff_text)));
    }
    table.replaceChildren(h('caption', { class: 'visually-hidden' }, 'Key figures of the plan and the baseline'), head, body);
}

export function vehicle_table(table, result, clock) {
    const vehicles = result.vehicles;
    const met = vehicles.filter((v) => v.met).length;
    const unmet = vehicles.reduce((sum, v) => sum + (v.unmet_kwh ?? 0), 0);
    const caption = h('caption', { id: 'vehicle-summary', 'data-count': vehicles.length, 'data-met': met },
        `${vehicles.length} vehicles (${result.strategy}): ${met} met in full, ${fixed(unmet)} kWh unmet`);
    const head = h('thead', {}, h('tr', {}, ...['Vehicle', 'Charger', 'Arrival', 'Departure', 'Requested kWh', 'Delivered kWh',
        'Unmet kWh', 'Status', 'Schedule periods'].map((text, i) => h('th', { scope: 'col', class: i >= 4 && i !== 7 ? 'num' : '' }, text))));
    const body = h('tbody');
    for (const v of vehicles) {
        const periods = v.charging_schedule?.chargingSchedulePeriod?.length;
        const status = v.met ? h('span', { class: 'badge ok' }, 'Met')
            : h('span', { class: 'badge bad' }, v.reason ? `Not met: ${v.reason}` : 'Not met');
        body.append(h('tr', { 'data-vehicle': v.id, class: v.met ? '' : 'unmet' },
            h('th', { scope: 'row' }, v.id), h('td', {}, v.charger ?? '–'),
            h('td', { class: 'time' }, clock.text(v.arrival)), h('td', { class: 'time' }, clock.text(v.departure)),
            h('td', { class: 'num' }, fixed(v.requested_kwh)), h('td', { class: 'num' }, fixed(v.delivered_kwh)),
            h('td', { class: 'num' }, fixed(v.unmet_kwh)), h('td', { 'data-met': v.met }, status),
            h('td', { class: 'num' }, periods === undefined ? '–' : String(periods))));
    }
    table.replaceChildren(caption, head, body);
}

export function meta_text(response, clock) {
    const minutes = Math.round(response.step_s / 60);
    const runs = [response.plan.run_id, response.baseline.run_id].filter((r) => r !== undefined && r !== null);
    return [`${response.id}`, response.site, `${clock.long(response.start)} → ${clock.long(response.end)} (${clock.zone})`,
        `${minutes}-minute steps`, runs.length ? `runs ${runs.join(' and ')} in the results database` : null]
        .filter(Boolean).join(' · ');
}

// A few warnings are listed; many (one per unmet vehicle, say) fold under a summary line.
export function warning_list(box, warnings) {
    box.hidden = warnings.length === 0;
    const items = warnings.map((w) => h('li', {}, w));
    if (warnings.length <= 3) {
        box.replaceChildren(h('ul', {}, ...items));
        return;
    }
    box.replaceChildren(h('details', {}, h('summary', {}, `${warnings.length} warnings`), h('ul', {}, ...items)));
}

// Each run's batteries (`ess`, in site.ess's order), one table per run: the energy each charged and
// discharged (grid side), its power per step as a small chart, its SoC at the end against the one
// wanted and the kWh it ended short of it (`misses.ess`), and the value it gained by the end. Returns
// whether either run has a battery (a plan stored before batteries were answered has no `ess`).
export function ess_tables(box, response) {
    const runs = [['plan', 'Plan', response.plan], ['baseline', 'Baseline', response.baseline]]
        .filter(([, , result]) => (result.ess ?? []).length);
    if (!runs.length) {
        box.replaceChildren();
        return false;
    }
    const spans = step_spans(response);
    box.replaceChildren(...runs.map(([run, label, result]) => ess_table(run, label, result, spans, response.currency)));
    return true;
}

function ess_table(run, label, result, spans, currency) {
    const misses = new Map([result.misses?.ess ?? []].flat().map((m) => [m.name, m]));
    const short = [...misses.values()].filter((m) => m.short_kwh >= 0.001).length;
    const count = result.ess.length;
    const caption = h('caption', { 'data-run': run },
        `${label} (${result.strategy}): ${count} ${count === 1 ? 'battery' : 'batteries'}` +
        (misses.size ? `, ${short ? `${short} short of` : 'all at'} the state of charge wanted` : ''));
    const head = h('thead', {}, h('tr', {}, ...['Battery', 'Charged kWh', 'Discharged kWh', 'Power per step', 'SoC at the end',
        'SoC wanted', 'Short of it', 'Value at the end'].map((text, i) => h('th', { scope: 'col', class: i && i !== 3 && i !== 6 ? 'num' : '' }, text))));
    const body = h('tbody');
    for (const battery of result.ess) {
        let charged = 0, discharged = 0;
        battery.power_kw.forEach((kw, k) => {
            const hours = spans[k] ? (spans[k][1] - spans[k][0]) / 3600 : 0;
            if (kw > 0) charged += kw * hours;
            else discharged -= kw * hours;
        });
        const miss = misses.get(battery.name);
        const missed = miss && miss.short_kwh >= 0.001;
        const status = !miss ? '–'
            : missed ? h('span', { class: 'badge bad' }, `${fixed(miss.short_kwh)} kWh short`)
                : h('span', { class: 'badge ok' }, 'Reached');
        body.append(h('tr', { 'data-battery': battery.name, 'data-run': run, class: missed ? 'unmet' : '' },
            h('th', { scope: 'row' }, battery.name),
            h('td', { class: 'num', 'data-key': 'charged_kwh' }, fixed(charged)),
            h('td', { class: 'num', 'data-key': 'discharged_kwh' }, fixed(discharged)),
            h('td', { class: 'spark' }, sparkline(battery, spans)),
            h('td', { class: 'num', 'data-key': 'end_soc', 'data-value': battery.end_soc }, fixed(battery.end_soc, 3)),
            h('td', { class: 'num', 'data-key': 'end_soc_wanted' }, miss ? fixed(miss.end_soc_wanted, 3) : '–'),
            h('td', { 'data-key': 'short_kwh', 'data-value': miss?.short_kwh ?? '' }, status),
            h('td', { class: 'num', 'data-key': 'end_value' }, money(battery.end_value, currency))));
    }
    return h('table', { class: 'ess-table', 'data-run': run }, caption, head, body);
}

// A battery's power per step, over the plan's time (steps may differ in length): charging above the
// zero line, discharging below it.
function sparkline(battery, spans) {
    const W = 160, H = 30, pad = 2;
    const end = spans.length ? spans.at(-1)[1] : 1;
    const top = Math.max(1e-9, ...battery.power_kw.map(Math.abs));
    const x = (t) => px((W * t) / end);
    const y = (kw) => px(H / 2 - ((H / 2 - pad) * kw) / top);
    const most_in = Math.max(0, ...battery.power_kw), most_out = Math.max(0, ...battery.power_kw.map((kw) => -kw));
    const text = `${battery.name}: charging up to ${fixed(most_in)} kW, discharging up to ${fixed(most_out)} kW`;
    const d = battery.power_kw.map((kw, k) => spans[k] ? `${k ? 'L' : 'M'}${x(spans[k][0])},${y(kw)}L${x(spans[k][1])},${y(kw)}` : '').join('');
    return el('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'ess-spark', role: 'img', 'aria-label': text },
        title(text), el('line', { x1: 0, x2: W, y1: H / 2, y2: H / 2, class: 'zero' }), el('path', { d, class: 'ess-power' }));
}
