// The stations of a run over one date of the site's calendar: each charger's energy charged from
// and discharged into the grid (the per-station V2G view) and its power over the day as a small
// chart, charging above the line and discharging below it.
import { results } from './api.js';
import { colour } from './heatmap.js';
import { el, fixed, px } from './svg.js';
import { local_date } from './local_days.js';
import { h } from './dom.js';

const SPARK_W = 240, SPARK_H = 34;

function sparkline(station, answer) {
    const n = answer.t_ms.length;
    const max = Math.max(1e-9, station.max_kw);
    const svg = el('svg', { viewBox: `0 0 ${SPARK_W} ${SPARK_H}`, class: 'spark', role: 'img',
        'aria-label': `${station.name}: power over the day, up to ${fixed(max)} kW` });
    const mid = SPARK_H / 2;
    svg.append(el('line', { x1: 0, x2: SPARK_W, y1: mid, y2: mid, class: 'zero' }));
    station.kw.forEach((kw, i) => {
        if (kw === null || Math.abs(kw) < 1e-6) return;
        const height = Math.min(mid, (Math.abs(kw) / max) * mid);
        svg.append(el('rect', { x: px((i * SPARK_W) / n), width: px(SPARK_W / n + 0.2), y: px(kw > 0 ? mid - height : mid),
            height: px(height), fill: colour(kw, max) }));
    });
    return svg;
}

export class Stations {
    constructor($) {
        this.$ = $;
        $('stations-date').addEventListener('change', () => this.load());
    }

    async open(run, clock) {
        this.run = run;
        this.clock = clock;
        const $ = this.$;
        const end = run.data_end_ms;
        $('stations-date').min = local_date(clock, run.start_ms);
        $('stations-date').max = local_date(clock, end - 1);
        $('stations-date').value = $('stations-date').min;
        $('stations-meta').textContent = `${run.id} · ${run.strategy} · energies at the chargers' grid side, ${clock.zone}`;
        await this.load();
    }

    async load() {
        const $ = this.$;
        const id = this.run.id;
        $('stations-status').textContent = 'Loading…';
        try {
            const answer = await results.view(id, 'stations', { date: $('stations-date').value, points: 96 });
            if (this.run.id !== id) return;
            this.draw(answer);
            $('stations-status').textContent = `${answer.stations.length} stations · ${fixed(answer.charged_kwh)} kWh charged, ` +
                `${fixed(answer.discharged_kwh)} kWh discharged`;
            $('stations-view').dataset.date = answer.date;
        } catch (e) {
            $('stations-status').textContent = e.message;
        }
    }

    draw(answer) {
        const kwh = (v) => h('td', { class: 'num', 'data-value': v }, fixed(v, 2));
        const rows = answer.stations.map((s) => h('tr', { 'data-station': s.name },
            h('th', { scope: 'row' }, s.name), h('td', {}, s.v2g ? 'V2G' : ''), h('td', { class: 'num' }, fixed(s.max_kw, 1)),
            kwh(s.charged_kwh), kwh(s.discharged_kwh), kwh(s.charged_kwh - s.discharged_kwh), h('td', {}, sparkline(s, answer))));
        const total = h('tr', { class: 'total', 'data-station': '' }, h('th', { scope: 'row' }, 'All stations'), h('td'), h('td'),
            kwh(answer.charged_kwh), kwh(answer.discharged_kwh), kwh(answer.charged_kwh - answer.discharged_kwh), h('td'));
        this.$('stations-table').replaceChildren(
            h('thead', {}, h('tr', {}, ...['Station', '', 'Max kW', 'Charged kWh', 'Discharged kWh', 'Net kWh', 'Power over the day']
                .map((t, i) => h('th', { scope: 'col', class: i >= 2 && i <= 5 ? 'num' : '' }, t)))),
            h('tbody', {}, ...rows), h('tfoot', {}, total));
    }
}
