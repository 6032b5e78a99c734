// Vehicles × time: one row per vehicle, one cell per step coloured by its charging power (blue;
// discharging orange), over a pale band from its arrival to its departure. A vehicle whose request
// is not met has its label flagged, so the rows to look at stand out.
import { step_spans } from './power_chart.js';
import { el, fixed, px, time_ticks, title } from './svg.js';

const W = 920, LEFT = 72, RIGHT = 16, TOP = 6, ROW = 13, AXIS = 22, LEGEND = 30;

const CHARGE = [[219, 232, 251], [11, 61, 145]];
const DISCHARGE = [[253, 224, 197], [179, 71, 0]];

export function colour(value, max) {
    const [from, to] = value >= 0 ? CHARGE : DISCHARGE;
    const share = Math.min(1, Math.abs(value) / max);
    return `rgb(${from.map((c, i) => Math.round(c + (to[i] - c) * share)).join(',')})`;
}

// result: the plan's or the baseline's RESULT; response: the whole answer (times, step).
export function heatmap(result, response, clock) {
    const vehicles = result.vehicles;
    const spans = step_spans(response);
    const span = spans.length ? spans[spans.length - 1][1] : 0;
    const plot_h = vehicles.length * ROW;
    const H = TOP + plot_h + AXIS + LEGEND;
    const x = (s) => LEFT + ((W - LEFT - RIGHT) * s) / span;
    const offset = (iso) => clock.seconds_between(response.start, iso);
    const max = Math.max(1e-9, ...vehicles.flatMap((v) => v.power_kw.map(Math.abs)));

    const svg = el('svg', {
        viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'heatmap',
        'aria-label': `Charging power of ${vehicles.length} vehicles over the plan (${result.strategy})`,
    });
    const grid = el('g', { class: 'grid' });
    for (const s of time_ticks(clock, response.start, span)) {
        grid.append(el('line', { x1: px(x(s)), x2: px(x(s)), y1: TOP, y2: TOP + plot_h, class: 'vertical' }),
            el('text', { x: px(x(s)), y: TOP + plot_h + 15, class: 'tick', 'text-anchor': 'middle' },
                clock.after(response.start, s, span > 86400 && s % 86400 === 0)));
    }
    svg.append(grid);

    vehicles.forEach((v, r) => {
        const y = TOP + r * ROW;
        const row = el('g', { class: `heat-row${v.met ? '' : ' unmet'}`, 'data-vehicle': v.id });
        const a = Math.max(0, offset(v.arrival)), d = Math.min(span, offset(v.departure));
        if (d > a) row.append(el('rect', { class: 'window', x: px(x(a)), width: px(x(d) - x(a)), y: y + 1, height: ROW - 2 }));
        v.power_kw.forEach((p, i) => {
            if (Math.abs(p) < 1e-6) return;
            row.append(el('rect', {
                x: px(x(spans[i][0])), width: px(x(spans[i][1]) - x(spans[i][0])) + 0.3, y: y + 1, height: ROW - 2,
                fill: colour(p, max),
            }, title(`${v.id} · ${clock.after(response.start, spans[i][0])}: ${fixed(p)} kW`)));
        });
        const label = el('text', { x: LEFT - 6, y: y + ROW - 3, class: 'row-label', 'text-anchor': 'end' },
            `${v.met ? '' : '⚠ '}${v.id}`);
        label.append(title(`${v.id}: ${fixed(v.delivered_kwh)} of ${fixed(v.requested_kwh)} kWh` +
            (v.met ? '' : ` — not met${v.reason ? `: ${v.reason}` : ''}`)));
        row.prepend(label);
        svg.append(row);
    });
    svg.append(legend(TOP + plot_h + AXIS + 4, max, vehicles.some((v) => v.power_kw.some((p) => p < -1e-6))));
    return svg;
}

function legend(y, max, discharges) {
    const g = el('g', { class: 'heat-legend' });
    const id = 'heat-gradient';
    const gradient = el('linearGradient', { id },
        el('stop', { offset: '0', 'stop-color': colour(0, 1) }), el('stop', { offset: '1', 'stop-color': colour(1, 1) }));
    g.append(el('defs', {}, gradient),
        el('rect', { x: LEFT, y, width: 160, height: 10, fill: `url(#${id})` }),
        el('text', { x: LEFT - 6, y: y + 9, class: 'tick', 'text-anchor': 'end' }, '0 kW'),
        el('text', { x: LEFT + 166, y: y + 9, class: 'tick' }, `${fixed(max)} kW charging`),
        el('rect', { x: LEFT + 300, y, width: 22, height: 10, class: 'window' }),
        el('text', { x: LEFT + 328, y: y + 9, class: 'tick' }, 'plugged in'));
    if (discharges) {
        g.append(el('rect', { x: LEFT + 420, y, width: 22, height: 10, fill: colour(-1, 1) }),
            el('text', { x: LEFT + 448, y: y + 9, class: 'tick' }, 'discharging (V2G)'));
    }
    return g;
}
