#include "record/run_config_json.hpp"

#include "model/scenario_spec.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace evtwin {

namespace {

nlohmann::json limit_json(double kw) {
    return std::isinf(kw) ? nlohmann::json() : nlohmann::json(kw);
}

}  // namespace

std::string run_config_json(const ScenarioSpec& spec) {
    using nlohmann::json;
    json j;
    j["name"] = spec.name;
    j["source_file"] = spec.source_file;
    j["timezone"] = spec.timezone;
    j["start_ms"] = spec.start.ms();
    j["end_ms"] = spec.end.ms();
    j["control_period_ms"] = spec.control_period.ms();
    if (spec.decision_period_mode) j["mode"] = spec.acn_compatible ? "acnsim" : "decision_period";
    j["forecast_horizon_ms"] = spec.forecast_horizon.ms();
    if (spec.forecast.pv.name != "perfect" || spec.forecast.load.name != "perfect" ||
        spec.forecast.demand.name != "perfect") {
        json f;
        for (ForecastTarget t : {ForecastTarget::pv, ForecastTarget::load, ForecastTarget::demand})
            f[std::string(target_name(t))] = {{"name", spec.forecast.choice(t).name},
                                              {"options", spec.forecast.choice(t).options}};
        f["holidays"] = spec.forecast.holidays;
        f["history_ms"] = spec.forecast.history.ms();
        j["forecast"] = f;
    }
    j["seed"] = spec.seed;
    j["strategy"] = spec.strategy;
    j["strategy_options"] = spec.strategy_options;
    j["economics"] = {{"charging_price_per_kwh", spec.economics.charging_price_per_kwh},
                      {"v2g_price_factor", spec.economics.v2g_price_factor},
                      {"ev_degradation_per_kwh", spec.economics.ev_degradation_per_kwh},
                      {"ess_degradation_per_kwh", spec.economics.ess_degradation_per_kwh}};
    if (spec.tariff) j["tariff"] = {{"name", spec.tariff->name()}, {"currency", spec.tariff->currency()}};
    json nodes = json::array();
    for (const auto& n : spec.nodes)
        nodes.push_back({{"name", n.name},
                         {"kind", to_string(n.kind)},
                         {"parent", n.parent == kNone ? json() : json(n.parent)},
                         {"import_limit_kw", limit_json(n.import_limit_kw)},
                         {"export_limit_kw", limit_json(n.export_limit_kw)}});
    j["nodes"] = nodes;
    json chargers = json::array();
    for (const auto& c : spec.chargers)
        chargers.push_back({{"name", c.name},
                            {"parent", c.parent},
                            {"max_kw", c.max_kw},
                            {"min_kw", c.min_kw},
                            {"setpoints_kw", c.setpoints_kw},
                            {"efficiency", c.efficiency},
                            {"dc", c.dc},
                            {"v2g_capable", c.v2g_capable},
                            {"connectors", c.connectors},
                            {"voltage_v", c.voltage_v},
                            {"phase_deg", c.phase_deg}});
    j["chargers"] = chargers;
    json phases = json::array();
    for (const auto& k : spec.phase_constraints) {
        json terms = json::array();
        for (const auto& t : k.terms)
            terms.push_back({{"charger", t.charger}, {"coefficient", t.coefficient}});
        phases.push_back({{"name", k.name}, {"limit_a", limit_json(k.limit_a)}, {"terms", terms}});
    }
    j["phase_constraints"] = phases;
    json pv = json::array();
    for (const auto& p : spec.pv)
        pv.push_back(
            {{"name", p.name}, {"node", p.node}, {"kwp", p.kwp}, {"profile_points", p.profile.t.size()}});
    j["pv"] = pv;
    json loads = json::array();
    for (const auto& l : spec.loads)
        loads.push_back({{"name", l.name}, {"node", l.node}, {"profile_points", l.kw.t.size()}});
    j["loads"] = loads;
    j["sessions"] = spec.sessions.size();
    return j.dump();
}

}  // namespace evtwin
