// Vehicles × time for a run's window: one row per connector (the vehicle plugged into it), one cell
// per bucket coloured by its average power (blue charging, orange discharging), over a pale band
// where a vehicle was plugged in. Drawn on a canvas: a site of hundreds of connectors over hundreds
// of buckets is too many cells for SVG to lay out quickly.
import { colour } from './heatmap.js';
import { fixed } from './svg.js';

const LEFT = 72, RIGHT = 70, TOP = 6, WIDTH = 920;
// Rows are 12 px up to 60 connectors; a larger site's rows share about 720 px, labelled every few rows.
const row_height = (rows) => (rows <= 60 ? 12 : Math.max(3, Math.floor(720 / rows)));

// answer: the /connectors answer; clock: a SiteClock. Returns the canvas; its data-max-kw is the
// colour scale's top.
export function connector_heatmap(answer, clock) {
    const rows = answer.connectors;
    const n = answer.t_ms.length;
    const canvas = document.createElement('canvas');
    const ROW = row_height(rows.length);
    const label_every = Math.ceil(10 / ROW);
    const inset = ROW >= 6 ? 1 : 0;
    const height = TOP * 2 + rows.length * ROW;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = WIDTH * ratio;
    canvas.height = height * ratio;
    canvas.style.width = '100%';
    canvas.style.aspectRatio = `${WIDTH} / ${height}`;
    canvas.className = 'connector-heatmap';
    canvas.setAttribute('role', 'img');
    const max = Math.max(1e-9, ...rows.flatMap((r) => r.kw.map((v) => Math.abs(v ?? 0))));
    canvas.dataset.maxKw = String(max);
    canvas.dataset.rows = String(rows.length);
    canvas.setAttribute('aria-label', `Power of ${rows.length} connectors over the window, up to ${fixed(max)} kW`);
    const g = canvas.getContext('2d');
    g.scale(ratio, ratio);
    const span = answer.to_ms - answer.from_ms;
    const x = (ms) => LEFT + ((WIDTH - LEFT - RIGHT) * (ms - answer.from_ms)) / span;
    const end = (i) => Math.min(answer.t_ms[i] + answer.bucket_ms, answer.to_ms);
    g.font = '10px system-ui, sans-serif';
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    rows.forEach((r, k) => {
        const y = TOP + k * ROW;
        g.fillStyle = '#556274';
        if (k % label_every === 0) g.fillText(r.name, LEFT - 6, y + ROW / 2);
        for (let i = 0; i < n; ++i) {
            const plugged = r.plugged[i] ?? 0;
            const kw = r.kw[i] ?? 0;
            const x0 = x(answer.t_ms[i]), w = Math.max(0.5, x(end(i)) - x0 + 0.3);
            if (plugged > 0) {
                g.fillStyle = `rgba(11, 61, 145, ${0.06 + 0.1 * plugged})`;
                g.fillRect(x0, y + inset, w, ROW - 2 * inset);
            }
            if (Math.abs(kw) > 1e-6) {
                g.fillStyle = colour(kw, max);
                g.fillRect(x0, y + inset, w, ROW - 2 * inset);
            }
        }
    });
    canvas.addEventListener('mousemove', (e) => {
        const box = canvas.getBoundingClientRect();
        const px = ((e.clientX - box.left) * WIDTH) / box.width;
        const k = Math.floor(((e.clientY - box.top) * height) / box.height / ROW - TOP / ROW);
        const i = answer.t_ms.findIndex((t, j) => x(t) <= px && px < x(end(j)));
        const r = rows[k];
        canvas.title = r && i >= 0 ? `${r.name} · ${clock.format(answer.t_ms[i], false)}: ${fixed(r.kw[i])} kW` : '';
    });
    return canvas;
}
