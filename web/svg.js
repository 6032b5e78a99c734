// Small helpers the charts share: SVG elements, tick positions, number formats.

const NS = 'http://www.w3.org/2000/svg';

export function el(name, attrs = {}, ...children) {
    const node = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs)) {
        if (value !== undefined && value !== null) node.setAttribute(key, String(value));
    }
    for (const child of children) {
        if (child !== null && child !== undefined) node.append(child);
    }
    return node;
}

export function title(text) {
    return el('title', {}, text);
}

// Pixel coordinates to two decimals: exact enough, and the markup stays readable.
export const px = (v) => Math.round(v * 100) / 100;

// About `count` round values (1, 2, 2.5 or 5 times a power of ten apart) covering [lo, hi].
export function nice_ticks(lo, hi, count = 5) {
    if (!(hi > lo)) return [lo];
    const raw = (hi - lo) / count;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
    const ticks = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.round(v / step) * step);
    return ticks;
}

// Seconds from the start at which to put time labels: every 1, 2, 3, 4, 6, 12 or 24 hours of the
// site's clock, whichever gives at most `max` labels.
export function time_ticks(clock, start, span_s, max = 12) {
    const [h, m] = clock.after(start, 0, false).split(':').map(Number);
    const minute_of_day = h * 60 + m;
    const hours = [1, 2, 3, 4, 6, 12, 24].find((k) => span_s / (k * 3600) <= max) ?? 24;
    const period = hours * 60;
    const first = ((period - (minute_of_day % period)) % period) * 60;
    const ticks = [];
    for (let t = first; t <= span_s; t += period * 60) ticks.push(t);
    return ticks;
}

export function fixed(value, digits = 1) {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    return Number(value).toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
