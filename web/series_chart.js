// A run's power over a window, as the results routes answer it: each series a step line over its
// buckets (a bucket's value is its average), the grid's import and export limits as lines, the
// tariff's import price as a strip under the time axis (darker = dearer), limit changes as marks,
// and a cursor the replay moves. Times are labelled in the site's local time.
import { add_days, add_months, local_date, local_midnight } from './local_days.js';
import { el, fixed, nice_ticks, px, time_ticks, title } from './svg.js';

const W = 920, H = 320, LEFT = 56, RIGHT = 70, TOP = 16, BOTTOM = 46, STRIP = 8;

const iso = (ms) => new Date(ms).toISOString();

// window: {from_ms, to_ms}; series: [{id, label, cls, t_ms, bucket_ms, values}];
// limits: the /limits answer (or null); clock: a SiteClock.
// prefix: the ids' prefix, unique on the page (several charts may be in it); marks: events to mark
// on the time axis ([{t_ms, kind, text}]); on_pick(ms), when given, is called with the instant under
// a click on the plot.
export function series_chart({ prefix, window, series, limits, clock, label, marks = [], on_pick }) {
    const { from_ms, to_ms } = window;
    const span_s = (to_ms - from_ms) / 1000;
    const values = series.flatMap((s) => s.values.filter((v) => v !== null));
    const import_kw = limits?.grid_import_kw ?? null;
    const export_kw = limits?.grid_export_kw ?? null;
    const lo = Math.min(0, ...values, ...(export_kw !== null && values.some((v) => v < 0) ? [-export_kw] : []));
    const hi = Math.max(1, ...values, ...(import_kw !== null ? [import_kw] : [])) * 1.08;
    const x = (ms) => LEFT + ((W - LEFT - RIGHT) * (ms - from_ms)) / (to_ms - from_ms);
    const y = (v) => TOP + ((H - TOP - BOTTOM) * (hi - v)) / (hi - lo);

    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'power', 'aria-label': label });
    const grid = el('g', { class: 'grid' });
    for (const v of nice_ticks(lo, hi, 6)) {
        grid.append(el('line', { x1: LEFT, x2: W - RIGHT, y1: px(y(v)), y2: px(y(v)) }),
            el('text', { x: LEFT - 6, y: px(y(v)) + 4, class: 'tick', 'text-anchor': 'end' }, fixed(v, 0)));
    }
    for (const { at, text } of window_ticks(clock, from_ms, to_ms)) {
        grid.append(el('line', { x1: px(x(at)), x2: px(x(at)), y1: TOP, y2: H - BOTTOM, class: 'vertical' }),
            el('text', { x: px(x(at)), y: H - BOTTOM + STRIP + 16, class: 'tick', 'text-anchor': 'middle' }, text));
    }
    grid.append(el('text', { x: 14, y: TOP + (H - TOP - BOTTOM) / 2, class: 'axis-title',
        transform: `rotate(-90 14 ${TOP + (H - TOP - BOTTOM) / 2})`, 'text-anchor': 'middle' }, 'kW'));
    svg.append(grid, price_strip(`${prefix}-price-strip`, limits, window, x));
    if (lo < 0) svg.append(el('line', { x1: LEFT, x2: W - RIGHT, y1: px(y(0)), y2: px(y(0)), class: 'zero' }));

    for (const s of [...series].reverse()) svg.append(step_path(s, to_ms, x, y));
    if (import_kw !== null) svg.append(limit_line(`${prefix}-import-limit`, import_kw, y, 'import'));
    if (export_kw !== null && lo <= -export_kw) svg.append(limit_line(`${prefix}-export-limit`, -export_kw, y, 'export'));
    for (const change of limits?.limit_changes ?? []) {
        svg.append(el('line', { x1: px(x(change.t_ms)), x2: px(x(change.t_ms)), y1: TOP, y2: H - BOTTOM, class: 'limit-change' },
            title(`${clock.format(change.t_ms, false)}: ${change.detail}`)));
    }
    svg.append(hover_targets(series, to_ms, x, clock));
    const marked = el('g', { class: 'event-marks', id: `${prefix}-event-marks` });
    for (const m of marks) {
        const at = px(x(m.t_ms));
        marked.append(el('path', { d: `M${at - 4},${TOP - 8}L${at + 4},${TOP - 8}L${at},${TOP}Z`, class: `mark ${m.kind}`, 'data-kind': m.kind },
            title(`${clock.format(m.t_ms, false)} ${m.kind}: ${m.text}`)));
    }
    svg.append(marked);
    const cursor = el('line', { id: `${prefix}-cursor`, class: 'cursor', y1: TOP, y2: H - BOTTOM, x1: -10, x2: -10 });
    svg.append(cursor);
    if (on_pick) {
        svg.classList.add('pickable');
        svg.addEventListener('click', (e) => {
            const box = svg.getBoundingClientRect();
            const at = ((e.clientX - box.left) * W) / box.width;
            if (at >= LEFT && at <= W - RIGHT) on_pick(from_ms + ((at - LEFT) * (to_ms - from_ms)) / (W - LEFT - RIGHT));
        });
    }
    return {
        svg,
        set_cursor(ms) {
            const at = ms === null ? -10 : px(x(ms));
            cursor.setAttribute('x1', at);
            cursor.setAttribute('x2', at);
        },
    };
}

