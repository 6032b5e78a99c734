// Days of a site's calendar: "YYYY-MM-DD" in its zone, and the instants their local midnights fall on
// (a day with a DST change is an hour shorter or longer).

const iso = (ms) => new Date(ms).toISOString();

// The instant of local midnight of `date` (YYYY-MM-DD) in the clock's zone.
export function local_midnight(clock, date) {
    const wall = Date.parse(`${date}T00:00:00Z`);
    const offset = (ms) => clock.wall_ms(iso(ms)) - ms;
    return wall - offset(wall - offset(wall));
}

// The site's calendar date of an instant.
export function local_date(clock, ms) {
    return new Date(clock.wall_ms(iso(ms))).toISOString().slice(0, 10);
}

// The date `days` after `date` (both YYYY-MM-DD), and the first of the month `months` after its month.
export function add_days(date, days) {
    return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
export function add_months(date, months) {
    const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + months);
    return d.toISOString().slice(0, 10);
}
