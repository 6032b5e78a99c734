#include "serve/plan/plan_result.hpp"

#include "kpi/kpis.hpp"
#include "model/local_time.hpp"
#include "serve/plan/charging_schedule.hpp"
#include "serve/plan/plan_batteries.hpp"
#include "serve/plan/plan_misses.hpp"
#include "serve/plan/step_average.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

namespace evtwin::serve {
namespace {

double kpi_value(const std::vector<Kpi>& kpis, const std::string& name) {
    for (const Kpi& k : kpis) {
        if (k.name == name) return std::isfinite(k.value) ? k.value : 0.0;
    }
    return 0.0;
}

// A JSON number that never holds NaN or infinity (JSON has neither).
double finite(double x) {
    return std::isfinite(x) ? x : 0.0;
}

std::vector<double> rounded(std::vector<double> v) {
    for (double& x : v) x = std::round(x * 1000.0) / 1000.0 + 0.0;
    return v;
}

nlohmann::json kpis_json(const std::vector<Kpi>& kpis, const std::vector<BatteryEnd>& batteries) {
    const double energy_cost = kpi_value(kpis, "energy_cost");
    const double demand_charge = kpi_value(kpis, "demand_charge");
    const double export_revenue = kpi_value(kpis, "export_revenue");
    const double curtailment_cost = kpi_value(kpis, kPvCurtailmentCostKpi);
    // The batteries together: their stored energy over their capacity, and the value they gained.
    double ess_end_value = 0.0, stored_kwh = 0.0, capacity_kwh = 0.0;
    for (const BatteryEnd& b : batteries) {
        ess_end_value += b.value;
        stored_kwh += b.stored_kwh;
        capacity_kwh += b.capacity_kwh;
    }
    return {{"energy_kwh", kpi_value(kpis, "energy_delivered")},
            {"requested_kwh", kpi_value(kpis, "energy_requested")},
            {"cost", energy_cost + demand_charge - export_revenue + curtailment_cost - ess_end_value},
            {"ess_end_soc",
             batteries.empty() ? nlohmann::json(nullptr) : nlohmann::json(stored_kwh / capacity_kwh)},
            {"ess_end_value", ess_end_value},
            {"energy_cost", energy_cost},
            {"demand_charge", demand_charge},
            {"export_revenue", export_revenue},
            {"pv_curtailed_kwh", kpi_value(kpis, "pv_curtailed")},
            {"curtailment_cost", curtailment_cost},
            {"peak_kw", kpi_value(kpis, "peak_import")},
            {"unmet_kwh", std::max(0.0, kpi_value(kpis, "unmet_energy"))},
            {"requests_met_pct", kpi_value(kpis, "sessions_fully_served")},
            {"violations", kpi_value(kpis, "limit_violations")}};
}

// The site's series as step averages (docs/serve.md, RESULT). import_kw is the net import; export_kw
// the exported part alone, so that a step that imports for a while and exports for another keeps
// both in its bill.
nlohmann::json site_profile(const RunReader& reader, RunId run, const std::vector<SiteRow>& rows,
                            const StepGrid& grid, Time end) {
    const std::size_t steps = grid.steps();
    std::vector<double> import_kw(steps), export_kw(steps), ev_kw(steps), pv_kw(steps),
        pv_curtailed_kw(steps), ess_kw(steps), base_load_kw(steps), price(steps), export_price(steps);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Time until = i + 1 < rows.size() ? rows[i + 1].t : end;
        add_to_steps(grid, rows[i].t, until, rows[i].s.grid_kw, import_kw);
        add_to_steps(grid, rows[i].t, until, std::max(0.0, -rows[i].s.grid_kw), export_kw);
        add_to_steps(grid, rows[i].t, until, rows[i].s.ev_kw, ev_kw);
        add_to_steps(grid, rows[i].t, until, rows[i].s.pv_kw, pv_kw);
        add_to_steps(grid, rows[i].t, until, rows[i].s.pv_curtailed_kw, pv_curtailed_kw);
        add_to_steps(grid, rows[i].t, until, rows[i].s.ess_kw, ess_kw);
        add_to_steps(grid, rows[i].t, until, rows[i].s.load_kw, base_load_kw);
    }
    const std::vector<PriceRow> prices = reader.tariff_prices(run);
    for (std::size_t i = 0; i < prices.size(); ++i) {
        const Time until = i + 1 < prices.size() ? prices[i + 1].t : end;
        add_to_steps(grid, prices[i].t, until, prices[i].import_price, price);
        add_to_steps(grid, prices[i].t, until, prices[i].export_price, export_price);
    }
    std::vector<std::int64_t> t_s(steps);
    for (std::size_t i = 0; i < steps; ++i) t_s[i] = (grid.bounds[i] - grid.bounds.front()).ms() / 1000;
    return {{"t_s", t_s},
            {"import_kw", rounded(import_kw)},
            {"export_kw", rounded(export_kw)},
            {"ev_kw", rounded(ev_kw)},
            {"pv_kw", rounded(pv_kw)},
            {"pv_curtailed_kw", rounded(pv_curtailed_kw)},
            {"ess_kw", rounded(ess_kw)},
            {"base_load_kw", rounded(base_load_kw)},
            {"price", price},
            {"export_price", export_price}};
}

// The power at the vehicle (the charger's output) for a power at the charger's grid side.
double at_vehicle(double grid_kw, double efficiency) {
    return grid_kw >= 0.0 ? grid_kw * efficiency : grid_kw / efficiency;
}

ScheduleUnit unit_of(const PlanRequest& request, const std::string& charger) {
    ScheduleUnit unit;
    unit.amps = request.amps;
    for (const ChargerRequest& c : request.site.chargers) {
        if (c.id == charger) {
            unit.phases = c.phases;
            unit.voltage_v = c.voltage_v;
        }
    }
    return unit;
}

std::string shortfall_reason(const SessionRecord& s, const VehicleRequest& v, double charger_kw,
                             double unmet) {
    char text[200];
    if (s.connector == kNone) {
        return "no free charger at its arrival";
    }
    const double most = std::min(v.max_kw, charger_kw) * (s.departure - s.arrival).hours_f();
    if (most < s.requested_kwh - kServedToleranceKwh) {
        std::snprintf(text, sizeof text,
                      "asks for %.1f kWh but its stay allows at most %.1f kWh at full power", s.requested_kwh,
                      most);
    } else {
        std::snprintf(text, sizeof text,
                      "%.1f kWh short: the site's limits or the strategy left it undelivered", unmet);
    }
    return text;
}

// A driver's goal as the plan met it: the energy the vehicle had by the goal's time.
nlohmann::json goal_json(const ChargingNeeds& needs, double by_goal_kwh) {
    const double missed = std::max(0.0, needs.goal_kwh - by_goal_kwh);
    return {{"by", format_utc(needs.goal_by)},
            {"energy_kwh", needs.goal_kwh},
            {"value_per_kwh", needs.value_per_kwh},
            {"delivered_kwh", by_goal_kwh},
            {"missed_kwh", missed},
            {"met", missed <= kServedToleranceKwh}};
}

}  // namespace