// Time labels: hours of the site's clock up to 3 days; beyond, local midnights every 1, 2, 7 or 14
// days, or firsts of the month every 1, 2 or 3 months, whichever gives at most 12 labels.
export function window_ticks(clock, from_ms, to_ms) {
    const span_s = (to_ms - from_ms) / 1000;
    if (span_s <= 3 * 86400) {
        return time_ticks(clock, iso(from_ms), span_s).map((s) => ({
            at: from_ms + s * 1000, text: clock.after(iso(from_ms), s, span_s > 86400),
        }));
    }
    const days = span_s / 86400;
    const step = [1, 2, 7, 14].find((k) => days / k <= 12);
    const months = step ? 0 : [1, 2, 3, 6].find((k) => days / (30 * k) <= 12) ?? 12;
    const month_day = new Intl.DateTimeFormat('en-GB', { timeZone: clock.zone, day: 'numeric', month: 'short' });
    const month_year = new Intl.DateTimeFormat('en-GB', { timeZone: clock.zone, month: 'short', year: 'numeric' });
    const ticks = [];
    let date = months ? add_months(local_date(clock, from_ms), 0) : local_date(clock, from_ms);
    for (let i = 0; i < 400; ++i) {
        const at = local_midnight(clock, date);
        if (at >= to_ms) break;
        if (at >= from_ms) ticks.push({ at, text: (months ? month_year : month_day).format(at) });
        date = months ? add_months(date, months) : add_days(date, step);
    }
    return ticks;
}

function bucket_end(s, i, to_ms) {
    return Math.min(s.t_ms[i] + s.bucket_ms, i + 1 < s.t_ms.length ? s.t_ms[i + 1] : to_ms);
}

function step_path(s, to_ms, x, y) {
    let d = '';
    let open = false;
    s.values.forEach((v, i) => {
        if (v === null) {
            open = false;
            return;
        }
        d += `${open ? 'L' : 'M'}${px(x(s.t_ms[i]))},${px(y(v))}L${px(x(bucket_end(s, i, to_ms)))},${px(y(v))}`;
        open = true;
    });
    return el('path', { id: s.id, d, class: `series ${s.cls}`, 'data-series': s.cls });
}

function limit_line(id, kw, y, text) {
    const g = el('g', { class: 'limit' });
    g.append(el('line', { id, x1: LEFT, x2: W - RIGHT, y1: px(y(kw)), y2: px(y(kw)), class: 'capacity', 'data-kw': kw }),
        el('text', { x: W - RIGHT + 6, y: px(y(kw)) - 2, class: 'capacity-label' }, text),
        el('text', { x: W - RIGHT + 6, y: px(y(kw)) + 11, class: 'capacity-label' }, `${fixed(kw, 0)} kW`));
    return g;
}

// The import price in force over the window, as bands: one rect per price row.
function price_strip(id, limits, window, x) {
    const g = el('g', { class: 'price-strip', id });
    const prices = limits?.prices ?? [];
    if (!prices.length) return g;
    const all = prices.map((p) => p.import_price);
    const lo = Math.min(...all), hi = Math.max(...all);
    prices.forEach((p, i) => {
        const a = Math.max(p.t_ms, window.from_ms);
        const b = Math.min(i + 1 < prices.length ? prices[i + 1].t_ms : window.to_ms, window.to_ms);
        if (!(b > a)) return;
        const share = hi > lo ? (p.import_price - lo) / (hi - lo) : 0.5;
        g.append(el('rect', { x: px(x(a)), width: px(x(b) - x(a)), y: H - BOTTOM + 2, height: STRIP,
            'fill-opacity': px(0.15 + 0.75 * share), 'data-price': p.import_price },
        title(`${fixed(p.import_price, 3)} ${limits.currency}/kWh from ${new Date(a).toISOString()}`)));
    });
    return g;
}

// One transparent column per bucket of the first series whose tooltip gives every series' value.
function hover_targets(series, to_ms, x, clock) {
    const g = el('g', { class: 'hover' });
    const first = series[0];
    if (!first) return g;
    first.t_ms.forEach((t, i) => {
        const end = bucket_end(first, i, to_ms);
        const lines = [`${clock.format(t, false)}–${clock.format(end, false, false)}`,
            ...series.map((s) => `${s.label}: ${fixed(s.values[i])} kW`)];
        g.append(el('rect', { x: px(x(t)), width: Math.max(0.5, px(x(end) - x(t))), y: TOP, height: H - TOP - BOTTOM },
            title(lines.join('\n'))));
    });
    return g;
}

export const chart_geometry = { W, LEFT, RIGHT };
