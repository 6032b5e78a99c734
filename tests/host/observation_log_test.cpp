// The observation log (host/observation_log.hpp): a decorator that passes every call on to the
// strategy it wraps and writes, after each decision, one JSON line with the whole Observation and
// the Decision.
#include "host/observation_log.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace evtwin::test {
namespace {

using nlohmann::json;

// Answers a fixed decision and counts what it is asked.
class Scripted : public Strategy {
public:
    void decide(const Observation& obs, Decision& out) override {
        ++decisions;
        seen_now = obs.now;
        out.connector_kw[0] = 7.5;
        out.connector_kw[1] = -3.25;
        out.ess_kw = {-2.0};
        out.expected_cost = 1.5;
        out.events.push_back({"replan", "a vehicle came"});
    }
    Foresight foresight() const override { return {Duration::hours(6)}; }
    DecisionScope scope() const override { return DecisionScope::subtree; }

    int decisions = 0;
    Time seen_now;
};

// A site of two nodes and two connectors, one vehicle plugged in, a battery, a forecast, an
// upcoming vehicle, a phase constraint and a previous decision: every kind of field set.
struct Site {
    std::vector<NodeView> nodes{{kNone, NodeKind::grid, 40.0, kUnlimited, 1.25},
                                {0, NodeKind::feeder, 15.0, 15.0, 0.0}};
    std::vector<double> setpoints{0.0, 3.7, 11.0};
    std::vector<ConnectorView> connectors;
    std::vector<SessionView> sessions;
    std::vector<ConnectorTerm> terms{{1, -1.0, 1000.0 / 230.0, 0.5, 0.866}};
    std::vector<PhaseConstraintView> phases;
    std::vector<UpcomingSession> upcoming;
    EssView battery;
    Forecast forecast;
    Decision previous;
    Observation obs;

