// The form <-> the POST /v1/plans request. Reading checks only what must be right to write the JSON
// (numbers that are numbers, times that are times); every rule of the plan itself is the server's,
// whose errors come back with a JSON pointer that field_for() turns into the input to fix.
import { VehicleTable } from './vehicles.js';
import { EssList, ESS_FIELDS } from './ess_list.js';
import { vehicle_request, vehicle_values } from './vehicle_fields.js';
import { start_from_input } from './times.js';

const $ = (id) => document.getElementById(id);
const pad = (n) => String(n).padStart(2, '0');

// An input's problem found before sending: the message and the input it is about.
export class FieldError extends Error {
    constructor(element, message) {
        super(message);
        this.element = element;
    }
}

// Numbers separated by spaces, commas, semicolons or new lines (a pasted column or row); null when empty.
function number_list(element) {
    const text = element.value.trim();
    if (!text) return null;
    return text.split(/[\s,;]+/).map((word, i) => {
        const value = Number(word);
        if (!Number.isFinite(value)) throw new FieldError(element, `value ${i + 1}, "${word}", is not a number`);
        return value;
    });
}

export class PlanForm {
    constructor(form) {
        this.form = form;
        this.vehicles = new VehicleTable($('vehicles'), (n) => {
            $('vehicle-count').textContent = n ? `(${n})` : '';
        });
        this.bands = $('tariff-bands').tBodies[0];
        $('band-add').addEventListener('click', () => this.add_band('', ''));
        for (const radio of form.querySelectorAll('input[name="tariff-mode"]'))
            radio.addEventListener('change', () => this.show_tariff_mode());
        this.batteries = new EssList($('ess-list'), $('ess-add'), (n) => {
            $('ess-count').textContent = n ? `(${n})` : '';
        });
        $('charger-list').addEventListener('input', () => this.show_charger_mode());
        this.add_band('00:00', '0.25');
        if (!$('start').value) $('start').value = `${tomorrow()}T00:00`;
    }

    // ---- reading -------------------------------------------------------------------------------

    // -> the request, or throws an array of FieldError.
    request() {
        const errors = [];
        const attempt = (f) => {
            try {
                return f();
            } catch (e) {
                if (!(e instanceof FieldError)) throw e;
                errors.push(e);
                return undefined;
            }
        };
        const start = attempt(() => {
            try {
                return start_from_input($('start').value);
            } catch (e) {
                throw new FieldError($('start'), e.message);
            }
        });
        const start_date = start ? start.slice(0, 10) : null;

        const site = { name: $('site-name').value.trim() || 'site', timezone: $('site-timezone').value.trim() || 'UTC' };
        site.grid = { import_kw: attempt(() => number($('grid-import'))) };
        const export_kw = attempt(() => number($('grid-export')));
        if (export_kw !== undefined) site.grid.export_kw = export_kw;
        site.chargers = attempt(() => this.chargers());
        const pv = attempt(() => number_list($('pv-forecast')));
        if (pv) site.pv = { forecast_kw: pv };
        const curtailment_cost = attempt(() => number($('pv-curtailment-cost')));
        if (pv && curtailment_cost !== undefined) site.pv.curtailment_cost_per_kwh = curtailment_cost;
        const base_load = attempt(() => base_load_of($('base-load')));
        if (base_load) site.base_load = base_load;
        const ess = this.batteries.fieldsets().map((fieldset) => attempt(() => this.battery(fieldset)));
        if (ess.length) site.ess = ess;
        site.tariff = attempt(() => this.tariff());

        const vehicles = this.vehicles.values().map((values, i) => attempt(() => {
            try {
                return vehicle_request(values, start_date);
            } catch (e) {
                throw new FieldError(this.vehicles.input(i, e.key), e.message);
            }
        }));
        if (vehicles.length === 0) errors.push(new FieldError($('vehicle-add'), 'add at least one vehicle, or upload a CSV'));

        const request = { site, vehicles, start };
        const horizon_h = attempt(() => number($('horizon-h')));
        const step_min = attempt(() => number($('step-min')));
        const steps = attempt(() => coarse_steps(horizon_h ?? 24, step_min ?? 15));
        if (steps) {
            request.steps = steps;
        } else {
            if (horizon_h !== undefined) request.horizon_h = horizon_h;
            if (step_min !== undefined) request.step_min = step_min;
        }
        const options = attempt(() => strategy_options($('strategy-options')));
        request.strategy = options ? { name: $('strategy').value, options } : $('strategy').value;
        request.baseline = $('baseline').value;
        request.unit = $('unit').value;
        if (!start) errors.push(new FieldError($('start'), 'the plan needs a start'));
        if (errors.length) throw errors;
        return request;
    }

