// Times as the operator types them and as the page shows them. The API takes local times without an
// offset as the site's local time, so the page never converts a typed time itself: it only tidies it
// up, and shows the server's instants in the site's time zone, whatever the browser's zone is.

// Fractions of a second (the server writes "06:00:00.000Z") are allowed and not kept.
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const TIME_ONLY = /^(\d{1,2}):(\d{2})$/;

const pad = (n) => String(n).padStart(2, '0');

// "2026-11-24 05:30", "2026-11-24T05:30:00+01:00", or "05:30" (on the plan's start date) -> ISO 8601.
export function normalize_time(text, start_date) {
    const value = text.trim();
    let m = DATE_TIME.exec(value);
    if (m) {
        const [, date, h, min, s, offset] = m;
        if (Number(h) > 23 || Number(min) > 59 || Number(s ?? 0) > 59) throw new Error(`"${value}" is not a time of day`);
        return `${date}T${pad(h)}:${min}:${s ?? '00'}${offset ?? ''}`;
    }
    m = TIME_ONLY.exec(value);
    if (m && start_date) {
        if (Number(m[1]) > 23 || Number(m[2]) > 59) throw new Error(`"${value}" is not a time of day`);
        return `${start_date}T${pad(m[1])}:${m[2]}:00`;
    }
    throw new Error(`"${value}" is not a time: expected YYYY-MM-DD HH:MM${start_date ? ' or HH:MM' : ''}`);
}

// The form's datetime-local value ("2026-11-24T00:00") as the API's start.
export function start_from_input(value) {
    return value ? normalize_time(value, null) : '';
}

// An ISO string back into what the form's time cells show: "2026-11-24 05:30".
export function time_for_input(iso) {
    const m = DATE_TIME.exec(iso ?? '');
    if (!m) return iso ?? '';
    const [, date, h, min, s, offset] = m;
    return `${date} ${pad(h)}:${min}${s && s !== '00' ? ':' + s : ''}${offset ?? ''}`;
}

export function has_offset(iso) {
    const m = DATE_TIME.exec(iso ?? '');
    return Boolean(m && m[5]);
}

// Formats instants in the site's zone; a string without offset is already site-local wall time, so
// it is read as UTC and shown in UTC, which keeps its wall clock as it is.
export class SiteClock {
    constructor(timezone) {
        this.zone = SiteClock.valid_zone(timezone) ? timezone : 'UTC';
        const options = { timeZone: this.zone, hourCycle: 'h23' };
        this.hm = new Intl.DateTimeFormat('en-GB', { ...options, hour: '2-digit', minute: '2-digit' });
        this.dhm = new Intl.DateTimeFormat('en-GB', {
            ...options, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
        });
        this.full = new Intl.DateTimeFormat('en-GB', {
            ...options, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
            hour: '2-digit', minute: '2-digit',
        });
        this.parts = new Intl.DateTimeFormat('en-GB', {
            ...options, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
        });
        this.utc_full = new Intl.DateTimeFormat('en-GB', {
            timeZone: 'UTC', hourCycle: 'h23', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
            hour: '2-digit', minute: '2-digit',
        });
        this.utc_hm = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });
        this.utc_dhm = new Intl.DateTimeFormat('en-GB', {
            timeZone: 'UTC', hourCycle: 'h23', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
        });
    }

    static valid_zone(zone) {
        try {
            new Intl.DateTimeFormat('en-GB', { timeZone: zone });
            return Boolean(zone);
        } catch {
            return false;
        }
    }

    // Milliseconds since the epoch of an API time string; NaN when it is not one.
    static instant(iso) {
        if (!iso) return NaN;
        const text = iso.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');  // Date wants +01:00
        return Date.parse(has_offset(iso) ? text : `${text}Z`);
    }

    // `wall`: ms came from a string without offset, so its UTC fields are the site's wall clock.
    format(ms, wall, with_day = true) {
        if (Number.isNaN(ms)) return '';
        if (wall) return (with_day ? this.utc_dhm : this.utc_hm).format(ms);
        return (with_day ? this.dhm : this.hm).format(ms);
    }

    // An API time string in the site's zone: "24 Nov, 05:30", or "05:30" without the day.
    text(iso, with_day = true) {
        const ms = SiteClock.instant(iso);
        return Number.isNaN(ms) ? iso ?? '' : this.format(ms, !has_offset(iso), with_day);
    }

    // The time `seconds` after an API time string (a plan's start and a step's t_s).
    after(iso, seconds, with_day = true) {
        return this.format(SiteClock.instant(iso) + seconds * 1000, !has_offset(iso), with_day);
    }

    // Seconds from `from` to `to` (API time strings): exact when both carry an offset; otherwise
    // between the site's wall clocks, which is what a string without offset gives.
    seconds_between(from, to) {
        if (has_offset(from) && has_offset(to)) return (SiteClock.instant(to) - SiteClock.instant(from)) / 1000;
        return (this.wall_ms(to) - this.wall_ms(from)) / 1000;
    }

    // The site's wall clock of an API time string, as if it were UTC.
    wall_ms(iso) {
        const ms = SiteClock.instant(iso);
        if (!has_offset(iso) || Number.isNaN(ms)) return ms;
        const parts = Object.fromEntries(this.parts.formatToParts(ms).map((p) => [p.type, Number(p.value)]));
        return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
    }

    long(iso) {
        const ms = SiteClock.instant(iso);
        if (Number.isNaN(ms)) return iso ?? '';
        return has_offset(iso) ? this.full.format(ms) : this.utc_full.format(ms);
    }
}
