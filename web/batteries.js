// The batteries of a run (docs/battery.md): the fleet's grades A–D, the fleet by car model and
// model year, each vehicle's state of health and score (its sub-scores and SoH history on choosing
// it), and the site's stationary battery (ESS).
import { results } from './api.js';
import { el, fixed, nice_ticks, px } from './svg.js';
import { h } from './dom.js';

const GRADES = ['A', 'B', 'C', 'D'];
const pct = (v) => (v === null || v === undefined ? '–' : `${fixed(100 * v, 1)} %`);

function grade_bar(counts) {
    const total = GRADES.reduce((n, g) => n + (counts[g] ?? 0), 0);
    const bar = h('div', { class: 'grade-bar', role: 'img', 'aria-label': GRADES.map((g) => `${counts[g] ?? 0} graded ${g}`).join(', ') });
    for (const g of GRADES) {
        const n = counts[g] ?? 0;
        if (!n) continue;
        const part = h('span', { class: `grade grade-${g}`, 'data-grade': g, 'data-count': n }, `${g} ${n}`);
        part.style.flex = String(n / Math.max(1, total));
        bar.append(part);
    }
    return bar;
}

function history_chart(points, clock) {
    const W = 460, H = 160, L = 44, R = 10, T = 8, B = 24;
    const t0 = points[0].t_ms, t1 = Math.max(points.at(-1).t_ms, t0 + 1);
    const sohs = points.map((p) => p.soh);
    const lo = Math.min(...sohs) - 0.002, hi = Math.max(...sohs) + 0.002;
    const x = (t) => L + ((W - L - R) * (t - t0)) / (t1 - t0);
    const y = (v) => T + ((H - T - B) * (hi - v)) / (hi - lo);
    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'soh-history', role: 'img', 'aria-label': 'State of health over the run' });
    for (const v of nice_ticks(lo, hi, 4)) {
        svg.append(el('line', { x1: L, x2: W - R, y1: px(y(v)), y2: px(y(v)), class: 'gridline' }),
            el('text', { x: L - 4, y: px(y(v)) + 4, 'text-anchor': 'end', class: 'tick' }, `${fixed(100 * v, 1)}`));
    }
    svg.append(el('text', { x: L, y: H - 6, class: 'tick' }, clock.format(t0, false)),
        el('text', { x: W - R, y: H - 6, class: 'tick', 'text-anchor': 'end' }, clock.format(t1, false)));
    svg.append(el('path', { class: 'soh-line', d: points.map((p, i) => `${i ? 'L' : 'M'}${px(x(p.t_ms))},${px(y(p.soh))}`).join('') }));
    return svg;
}

export class Batteries {
    constructor($) {
        this.$ = $;
    }

    async open(run, clock) {
        this.run = run;
        this.clock = clock;
        const $ = this.$;
        $('batteries-status').textContent = 'Loading…';
        try {
            const fleet = await results.view(run.id, 'batteries', {});
            if (this.run.id !== run.id) return;
            this.draw(fleet);
            $('batteries-status').textContent = `${fleet.vehicles.length} vehicles that return to the site` +
                (fleet.ess.length === 1 ? ' and the ESS' : fleet.ess.length ? ` and ${fleet.ess.length} stationary batteries` : '');
        } catch (e) {
            $('batteries-status').textContent = e.message;
        }
    }