    chargers() {
        const list = $('charger-list');
        if (list.value.trim()) {
            return list.value.split('\n').map((line, i) => line.trim() && { line, i }).filter(Boolean).map(({ line, i }) => {
                const [id, max_kw, v2g, ...rest] = line.split(/\s*[,;]\s*/);
                const value = Number(max_kw);
                if (!id || rest.length || !Number.isFinite(value) || (v2g && v2g.toLowerCase() !== 'v2g'))
                    throw new FieldError(list, `line ${i + 1}, "${line.trim()}": expected id, max kW[, v2g]`);
                return v2g ? { id, max_kw: value, v2g: true } : { id, max_kw: value };
            });
        }
        const count = number($('charger-count'));
        const max_kw = number($('charger-max-kw'));
        if (!Number.isInteger(count) || count < 1) throw new FieldError($('charger-count'), 'give a whole number of chargers');
        const digits = Math.max(2, String(count).length);
        return Array.from({ length: count }, (_, i) => {
            const charger = { id: `CP${String(i + 1).padStart(digits, '0')}`, max_kw };
            if ($('charger-v2g').checked) charger.v2g = true;
            return charger;
        });
    }

    // One battery of site.ess from its fieldset: the fields given (an empty name takes the server's
    // default, ess, ess2, ... by position; a permission is sent only when withheld, false).
    battery(fieldset) {
        const battery = {};
        for (const field of ESS_FIELDS) {
            const input = fieldset.querySelector(`input[data-key="${field.key}"]`);
            const value = field.kind === 'check' ? (input.checked ? undefined : false)
                : field.kind === 'text' ? input.value.trim() || undefined : number(input);
            if (value !== undefined) battery[field.key] = value;
        }
        return battery;
    }

    tariff() {
        const tariff = { currency: $('currency').value.trim().toUpperCase() || 'EUR' };
        if (this.tariff_mode() === 'bands') {
            tariff.bands = [...this.bands.rows].map((tr) => ({
                from: tr.querySelector('[data-key="from"]').value.trim().replace(/^(\d):/, '0$1:'),  // 7:00 -> 07:00
                price: number(tr.querySelector('[data-key="price"]')),
            }));
        } else {
            tariff.prices = number_list($('tariff-prices')) ?? [];
        }
        const export_price = number($('export-price'));
        if (export_price !== undefined) tariff.export_price = export_price;
        const export_prices = number_list($('export-prices'));
        if (export_prices) tariff.export_prices = export_prices;
        const demand = number($('demand-charge'));
        if (demand !== undefined) tariff.demand_charge_per_kw = demand;
        return tariff;
    }

    tariff_mode() { return this.form.querySelector('input[name="tariff-mode"]:checked').value; }

    // ---- filling -------------------------------------------------------------------------------

