// The site's stationary batteries in the form: one fieldset per battery, added ("Add a battery") and
// removed ("Remove") by the operator, in the order of the request's `site.ess` array. Each input
// carries the JSON pointer of its field (data-path, /site/ess/K/KEY), so an API error finds it; ids,
// paths and names follow the battery's position and are redone on any change. The first battery's
// inputs keep the ids of the page's one-battery form (ess-capacity, ess-soc, ...); the K-th's are
// essK-capacity, ...
import { h } from './dom.js';

// key: the request's; id: the input's id after the battery's prefix; kind: 'text', 'check' (a
// permission, true unless the request says false) or a number.
export const ESS_FIELDS = [
    { key: 'name', id: 'name', label: 'Name', kind: 'text' },
    { key: 'capacity_kwh', id: 'capacity', label: 'Capacity (kWh)', min: 0 },
    { key: 'soc', id: 'soc', label: 'State of charge now (0–1)', min: 0, max: 1, step: 0.01 },
    { key: 'max_charge_kw', id: 'charge', label: 'Max charge (kW)', min: 0 },
    { key: 'max_discharge_kw', id: 'discharge', label: 'Max discharge (kW)', min: 0 },
    { key: 'end_soc', id: 'end-soc', label: 'State of charge wanted at the end (0–1)', min: 0, max: 1, step: 0.01 },
    { key: 'end_value_per_kwh', id: 'end-value', label: 'Value of a kWh stored at the end', min: 0 },
    { key: 'priority', id: 'priority', label: 'Priority (higher first)', min: 0, max: 1000000, step: 1 },
    { key: 'charge_efficiency', id: 'charge-efficiency', label: 'Charge efficiency (0.5–1)', min: 0.5, max: 1, step: 0.01 },
    { key: 'discharge_efficiency', id: 'discharge-efficiency', label: 'Discharge efficiency (0.5–1)', min: 0.5, max: 1, step: 0.01 },
    { key: 'grid_charge', id: 'grid-charge', label: 'May charge from the grid', kind: 'check' },
    { key: 'grid_discharge', id: 'grid-discharge', label: 'May give to the grid', kind: 'check' },
];

// The server's default name of the battery at `index` (0-based): ess, ess2, ess3, ...
export const default_ess_name = (index) => (index === 0 ? 'ess' : `ess${index + 1}`);

const prefix = (index) => (index === 0 ? 'ess' : `ess${index + 1}`);

export class EssList {
    // list: the element holding the fieldsets; add_button: "Add a battery", which gets the focus when
    // the last battery is removed; on_change(count) after any battery is added or removed.
    constructor(list, add_button, on_change) {
        this.list = list;
        this.add_button = add_button;
        this.on_change = on_change;
        add_button.addEventListener('click', () => this.add({}).querySelector('input').focus());
        list.addEventListener('input', (e) => {
            if (e.target.dataset.key === 'name') this.relabel();
        });
    }

    get count() { return this.list.children.length; }

    // values: {key: number, text or flag}, as a request's battery holds them.
    add(values = {}) {
        const grid = h('div', { class: 'grid2' });
        for (const field of ESS_FIELDS) {
            if (field.kind === 'check') {
                const input = h('input', { type: 'checkbox', 'data-key': field.key, checked: values[field.key] !== false });
                grid.append(h('div', { class: 'check' }, input, h('label', {}, field.label)));
                continue;
            }
            const input = h('input', { type: field.kind === 'text' ? 'text' : 'number', 'data-key': field.key });
            if (field.kind === 'text') {
                input.spellcheck = false;
                input.autocomplete = 'off';
            } else {
                input.step = field.step ?? 'any';
                if (field.min !== undefined) input.min = field.min;
                if (field.max !== undefined) input.max = field.max;
            }
            input.value = values[field.key] ?? '';
            grid.append(h('div', {}, h('label', {}, field.label), input));
        }
        const remove = h('button', { type: 'button', class: 'quiet remove-battery' }, 'Remove');
        const fieldset = h('fieldset', { class: 'battery' }, h('legend', {}), remove, grid);
        remove.addEventListener('click', () => {
            const next = fieldset.nextElementSibling ?? fieldset.previousElementSibling;
            fieldset.remove();
            this.changed();
            (next?.querySelector('input') ?? this.add_button).focus();
        });
        this.list.append(fieldset);
        this.changed();
        return fieldset;
    }

    // batteries: a request's site.ess: one battery object, an array of them, or none.
    set(batteries) {
        this.list.replaceChildren();
        const all = batteries === undefined || batteries === null ? [] : Array.isArray(batteries) ? batteries : [batteries];
        for (const values of all) this.add(values);
        this.changed();
    }

    fieldsets() { return [...this.list.children]; }

    input(index, key) {
        return this.list.children[index]?.querySelector(`input[data-key="${key}"]`) ?? null;
    }

    relabel() {
        this.fieldsets().forEach((fieldset, i) => {
            const name = fieldset.querySelector('input[data-key="name"]').value.trim();
            const title = `Battery ${i + 1}${name ? ` (${name})` : ''}`;
            fieldset.dataset.path = `/site/ess/${i}`;
            fieldset.dataset.label = title;
            fieldset.querySelector('legend').textContent = title;
            for (const input of fieldset.querySelectorAll('input')) {
                const field = ESS_FIELDS.find((f) => f.key === input.dataset.key);
                input.id = `${prefix(i)}-${field.id}`;
                input.dataset.path = `/site/ess/${i}/${field.key}`;
                input.dataset.label = field.label;
                input.parentElement.querySelector('label').htmlFor = input.id;
                if (field.key === 'name') input.placeholder = default_ess_name(i);
            }
            fieldset.querySelector('button.remove-battery').setAttribute('aria-label', `Remove ${title}`);
        });
    }

    changed() {
        this.relabel();
        this.on_change?.(this.count);
    }
}
