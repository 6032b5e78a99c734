#include "ocpi/format/usage_slices.hpp"

#include <evtwin/errors.hpp>

#include <algorithm>
#include <set>

namespace evtwin::ocpi {

namespace {

struct Boundaries {
    std::set<int> minutes_of_day{0};
    std::set<double> kwh;
    std::set<std::int64_t> elapsed_ms;
};

Boundaries tariff_boundaries(const Tariff& tariff) {
    Boundaries b;
    for (const TariffElement& e : tariff.elements) {
        if (!e.restrictions) continue;
        const TariffRestrictions& r = *e.restrictions;
        if (r.start_minute) b.minutes_of_day.insert(*r.start_minute);
        if (r.end_minute) b.minutes_of_day.insert(*r.end_minute);
        if (r.min_kwh) b.kwh.insert(*r.min_kwh);
        if (r.max_kwh) b.kwh.insert(*r.max_kwh);
        if (r.min_duration) b.elapsed_ms.insert(*r.min_duration * 1000LL);
        if (r.max_duration) b.elapsed_ms.insert(*r.max_duration * 1000LL);
    }
    return b;
}

// The instants in (a, b) where the local clock shows one of `minutes`.
void clock_cuts(Time a, Time b, const std::set<int>& minutes, const TimeZone& zone, std::vector<Time>& cuts) {
    for (Time day = zone.local_midnight(a); day < b;) {
        // The next local midnight, a day of 23 or 25 hours included.
        const Time next = zone.local_midnight(day + Duration::hours(26));
        if (zone.utc_offset(day) == zone.utc_offset(next - Duration(1))) {
            // No clock change that day: a minute of the day is that many minutes after midnight.
            const auto first =
                minutes.lower_bound(static_cast<int>(std::max<std::int64_t>(0, (a - day).ms() / 60'000)));
            for (auto m = first; m != minutes.end(); ++m) {
                const Time t = day + Duration::minutes(*m);
                if (t >= b) break;
                if (t > a) cuts.push_back(t);
            }
        } else {
            LocalDateTime local = zone.to_local(day);
            for (const int m : minutes) {
                local.hour = m / 60;
                local.minute = m % 60;
                const Time t = zone.to_utc(local);
                if (t > a && t < b) cuts.push_back(t);
            }
        }
        if (next <= day) break;
        day = next;
    }
}

}  // namespace

std::vector<UsageSlice> usage_slices(const Tariff& tariff, const std::vector<ChargingPeriod>& periods,
                                     Time start, Time end, const TimeZone& zone) {
    if (end - start > Duration::days(366))
        throw DataError("a session longer than a year is not priced (from " + std::to_string(start.ms()) +
                        " ms)");
    const Boundaries bounds = tariff_boundaries(tariff);
    std::vector<UsageSlice> slices;
    double kwh_before = 0.0;
    for (std::size_t i = 0; i < periods.size(); ++i) {
        const ChargingPeriod& p = periods[i];
        const Time a = std::max(p.start_date_time, start);
        const Time b = i + 1 < periods.size() ? std::min(periods[i + 1].start_date_time, end) : end;
        if (p.start_date_time < start || (i > 0 && p.start_date_time < periods[i - 1].start_date_time))
            throw DataError("charging periods out of order or before the session's start");
        const double kwh = p.volume("ENERGY").value_or(p.volume("ENERGY_IMPORT").value_or(0.0));
        if (b <= a) {
            kwh_before += kwh;
            continue;
        }
        const double hours = (b - a).hours_f();
        double charging = p.volume("TIME").value_or(0.0);
        double parking = p.volume("PARKING_TIME").value_or(0.0);
        if (!p.volume("TIME") && !p.volume("PARKING_TIME")) (kwh > 0 ? charging : parking) = hours;
        std::optional<double> power = p.volume("POWER");
        if (!power && charging > 0) power = kwh / charging;
        if (!power) power = p.volume("MAX_POWER");
        std::optional<double> current = p.volume("CURRENT");
        if (!current) current = p.volume("MAX_CURRENT");
        if (!current) current = p.volume("MIN_CURRENT");

        std::vector<Time> cuts;
        clock_cuts(a, b, bounds.minutes_of_day, zone, cuts);
        for (const std::int64_t ms : bounds.elapsed_ms) {
            const Time t = start + Duration(ms);
            if (t > a && t < b) cuts.push_back(t);
        }
        if (kwh > 0) {
            for (const double threshold : bounds.kwh) {
                if (threshold <= kwh_before || threshold >= kwh_before + kwh) continue;
                const double fraction = (threshold - kwh_before) / kwh;
                const Time t =
                    a + Duration(static_cast<std::int64_t>(fraction * static_cast<double>((b - a).ms())));
                if (t > a && t < b) cuts.push_back(t);
            }
        }
        cuts.push_back(b);
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        Time from = a;
        for (const Time to : cuts) {
            const double share = static_cast<double>((to - from).ms()) / static_cast<double>((b - a).ms());
            UsageSlice s;
            s.start = from;
            s.end = to;
            s.kwh = kwh * share;
            s.charging_hours = charging * share;
            s.parking_hours = parking * share;
            s.kwh_before = kwh_before;
            s.power_kw = power;
            s.current_a = current;
            slices.push_back(s);
            kwh_before += s.kwh;
            from = to;
        }
    }
    return slices;
}

}  // namespace evtwin::ocpi
