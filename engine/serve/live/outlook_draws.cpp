#include "serve/live/outlook_draws.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin::serve {

namespace {

constexpr double kMinStayH = 0.25;

double series_at_level(const std::vector<double>& p10, const std::vector<double>& p50,
                       const std::vector<double>& p90, std::size_t k, double level) {
    if (k >= p50.size()) return 0.0;
    if (p10.size() <= k || p90.size() <= k) return std::max(0.0, p50[k]);
    const double value = level <= 0.5 ? p50[k] + (level - 0.5) / 0.4 * (p50[k] - p10[k])
                                      : p50[k] + (level - 0.5) / 0.4 * (p90[k] - p50[k]);
    return std::max(0.0, value);
}

// The energy an arriving vehicle asks for on average over the whole forecast: for a step where
// vehicles are drawn but the forecast expects no energy.
double mean_energy_per_vehicle(const DemandForecast& d) {
    double vehicles = 0.0, energy = 0.0;
    for (std::size_t k = 0; k < d.arrivals.p50.size() && k < d.energy_kwh.p50.size(); ++k) {
        vehicles += d.arrivals.p50[k];
        energy += d.energy_kwh.p50[k];
    }
    return vehicles > 0.0 ? energy / vehicles : 0.0;
}

}  // namespace

double at_level(const Quantiles& q, std::size_t k, double level) {
    return series_at_level(q.p10, q.p50, q.p90, k, level);
}

FutureDraw draw_future(const Forecast& f, Time from, Time until, const TypicalVehicle& typical, Rng* rng) {
    const auto level = [&] { return rng ? rng->uniform() : 0.5; };
    const double pv_level = level(), load_level = level(), energy_level = level();
    FutureDraw out;
    out.pv_kw.resize(f.pv_kw.size());
    for (std::size_t k = 0; k < f.pv_kw.size(); ++k)
        out.pv_kw[k] = series_at_level(f.pv_kw_p10, f.pv_kw, f.pv_kw_p90, k, pv_level);
    out.load_kw.resize(f.base_load_kw.size());
    for (std::size_t k = 0; k < f.base_load_kw.size(); ++k)
        out.load_kw[k] =
            series_at_level(f.base_load_kw_p10, f.base_load_kw, f.base_load_kw_p90, k, load_level);

    const DemandForecast& d = f.demand;
    const double fallback_kwh = mean_energy_per_vehicle(d);
    double running = 0.0;
    SessionId next_id = kExpectedSessionIds;
    for (std::size_t k = 0; k < d.arrivals.p50.size(); ++k) {
        const Time t = f.start + f.step * static_cast<std::int64_t>(k);
        if (t >= until) break;
        const double arrivals = at_level(d.arrivals, k, level());
        const double before = running;
        running += arrivals;
        const auto vehicles =
            static_cast<std::int64_t>(std::floor(running + 1e-9) - std::floor(before + 1e-9));
        if (vehicles <= 0 || t + f.step <= from) continue;
        const double step_kwh = at_level(d.energy_kwh, k, energy_level);
        const double per_vehicle_kwh = step_kwh > 0.0 ? step_kwh / arrivals : fallback_kwh;
        const double stay_h = std::max(kMinStayH, k < d.stay_h.p50.size() ? d.stay_h.p50[k] : 0.0);
        for (std::int64_t v = 0; v < vehicles; ++v) {
            SessionSpec s;
            s.id = next_id++;
            s.arrival = std::max(t, from);
            s.departure = s.declared_departure =
                s.arrival + Duration(static_cast<std::int64_t>(std::llround(stay_h * 3'600'000.0)));
            s.initial_soc = typical.soc;
            s.requested_kwh = per_vehicle_kwh;
            s.vehicle = typical.vehicle;
            // A vehicle asking more than its battery holds above its SoC is a larger one.
            s.vehicle.capacity_kwh =
                std::max(typical.vehicle.capacity_kwh, per_vehicle_kwh / std::max(0.05, 1.0 - typical.soc));
            out.arrivals.push_back(std::move(s));
        }
    }
    return out;
}

}  // namespace evtwin::serve
