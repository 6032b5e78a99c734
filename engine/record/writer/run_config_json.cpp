#include "record/writer/run_config_json.hpp"

#include "model/scenario_spec.hpp"

#include <nlohmann/json.hpp>

namespace evtwin {

namespace {

using Json = nlohmann::json;

Json node_json(const NodeSpec& n) {
    return {{"name", n.name},
            {"kind", to_string(n.kind)},
            {"parent", n.parent == kNone ? Json() : Json(n.parent)},
            {"import_limit_kw", n.import_limit_kw},
            {"export_limit_kw", n.export_limit_kw}};
}

Json charger_json(const ChargerSpec& c) {
    return {{"name", c.name},
            {"parent", c.parent},
            {"max_kw", c.max_kw},
            {"min_kw", c.min_kw},
            {"setpoints_kw", c.setpoints_kw},
            {"efficiency", c.efficiency},
            {"dc", c.dc},
            {"v2g_capable", c.v2g_capable},
            {"connectors", c.connectors},
            {"voltage_v", c.voltage_v},
            {"phase_deg", c.phase_deg}};
}

Json phase_constraint_json(const PhaseConstraintSpec& k) {
    Json terms = Json::array();
    for (const PhaseTermSpec& t : k.terms)
        terms.push_back({{"charger", t.charger}, {"coefficient", t.coefficient}});
    return {{"name", k.name}, {"limit_a", k.limit_a}, {"terms", std::move(terms)}};
}

Json forecast_json(const ForecastSpec& forecast) {
    Json f = {{"holidays", forecast.holidays}, {"history_ms", forecast.history.ms()}};
    for (ForecastTarget t : {ForecastTarget::pv, ForecastTarget::load, ForecastTarget::demand})
        f[std::string(target_name(t))] = {{"name", forecast.choice(t).name},
                                          {"options", forecast.choice(t).options}};
    return f;
}

}  // namespace

// nlohmann's objects hold their members by name, so the text lists them by name at every level. A
// limit that is not finite (unlimited) is written as null. A string's bytes that are not UTF-8 are
// written as U+FFFD: a scenario's names are whatever bytes its Lua strings hold.
std::string run_config_json(const ScenarioSpec& spec) {
    Json j;
    j["name"] = spec.name;
    j["source_file"] = spec.source_file;
    j["timezone"] = spec.timezone;
    j["start_ms"] = spec.start.ms();
    j["end_ms"] = spec.end.ms();
    j["control_period_ms"] = spec.control_period.ms();
    if (spec.decision_period_mode) j["mode"] = spec.acn_compatible ? "acnsim" : "decision_period";
    j["forecast_horizon_ms"] = spec.forecast_horizon.ms();
    if (spec.forecast.pv.name != "perfect" || spec.forecast.load.name != "perfect" ||
        spec.forecast.demand.name != "perfect")
        j["forecast"] = forecast_json(spec.forecast);
    j["seed"] = spec.seed;
    j["strategy"] = spec.strategy;
    j["strategy_options"] = spec.strategy_options;
    const Economics& e = spec.economics;
    j["economics"] = {{"charging_price_per_kwh", e.charging_price_per_kwh},
                      {"v2g_price_factor", e.v2g_price_factor},
                      {"ev_degradation_per_kwh", e.ev_degradation_per_kwh},
                      {"ess_degradation_per_kwh", e.ess_degradation_per_kwh}};
    if (e.pv_curtailment_cost_per_kwh > 0)
        j["economics"]["pv_curtailment_cost_per_kwh"] = e.pv_curtailment_cost_per_kwh;
    if (!e.charging_tariff.empty()) j["economics"]["charging_tariff"] = Json::parse(e.charging_tariff);
    if (spec.tariff) j["tariff"] = {{"name", spec.tariff->name()}, {"currency", spec.tariff->currency()}};
    j["nodes"] = Json::array();
    for (const NodeSpec& n : spec.nodes) j["nodes"].push_back(node_json(n));
    j["chargers"] = Json::array();
    for (const ChargerSpec& c : spec.chargers) j["chargers"].push_back(charger_json(c));
    j["phase_constraints"] = Json::array();
    for (const PhaseConstraintSpec& k : spec.phase_constraints)
        j["phase_constraints"].push_back(phase_constraint_json(k));
    j["pv"] = Json::array();
    for (const PvSpec& p : spec.pv)
        j["pv"].push_back(
            {{"name", p.name}, {"node", p.node}, {"kwp", p.kwp}, {"profile_points", p.profile.t.size()}});
    j["loads"] = Json::array();
    for (const LoadSpec& l : spec.loads)
        j["loads"].push_back({{"name", l.name}, {"node", l.node}, {"profile_points", l.kw.t.size()}});
    j["sessions"] = spec.sessions.size();
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace evtwin
