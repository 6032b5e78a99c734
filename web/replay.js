// The replay of a run: a window of it (a local date and a length, or the whole run) loaded through
// the results routes' windowed queries, so a year-long run is never read whole; the site's power
// against its limits and tariff, the connectors × time heatmap and the window's events; a cursor
// moved by the scrub bar or by playing, in the site's local time. A run still being written (status
// running) reloads its window every 10 s while paused.
import { results } from './api.js';
import { connector_heatmap } from './connector_heatmap.js';
import { series_chart } from './series_chart.js';
import { add_days, local_date, local_midnight } from './local_days.js';
import { fixed } from './svg.js';
import { h } from './dom.js';
import { legend_item } from './runs_table.js';

const SERIES = [
    { key: 'grid_kw', id: 'replay-grid', label: 'Grid import', cls: 'import' },
    { key: 'ev_kw', id: 'replay-ev', label: 'EV charging', cls: 'ev' },
    { key: 'pv_kw', id: 'replay-pv', label: 'PV', cls: 'pv', optional: true },
    { key: 'load_kw', id: 'replay-load', label: 'Base load', cls: 'base-load', optional: true },
    { key: 'ess_kw', id: 'replay-ess', label: 'ESS (+ charging)', cls: 'ess', optional: true },
];
const LIVE_REFRESH_MS = 10_000;
// The events marked on the chart: what changes the site, not the comings and goings.
const MARKED = new Set(['fault', 'repair', 'limit_change', 'price_spike', 'interrupted', 'hook_log', 'strategy']);

export function power_series(answer, keys = SERIES) {
    return keys.filter((s) => !s.optional || answer[s.key].some((v) => v !== null && Math.abs(v) > 1e-9))
        .map((s) => ({ ...s, t_ms: answer.t_ms, bucket_ms: answer.bucket_ms, values: answer[s.key] }));
}

