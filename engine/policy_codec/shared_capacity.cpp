#include "policy_codec/shared_capacity.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace evtwin {
namespace {

// The later periods the pass looks at: a week of 5-minute periods. Beyond, no spare import is
// counted (minima rise early rather than late).
constexpr std::size_t kMaxPeriods = 7 * 24 * 12;
constexpr double kEpsilonKwh = 1e-9;

// The grid connection's fixed flow (base load less PV) over [t, t + period): the highest forecast
// median in it (the forecast's last value beyond its end), or the flow now without a forecast.
double fixed_flow_kw(const Observation& o, Time t, Duration period) {
    const Forecast* f = o.forecast;
    if (!f || f->step.ms() <= 0 || (f->base_load_kw.empty() && f->pv_kw.empty()))
        return o.nodes[0].fixed_flow_kw;
    auto index = [&](Time at) {
        return static_cast<std::size_t>(std::max<std::int64_t>(0, (at - f->start).ms() / f->step.ms()));
    };
    auto value = [](const std::vector<double>& v, std::size_t k) {
        return v.empty() ? 0.0 : v[std::min(k, v.size() - 1)];
    };
    double highest = -INFINITY;
    const std::size_t last = index(t + period - Duration(1));
    for (std::size_t k = index(t); k <= last; ++k)
        highest = std::max(highest, value(f->base_load_kw, k) - value(f->pv_kw, k));
    return highest;
}

}  // namespace

void site_safe_ranges(const Observation& o, Duration margin, std::span<SafeRange> ranges) {
    const std::size_t n = o.sessions.size();
    for (std::size_t i = 0; i < n; ++i)
        ranges[i] = safe_range(o.sessions[i], o.now, o.control_period, margin);
    const double h = o.control_period.hours_f();
    if (n == 0 || o.nodes.empty() || !std::isfinite(o.nodes[0].import_limit_kw) || !(h > 0.0)) return;

    // Grid-side energy each session still wants after this period, and the hours it has left.
    thread_local std::vector<double> need, left_h, spare, placed;  // reused: no allocation per step
    thread_local std::vector<std::size_t> order;
    need.assign(n, 0.0);
    left_h.assign(n, 0.0);
    std::size_t periods = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const SessionView& s = o.sessions[i];
        left_h[i] = (s.declared_departure - o.now - margin).hours_f();
        if (left_h[i] <= h || s.max_charge_kw <= 0.0 || s.remaining_kwh <= 0.0) continue;
        need[i] = s.remaining_kwh / (s.charge_efficiency > 0.0 ? s.charge_efficiency : 1.0);
        periods = std::max(periods, static_cast<std::size_t>(std::ceil(left_h[i] / h - 1.0)));
    }
    periods = std::min(periods, kMaxPeriods);
    if (periods == 0) return;

    spare.resize(periods);
    for (std::size_t k = 0; k < periods; ++k) {
        const Time start = o.now + o.control_period * static_cast<std::int64_t>(k + 1);
        spare[k] = std::max(0.0, o.nodes[0].import_limit_kw - fixed_flow_kw(o, start, o.control_period)) * h;
    }
    // Where the sessions together at full power fit every later period, each may wait as it would alone.
    double all_kw = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        if (need[i] > 0.0) all_kw += o.sessions[i].max_charge_kw;
    if (all_kw * h <= *std::min_element(spare.begin(), spare.end())) return;

    // Hours of later period k (0: the one after this) that session i is still plugged.
    auto plugged_h = [&](std::size_t i, std::size_t k) {
        return std::clamp(left_h[i] - static_cast<double>(k + 1) * h, 0.0, h);
    };

    // As late as possible: from the last period back, the sessions that still want most first.
    placed.assign(n * periods, 0.0);
    for (std::size_t k = periods; k-- > 0;) {
        order.clear();
        for (std::size_t i = 0; i < n; ++i)
            if (need[i] > kEpsilonKwh && plugged_h(i, k) > 0.0) order.push_back(i);
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return need[a] > need[b]; });
        for (std::size_t i : order) {
            const double kwh = std::min({need[i], o.sessions[i].max_charge_kw * plugged_h(i, k), spare[k]});
            placed[i * periods + k] = kwh;
            need[i] -= kwh;
            spare[k] -= kwh;
        }
    }

    // What found no room later must come now; a session that must charge now may not discharge.
    double refill_kwh = 0.0;  // grid side, what the sessions that may discharge would need back
    for (std::size_t i = 0; i < n; ++i) {
        SafeRange& r = ranges[i];
        if (need[i] > kEpsilonKwh) {
            r.min_kw = std::clamp(std::max(r.min_kw, need[i] / std::min(h, left_h[i])), 0.0, r.max_kw);
            r.discharge_kw = 0.0;
            continue;
        }
        if (r.discharge_kw <= 0.0) continue;
        // Discharging q for the period costs q·h/eff² from the grid to put back, within the spare
        // import of the periods the session is still plugged and its own unused rate.
        const SessionView& s = o.sessions[i];
        const double eff = s.charge_efficiency > 0.0 ? s.charge_efficiency : 1.0;
        double room_kwh = 0.0;
        for (std::size_t k = 0; k < periods; ++k)
            room_kwh += std::min(spare[k], s.max_charge_kw * plugged_h(i, k) - placed[i * periods + k]);
        r.discharge_kw = std::min(r.discharge_kw, std::max(0.0, room_kwh) * eff * eff / h);
        refill_kwh += r.discharge_kw * h / (eff * eff);
    }
    const double spare_kwh = std::accumulate(spare.begin(), spare.end(), 0.0);
    if (refill_kwh > spare_kwh)
        for (SafeRange& r : ranges) r.discharge_kw *= spare_kwh / refill_kwh;
}

}  // namespace evtwin
