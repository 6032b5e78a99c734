// The columns of a vehicle, shared by the vehicles table, the CSV reader and the request: one list,
// so a column added here appears in all three. `key` is the API's field and the CSV header's name.
import { normalize_time, time_for_input } from './times.js';

export const VEHICLE_FIELDS = [
    { key: 'id', label: 'ID', kind: 'text', required: true, width: 6 },
    { key: 'charger', label: 'Charger', kind: 'text', placeholder: 'any', width: 6 },
    { key: 'arrival', label: 'Arrival', kind: 'time', required: true, placeholder: 'YYYY-MM-DD HH:MM', width: 16 },
    { key: 'departure', label: 'Departure', kind: 'time', required: true, placeholder: 'YYYY-MM-DD HH:MM', width: 16 },
    { key: 'energy_kwh', label: 'Energy kWh', kind: 'number', min: 0, width: 5 },
    { key: 'soc', label: 'SoC', kind: 'number', min: 0, max: 1, step: 0.01, width: 5 },
    { key: 'target_soc', label: 'Target SoC', kind: 'number', min: 0, max: 1, step: 0.01, width: 5 },
    { key: 'capacity_kwh', label: 'Battery kWh', kind: 'number', min: 0, placeholder: '60', width: 5 },
    { key: 'max_kw', label: 'Max kW', kind: 'number', min: 0, placeholder: '22', width: 4 },
    { key: 'v2g', label: 'V2G', kind: 'bool' },
];

const TRUE = new Set(['true', 'yes', 'y', '1', 'x']);
const FALSE = new Set(['false', 'no', 'n', '0', '']);

// One cell's text -> the value the table shows, or an Error saying what was expected.
export function check_cell(field, text) {
    const value = (text ?? '').trim();
    if (field.required && value === '') throw new Error(`${field.key} is missing`);
    if (field.kind === 'number' && value !== '' && !Number.isFinite(Number(value)))
        throw new Error(`${field.key} "${value}" is not a number`);
    if (field.kind === 'bool') {
        const v = value.toLowerCase();
        if (!TRUE.has(v) && !FALSE.has(v)) throw new Error(`${field.key} "${value}" is not true or false`);
        return TRUE.has(v);
    }
    if (field.kind === 'time' && value !== '') {
        try {
            normalize_time(value, 'start');  // any start date: only the syntax is checked here
        } catch (e) {
            throw new Error(`${field.key}: ${e.message}`);
        }
    }
    return value;
}

// A table row's values -> the API's vehicle; empty optional cells are left out so the server's
// defaults apply. Throws an Error whose `key` names the field when a value cannot be sent.
export function vehicle_request(values, start_date) {
    const vehicle = {};
    for (const field of VEHICLE_FIELDS) {
        const value = values[field.key];
        if (field.kind === 'bool') {
            if (value) vehicle[field.key] = true;
        } else if (value === '' || value === undefined) {
            continue;
        } else if (field.kind === 'number') {
            vehicle[field.key] = Number(value);
        } else if (field.kind === 'time') {
            try {
                vehicle[field.key] = normalize_time(value, start_date);
            } catch (e) {
                e.key = field.key;
                throw e;
            }
        } else {
            vehicle[field.key] = value;
        }
    }
    return vehicle;
}

// The API's vehicle -> a table row's values.
export function vehicle_values(vehicle) {
    const values = {};
    for (const field of VEHICLE_FIELDS) {
        const v = vehicle[field.key];
        if (field.kind === 'bool') values[field.key] = Boolean(v);
        else if (field.kind === 'time') values[field.key] = time_for_input(v ?? '');
        else values[field.key] = v === undefined || v === null ? '' : String(v);
    }
    return values;
}