export class Replay {
    constructor($) {
        this.$ = $;
        this.run = null;
        this.cursor = null;
        this.playing = false;
        $('window-start').addEventListener('change', () => this.load());
        $('window-span').addEventListener('change', () => this.load());
        $('window-prev').addEventListener('click', () => this.shift(-1));
        $('window-next').addEventListener('click', () => this.shift(1));
        $('scrub').addEventListener('input', () => this.seek(this.from + ((this.to - this.from) * $('scrub').value) / 1000));
        $('play').addEventListener('click', () => (this.playing ? this.pause() : this.play()));
        // As in the desktop viewer: Space plays or pauses, the arrows step a bucket (with Shift, an hour).
        document.addEventListener('keydown', (e) => {
            if ($('replay-view').hidden || !this.run || e.target.closest('input, select, textarea, button')) return;
            if (e.key === ' ') {
                e.preventDefault();
                if (this.playing) this.pause();
                else this.play();
            } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                e.preventDefault();
                const step = e.shiftKey ? 3_600_000 : this.power.bucket_ms;
                this.seek(this.cursor + (e.key === 'ArrowRight' ? step : -step));
            }
        });
    }

    async open(run, clock) {
        this.pause();
        this.run = run;
        this.clock = clock;
        const $ = this.$;
        const end = run.data_end_ms;
        $('replay-meta').textContent = `${run.id} · ${run.scenario} · ${run.strategy} · seed ${run.seed} · ${clock.zone}` +
            ` · ${clock.long(new Date(run.start_ms).toISOString())} to ${clock.long(new Date(end).toISOString())}`;
        $('window-start').min = local_date(clock, run.start_ms);
        $('window-start').max = local_date(clock, end - 1);
        $('window-start').value = $('window-start').min;
        await this.load();
    }

    window_asked() {
        const run = this.run;
        const span = this.$('window-span').value;
        if (span === 'all') return { from_ms: run.start_ms, to_ms: run.data_end_ms };
        const from_ms = local_midnight(this.clock, this.$('window-start').value || local_date(this.clock, run.start_ms));
        return { from_ms, to_ms: from_ms + Number(span) };
    }

    async shift(direction) {
        const span = this.$('window-span').value;
        if (span === 'all') return;
        const days = Math.max(1, Math.round(Number(span) / 86_400_000));
        const date = add_days(this.$('window-start').value, direction * days);
        if (date < this.$('window-start').min || date > this.$('window-start').max) return;
        this.$('window-start').value = date;
        await this.load();
    }

    async load() {
        const $ = this.$;
        const id = this.run.id;
        const asked = this.window_asked();
        const started = performance.now();
        $('replay-view').dataset.loading = 'true';
        $('window-status').textContent = 'Loading…';
        try {
            const [power, connectors, events, limits] = await Promise.all([
                results.view(id, 'power', { ...asked, points: 480 }),
                results.view(id, 'connectors', { ...asked, points: 240 }),
                results.view(id, 'events', { ...asked, limit: 300 }),
                results.view(id, 'limits', asked),
            ]);
            if (this.run?.id !== id) return;  // another run was opened meanwhile
            Object.assign(this, { power, connectors, events, limits, from: power.from_ms, to: power.to_ms });
            this.draw();
            const ms = performance.now() - started;
            $('replay-view').dataset.loadMs = String(Math.round(ms));
            const when = (ms) => (this.to - this.from > 2 * 86_400_000 ? this.clock.long(new Date(ms).toISOString()) : this.clock.format(ms, false));
            $('window-status').textContent = `${when(this.from)} – ${when(this.to)}` +
                ` · ${power.t_ms.length} points of ${fixed(power.bucket_ms / 60000, 0)} min · loaded in ${fixed(ms, 0)} ms`;
            this.seek(this.cursor !== null && this.cursor >= this.from && this.cursor < this.to ? this.cursor : this.from);
            this.schedule_refresh();
        } catch (e) {
            $('window-status').textContent = e.message;
        } finally {
            $('replay-view').dataset.loading = 'false';
        }
    }

    schedule_refresh() {
        clearTimeout(this.refresh);
        if (this.run.status !== 'running') return;
        this.refresh = setTimeout(async () => {
            if (this.playing) return;
            const run = await results.run(this.run.id).catch(() => null);  // its data has grown
            if (run && run.id === this.run?.id) {
                this.run = run;
                this.$('window-start').max = local_date(this.clock, run.data_end_ms - 1);
            }
            await this.load();
        }, LIVE_REFRESH_MS);
    }

    draw() {
        const $ = this.$;
        const series = power_series(this.power);
        this.chart = series_chart({
            prefix: 'replay', window: this.power, series, limits: this.limits, clock: this.clock,
            label: `Site power of run ${this.run.id} against its grid limits`, on_pick: (ms) => this.seek(ms),
            marks: this.events.events.filter((e) => MARKED.has(e.kind)).map((e) => ({ t_ms: e.t_ms, kind: e.kind, text: e.detail })),
        });
        $('replay-chart').replaceChildren(this.chart.svg);
        $('replay-legend').replaceChildren(...series.map((s) => legend_item(s.cls, s.label)),
            ...(this.limits.grid_import_kw !== null ? [legend_item('capacity', 'Grid limits')] : []),
            ...(this.limits.prices.length ? [legend_item('price', 'Import price (darker = dearer)')] : []));
        $('replay-heatmap').replaceChildren(connector_heatmap(this.connectors, this.clock));
        $('event-count').textContent = `(${this.events.total}${this.events.truncated ? `, first ${this.events.events.length} shown` : ''})`;
        const rows = this.events.events.map((e) => {
            const row = h('tr', { 'data-t': e.t_ms, 'data-kind': e.kind, tabIndex: 0 },
                h('td', {}, this.clock.format(e.t_ms, false)), h('td', {}, e.kind), h('td', {}, e.connector ?? ''),
                h('td', {}, e.detail));
            row.addEventListener('click', () => this.seek(e.t_ms));
            return row;
        });
        $('events-table').replaceChildren(h('thead', {}, h('tr', {}, ...['Time', 'Event', 'Connector', 'Detail'].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', {}, ...rows));
    }

    seek(ms) {
        const $ = this.$;
        this.cursor = Math.min(Math.max(ms, this.from), this.to - 1);
        this.chart?.set_cursor(this.cursor);
        $('scrub').value = String(Math.round((1000 * (this.cursor - this.from)) / (this.to - this.from)));
        $('cursor-time').textContent = this.clock.format(this.cursor, false);
        $('cursor-time').dataset.ms = String(Math.round(this.cursor));
        const i = this.power.t_ms.findLastIndex((t) => t <= this.cursor);
        const parts = power_series(this.power).map((s) => `${s.label} ${fixed(s.values[i])} kW`);
        const price = this.limits.prices.findLast((p) => p.t_ms <= this.cursor);
        if (price) parts.push(`price ${fixed(price.import_price, 3)} ${this.limits.currency}/kWh`);
        $('cursor-values').textContent = parts.join(' · ');
        const bucket_end = this.power.t_ms[i] + this.power.bucket_ms;
        for (const row of $('events-table').querySelectorAll('tbody tr'))
            row.classList.toggle('current', Number(row.dataset.t) >= this.power.t_ms[i] && Number(row.dataset.t) < bucket_end);
    }

    play() {
        if (!this.run) return;
        if (this.cursor >= this.to - 1) this.seek(this.from);
        this.playing = true;
        this.$('play').textContent = 'Pause';
        this.$('play').setAttribute('aria-pressed', 'true');
        let last = performance.now();
        const frame = (now) => {
            if (!this.playing) return;
            this.seek(this.cursor + (now - last) * Number(this.$('speed').value));
            last = now;
            if (this.cursor >= this.to - 1) this.pause();
            else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
    }

    pause() {
        this.playing = false;
        this.$('play').textContent = 'Play';
        this.$('play').setAttribute('aria-pressed', 'false');
        if (this.run) this.schedule_refresh();
    }
}
