#include "serve/plan/plan_misses.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace evtwin::serve {
namespace {

// The engine's tolerance on a limit (power_flow.hpp): less over it is at it.
constexpr double kOverLimitTolerance_kw = 1e-6;
// Misses smaller than the answer's resolution (1 W, 1 Wh) warn of nothing.
constexpr double kWarnFrom = 1e-3;

// What the site's import (or, with -1, its export) exceeds `limit_kw` by while `row` holds.
double excess_kw(const SiteRow& row, double direction, double limit_kw) {
    const double over = direction * row.s.grid_kw - limit_kw;
    return over > kOverLimitTolerance_kw ? over : 0.0;
}

std::vector<double> to_watts(std::vector<double> v) {
    for (double& x : v) x = std::round(x * 1000.0) / 1000.0 + 0.0;
    return v;
}

struct LimitMiss {
    std::vector<double> kw;  // per step, the step's average
    double max_kw = 0.0;     // at any instant
    double kwh = 0.0;
};

LimitMiss limit_miss(const std::vector<SiteRow>& rows, Time end, const StepGrid& grid, double direction,
                     double limit_kw) {
    LimitMiss miss;
    miss.kw.assign(grid.steps(), 0.0);
    if (!std::isfinite(limit_kw)) return miss;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Time from = std::max(rows[i].t, grid.bounds.front());
        const Time until = std::min(i + 1 < rows.size() ? rows[i + 1].t : end, grid.bounds.back());
        const double over = excess_kw(rows[i], direction, limit_kw);
        if (until <= from || over == 0.0) continue;
        add_to_steps(grid, from, until, over, miss.kw);
        miss.max_kw = std::max(miss.max_kw, over);
    }
    for (std::size_t i = 0; i < miss.kw.size(); ++i) miss.kwh += miss.kw[i] * grid.hours(i);
    return miss;
}

double pv_curtailed_kwh(const std::vector<SiteRow>& rows, Time end, const StepGrid& grid) {
    std::vector<double> kw(grid.steps(), 0.0);
    for (std::size_t i = 0; i < rows.size(); ++i)
        add_to_steps(grid, rows[i].t, i + 1 < rows.size() ? rows[i + 1].t : end, rows[i].s.pv_curtailed_kw,
                     kw);
    double kwh = 0.0;
    for (std::size_t i = 0; i < kw.size(); ++i) kwh += kw[i] * grid.hours(i);
    return kwh;
}

nlohmann::json limit_or_null(double kw) {
    return std::isfinite(kw) ? nlohmann::json(kw) : nlohmann::json(nullptr);
}

void warn_of(const nlohmann::json& grid, const char* direction, nlohmann::json& warnings) {
    const std::string key = std::string(direction) + "_overshoot";
    const double max_kw = grid.at("max_" + key + "_kw").get<double>();
    if (max_kw < kWarnFrom) return;
    std::size_t steps = 0;
    for (const nlohmann::json& kw : grid.at(key + "_kw")) steps += kw.get<double>() > 0.0;
    char text[256];
    std::snprintf(text, sizeof text,
                  "the site's %s went over its %.3f kW grid limit in %zu step%s: by up to %.3f kW, "
                  "%.3f kWh in all",
                  direction, grid.at(std::string(direction) + "_limit_kw").get<double>(), steps,
                  steps == 1 ? "" : "s", max_kw, grid.at(key + "_kwh").get<double>());
    warnings.push_back(text);
}

}  // namespace

nlohmann::json plan_misses(const std::vector<SiteRow>& rows, Time end, const StepGrid& grid,
                           const GridLimits& limits, const nlohmann::json& vehicles) {
    const LimitMiss import = limit_miss(rows, end, grid, 1.0, limits.import_kw);
    const LimitMiss exported = limit_miss(rows, end, grid, -1.0, limits.export_kw);
    nlohmann::json short_of = nlohmann::json::array();
    for (const nlohmann::json& v : vehicles)
        if (!v.at("met").get<bool>())
            short_of.push_back({{"id", v.at("id")}, {"unmet_kwh", v.at("unmet_kwh")}});
    return {{"grid",
             {{"import_limit_kw", limit_or_null(limits.import_kw)},
              {"export_limit_kw", limit_or_null(limits.export_kw)},
              {"import_overshoot_kw", to_watts(import.kw)},
              {"export_overshoot_kw", to_watts(exported.kw)},
              {"max_import_overshoot_kw", import.max_kw},
              {"max_export_overshoot_kw", exported.max_kw},
              {"import_overshoot_kwh", import.kwh},
              {"export_overshoot_kwh", exported.kwh},
              {"pv_curtailed_kwh", pv_curtailed_kwh(rows, end, grid)}}},
            {"vehicles", std::move(short_of)}};
}

void add_miss_warnings(const nlohmann::json& misses, nlohmann::json& warnings) {
    const nlohmann::json& grid = misses.at("grid");
    warn_of(grid, "import", warnings);
    warn_of(grid, "export", warnings);
    const auto ess = misses.find("ess");
    if (ess == misses.end()) return;
    for (const nlohmann::json& battery : *ess) {
        const double short_kwh = battery.at("short_kwh").get<double>();
        if (short_kwh < kWarnFrom) continue;
        char text[200];
        std::snprintf(text, sizeof text, "the ESS '%s' ended at SoC %.4f, %.3f kWh short of the %.4f wanted",
                      battery.at("name").get<std::string>().c_str(), battery.at("end_soc").get<double>(),
                      short_kwh, battery.at("end_soc_wanted").get<double>());
        warnings.push_back(text);
    }
}

}  // namespace evtwin::serve
