// The site's power over the plan: grid import, EV charging, PV, base load and ESS of the plan, the
// baseline's import for comparison, and the grid capacity as a line the import must stay under.
// Values are averages over each step, so they are drawn as steps, not as slopes between samples.
import { el, fixed, nice_ticks, px, time_ticks, title } from './svg.js';

const W = 920, H = 330, LEFT = 56, RIGHT = 64, TOP = 14, BOTTOM = 46, STRIP = 8;

// Each step's [start, end) in seconds from the plan's start: steps may differ in length (`steps_s`;
// a plan stored before steps could differ has `step_s` alone).
export function step_spans(response) {
    const t = response.plan.site_profile.t_s;
    return t.map((s, i) => [s, s + (response.steps_s?.[i] ?? response.step_s)]);
}

export const SERIES = [
    { key: 'import_kw', id: 'chart-import', label: 'Grid import (plan)', cls: 'import' },
    { key: 'ev_kw', id: 'chart-ev', label: 'EV charging (plan)', cls: 'ev' },
    { key: 'pv_kw', id: 'chart-pv', label: 'PV', cls: 'pv', optional: true },
    { key: 'base_load_kw', id: 'chart-base-load', label: 'Base load', cls: 'base-load', optional: true },
    { key: 'ess_kw', id: 'chart-ess', label: 'ESS (+ charging)', cls: 'ess', optional: true },
];

// response: the POST /v1/plans answer; clock: a SiteClock. Returns {svg, legend: [{label, cls}]}.
export function power_chart(response, clock) {
    const plan = response.plan.site_profile;
    const base = response.baseline.site_profile;
    const spans = step_spans(response);
    const span = spans.length ? spans[spans.length - 1][1] : 0;
    const capacity = response.capacity_kw;

    const shown = SERIES.filter((s) => Array.isArray(plan[s.key]) && (!s.optional || plan[s.key].some((v) => v !== 0)));
    const all = [...shown.flatMap((s) => plan[s.key]), ...(base.import_kw ?? [])];
    const lo = Math.min(0, ...all);
    const hi = Math.max(capacity, ...all) * 1.08;
    const x = (s) => LEFT + ((W - LEFT - RIGHT) * s) / span;
    const y = (v) => TOP + ((H - TOP - BOTTOM) * (hi - v)) / (hi - lo);

    const svg = el('svg', {
        viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'power',
        'aria-label': `Site power over the plan, against the ${fixed(capacity, 0)} kW grid capacity`,
    });
    const grid = el('g', { class: 'grid' });
    for (const v of nice_ticks(lo, hi, 6)) {
        grid.append(el('line', { x1: LEFT, x2: W - RIGHT, y1: px(y(v)), y2: px(y(v)) }),
            el('text', { x: LEFT - 6, y: px(y(v)) + 4, class: 'tick', 'text-anchor': 'end' }, fixed(v, 0)));
    }
    for (const s of time_ticks(clock, response.start, span)) {
        grid.append(el('line', { x1: px(x(s)), x2: px(x(s)), y1: TOP, y2: H - BOTTOM, class: 'vertical' }),
            el('text', { x: px(x(s)), y: H - BOTTOM + STRIP + 16, class: 'tick', 'text-anchor': 'middle' },
                clock.after(response.start, s, span > 86400 && s % 86400 === 0)));
    }
    grid.append(el('text', { x: 14, y: TOP + (H - TOP - BOTTOM) / 2, class: 'axis-title',
        transform: `rotate(-90 14 ${TOP + (H - TOP - BOTTOM) / 2})`, 'text-anchor': 'middle' }, 'kW'));
    svg.append(grid, price_strip(plan.price, spans, x, response.currency));
    if (lo < 0) svg.append(el('line', { x1: LEFT, x2: W - RIGHT, y1: px(y(0)), y2: px(y(0)), class: 'zero' }));

    if (base.import_kw) svg.append(step_path(base.import_kw, spans, x, y, 'chart-baseline-import', 'baseline'));
    for (const s of [...shown].reverse()) svg.append(step_path(plan[s.key], spans, x, y, s.id, s.cls));

    const cy = px(y(capacity));
    svg.append(el('line', { id: 'capacity-line', x1: LEFT, x2: W - RIGHT, y1: cy, y2: cy, class: 'capacity',
        'data-kw': capacity }),
    el('text', { x: W - RIGHT + 6, y: cy - 2, class: 'capacity-label' }, 'capacity'),
    el('text', { x: W - RIGHT + 6, y: cy + 11, class: 'capacity-label' }, `${fixed(capacity, 0)} kW`));
    svg.append(hover_targets(response, spans, clock, shown, x));

    const legend = [...shown.map((s) => ({ label: s.label, cls: s.cls })),
        { label: `Grid import (baseline, ${response.baseline.strategy})`, cls: 'baseline' },
        { label: 'Grid capacity', cls: 'capacity' }];
    if (plan.price) legend.push({ label: `Price (darker = dearer)`, cls: 'price' });
    return { svg, legend };
}

function step_path(values, spans, x, y, id, cls) {
    const d = values.map((v, i) => `${i ? 'L' : 'M'}${px(x(spans[i][0]))},${px(y(v))}L${px(x(spans[i][1]))},${px(y(v))}`).join('');
    return el('path', { id, d, class: `series ${cls}`, 'data-series': cls });
}

// The price of each step as a strip under the plot: dearer steps darker.
function price_strip(price, spans, x, currency) {
    const g = el('g', { class: 'price-strip' });
    if (!price?.length) return g;
    const lo = Math.min(...price), hi = Math.max(...price);
    price.forEach((p, i) => {
        const share = hi > lo ? (p - lo) / (hi - lo) : 0.5;
        g.append(el('rect', {
            x: px(x(spans[i][0])), width: px(x(spans[i][1]) - x(spans[i][0])), y: H - BOTTOM + 2, height: STRIP,
            'fill-opacity': px(0.15 + 0.75 * share),
        }, title(`${fixed(p, 3)} ${currency}/kWh`)));
    });
    return g;
}

// One transparent column per step whose tooltip gives every value of that step.
function hover_targets(response, spans, clock, shown, x) {
    const plan = response.plan.site_profile;
    const g = el('g', { class: 'hover' });
    spans.forEach(([s, end], i) => {
        const lines = [`${clock.after(response.start, s)}–${clock.after(response.start, end, false)}`,
            ...shown.map((series) => `${series.label}: ${fixed(plan[series.key][i])} kW`),
            `Grid import (baseline): ${fixed(response.baseline.site_profile.import_kw?.[i])} kW`];
        if (plan.price) lines.push(`Price: ${fixed(plan.price[i], 3)} ${response.currency}/kWh`);
        g.append(el('rect', { x: px(x(s)), width: px(x(end) - x(s)), y: TOP, height: H - TOP - BOTTOM },
            title(lines.join('\n'))));
    });
    return g;
}
