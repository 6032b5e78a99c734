// The live site's power: what it drew so far (the results routes' buckets of the live run) and,
// from now, each strategy's outlook (its mean over the drawn futures as a step line, its 10–90 %
// spread as a band). Times are labelled in the site's local time.
import { window_ticks } from './series_chart.js';
import { el, fixed, nice_ticks, px, title } from './svg.js';

const W = 920, H = 320, LEFT = 56, RIGHT = 20, TOP = 16, BOTTOM = 36;

// past: the /power answer (or null); outlook: the /v1/live/outlook answer (or null); now_ms: the
// live clock; from_ms, to_ms: the window; clock: a SiteClock.
export function live_chart({ past, outlook, now_ms, from_ms, to_ms, clock }) {
    const steps = (outlook?.strategies ?? []).map((s, i) => ({
        ...s, cls: `outlook-${i}`,
        t_ms: s.site_kw.map((_, k) => Date.parse(outlook.start) + k * outlook.step_s * 1000),
        bucket_ms: outlook.step_s * 1000,
    }));
    const values = [...(past?.grid_kw ?? []).filter((v) => v !== null), ...steps.flatMap((s) => [...s.site_kw_p90, ...s.site_kw_p10])];
    const lo = Math.min(0, ...values);
    const hi = Math.max(1, ...values) * 1.08;
    const x = (ms) => LEFT + ((W - LEFT - RIGHT) * (Math.min(Math.max(ms, from_ms), to_ms) - from_ms)) / (to_ms - from_ms);
    const y = (v) => TOP + ((H - TOP - BOTTOM) * (hi - v)) / (hi - lo);
    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'power', 'aria-label': 'Site power so far and its outlook' });
    const grid = el('g', { class: 'grid' });
    for (const v of nice_ticks(lo, hi, 6)) {
        grid.append(el('line', { x1: LEFT, x2: W - RIGHT, y1: px(y(v)), y2: px(y(v)) }),
            el('text', { x: LEFT - 6, y: px(y(v)) + 4, class: 'tick', 'text-anchor': 'end' }, fixed(v, 0)));
    }
    for (const { at, text } of window_ticks(clock, from_ms, to_ms)) {
        grid.append(el('line', { x1: px(x(at)), x2: px(x(at)), y1: TOP, y2: H - BOTTOM, class: 'vertical' }),
            el('text', { x: px(x(at)), y: H - BOTTOM + 16, class: 'tick', 'text-anchor': 'middle' }, text));
    }
    svg.append(grid);
    if (lo < 0) svg.append(el('line', { x1: LEFT, x2: W - RIGHT, y1: px(y(0)), y2: px(y(0)), class: 'zero' }));
    for (const s of steps) svg.append(band(s, x, y));
    if (past) {
        const series = { t_ms: past.t_ms, bucket_ms: past.bucket_ms, site_kw: past.grid_kw.map((v) => v) };
        svg.append(step_path('live-past', series, 'site_kw', 'past', Math.min(now_ms, to_ms), x, y));
    }
    steps.forEach((s, i) => {
        const path = step_path(`live-outlook-${i}`, s, 'site_kw', `outlook ${s.cls}`, to_ms, x, y);
        path.append(title(`${s.strategy}: mean over ${outlook.draws} futures`));
        svg.append(path);
    });
    svg.append(el('line', { id: 'live-now', class: 'now', x1: px(x(now_ms)), x2: px(x(now_ms)), y1: TOP, y2: H - BOTTOM },
        title(`now: ${clock.format(now_ms, false)}`)));
    return svg;
}

function step_path(id, s, key, cls, to_ms, x, y) {
    let d = '';
    s[key].forEach((v, i) => {
        if (v === null) return;
        const end = Math.min(s.t_ms[i] + s.bucket_ms, i + 1 < s.t_ms.length ? s.t_ms[i + 1] : to_ms);
        d += `${d && s[key][i - 1] !== null ? 'L' : 'M'}${px(x(s.t_ms[i]))},${px(y(v))}L${px(x(end))},${px(y(v))}`;
    });
    return el('path', { id, d, class: `series ${cls}`, 'data-points': s[key].length });
}

// The 10–90 % spread of a strategy's futures: the area between the two step lines.
function band(s, x, y) {
    const top = [], bottom = [];
    s.site_kw_p90.forEach((v, i) => {
        const a = px(x(s.t_ms[i])), b = px(x(s.t_ms[i] + s.bucket_ms));
        top.push(`${a},${px(y(v))}`, `${b},${px(y(v))}`);
        bottom.unshift(`${b},${px(y(s.site_kw_p10[i]))}`, `${a},${px(y(s.site_kw_p10[i]))}`);
    });
    return el('polygon', { class: `band ${s.cls}`, points: [...top, ...bottom].join(' ') });
}
