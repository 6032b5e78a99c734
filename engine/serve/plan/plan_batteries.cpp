#include "serve/plan/plan_batteries.hpp"

#include "model/ess_energy.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin::serve {
namespace {

// Battery b's rows: [first, last) of `rows`.
std::pair<std::size_t, std::size_t> rows_of(const std::vector<EssRow>& rows, std::uint32_t b) {
    const auto first = std::lower_bound(rows.begin(), rows.end(), b,
                                        [](const EssRow& r, std::uint32_t ess) { return r.ess < ess; });
    const auto last = std::upper_bound(first, rows.end(), b,
                                       [](std::uint32_t ess, const EssRow& r) { return ess < r.ess; });
    return {static_cast<std::size_t>(first - rows.begin()), static_cast<std::size_t>(last - rows.begin())};
}

}  // namespace

std::vector<BatteryEnd> battery_ends(const std::vector<EssRequest>& ess, const std::vector<EssRow>& rows,
                                     Time end) {
    std::vector<BatteryEnd> out;
    for (std::size_t b = 0; b < ess.size(); ++b) {
        const EssRequest& e = ess[b];
        BatteryEnd r;
        r.name = e.name;
        r.capacity_kwh = e.capacity_kwh;
        r.stored_kwh = e.soc * e.capacity_kwh;
        // The engine's SoC at the battery's last row, and that row's power to the end.
        const auto [first, last] = rows_of(rows, static_cast<std::uint32_t>(b));
        if (first < last) {
            const EssRow& row = rows[last - 1];
            const double hours = (end - row.t).hours_f();
            r.stored_kwh = row.soc * e.capacity_kwh +
                           stored_change_kwh(row.grid_kw, hours, e.charge_efficiency, e.discharge_efficiency);
        }
        r.value = e.end_value_per_kwh * (r.stored_kwh - e.soc * e.capacity_kwh);
        r.end_soc_wanted = e.end_soc;
        if (e.end_soc) r.short_kwh = std::max(0.0, *e.end_soc * e.capacity_kwh - r.stored_kwh);
        out.push_back(r);
    }
    return out;
}

nlohmann::json batteries_json(const std::vector<BatteryEnd>& ends, const std::vector<EssRow>& rows,
                              const StepGrid& grid, Time end) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t b = 0; b < ends.size(); ++b) {
        std::vector<double> power_kw(grid.steps());
        const auto [first, last] = rows_of(rows, static_cast<std::uint32_t>(b));
        for (std::size_t i = first; i < last; ++i)
            add_to_steps(grid, rows[i].t, i + 1 < last ? rows[i + 1].t : end, rows[i].grid_kw, power_kw);
        for (double& kw : power_kw) kw = std::round(kw * 1000.0) / 1000.0 + 0.0;
        out.push_back({{"name", ends[b].name},
                       {"power_kw", std::move(power_kw)},
                       {"end_soc", ends[b].soc()},
                       {"end_value", ends[b].value}});
    }
    return out;
}

nlohmann::json battery_misses(const std::vector<BatteryEnd>& ends) {
    nlohmann::json out = nlohmann::json::array();
    for (const BatteryEnd& e : ends)
        if (e.end_soc_wanted)
            out.push_back({{"name", e.name},
                           {"end_soc_wanted", *e.end_soc_wanted},
                           {"end_soc", e.soc()},
                           {"short_kwh", e.short_kwh}});
    return out;
}

}  // namespace evtwin::serve