double plan_cost(const nlohmann::json& result) {
    return result.at("kpis").at("cost").get<double>();
}

nlohmann::json plan_result(const RunReader& reader, RunId run, const PlanRequest& request,
                           const PlanRun& plan_run) {
    const RunRecord record = reader.run(run);
    const StepGrid grid = request.grid();
    const Time end = record.data_end();
    const SiteTree site = reader.site(run);

    std::map<ConnectorIndex, std::vector<PowerStep>> power_of;
    reader.for_each_connector_row(run, [&](const ConnectorRow& row) {
        power_of[row.connector].push_back({row.t, row.grid_kw});
    });

    nlohmann::json vehicles = nlohmann::json::array();
    std::vector<nlohmann::json> by_request(request.vehicles.size());
    for (const SessionRecord& s : reader.sessions(run)) {
        const std::size_t index = plan_run.vehicle_of_session.at(s.id);
        const VehicleRequest& v = request.vehicles[index];
        const double unmet = std::max(0.0, s.requested_kwh - s.delivered_kwh);
        nlohmann::json out = {{"id", v.id},
                              {"charger", nullptr},
                              {"arrival", format_utc(s.arrival)},
                              {"departure", format_utc(s.departure)},
                              {"requested_kwh", finite(s.requested_kwh)},
                              {"delivered_kwh", finite(s.delivered_kwh)},
                              {"unmet_kwh", unmet},
                              {"met", unmet <= kServedToleranceKwh},
                              {"reason", nullptr}};
        std::vector<double> power(grid.steps());
        std::vector<PowerStep> steps;
        double charger_kw = 0.0;
        double by_goal_kwh = 0.0;
        if (s.connector != kNone) {
            const ConnectorRecord& connector = site.connectors.at(s.connector);
            out["charger"] = connector.charger_name;
            charger_kw = connector.max_kw;
            const std::vector<PowerStep>& rows = power_of[s.connector];
            for (std::size_t i = 0; i < rows.size(); ++i) {
                const Time until = i + 1 < rows.size() ? rows[i + 1].t : end;
                if (until <= s.arrival || rows[i].t >= s.departure) continue;
                const Time from = std::max(rows[i].t, s.arrival);
                add_to_steps(grid, from, std::min(until, s.departure), rows[i].kw, power);
                steps.push_back({from, at_vehicle(rows[i].kw, connector.efficiency)});
                const Time to_goal = std::min({until, s.departure, v.needs.goal_by});
                if (to_goal > from) by_goal_kwh += steps.back().kw * (to_goal - from).hours_f();
            }
            out["charging_schedule"] =
                charging_schedule(s.arrival, s.departure, steps, unit_of(request, connector.charger_name));
        } else {
            out["charging_schedule"] = nullptr;
        }
        if (unmet > kServedToleranceKwh) out["reason"] = shortfall_reason(s, v, charger_kw, unmet);
        if (v.needs.has_goal(v.arrival)) {
            // With a goal, the goal is what the vehicle must have; the rest of its request is optional.
            out["goal"] = goal_json(v.needs, by_goal_kwh);
            const double missed = out["goal"]["missed_kwh"].get<double>();
            out["met"] = out["goal"]["met"];
            out["unmet_kwh"] = missed;
            out["reason"] = nullptr;
            if (!out["met"].get<bool>()) {
                char text[160];
                std::snprintf(text, sizeof text, "%.3f kWh short of its goal of %.3f kWh by %s", missed,
                              v.needs.goal_kwh, format_utc(v.needs.goal_by).c_str());
                out["reason"] = text;
            }
        }
        out["power_kw"] = rounded(std::move(power));
        by_request[index] = std::move(out);
    }
    for (nlohmann::json& v : by_request) {
        if (!v.is_null()) vehicles.push_back(std::move(v));
    }
    const std::vector<SiteRow> rows = reader.site_series(run);
    const NodeSpec& connection = plan_run.spec.nodes.at(0);
    nlohmann::json misses =
        plan_misses(rows, end, grid, {connection.import_limit_kw, connection.export_limit_kw}, vehicles);
    const std::vector<EssRow> ess_rows = reader.ess_series(run);
    const std::vector<BatteryEnd> batteries = battery_ends(request.site.ess, ess_rows, end);
    if (nlohmann::json short_of = battery_misses(batteries); !short_of.empty())
        misses["ess"] = std::move(short_of);
    return {{"strategy", record.info.strategy_name},
            {"run_id", run},
            {"fallback", nullptr},
            {"kpis", kpis_json(reader.kpis(run), batteries)},
            {"site_profile", site_profile(reader, run, rows, grid, end)},
            {"ess", batteries_json(batteries, ess_rows, grid, end)},
            {"vehicles", std::move(vehicles)},
            {"misses", std::move(misses)}};
}

}  // namespace evtwin::serve
