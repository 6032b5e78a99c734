#include "record/writer/run_config_json.hpp"

#include "model/scenario_spec.hpp"
#include "util/json_text.hpp"

namespace evtwin {

namespace {

void write_chargers(JsonText& j, const std::vector<ChargerSpec>& chargers) {
    j.key("chargers").open_array();
    for (const ChargerSpec& c : chargers) {
        j.open_object()
            .member("connectors", c.connectors)
            .member("dc", c.dc)
            .member("efficiency", c.efficiency)
            .member("max_kw", c.max_kw)
            .member("min_kw", c.min_kw)
            .member("name", c.name)
            .member("parent", c.parent)
            .member("phase_deg", c.phase_deg)
            .key("setpoints_kw")
            .open_array();
        for (const double kw : c.setpoints_kw) j.value(kw);
        j.close_array().member("v2g_capable", c.v2g_capable).member("voltage_v", c.voltage_v).close_object();
    }
    j.close_array();
}

void write_forecast(JsonText& j, const ForecastSpec& forecast) {
    const auto target = [&](ForecastTarget t) {
        const ForecasterChoice& choice = forecast.choice(t);
        j.key(target_name(t)).open_object().member("name", choice.name).member("options", choice.options);
        j.close_object();
    };
    j.key("forecast").open_object();
    target(ForecastTarget::demand);
    j.member("history_ms", forecast.history.ms()).member("holidays", forecast.holidays);
    target(ForecastTarget::load);
    target(ForecastTarget::pv);
    j.close_object();
}

void write_nodes(JsonText& j, const std::vector<NodeSpec>& nodes) {
    j.key("nodes").open_array();
    for (const NodeSpec& n : nodes) {
        j.open_object()
            .member("export_limit_kw", n.export_limit_kw)
            .member("import_limit_kw", n.import_limit_kw)
            .member("kind", to_string(n.kind))
            .member("name", n.name)
            .key("parent");
        if (n.parent == kNone)
            j.null();
        else
            j.value(n.parent);
        j.close_object();
    }
    j.close_array();
}

void write_phase_constraints(JsonText& j, const std::vector<PhaseConstraintSpec>& constraints) {
    j.key("phase_constraints").open_array();
    for (const PhaseConstraintSpec& k : constraints) {
        j.open_object().member("limit_a", k.limit_a).member("name", k.name).key("terms").open_array();
        for (const PhaseTermSpec& t : k.terms)
            j.open_object().member("charger", t.charger).member("coefficient", t.coefficient).close_object();
        j.close_array().close_object();
    }
    j.close_array();
}

}  // namespace

// Members by name at every level: the text is what nlohmann::json's dump() gives for the same values.
std::string run_config_json(const ScenarioSpec& spec) {
    JsonText j;
    j.open_object();
    write_chargers(j, spec.chargers);
    j.member("control_period_ms", spec.control_period.ms());
    const Economics& e = spec.economics;
    j.key("economics")
        .open_object()
        .member("charging_price_per_kwh", e.charging_price_per_kwh)
        .member("ess_degradation_per_kwh", e.ess_degradation_per_kwh)
        .member("ev_degradation_per_kwh", e.ev_degradation_per_kwh)
        .member("v2g_price_factor", e.v2g_price_factor)
        .close_object();
    j.member("end_ms", spec.end.ms());
    if (spec.forecast.pv.name != "perfect" || spec.forecast.load.name != "perfect" ||
        spec.forecast.demand.name != "perfect")
        write_forecast(j, spec.forecast);
    j.member("forecast_horizon_ms", spec.forecast_horizon.ms());
    j.key("loads").open_array();
    for (const LoadSpec& l : spec.loads) {
        j.open_object()
            .member("name", l.name)
            .member("node", l.node)
            .member("profile_points", l.kw.t.size())
            .close_object();
    }
    j.close_array();
    if (spec.decision_period_mode) j.member("mode", spec.acn_compatible ? "acnsim" : "decision_period");
    j.member("name", spec.name);
    write_nodes(j, spec.nodes);
    write_phase_constraints(j, spec.phase_constraints);
    j.key("pv").open_array();
    for (const PvSpec& p : spec.pv) {
        j.open_object()
            .member("kwp", p.kwp)
            .member("name", p.name)
            .member("node", p.node)
            .member("profile_points", p.profile.t.size())
            .close_object();
    }
    j.close_array();
    j.member("seed", spec.seed)
        .member("sessions", spec.sessions.size())
        .member("source_file", spec.source_file)
        .member("start_ms", spec.start.ms())
        .member("strategy", spec.strategy)
        .member("strategy_options", spec.strategy_options);
    if (spec.tariff) {
        j.key("tariff")
            .open_object()
            .member("currency", spec.tariff->currency())
            .member("name", spec.tariff->name())
            .close_object();
    }
    j.member("timezone", spec.timezone).close_object();
    return j.text();
}

}  // namespace evtwin
