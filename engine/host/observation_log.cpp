#include "host/observation_log.hpp"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace evtwin {

namespace {

// Keys in the order of the SDK's structs, for a reader of the file.
using json = nlohmann::ordered_json;

json number(double v) {
    if (std::isnan(v)) return nullptr;
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    return v;
}

json numbers(std::span<const double> values) {
    json out = json::array();
    for (const double v : values) out.push_back(number(v));
    return out;
}

json index(std::uint32_t i) {
    if (i == kNone) return nullptr;
    return i;
}

// A charge curve as [[soc, fraction], ...].
json curve_json(std::span<const ChargeCurvePoint> curve) {
    json out = json::array();
    for (const ChargeCurvePoint& p : curve) out.push_back(json::array({number(p.soc), number(p.fraction)}));
    return out;
}

// The first value of a series; null when it is empty.
json first(const std::vector<double>& series) {
    return series.empty() ? json(nullptr) : number(series.front());
}

const char* mode_name(RunMode mode) {
    switch (mode) {
        case RunMode::event:
            return "event";
        case RunMode::decision_period:
            return "decision_period";
        case RunMode::acnsim:
            return "acnsim";
    }
    return "?";
}

std::string iso_utc(Time t) {
    using namespace std::chrono;
    const sys_time<milliseconds> at{milliseconds(t.ms())};
    const sys_days day = floor<days>(at);
    const year_month_day ymd{day};
    const hh_mm_ss<milliseconds> clock{at - day};
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()), static_cast<int>(clock.subseconds().count()));
    return text;
}

json wear_json(const BatteryWear& w) {
    return {{"per_kwh", number(w.per_kwh)}, {"per_kwh_h_high", number(w.per_kwh_h_high)}};
}

json node_json(const NodeView& n) {
    return {{"parent", index(n.parent)},
            {"kind", to_string(n.kind)},
            {"import_limit_kw", number(n.import_limit_kw)},
            {"export_limit_kw", number(n.export_limit_kw)},
            {"fixed_flow_kw", number(n.fixed_flow_kw)}};
}

json connector_json(const ConnectorView& c) {
    json j = {{"node", index(c.node)},
              {"charger", index(c.charger)},
              {"max_kw", number(c.max_kw)},
              {"min_kw", number(c.min_kw)},
              {"setpoints_kw", numbers(c.setpoints_kw)},
              {"v2g_capable", c.v2g_capable},
              {"state", to_string(c.state)},
              {"session", index(c.session)},
              {"voltage_v", number(c.voltage_v)},
              {"efficiency", number(c.efficiency)},
              {"dc", c.dc}};
    if (c.reserved) j["reserved_until_ms"] = c.reserved_until.ms();  // held for a driver to come
    return j;
}

json session_json(const SessionView& s) {
    json j = {{"id", s.id},
              {"connector", index(s.connector)},
              {"arrival_ms", s.arrival.ms()},
              {"declared_departure_ms", s.declared_departure.ms()},
              {"expected_departure_ms", s.expected_departure.ms()},
              {"requested_kwh", number(s.requested_kwh)},
              {"delivered_kwh", number(s.delivered_kwh)},
              {"remaining_kwh", number(s.remaining_kwh)},
              {"soc", number(s.soc)},
              {"capacity_kwh", number(s.capacity_kwh)},
              {"min_soc", number(s.min_soc)},
              {"max_charge_kw", number(s.max_charge_kw)},
              {"max_discharge_kw", number(s.max_discharge_kw)},
              {"recharge_kw", number(s.recharge_kw)},
              {"rated_discharge_kw", number(s.rated_discharge_kw)},
              {"charge_efficiency", number(s.charge_efficiency)},
              {"v2g_allowed", s.v2g_allowed},
              {"soh", number(s.soh)},
              {"wear", wear_json(s.wear)},
              {"battery_charge_efficiency", number(s.battery_charge_efficiency)},
              {"battery_discharge_efficiency", number(s.battery_discharge_efficiency)},
              {"charge_curve", curve_json(s.charge_curve)},
              {"curve_rated_kw", number(s.curve_rated_kw)}};
    const ChargingNeeds& needs = s.needs;
    if (needs.min_charge_kw > 0.0 || needs.has_goal(s.arrival))
        j["needs"] = {{"min_charge_kw", number(needs.min_charge_kw)},
                      {"goal_by_ms", needs.goal_by.ms()},
                      {"goal_kwh", number(needs.goal_kwh)},
                      {"value_per_kwh", number(needs.value_per_kwh)}};
    return j;
}

