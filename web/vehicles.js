// The editable vehicles table: one row per vehicle, one input per field of VEHICLE_FIELDS. Each input
// carries the JSON pointer of its field in the request (data-path), so an API error finds its cell.
import { VEHICLE_FIELDS } from './vehicle_fields.js';

export class VehicleTable {
    constructor(table, on_change) {
        this.body = table.tBodies[0];
        this.on_change = on_change;
        const head = table.tHead.rows[0];
        for (const field of VEHICLE_FIELDS) {
            const th = document.createElement('th');
            th.scope = 'col';
            th.textContent = field.label;
            if (field.kind === 'number') th.className = 'num';
            head.append(th);
        }
        const th = document.createElement('th');
        th.innerHTML = '<span class="visually-hidden">Remove</span>';
        head.append(th);
        this.body.addEventListener('input', (e) => {
            if (e.target.dataset.key === 'id') this.relabel();
        });
    }

    get count() { return this.body.rows.length; }

    // values: {key: text or bool}, as vehicle_values() or vehicles_from_csv() give them.
    add(values = {}) {
        const tr = this.body.insertRow();
        for (const field of VEHICLE_FIELDS) {
            const input = document.createElement('input');
            input.dataset.key = field.key;
            if (field.kind === 'bool') {
                input.type = 'checkbox';
                input.checked = Boolean(values[field.key]);
            } else {
                input.type = field.kind === 'number' ? 'number' : 'text';
                input.value = values[field.key] ?? '';
                input.spellcheck = false;
                if (field.kind === 'number') {
                    input.step = field.step ?? 'any';
                    if (field.min !== undefined) input.min = field.min;
                    if (field.max !== undefined) input.max = field.max;
                }
                if (field.placeholder) input.placeholder = field.placeholder;
                if (field.width) input.style.width = `${field.width + 2}ch`;
            }
            tr.insertCell().append(input);
        }
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'remove';
        remove.textContent = '×';
        remove.addEventListener('click', () => {
            tr.remove();
            this.changed();
        });
        tr.insertCell().append(remove);
        this.changed();
        return tr;
    }

    set(rows) {
        this.body.replaceChildren();
        for (const values of rows) this.add(values);
        this.changed();
    }

    clear() { this.set([]); }

    // [{key: text or bool}] in table order.
    values() {
        return [...this.body.rows].map((tr) => {
            const values = {};
            for (const input of tr.querySelectorAll('input')) {
                values[input.dataset.key] = input.type === 'checkbox' ? input.checked : input.value.trim();
            }
            return values;
        });
    }

    input(index, key) {
        return this.body.rows[index]?.querySelector(`input[data-key="${key}"]`) ?? null;
    }

    // Paths and accessible names follow the row's position and id, so both are redone on any change.
    relabel() {
        [...this.body.rows].forEach((tr, i) => {
            const id = tr.querySelector('input[data-key="id"]').value.trim();
            const name = `Vehicle ${i + 1}${id ? ` (${id})` : ''}`;
            tr.dataset.path = `/vehicles/${i}`;
            tr.dataset.label = name;
            for (const input of tr.querySelectorAll('input')) {
                const field = VEHICLE_FIELDS.find((f) => f.key === input.dataset.key);
                input.dataset.path = `/vehicles/${i}/${field.key}`;
                input.dataset.label = field.label;
                input.setAttribute('aria-label', `${name}: ${field.label}`);
            }
            tr.querySelector('button.remove').setAttribute('aria-label', `Remove ${name}`);
        });
    }

    changed() {
        this.relabel();
        this.on_change?.(this.count);
    }
}
