// CSV as spreadsheets write it: a header row, comma or semicolon separated (the separator is the one
// the header uses), fields optionally in double quotes with "" for a quote. Every error names the line.
import { VEHICLE_FIELDS, check_cell } from './vehicle_fields.js';

export class CsvError extends Error {
    constructor(line, message) {
        super(`CSV line ${line}: ${message}`);
        this.line = line;
    }
}

// -> [{line, cells}], one per non-empty record; `line` is the file's line where the record starts.
export function parse_csv(text) {
    const source = text.replace(/^\ufeff/, '');
    const first = source.split(/\r?\n/, 1)[0];
    const separator = (first.match(/;/g) ?? []).length > (first.match(/,/g) ?? []).length ? ';' : ',';
    const records = [];
    let cells = [], cell = '', quoted = false, line = 1, record_line = 1, i = 0;
    const end_record = () => {
        cells.push(cell);
        if (cells.length > 1 || cells[0].trim() !== '') records.push({ line: record_line, cells });
        cells = [];
        cell = '';
    };
    while (i < source.length) {
        const c = source[i];
        if (quoted) {
            if (c === '"' && source[i + 1] === '"') { cell += '"'; i += 2; continue; }
            if (c === '"') { quoted = false; ++i; continue; }
            if (c === '\n') ++line;
            cell += c;
            ++i;
            continue;
        }
        if (c === '"' && cell.trim() === '') { quoted = true; cell = ''; ++i; continue; }
        if (c === separator) { cells.push(cell); cell = ''; ++i; continue; }
        if (c === '\r' && source[i + 1] === '\n') { ++i; continue; }
        if (c === '\n') { end_record(); ++line; record_line = line; ++i; continue; }
        cell += c;
        ++i;
    }
    if (quoted) throw new CsvError(record_line, 'a quoted field is not closed');
    end_record();
    return records;
}

// Spreadsheets in many locales write 12,5 for 12.5 (in semicolon-separated files, or quoted).
function decimal_point(field, text) {
    return field.kind === 'number' && /^\s*-?\d+,\d+\s*$/.test(text) ? text.replace(',', '.') : text;
}

// The vehicles of a CSV file -> table rows' values. The header names the columns (any order, any
// case); only `id`, `arrival` and `departure` are required.
export function vehicles_from_csv(text) {
    const records = parse_csv(text);
    if (records.length === 0) throw new CsvError(1, 'the file is empty: expected a header row');
    const header = records[0];
    const by_key = new Map(VEHICLE_FIELDS.map((f) => [f.key, f]));
    const columns = header.cells.map((name) => {
        const key = name.trim().toLowerCase();
        if (!by_key.has(key))
            throw new CsvError(header.line, `unknown column "${name.trim()}": expected ${VEHICLE_FIELDS.map((f) => f.key).join(', ')}`);
        return by_key.get(key);
    });
    for (const field of VEHICLE_FIELDS)
        if (field.required && !columns.includes(field))
            throw new CsvError(header.line, `the header has no "${field.key}" column`);
    if (records.length === 1) throw new CsvError(header.line, 'no vehicle after the header row');

    const ids = new Map();
    return records.slice(1).map(({ line, cells }) => {
        if (cells.length !== columns.length)
            throw new CsvError(line, `${cells.length} fields, the header has ${columns.length}`);
        const values = {};
        for (const field of VEHICLE_FIELDS) values[field.key] = field.kind === 'bool' ? false : '';
        columns.forEach((field, c) => {
            try {
                values[field.key] = check_cell(field, decimal_point(field, cells[c]));
            } catch (e) {
                throw new CsvError(line, e.message);
            }
        });
        if (ids.has(values.id)) throw new CsvError(line, `vehicle "${values.id}" is already on line ${ids.get(values.id)}`);
        ids.set(values.id, line);
        return values;
    });
}
