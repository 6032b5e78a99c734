// The reference planning case (the day-ahead 40-vehicle case of scenarios/day_ahead_40ev.lua, with a
// time-of-use tariff in place of market prices), drawn from a seeded generator so that the page, the
// documented request (docs/examples/plan_40ev.json) and the test all see the same 40 vehicles.

export const EXAMPLE_SEED = 20261124;

// mulberry32: tiny, and identical in every JavaScript engine, unlike Math.random.
function mulberry32(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const pad = (n) => String(n).padStart(2, '0');

// Minutes after midnight on the plan's day, as local time without offset (the site's zone).
function local_time(date, minutes) {
    return `${date}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:00`;
}

export function example_request() {
    const random = mulberry32(EXAMPLE_SEED);
    const pick = (values) => values[Math.floor(random() * values.length)];
    const between = (lo, hi, step) => lo + step * Math.floor(random() * ((hi - lo) / step + 1));
    const date = '2026-11-24';
    const count = 40;

    const vehicles = [];
    for (let i = 1; i <= count; ++i) {
        const arrival = between(5 * 60, 16 * 60, 5);
        const stay = between(60, 5 * 60, 15);
        const max_kw = pick([6, 7, 11, 22]);
        const capacity_kwh = pick([30, 52, 88, 100]);
        const soc = Math.round((0.1 + 0.4 * random()) * 100) / 100;
        // Up to 90 % state of charge, but never more than three quarters of what the vehicle's own
        // charger could give it during its stay: the site limit makes the plan matter, yet a good
        // plan can meet every request.
        const wanted = Math.min(capacity_kwh * (0.9 - soc), 0.75 * max_kw * (stay / 60));
        vehicles.push({
            id: `EV${pad(i)}`,
            charger: `CP${pad(i)}`,
            arrival: local_time(date, arrival),
            departure: local_time(date, arrival + stay),
            energy_kwh: Math.floor(wanted * 10) / 10,
            soc,
            capacity_kwh,
            max_kw,
        });
    }

    const chargers = [];
    for (let i = 1; i <= count; ++i) chargers.push({ id: `CP${pad(i)}`, max_kw: 22 });

    return {
        site: {
            name: 'depot',
            timezone: 'Europe/Amsterdam',
            grid: { import_kw: 100 },
            chargers,
            tariff: {
                currency: 'EUR',
                bands: [
                    { from: '00:00', price: 0.12 },
                    { from: '07:00', price: 0.3 },
                    { from: '22:00', price: 0.12 },
                ],
                demand_charge_per_kw: 2,
            },
        },
        vehicles,
        start: `${date}T00:00:00`,
        horizon_h: 24,
        step_min: 15,
        strategy: 'mpc',
        baseline: 'edf',
        unit: 'W',
    };
}
