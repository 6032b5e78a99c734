// Synthetic sessions from the ElaadNL statistics. Per local day of the site: the number of arrivals
// is Poisson (mean by day type); each arrival's slot is drawn from the slot shares and its instant is
// uniform within the slot; energy and stay are the slot's mean times a mean-1 shape draw, the
// request then capped by the battery and (by default) by what the vehicle can take during its stay;
// the EV model is drawn by registrations. Only evtwin::Rng is used, so a seed gives the same sessions with
// any standard library. The draws per arrival always come in the same order and number (the
// declared-departure noise is drawn even when its sd is 0), so changing one option does not shift
// the stream for the others.
#include "data/arrivals.hpp"
#include "data/elaadnl_tables.hpp"
#include "data/ev_models.hpp"
#include "data/number_range.hpp"
#include "model/local_time.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace evtwin {
namespace {

// Shortest stay and the earliest declared departure after arrival: a session of zero length is not
// a session, and a strategy must never be told a departure before the arrival.
constexpr Duration kMinStay = Duration::minutes(5);

// Poisson by counting unit-rate exponential gaps that fit in `mean`: exact, and fine for the means
// of a site (the cost is one draw per arrival, which we make anyway).
std::uint64_t poisson(double mean, Rng& rng) {
    std::uint64_t n = 0;
    double t = rng.exponential(1.0);
    while (t < mean) {
        ++n;
        t += rng.exponential(1.0);
    }
    return n;
}

std::size_t draw_slot(const std::vector<double>& cumulative, Rng& rng) {
    const double u = rng.uniform() * cumulative.back();
    const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
    return std::min(static_cast<std::size_t>(it - cumulative.begin()), cumulative.size() - 1);
}

std::vector<double> cumulative_of(const std::vector<double>& shares) {
    std::vector<double> c(shares.size());
    double sum = 0.0;
    for (std::size_t i = 0; i < shares.size(); ++i) c[i] = sum += shares[i];
    return c;
}

Duration hours_to_duration(double h) {
    return Duration(static_cast<std::int64_t>(std::llround(h * 3'600'000.0)));
}

void check_params(const ElaadnlParams& p) {
    auto bad = [](const std::string& what) { throw DataError("ElaadNL generator: " + what); };
    if (!(p.arrivals_per_weekday >= 0.0) || !std::isfinite(p.arrivals_per_weekday)) {
        bad("arrivals_per_weekday must be a finite number >= 0");
    }
    if (!(p.arrivals_per_weekend_day >= 0.0) || !std::isfinite(p.arrivals_per_weekend_day)) {
        bad("arrivals_per_weekend_day must be a finite number >= 0");
    }
    if (!(p.declared_departure_noise_h >= 0.0 && p.declared_departure_noise_h <= kMostHours)) {
        bad("declared_departure_noise_h must be a number of hours from 0 to 8784");
    }
    if (!(p.min_initial_soc >= 0.0 && p.min_initial_soc < 1.0)) bad("min_initial_soc must be in [0, 1)");
}

}  // namespace

std::vector<SessionSpec> generate_elaadnl_sessions(const ElaadnlParams& params, Time start, Time end,
                                                   Rng& rng) {
    check_params(params);
    const ElaadnlTables tables = load_elaadnl_tables(params.data_dir, params.site_type);
    const auto models =
        load_ev_models(params.data_dir / (params.v2g_fleet ? "elaadnl_ev_specs_v2g_enabled2024.json"
                                                           : "elaadnl_ev_specs.json"));
    const TimeZone zone(params.timezone);
    const auto cum_weekday = cumulative_of(tables.arrival_weekday.values);
    const auto cum_weekend = cumulative_of(tables.arrival_weekend.values);

    std::vector<SessionSpec> sessions;
    if (start >= end) return sessions;
    const double days = (end - start).hours_f() / 24.0 + 1.0;
    const double mean_per_day =
        (5.0 * params.arrivals_per_weekday + 2.0 * params.arrivals_per_weekend_day) / 7.0;
    if (days * mean_per_day > params.most_sessions) {
        char text[200];
        std::snprintf(text, sizeof text,
                      "%.0f days at %.1f arrivals a day would draw about %.0f sessions; a run holds at "
                      "most %.0f (shorten the period or lower the arrival rates)",
                      days, mean_per_day, days * mean_per_day, params.most_sessions);
        throw DataError(std::string("ElaadNL generator: ") + text);
    }
    // Room for the mean number of arrivals and some: growing the vector would move every session.
    sessions.reserve(static_cast<std::size_t>(1.05 * days * mean_per_day + 64.0));
    std::vector<Time> slot_starts;
    for (Time day = zone.local_midnight(start); day < end;
         day = zone.local_midnight(day + Duration::hours(26))) {
        const LocalDateTime date = zone.to_local(day + Duration::hours(12));
        const bool weekend = date.weekday == 0 || date.weekday == 6;
        const SlotTable& slots = weekend ? tables.arrival_weekend : tables.arrival_weekday;
        const auto& cumulative = weekend ? cum_weekend : cum_weekday;
        const std::uint64_t n =
            poisson(weekend ? params.arrivals_per_weekend_day : params.arrivals_per_weekday, rng);
        slot_starts.assign(cumulative.size(), Time::min());  // the day's, converted when first drawn
        for (std::uint64_t k = 0; k < n; ++k) {
            const std::size_t slot = draw_slot(cumulative, rng);
            const int minute = static_cast<int>(slot) * slots.slot_minutes;
            Time& slot_start = slot_starts[slot];
            if (slot_start == Time::min()) {
                LocalDateTime local = date;
                local.hour = minute / 60;
                local.minute = minute % 60;
                local.second = 0;
                local.millisecond = 0;
                slot_start = zone.to_utc(local);
            }
            const auto slot_ms = static_cast<std::uint64_t>(Duration::minutes(slots.slot_minutes).ms());
            const Time arrival = slot_start + Duration(static_cast<std::int64_t>(rng.below(slot_ms)));

            const double energy = tables.mean_energy_kwh.at_minute(minute) * tables.energy.draw(rng);
            const double stay_h = tables.mean_stay_h.at_minute(minute) * tables.stay.draw(rng);
            const EvModel& model = draw_ev_model(models, rng);
            const double soc_draw = rng.uniform();
            const double noise_h = rng.normal() * params.declared_departure_noise_h;
            if (arrival < start || arrival >= end) continue;

            SessionSpec s;
            s.vehicle = model.vehicle;
            const VehicleSpec& v = s.vehicle;
            s.arrival = arrival;
            s.departure = arrival + std::max(hours_to_duration(stay_h), kMinStay);
            s.declared_departure = std::max(s.departure + hours_to_duration(noise_h), arrival + kMinStay);
            // requested_kwh is at the inlet; the battery receives it times the charge efficiency and
            // must hold it on top of the initial SoC, which is at least min_initial_soc.
            const double max_inlet = v.capacity_kwh * (1.0 - params.min_initial_soc) / v.charge_efficiency;
            s.requested_kwh = std::min(energy, max_inlet);
            if (params.feasible_requests)
                s.requested_kwh =
                    std::min(s.requested_kwh, v.max_ac_kw * (s.departure - s.arrival).hours_f());
            const double soc_max = 1.0 - s.requested_kwh * v.charge_efficiency / v.capacity_kwh;
            s.initial_soc =
                params.min_initial_soc + soc_draw * std::max(0.0, soc_max - params.min_initial_soc);
            sessions.push_back(std::move(s));
        }
    }
    sort_by_arrival_and_number(sessions);
    return sessions;
}

}  // namespace evtwin