    draw(fleet) {
        const $ = this.$;
        $('fleet-grades').replaceChildren(fleet.vehicles.length ? grade_bar(fleet.grades)
            : h('p', { class: 'help' }, 'No vehicle returns in this run: its sessions carry no vehicle id (docs/battery.md, "Vehicles that persist").'));
        const models = fleet.by_model.map((m) => h('tr', { 'data-model': `${m.model} ${m.model_year ?? ''}`.trim() },
            h('th', { scope: 'row' }, m.model || '(unknown)'), h('td', { class: 'num' }, m.model_year ?? '–'),
            h('td', { class: 'num', 'data-value': m.vehicles }, String(m.vehicles)), h('td', { class: 'num' }, pct(m.mean_soh_end)),
            h('td', { class: 'num' }, fixed(m.mean_score, 1)), h('td', {}, GRADES.map((g) => `${g} ${m.grades[g] ?? 0}`).join(' · '))));
        $('fleet-models').replaceChildren(h('thead', {}, h('tr', {}, ...['Model', 'Year', 'Vehicles', 'Mean SoH at the end', 'Mean score', 'Grades']
            .map((t, i) => h('th', { scope: 'col', class: i && i < 5 ? 'num' : '' }, t)))), h('tbody', {}, ...models));
        const rows = fleet.vehicles.map((v) => {
            const row = h('tr', { 'data-vehicle': v.vehicle, tabIndex: 0 },
                h('th', { scope: 'row' }, v.vehicle), h('td', {}, `${v.model} ${v.model_year ?? ''}`),
                h('td', { class: `grade-cell grade-${v.grade}` }, v.grade ?? '–'), h('td', { class: 'num', 'data-value': v.score ?? '' }, fixed(v.score, 1)),
                h('td', { class: 'num' }, pct(v.soh_start)), h('td', { class: 'num', 'data-value': v.soh_end }, pct(v.soh_end)),
                h('td', { class: 'num' }, pct(v.expected_soh)), h('td', { class: 'num' }, String(v.sessions)), h('td', { class: 'num' }, fixed(v.efc, 2)));
            row.addEventListener('click', () => this.show_vehicle(v));
            row.addEventListener('keydown', (e) => e.key === 'Enter' && this.show_vehicle(v));
            return row;
        });
        $('fleet-vehicles').replaceChildren(h('thead', {}, h('tr', {}, ...['Vehicle', 'Model', 'Grade', 'Score', 'SoH start', 'SoH end', 'Expected', 'Sessions', 'Cycles']
            .map((t, i) => h('th', { scope: 'col', class: i >= 3 ? 'num' : '' }, t)))), h('tbody', {}, ...rows));
        $('ess-health').replaceChildren(...(fleet.ess.length ? fleet.ess.map((e) => this.detail(e, `The site's battery ${e.model} (ESS)`))
            : [h('p', { class: 'help' }, 'No ESS on this site.')]));
        $('vehicle-health').replaceChildren();
    }

    detail(b, heading) {
        const subs = b.sub_scores.map((s) => h('li', {}, h('strong', {}, `${s.name.replaceAll('_', ' ')} ${fixed(s.score, 1)}`),
            ` (weight ${fixed(s.weight, 2)}): ${s.reason}`));
        return h('div', { class: 'battery-detail', 'data-battery': b.battery },
            h('h4', {}, heading, ' ', h('span', { class: `grade-cell grade-${b.grade}` }, b.grade ?? '–'), ` ${fixed(b.score, 1)}`),
            h('p', {}, `SoH ${pct(b.soh_start)} → ${pct(b.soh_end)} (expected for its age ${pct(b.expected_soh)}), ` +
                `${fixed(b.capacity_kwh, 1)} kWh ${b.chemistry}, ${fixed(b.efc, 2)} equivalent full cycles` +
                (b.v2g_kwh ? `, ${fixed(b.v2g_kwh, 1)} kWh given back` : '')),
            h('ul', { class: 'sub-scores' }, ...subs));
    }

    async show_vehicle(v) {
        const $ = this.$;
        const answer = await results.view(this.run.id, 'batteries', { vehicle: v.vehicle });
        const box = this.detail(v, `Vehicle ${v.vehicle}, ${v.model} ${v.model_year ?? ''}`);
        box.append(history_chart(answer.history.points, this.clock));
        box.dataset.points = String(answer.history.points.length);
        $('vehicle-health').replaceChildren(box);
    }
}