json ess_json(const EssView& e) {
    return {{"node", index(e.node)},
            {"capacity_kwh", number(e.capacity_kwh)},
            {"soc", number(e.soc)},
            {"soc_min", number(e.soc_min)},
            {"soc_max", number(e.soc_max)},
            {"max_charge_kw", number(e.max_charge_kw)},
            {"max_discharge_kw", number(e.max_discharge_kw)},
            {"rated_charge_kw", number(e.rated_charge_kw)},
            {"rated_discharge_kw", number(e.rated_discharge_kw)},
            {"charge_efficiency", number(e.charge_efficiency)},
            {"discharge_efficiency", number(e.discharge_efficiency)},
            {"soh", number(e.soh)},
            {"wear", wear_json(e.wear)},
            {"end_value_per_kwh", number(e.end_value_per_kwh)},
            {"end_soc", number(e.end_soc)},
            {"grid_charge", e.grid_charge},
            {"grid_discharge", e.grid_discharge},
            {"priority", e.priority}};
}

json phase_json(const PhaseConstraintView& k) {
    json terms = json::array();
    for (const ConnectorTerm& t : k.terms)
        terms.push_back({{"connector", index(t.connector)},
                         {"coefficient", number(t.coefficient)},
                         {"amps_per_kw", number(t.amps_per_kw)},
                         {"cos_phase", number(t.cos_phase)},
                         {"sin_phase", number(t.sin_phase)}});
    return {{"limit_a", number(k.limit_a)}, {"terms", std::move(terms)}};
}

json quantiles_json(const Quantiles& q) {
    return {{"p10", first(q.p10)}, {"p50", first(q.p50)}, {"p90", first(q.p90)}};
}

json forecast_json(const Forecast* f) {
    if (!f) return nullptr;
    json flows = json::array();
    for (const NodeFlowForecast& n : f->node_fixed_flow)
        flows.push_back({{"node", index(n.node)}, {"kw", first(n.kw)}, {"steps", n.kw.size()}});
    return {{"start_ms", f->start.ms()},
            {"step_ms", f->step.ms()},
            {"steps", f->import_price.size()},
            {"import_price", first(f->import_price)},
            {"export_price", first(f->export_price)},
            {"pv_kw", first(f->pv_kw)},
            {"base_load_kw", first(f->base_load_kw)},
            {"pv_kw_p10", first(f->pv_kw_p10)},
            {"pv_kw_p90", first(f->pv_kw_p90)},
            {"base_load_kw_p10", first(f->base_load_kw_p10)},
            {"base_load_kw_p90", first(f->base_load_kw_p90)},
            {"demand",
             {{"arrivals", quantiles_json(f->demand.arrivals)},
              {"energy_kwh", quantiles_json(f->demand.energy_kwh)},
              {"stay_h", quantiles_json(f->demand.stay_h)}}},
            {"node_fixed_flow", std::move(flows)}};
}

json demand_json(const DemandView& d) {
    return {{"rate_per_kw", number(d.rate_per_kw)},   {"interval_ms", d.interval.ms()},
            {"peak_kw", number(d.peak_kw)},           {"interval_start_ms", d.interval_start.ms()},
            {"interval_kwh", number(d.interval_kwh)}, {"period_end_ms", d.period_end.ms()}};
}

json economics_json(const EconomicsView& e) {
    return {{"charging_price_per_kwh", number(e.charging_price_per_kwh)},
            {"v2g_price_factor", number(e.v2g_price_factor)},
            {"ev_degradation_per_kwh", number(e.ev_degradation_per_kwh)},
            {"ess_degradation_per_kwh", number(e.ess_degradation_per_kwh)},
            {"pv_curtailment_cost_per_kwh", number(e.pv_curtailment_cost_per_kwh)}};
}

}  // namespace