    fill(request) {
        const site = request.site ?? {};
        $('site-name').value = site.name ?? 'site';
        $('site-timezone').value = site.timezone ?? 'UTC';
        $('grid-import').value = site.grid?.import_kw ?? '';
        $('grid-export').value = site.grid?.export_kw ?? '';
        this.fill_chargers(site.chargers ?? []);
        $('pv-forecast').value = (site.pv?.forecast_kw ?? []).join(' ');
        $('pv-curtailment-cost').value = site.pv?.curtailment_cost_per_kwh ?? '';
        $('base-load').value = site.base_load?.profile
            ? site.base_load.profile.map((band) => `${band.from} ${band.kw}`).join('\n')
            : (site.base_load?.forecast_kw ?? []).join(' ');
        this.batteries.set(site.ess);  // one battery object, or an array of them

        const tariff = site.tariff ?? {};
        $('currency').value = tariff.currency ?? 'EUR';
        $('demand-charge').value = tariff.demand_charge_per_kw ?? '';
        $('export-price').value = tariff.export_price ?? '';
        $('export-prices').value = (tariff.export_prices ?? []).join(' ');
        const mode = tariff.prices ? 'prices' : 'bands';
        $(`tariff-mode-${mode}`).checked = true;
        this.bands.replaceChildren();
        for (const band of tariff.bands ?? []) this.add_band(band.from, band.price);
        $('tariff-prices').value = (tariff.prices ?? []).join(' ');
        this.show_tariff_mode();

        select($('strategy'), strategy_name(request.strategy ?? 'mpc'));
        $('strategy-options').value = Object.entries(request.strategy?.options ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
        select($('baseline'), strategy_name(request.baseline ?? 'edf'));
        $('start').value = (request.start ?? '').slice(0, 16);
        const [fine, coarse] = request.steps ?? [];
        $('horizon-h').value = request.steps
            ? request.steps.reduce((h, run) => h + (run.minutes * run.count) / 60, 0) : request.horizon_h ?? 24;
        $('step-min').value = fine?.minutes ?? request.step_min ?? 15;
        $('coarse-from-h').value = coarse ? (fine.minutes * fine.count) / 60 : '';
        $('coarse-step-min').value = coarse?.minutes ?? '';
        $('unit').value = request.unit ?? 'W';
        this.vehicles.set((request.vehicles ?? []).map(vehicle_values));
    }

    // Chargers the count/max kW fields can describe go there; any others into the list.
    fill_chargers(chargers) {
        const digits = Math.max(2, String(chargers.length).length);
        const uniform = chargers.length > 0 && chargers.every((c, i) =>
            c.id === `CP${String(i + 1).padStart(digits, '0')}` && c.max_kw === chargers[0].max_kw &&
            Boolean(c.v2g) === Boolean(chargers[0].v2g) && Object.keys(c).every((k) => ['id', 'max_kw', 'v2g'].includes(k)));
        $('charger-list').value = uniform ? '' : chargers.map((c) => `${c.id}, ${c.max_kw}${c.v2g ? ', v2g' : ''}`).join('\n');
        if (uniform) {
            $('charger-count').value = chargers.length;
            $('charger-max-kw').value = chargers[0].max_kw;
            $('charger-v2g').checked = Boolean(chargers[0].v2g);
        }
        this.show_charger_mode();
    }

    add_band(from, price) {
        const tr = this.bands.insertRow();
        tr.innerHTML = `<td><input type="text" data-key="from" required placeholder="HH:MM" inputmode="numeric" spellcheck="false"></td>
            <td><input type="number" step="any" data-key="price" required></td>
            <td><button type="button" class="remove">×</button></td>`;
        tr.querySelector('[data-key="from"]').value = from;
        tr.querySelector('[data-key="price"]').value = price;
        tr.querySelector('button').addEventListener('click', () => {
            tr.remove();
            this.relabel_bands();
        });
        this.relabel_bands();
    }

    relabel_bands() {
        [...this.bands.rows].forEach((tr, i) => {
            tr.dataset.path = `/site/tariff/bands/${i}`;
            tr.dataset.label = `Tariff band ${i + 1}`;
            for (const [key, label] of [['from', 'from'], ['price', 'price']]) {
                const input = tr.querySelector(`[data-key="${key}"]`);
                input.dataset.path = `/site/tariff/bands/${i}/${key}`;
                input.dataset.label = label;
                input.setAttribute('aria-label', `Tariff band ${i + 1}: ${label}`);
            }
            tr.querySelector('button').setAttribute('aria-label', `Remove tariff band ${i + 1}`);
        });
    }

    show_tariff_mode() {
        const bands = this.tariff_mode() === 'bands';
        $('tariff-bands-panel').hidden = !bands;
        $('tariff-prices-panel').hidden = bands;
    }

    show_charger_mode() {
        const listed = $('charger-list').value.trim() !== '';
        for (const id of ['charger-count', 'charger-max-kw', 'charger-v2g']) $(id).disabled = listed;
    }
}

// An <input type="number">'s value; undefined when empty. The browser empties the value of what is
// not a number but flags it (badInput), which must not pass as "no value".
// Steps of two lengths ("steps" of the request): the step until `coarse-from-h` hours, then
// `coarse-step-min` minutes to the horizon; null when no coarser step is asked for.
function coarse_steps(horizon_h, step_min) {
    const from_h = number($('coarse-from-h'));
    const coarse_min = number($('coarse-step-min'));
    if (from_h === undefined && coarse_min === undefined) return null;
    if (from_h === undefined) throw new FieldError($('coarse-from-h'), 'give the hour the coarser steps start');
    if (coarse_min === undefined) throw new FieldError($('coarse-step-min'), 'give the coarser step in minutes');
    const fine = (from_h * 60) / step_min, coarse = ((horizon_h - from_h) * 60) / coarse_min;
    if (!Number.isInteger(fine) || fine < 1) throw new FieldError($('coarse-from-h'), `must be a whole number of ${step_min}-minute steps`);
    if (!Number.isInteger(coarse) || coarse < 1)
        throw new FieldError($('coarse-step-min'), `must divide the ${horizon_h - from_h} h after the fine steps`);
    return [{ minutes: step_min, count: fine }, { minutes: coarse_min, count: coarse }];
}

function number(input) {
    if (input.validity.badInput) throw new FieldError(input, 'is not a number');
    if (input.value.trim() === '') return undefined;
    return Number(input.value);
}

// The base load: a daily profile when the first line starts with a time of day ("07:00 12"), one
// band a line, else kW per step (number_list); null when empty.
function base_load_of(element) {
    const text = element.value.trim();
    if (!text) return null;
    if (!/^\d{1,2}:\d{2}/.test(text)) return { forecast_kw: number_list(element) };
    return {
        profile: text.split('\n').map((line, i) => line.trim() && { line: line.trim(), i }).filter(Boolean).map(({ line, i }) => {
            const m = /^(\d{1,2}):(\d{2})\s*[\s,;]\s*(\S+)$/.exec(line);
            const kw = m ? Number(m[3]) : NaN;
            if (!m || !Number.isFinite(kw))
                throw new FieldError(element, `line ${i + 1}, "${line}": expected HH:MM kW`);
            return { from: `${m[1].padStart(2, '0')}:${m[2]}`, kw };
        }),
    };
}

// "horizon_h=12, solver_time_s=5" -> {"horizon_h": "12", ...}: values stay text, as the API's
// strategy options are; null when empty.
function strategy_options(input) {
    const text = input.value.trim();
    if (!text) return null;
    const options = {};
    for (const pair of text.split(/\s*[,;\n]\s*/).filter(Boolean)) {
        const m = /^([\w.-]+)\s*=\s*(.*)$/.exec(pair);
        if (!m) throw new FieldError(input, `"${pair}" is not key=value`);
        options[m[1]] = m[2];
    }
    return options;
}

function select(element, value) {
    if (![...element.options].some((o) => o.value === value)) element.add(new Option(value, value));
    element.value = value;
}

const strategy_name = (s) => (typeof s === 'string' ? s : s.name);

function tomorrow() {
    const d = new Date(Date.now() + 86400000);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