    Site() {
        ConnectorView a;
        a.node = 2;
        a.charger = 1;
        a.max_kw = 11.0;
        a.state = PilotState::C;
        a.session = 0;
        ConnectorView b = a;
        b.node = 3;
        b.setpoints_kw = setpoints;
        b.v2g_capable = true;
        b.state = PilotState::A;
        b.session = kNone;
        connectors = {a, b};

        SessionView s;
        s.id = 17;
        s.connector = 0;
        s.arrival = Time(1'719'821'520'000);  // 2024-07-01T08:12:00Z
        s.declared_departure = s.expected_departure = Time(1'719'828'120'000);
        s.requested_kwh = 14.0;
        s.delivered_kwh = 0.1;  // not exact in binary: written in its shortest exact form
        s.remaining_kwh = 13.9;
        s.soc = 0.3 + 0.1 / 60.0;
        s.capacity_kwh = 60.0;
        s.min_soc = 0.2;
        s.max_charge_kw = s.recharge_kw = 11.0;
        s.v2g_allowed = true;
        s.soh = 0.97;
        s.wear = {0.0123, 0.0004};
        sessions = {s};

        phases = {{terms, 32.0}};
        UpcomingSession u;
        u.id = 21;
        upcoming = {u};
        forecast.start = Time(1'719'821'400'000);
        forecast.step = Duration::minutes(5);
        forecast.import_price = {0.32, 0.18};
        forecast.export_price = {0.0, 0.0};
        forecast.demand.arrivals.p50 = {0.5};
        forecast.node_fixed_flow = {{1, {-2.5, -3.0}}};
        previous.connector_kw = {4.0, 0.0};
        previous.ess_kw = {1.0};

        obs.now = Time(1'719'821'700'000);  // 2024-07-01T08:15:00Z
        obs.control_period = Duration::minutes(5);
        obs.nodes = nodes;
        obs.connectors = connectors;
        obs.sessions = sessions;
        battery.node = 0;
        battery.capacity_kwh = 20.0;
        battery.soc = 0.5;
        battery.max_charge_kw = battery.rated_charge_kw = 7.0;
        obs.ess = std::span<const EssView>(&battery, 1);
        obs.forecast = &forecast;
        obs.previous = &previous;
        obs.phase_constraints = phases;
        obs.run_start = Time(1'719'820'800'000);
        obs.run_end = obs.run_start + Duration::hours(3);
        obs.demand.interval = Duration::minutes(15);
        obs.demand.period_end = Time::max();
        obs.upcoming = upcoming;
        obs.economics.v2g_price_factor = 1.0;
    }
};

Decision fresh_decision() {
    Decision d;
    d.connector_kw.assign(2, 0.0);
    return d;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

TEST(ObservationLog, PassesEveryCallOnAndAsksForTheWholeSite) {
    const auto file = temp_dir("observation_log_calls") / "obs.jsonl";
    Scripted inner;
    ObservationLog log(inner, file);
    EXPECT_EQ(log.foresight().horizon, Duration::hours(6));
    // A subtree's observation could not be compared with another run's: the whole site, always.
    EXPECT_EQ(log.scope(), DecisionScope::site);

    Site site;
    Decision d = fresh_decision();
    log.decide(site.obs, d);
    EXPECT_EQ(inner.decisions, 1);
    EXPECT_EQ(inner.seen_now, site.obs.now);
    // The decision reaches the engine as the inner strategy made it.
    EXPECT_EQ(d.connector_kw, (std::vector<double>{7.5, -3.25}));
    EXPECT_EQ(d.ess_kw, std::vector<double>{-2.0});
    EXPECT_EQ(d.expected_cost, 1.5);
    ASSERT_EQ(d.events.size(), 1u);
    EXPECT_EQ(log.lines(), 1u);
}

TEST(ObservationLog, WritesTheWholeObservationAndTheDecisionOnOneLine) {
    const auto file = temp_dir("observation_log_fields") / "obs.jsonl";
    Scripted inner;
    Site site;
    {
        ObservationLog log(inner, file);
        Decision d = fresh_decision();
        log.decide(site.obs, d);
        // Flushed at once: what a killed run decided is in the file.
        EXPECT_EQ(lines_of(read_file(file)).size(), 1u);
    }
    const auto lines = lines_of(read_file(file));
    ASSERT_EQ(lines.size(), 1u);
    const json line = json::parse(lines[0]);
    EXPECT_EQ(line["t_ms"], 1'719'821'700'000);
    EXPECT_EQ(line["time"], "2024-07-01T08:15:00.000Z");
    const json& o = line["observation"];
    EXPECT_EQ(o["now_ms"], 1'719'821'700'000);
    EXPECT_EQ(o["mode"], "event");
    EXPECT_EQ(o["control_period_ms"], 300'000);
    EXPECT_EQ(o["run_start_ms"], 1'719'820'800'000);
    EXPECT_EQ(o["run_end_ms"], 1'719'831'600'000);

    ASSERT_EQ(o["nodes"].size(), 2u);
    EXPECT_EQ(o["nodes"][0]["parent"], nullptr);
    EXPECT_EQ(o["nodes"][0]["kind"], "grid");
    EXPECT_EQ(o["nodes"][0]["export_limit_kw"], "inf");  // unlimited, which JSON has no number for
    EXPECT_EQ(o["nodes"][0]["fixed_flow_kw"], 1.25);
    EXPECT_EQ(o["nodes"][1]["parent"], 0);

    ASSERT_EQ(o["connectors"].size(), 2u);
    EXPECT_EQ(o["connectors"][0]["state"], "C");
    EXPECT_EQ(o["connectors"][0]["session"], 0);
    EXPECT_EQ(o["connectors"][1]["session"], nullptr);
    EXPECT_EQ(o["connectors"][1]["setpoints_kw"], json({0.0, 3.7, 11.0}));
    EXPECT_EQ(o["connectors"][1]["v2g_capable"], true);

    ASSERT_EQ(o["sessions"].size(), 1u);
    const json& s = o["sessions"][0];
    // Every field of evtwin::SessionView.
    for (const char* field : {"id",
                              "connector",
                              "arrival_ms",
                              "declared_departure_ms",
                              "expected_departure_ms",
                              "requested_kwh",
                              "delivered_kwh",
                              "remaining_kwh",
                              "soc",
                              "capacity_kwh",
                              "min_soc",
                              "max_charge_kw",
                              "max_discharge_kw",
                              "recharge_kw",
                              "rated_discharge_kw",
                              "charge_efficiency",
                              "v2g_allowed",
                              "soh",
                              "wear",
                              "battery_charge_efficiency",
                              "battery_discharge_efficiency",
                              "charge_curve",
                              "curve_rated_kw"})
        EXPECT_TRUE(s.contains(field)) << field;
    EXPECT_EQ(s.size(), 23u);
    EXPECT_EQ(s["id"], 17);
    EXPECT_EQ(s["arrival_ms"], 1'719'821'520'000);
    EXPECT_EQ(s["delivered_kwh"].get<double>(), 0.1);  // the same double back
    EXPECT_EQ(s["soc"].get<double>(), 0.3 + 0.1 / 60.0);
    EXPECT_EQ(s["min_soc"], 0.2);
    EXPECT_EQ(s["soh"], 0.97);
    EXPECT_EQ(s["wear"]["per_kwh"], 0.0123);
    EXPECT_EQ(s["wear"]["per_kwh_h_high"], 0.0004);

    ASSERT_EQ(o["ess"].size(), 1u);
    const json& ess = o["ess"][0];
    EXPECT_EQ(ess.size(), 18u);  // every field of evtwin::EssView
    EXPECT_EQ(ess["rated_charge_kw"], 7.0);
    EXPECT_EQ(ess["grid_charge"], true);
    EXPECT_EQ(ess["priority"], 0);
    EXPECT_EQ(ess["wear"]["per_kwh"], 0.0);

    ASSERT_EQ(o["phase_constraints"].size(), 1u);
    EXPECT_EQ(o["phase_constraints"][0]["limit_a"], 32.0);
    EXPECT_EQ(o["phase_constraints"][0]["terms"][0]["connector"], 1);
    EXPECT_EQ(o["phase_constraints"][0]["terms"][0]["coefficient"], -1.0);

    EXPECT_EQ(o["demand"]["interval_ms"], 900'000);
    EXPECT_EQ(o["demand"]["period_end_ms"], Time::max().ms());
    EXPECT_EQ(o["economics"]["v2g_price_factor"], 1.0);

    const json& f = o["forecast"];
    EXPECT_EQ(f["start_ms"], 1'719'821'400'000);
    EXPECT_EQ(f["step_ms"], 300'000);
    EXPECT_EQ(f["steps"], 2);
    EXPECT_EQ(f["import_price"], 0.32);  // a series by its first value
    EXPECT_EQ(f["pv_kw"], nullptr);      // empty
    EXPECT_EQ(f["demand"]["arrivals"]["p50"], 0.5);
    EXPECT_EQ(f["demand"]["arrivals"]["p10"], nullptr);
    EXPECT_EQ(f["node_fixed_flow"][0]["node"], 1);
    EXPECT_EQ(f["node_fixed_flow"][0]["kw"], -2.5);

    EXPECT_EQ(o["previous"]["connector_kw"], json({4.0, 0.0}));
    EXPECT_EQ(o["previous"]["ess_kw"], json::array({1.0}));
    EXPECT_EQ(o["upcoming"]["count"], 1);
    EXPECT_EQ(o["upcoming"]["ids"], json({21}));

    const json& d = line["decision"];
    EXPECT_EQ(d["connector_kw"], json({7.5, -3.25}));
    EXPECT_EQ(d["ess_kw"], json::array({-2.0}));
    EXPECT_EQ(d["expected_cost"], 1.5);
    EXPECT_EQ(d["events"][0]["kind"], "replan");
    EXPECT_EQ(d["events"][0]["detail"], "a vehicle came");
}

TEST(ObservationLog, WritesTheSameBytesForTheSameDecisions) {
    const auto dir = temp_dir("observation_log_bytes");
    Site site;
    site.sessions[0].delivered_kwh = 1.0 / 3.0;
    Decision no_cost = fresh_decision();
    no_cost.expected_cost = std::nan("");
    std::string written[2];
    for (int k = 0; k < 2; ++k) {
        struct NoCost : Strategy {
            void decide(const Observation&, Decision&) override {}
        } inner;
        const auto file = dir / ("obs" + std::to_string(k) + ".jsonl");
        ObservationLog log(inner, file);
        for (int i = 0; i < 3; ++i) {
            Decision d = no_cost;
            log.decide(site.obs, d);
        }
        written[k] = read_file(file);
    }
    EXPECT_EQ(written[0], written[1]);
    const auto lines = lines_of(written[0]);
    ASSERT_EQ(lines.size(), 3u);
    const json line = json::parse(lines[0]);
    EXPECT_EQ(line["decision"]["expected_cost"], nullptr);  // NaN: none
    EXPECT_EQ(line["observation"]["sessions"][0]["delivered_kwh"].get<double>(), 1.0 / 3.0);
}

// A driver's needs are written where a session has any: a minimum power or a goal.
TEST(ObservationLog, WritesADriversNeedsWhereThereAreAny) {
    Site site;
    EXPECT_FALSE(observation_json(site.obs)["sessions"][0].contains("needs"));
    ChargingNeeds& needs = site.sessions[0].needs;
    needs.min_charge_kw = 1.5;
    needs.goal_by = site.sessions[0].arrival + Duration::hours(1);
    needs.goal_kwh = 5.0;
    needs.value_per_kwh = 0.25;
    site.obs.sessions = site.sessions;
    const json n = observation_json(site.obs)["sessions"][0]["needs"];
    EXPECT_EQ(n["min_charge_kw"], 1.5);
    EXPECT_EQ(n["goal_by_ms"], 1'719'825'120'000);
    EXPECT_EQ(n["goal_kwh"], 5.0);
    EXPECT_EQ(n["value_per_kwh"], 0.25);
}

TEST(ObservationLog, RefusesAFileItCannotCreate) {
    Scripted inner;
    const auto missing = temp_dir("observation_log_missing") / "no" / "such" / "folder" / "obs.jsonl";
    const std::string message = error_of<ObservationLogError>([&] { ObservationLog log(inner, missing); });
    EXPECT_NE(message.find("cannot create the observation log"), std::string::npos) << message;
    EXPECT_NE(message.find(missing.string()), std::string::npos) << message;
}

}  // namespace
}  // namespace evtwin::test