json observation_json(const Observation& obs) {
    json nodes = json::array(), connectors = json::array(), sessions = json::array(), phases = json::array();
    for (const NodeView& n : obs.nodes) nodes.push_back(node_json(n));
    for (const ConnectorView& c : obs.connectors) connectors.push_back(connector_json(c));
    for (const SessionView& s : obs.sessions) sessions.push_back(session_json(s));
    for (const PhaseConstraintView& k : obs.phase_constraints) phases.push_back(phase_json(k));
    json ess = json::array();
    for (const EssView& e : obs.ess) ess.push_back(ess_json(e));
    json upcoming_ids = json::array();
    for (const UpcomingSession& u : obs.upcoming) upcoming_ids.push_back(u.id);
    json previous = nullptr;
    if (obs.previous)
        previous = {{"connector_kw", numbers(obs.previous->connector_kw)},
                    {"ess_kw", numbers(obs.previous->ess_kw)}};
    json j = {{"now_ms", obs.now.ms()},
              {"mode", mode_name(obs.mode)},
              {"control_period_ms", obs.control_period.ms()},
              {"run_start_ms", obs.run_start.ms()},
              {"run_end_ms", obs.run_end.ms()},
              {"nodes", std::move(nodes)},
              {"connectors", std::move(connectors)},
              {"sessions", std::move(sessions)},
              {"ess", std::move(ess)},
              {"phase_constraints", std::move(phases)},
              {"demand", demand_json(obs.demand)},
              {"economics", economics_json(obs.economics)},
              {"forecast", forecast_json(obs.forecast)},
              {"previous", std::move(previous)},
              {"upcoming", {{"count", obs.upcoming.size()}, {"ids", std::move(upcoming_ids)}}}};
    if (obs.feeder.present) {  // a site on a distribution feeder, simulated
        json voltages = json::array();
        for (const BusVoltageView& v : obs.feeder.voltages)
            voltages.push_back({{"node", index(v.node)},
                                {"phase", v.phase},
                                {"v_pu", number(v.v_pu)},
                                {"v_min_pu", number(v.v_min_pu)},
                                {"v_max_pu", number(v.v_max_pu)}});
        json loadings = json::array();
        for (const BranchLoadingView& b : obs.feeder.loadings)
            loadings.push_back(
                {{"node", index(b.node)}, {"branch", b.branch}, {"loading", number(b.loading)}});
        json attached = json::array();
        for (const AttachedNodeView& a : obs.feeder.attached)
            attached.push_back({{"node", index(a.node)}, {"import_kw", number(a.import_kw)}});
        j["feeder"] = {
            {"v_min_pu", number(obs.feeder.v_min_pu)}, {"v_max_pu", number(obs.feeder.v_max_pu)},
            {"voltages", std::move(voltages)},         {"max_loading", number(obs.feeder.max_loading)},
            {"loadings", std::move(loadings)},         {"attached", std::move(attached)}};
    }
    return j;
}

json decision_json(const Decision& d) {
    json events = json::array();
    for (const StrategyEvent& e : d.events) events.push_back({{"kind", e.kind}, {"detail", e.detail}});
    return {{"connector_kw", numbers(d.connector_kw)},
            {"ess_kw", numbers(d.ess_kw)},
            {"expected_cost", number(d.expected_cost)},
            {"events", std::move(events)},
            {"pv_limit_kw", number(d.pv_limit_kw)}};
}

ObservationLog::ObservationLog(Strategy& inner, const std::filesystem::path& file)
    : inner_(inner), file_(file), out_(file, std::ios::binary | std::ios::trunc) {
    if (!out_)
        throw ObservationLogError("cannot create the observation log " + file.string() + ": " +
                                  std::strerror(errno));
}

void ObservationLog::decide(const Observation& obs, Decision& out) {
    // The Observation as it is handed over: what the strategy reads while it decides is what the
    // line shows, even where its views change later.
    json line = {{"t_ms", obs.now.ms()}, {"time", iso_utc(obs.now)}, {"observation", observation_json(obs)}};
    inner_.decide(obs, out);
    line["decision"] = decision_json(out);
    // Invalid UTF-8 in a strategy's event text is replaced, not thrown: the log never stops a run.
    out_ << line.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    out_.flush();
    if (!out_) throw ObservationLogError("cannot write the observation log " + file_.string());
    ++lines_;
}

}  // namespace evtwin
