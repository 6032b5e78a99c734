// The live twin without a network: sessions from transactions, energy from meter readings, and
// decisions that keep the site's limits; and the live routes of the HTTP API, called directly.
#include "serve/live/live_twin.hpp"
#include "host/plugin_loader.hpp"
#include "live_site.hpp"
#include "scenario/scenario_impl.hpp"
#include "serve/csms/charge_point_map.hpp"
#include "serve/csms/live_service.hpp"
#include "serve/net/api_error.hpp"
#include "support/memory_sink.hpp"
#include "support/test_support.hpp"

#include <evtwin/errors.hpp>
#include <evtwin/scenario.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <numeric>

namespace evtwin::serve {
namespace {

using live_test::kSite;
using live_test::load_site;

struct LiveTwinTest : ::testing::Test {
    ScenarioSpec spec = load_site(kSite);
    StrategyHandle strategy = load_strategy("uncontrolled");
    evtwin::test::MemorySink sink;
    RunInfo info{"live-site", "site.lua", "uncontrolled", "1", "", 1, "test"};
    LiveTwin twin{spec, *strategy, sink, info};
    ChargePointMap map{spec, twin.site()};
    Time t0 = spec.start;

    ConnectorIndex at(const char* cp, int number) { return map.find(cp, number); }
    void plug(ConnectorIndex c, Duration after, const std::string& tx) {
        twin.set_online(c, t0 + after, true);
        twin.start_session(c, t0 + after, tx, "", 0.0, std::nullopt);
    }
};

TEST_F(LiveTwinTest, MapsChargePointsOntoTheScenariosConnectors) {
    EXPECT_TRUE(map.knows("CP-A"));
    EXPECT_FALSE(map.knows("CP1"));  // a live{} block names the charge points
    EXPECT_EQ(map.at(at("CP-A", 2)).charger->name, "CP2");
    EXPECT_EQ(map.at(at("CP-C", 2)).charger->name, "CP5");
    EXPECT_EQ(at("CP-A", 3), kNone);
    EXPECT_EQ(at("CP-X", 1), kNone);
    EXPECT_EQ(map.connectors_of("CP-C").size(), 2u);
}

TEST_F(LiveTwinTest, LimitsKeepEveryNodeWithinItsLimit) {
    // Five vehicles want 11 × 4 + 22 kW; the feeder carries 30 and the grid 40.
    plug(at("CP-A", 1), Duration::minutes(1), "a1");
    plug(at("CP-A", 2), Duration::minutes(1), "a2");
    plug(at("CP-B", 1), Duration::minutes(1), "b");
    plug(at("CP-C", 1), Duration::minutes(1), "c1");
    plug(at("CP-C", 2), Duration::minutes(1), "c2");
    const std::vector<double> limits = twin.decide(t0 + Duration::minutes(2));
    double feeder = 0.0, site = 0.0;
    for (std::size_t c = 0; c < limits.size(); ++c) {
        EXPECT_GE(limits[c], 0.0);
        EXPECT_LE(limits[c], map.at(static_cast<ConnectorIndex>(c)).charger->max_kw + 1e-9);
        site += limits[c];
        if (map.at(static_cast<ConnectorIndex>(c)).charger->name != "CP5") feeder += limits[c];
    }
    EXPECT_LE(feeder, 30.0 + 1e-9);
    EXPECT_LE(site, 40.0 + 1e-9);
    EXPECT_NEAR(site, 40.0, 1e-6);  // uncontrolled takes all there is
    twin.finish(t0 + Duration::minutes(3), false);
    EXPECT_FALSE(sink.violations.empty());  // what was cut is on the record
}

TEST_F(LiveTwinTest, AnAbsentChargerKeepsItsLastLimitInTheBudget) {
    plug(at("CP-A", 1), Duration::minutes(1), "a1");
    plug(at("CP-B", 1), Duration::minutes(1), "b");
    std::vector<double> limits = twin.decide(t0 + Duration::minutes(2));
    EXPECT_NEAR(limits[at("CP-A", 1)], 11.0, 1e-9);
    twin.set_online(at("CP-A", 1), t0 + Duration::minutes(3), false);
    plug(at("CP-A", 2), Duration::minutes(3), "a2");
    plug(at("CP-C", 1), Duration::minutes(3), "c1");
    limits = twin.decide(t0 + Duration::minutes(4));
    EXPECT_EQ(limits[at("CP-A", 1)], 0.0);  // nothing new is sent to it
    // The feeder keeps 11 kW for the absent charger: 19 kW are left for the two others under it.
    EXPECT_LE(limits[at("CP-A", 2)] + limits[at("CP-B", 1)], 19.0 + 1e-9);
    EXPECT_LE(limits[at("CP-A", 2)] + limits[at("CP-B", 1)] + limits[at("CP-C", 1)], 40.0 - 11.0 + 1e-9);
}

TEST_F(LiveTwinTest, EnergyAndSessionsComeFromTheMeter) {
    const ConnectorIndex c = at("CP-B", 1);
    twin.set_online(c, t0, true);
    const SessionId id = twin.start_session(c, t0 + Duration::minutes(10), "tx-1", "", 12.5, std::nullopt);
    twin.meter(c, t0 + Duration::minutes(20), {12.5 + 1.5, 9.0, std::nullopt});
    twin.meter(c, t0 + Duration::minutes(30), {12.5 + 3.0, std::nullopt, 0.5});
    ASSERT_EQ(twin.sessions().size(), 1u);
    EXPECT_NEAR(twin.sessions()[0].delivered_kwh, 3.0, 1e-9);
    EXPECT_NEAR(twin.sessions()[0].power_kw, 9.0, 1e-9);  // 1.5 kWh in 10 minutes
    EXPECT_NEAR(twin.sessions()[0].soc, 0.5, 1e-12);
    EXPECT_TRUE(twin.declare(id, {t0 + Duration::hours(3), 10.0, std::nullopt}));
    EXPECT_EQ(twin.sessions()[0].declared_departure, t0 + Duration::hours(3));
    EXPECT_TRUE(twin.stop_session(c, t0 + Duration::minutes(40), 12.5 + 4.0));
    EXPECT_FALSE(twin.stop_session(c, t0 + Duration::minutes(41), std::nullopt));
    twin.finish(t0 + Duration::hours(1), false);
    ASSERT_EQ(sink.sessions.size(), 1u);
    EXPECT_NEAR(sink.sessions[0].delivered_kwh, 4.0, 1e-9);
    EXPECT_EQ(sink.sessions[0].requested_kwh, 10.0);
    EXPECT_EQ(sink.sessions[0].arrival, t0 + Duration::minutes(10));
    EXPECT_EQ(sink.sessions[0].departure, t0 + Duration::minutes(40));
    EXPECT_FALSE(sink.interrupted);
}

// Keeps the sessions of the last Observation it was shown, and decides nothing.
class SessionsSeen final : public Strategy {
public:
    void decide(const Observation& obs, Decision&) override {
        seen.assign(obs.sessions.begin(), obs.sessions.end());
    }
    std::vector<SessionView> seen;
};

TEST(LiveTwinObservation, ASessionIsSeenAsTheSimulationShowsItsVehicle) {
    const ScenarioSpec spec = load_site(kSite);
    SessionsSeen strategy;
    evtwin::test::MemorySink sink;
    LiveTwin twin{spec, strategy, sink, RunInfo{"live-site", "site.lua", "seen", "1", "", 1, "test"}};
    const ChargePointMap map{spec, twin.site()};
    const ConnectorIndex c = map.find("CP-B", 1);  // CP3: 11 kW, efficiency 1
    const Time t0 = spec.start;
    twin.set_online(c, t0, true);
    twin.start_session(c, t0 + Duration::minutes(10), "tx", "", 100.0, 0.25);
    twin.meter(c, t0 + Duration::minutes(70), {100.0 + 11.0, std::nullopt, std::nullopt});
    twin.decide(t0 + Duration::minutes(75));
    ASSERT_EQ(strategy.seen.size(), 1u);
    const SessionView& sv = strategy.seen[0];
    // The live {} block's vehicle: a 60 kWh battery at 25 % asking 30 kWh for a 4 h stay. At the
    // decision, 5 minutes after the register read 11 kWh, it is 11 kW (the register's rise over the
    // hour) further on.
    const double delivered_kwh = 11.0 + 11.0 * 5.0 / 60.0;
    EXPECT_EQ(sv.declared_departure, t0 + Duration::minutes(10) + Duration::hours(4));
    EXPECT_EQ(sv.expected_departure, sv.declared_departure);
    EXPECT_DOUBLE_EQ(sv.requested_kwh, 30.0);
    EXPECT_DOUBLE_EQ(sv.delivered_kwh, delivered_kwh);
    EXPECT_DOUBLE_EQ(sv.remaining_kwh, 30.0 - delivered_kwh);
    EXPECT_NEAR(sv.soc, 0.25 + delivered_kwh / 60.0, 1e-12);
    EXPECT_DOUBLE_EQ(sv.capacity_kwh, 60.0);
    EXPECT_DOUBLE_EQ(sv.max_charge_kw, 11.0);
    EXPECT_DOUBLE_EQ(sv.recharge_kw, 11.0);
    EXPECT_DOUBLE_EQ(sv.max_discharge_kw, 0.0);
    EXPECT_FALSE(sv.v2g_allowed);
    // A vehicle of unknown age, as a simulated run takes one: a typical used battery.
    EXPECT_LT(sv.soh, 1.0);
    EXPECT_GT(sv.soh, 0.8);

    // Its request met, it takes no more, as a simulated vehicle does.
    twin.meter(c, t0 + Duration::minutes(180), {100.0 + 30.0, std::nullopt, std::nullopt});
    twin.decide(t0 + Duration::minutes(185));
    ASSERT_EQ(strategy.seen.size(), 1u);
    EXPECT_DOUBLE_EQ(strategy.seen[0].remaining_kwh, 0.0);
    EXPECT_DOUBLE_EQ(strategy.seen[0].max_charge_kw, 0.0);
    EXPECT_DOUBLE_EQ(strategy.seen[0].recharge_kw, 11.0);
}

std::vector<Violation> violations_of(const evtwin::test::MemorySink& sink, const std::string& kind) {
    std::vector<Violation> out;
    for (const auto& [t, v] : sink.violations)
        if (v.kind == kind) out.push_back(v);
    return out;
}

TEST_F(LiveTwinTest, ARegisterRiseGivesAPowerOnlyOverAMeaningfulSpanAndWithinTheRating) {
    const ConnectorIndex c = at("CP-B", 1);  // 11 kW
    const Time start = t0 + Duration::minutes(1);
    twin.set_online(c, start, true);
    twin.start_session(c, start, "tx-1", "", 0.0, std::nullopt);
    // 1 kWh read 51 ms after the start would be 70,588 kW: too short a span to say anything.
    twin.meter(c, start + Duration(51), {1.0, std::nullopt, std::nullopt});
    EXPECT_EQ(twin.connectors()[c].power_kw, 0.0);
    EXPECT_EQ(twin.sessions()[0].power_kw, 0.0);
    EXPECT_NEAR(twin.sessions()[0].delivered_kwh, 1.0, 1e-12);
    // Over a minute it is 60 kW, still above the rating: the rating is counted, the excess recorded.
    twin.meter(c, start + Duration::minutes(1), {1.0, std::nullopt, std::nullopt});
    EXPECT_EQ(twin.connectors()[c].power_kw, 11.0);
    // 1.5 kWh in the next 10 minutes: 9 kW.
    twin.meter(c, start + Duration::minutes(11), {2.5, std::nullopt, std::nullopt});
    EXPECT_NEAR(twin.connectors()[c].power_kw, 9.0, 1e-9);
    // A power reading above the rating is held to it too, recorded once while it lasts.
    twin.meter(c, start + Duration::minutes(12), {std::nullopt, 50.0, std::nullopt});
    twin.meter(c, start + Duration::minutes(13), {std::nullopt, 60.0, std::nullopt});
    EXPECT_EQ(twin.sessions()[0].power_kw, 11.0);
    // Within the meter's grace a reading stands as it is.
    twin.meter(c, start + Duration::minutes(14), {std::nullopt, 11.3, std::nullopt});
    EXPECT_NEAR(twin.connectors()[c].power_kw, 11.3, 1e-12);
    // On the record once the meter has settled it (here at the run's end): each excess as it began.
    twin.finish(start + Duration::minutes(15), false);
    const auto above = violations_of(sink, "charger_max_unresolved");
    ASSERT_EQ(above.size(), 2u);
    EXPECT_EQ(above[0].connector, c);
    EXPECT_NEAR(above[0].requested_kw, 60.0 - 11.0, 1e-9);
    EXPECT_NEAR(above[1].requested_kw, 50.0 - 11.0, 1e-9);
}

TEST_F(LiveTwinTest, WithoutAMeterStartTheFirstReadingIsWhereTheRiseIsCountedFrom) {
    const ConnectorIndex c = at("CP-B", 1);
    twin.set_online(c, t0, true);
    twin.start_session(c, t0, "tx-1", "", std::nullopt, std::nullopt);
    // The charger's lifetime register: no power from it alone.
    twin.meter(c, t0 + Duration::minutes(1), {5000.0, std::nullopt, std::nullopt});
    EXPECT_EQ(twin.connectors()[c].power_kw, 0.0);
    twin.meter(c, t0 + Duration::minutes(2), {5000.1, std::nullopt, std::nullopt});
    EXPECT_NEAR(twin.connectors()[c].power_kw, 6.0, 1e-6);
    EXPECT_TRUE(violations_of(sink, "charger_max_unresolved").empty());
}

TEST_F(LiveTwinTest, ASessionStillOpenAtTheEndIsRecordedAsPluggedIn) {
    plug(at("CP-B", 1), Duration::minutes(1), "b");
    twin.finish(t0 + Duration::minutes(5), true);
    ASSERT_EQ(sink.sessions.size(), 1u);
    EXPECT_FALSE(sink.sessions[0].departed);
    EXPECT_TRUE(sink.interrupted);
}

TEST(LiveDsl, RefusesWhatCannotBeMapped) {
    const std::string head = R"(
scenario { name = "s", start = "2024-07-01", duration = days(1) }
grid { import_kw = 40 }
charger { name = "CP1", max_kw = 11 }
charger { name = "CP2", max_kw = 22, connectors = 2 }
TARIFF
)";
    auto error_of = [&](const std::string& live) {
        try {
            load_site(head + live);
        } catch (const ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(error_of(R"(live { charge_points = { A = "CPX" } })").find("names charger 'CPX'"),
              std::string::npos);
    EXPECT_NE(error_of(R"(live { charge_points = { A = { "CP1", "CP2" } } })").find("several connectors"),
              std::string::npos);
    EXPECT_NE(error_of(R"(live { charge_points = { A = "CP1", B = "CP1" } })").find("belongs to both"),
              std::string::npos);
    EXPECT_NE(error_of(R"(live { unit = "kW" })").find("'unit'"), std::string::npos);
    EXPECT_NE(error_of(R"(live { phases = 2 })").find("'phases'"), std::string::npos);
    EXPECT_NE(error_of(R"(live { charge_points = { A = "CP1" } })"
                       "\nlive {}")
                  .find("declared twice"),
              std::string::npos);
}

}  // namespace
// POST /v1/sessions/{id}/intent refuses by status what it cannot take: a path that names no
// session, a body that is not JSON, fields it does not know or cannot read, and a session not open.
TEST(LiveServiceRoutes, AnIntentIsRefusedByStatusAndField) {
    LiveConfig config;
    config.spec = load_site(kSite);
    config.scenario_file = "site.lua";
    config.strategy = "uncontrolled";
    config.db = evtwin::test::temp_dir("live_routes") / "live.db";
    LiveService live(std::move(config));
    // The status and the field's path the request is answered with.
    const auto answer = [&](const std::string& method, const std::string& path, const std::string& body) {
        HttpRequest r;
        r.method = method;
        r.target = path;
        r.body = body;
        try {
            const std::optional<HttpResponse> response = live.handle(r, path);
            return response ? std::to_string(response->status) : std::string("none");
        } catch (const ApiError& e) {
            return std::to_string(e.status) + " " + e.path;
        }
    };
    const std::string good = R"({"energy_kwh": 20})";
    EXPECT_EQ(answer("GET", "/v1/sessions/1/intent", ""), "405 ");
    EXPECT_EQ(answer("POST", "/v1/sessions/1/intent", good), "404 ");  // no session is open
    for (const char* id : {"x", "-1", "+1", " 1", "1 ", "4294967297", "99999999999999999999"})
        EXPECT_EQ(answer("POST", std::string("/v1/sessions/") + id + "/intent", good), "404 ") << id;
    EXPECT_EQ(answer("POST", "/v1/sessions/1/intent", "{\"energy_kwh\": "), "400 ");
    EXPECT_EQ(answer("POST", "/v1/sessions/1/intent", R"({"energy_kwh": 1e400})"), "400 ");
    EXPECT_EQ(answer("POST", "/v1/sessions/1/intent", R"({"energy_kwh": -1})"), "422 /energy_kwh");
    EXPECT_EQ(answer("POST", "/v1/sessions/1/intent", R"({"departure": "noon"})"), "422 /departure");
    EXPECT_EQ(answer("POST", "/v1/sessions/1/intent", R"({"energy": 20})"), "422 /energy");
    EXPECT_EQ(answer("POST", "/v1/sessions/1/intent", R"({"min_charge_kw": -1})"), "422 /min_charge_kw");
    EXPECT_EQ(answer("POST", "/v1/sessions/1/intent", R"({"goal_kwh": 12})"), "422 /goal_by");
    EXPECT_EQ(answer("POST", "/v1/sessions/1/intent", R"({"goal_by": "2024-07-01T12:00"})"), "422 /goal_kwh");
    EXPECT_EQ(answer("POST", "/v1/sessions/1/intent", R"({"goal_by": "noon", "goal_kwh": 12})"),
              "422 /goal_by");
    EXPECT_EQ(answer("POST", "/v1/sessions/1/intent", R"({"value_per_kwh": 0.25})"), "422 /value_per_kwh");
    EXPECT_EQ(
        answer(
            "POST", "/v1/sessions/1/intent",
            R"({"min_charge_kw": 2, "goal_kwh": 12, "goal_by": "2024-07-01T12:00", "value_per_kwh": 0.25})"),
        "404 ");  // well formed: no session is open
    EXPECT_EQ(answer("POST", "/v1/sessions/1/intent", "{}"), "422 ");
    EXPECT_EQ(answer("POST", "/v1/sessions/1/intent", "[1]"), "422 ");  // the whole body: the empty pointer
    EXPECT_EQ(answer("GET", "/v1/elsewhere", ""), "none");
}

// POST /v1/clock moves a stepped clock, forward only, and exists on no other clock.
TEST(LiveServiceRoutes, OnlyASteppedClockIsSteppedAndNeverBack) {
    const auto serve = [](const std::string& clock, const std::string& name) {
        LiveConfig config;
        config.spec = load_site(kSite);
        config.scenario_file = "site.lua";
        config.strategy = "uncontrolled";
        config.clock = clock;
        config.db = evtwin::test::temp_dir(name) / "live.db";
        return std::make_unique<LiveService>(std::move(config));
    };
    const auto answer = [](LiveService& live, const std::string& method, const std::string& body) {
        HttpRequest r;
        r.method = method;
        r.target = "/v1/clock";
        r.body = body;
        try {
            const std::optional<HttpResponse> response = live.handle(r, r.target);
            return response ? std::to_string(response->status) : std::string("none");
        } catch (const ApiError& e) {
            return std::to_string(e.status) + " " + e.path;
        }
    };
    const auto stepped = serve("step", "live_clock_step");
    stepped->start();
    const Time start = stepped->clock().now();
    const auto at = [&](Duration d) { return R"({"to": ")" + format_utc(start + d) + R"("})"; };
    EXPECT_EQ(answer(*stepped, "POST", at(Duration::minutes(5))), "200");
    EXPECT_EQ(stepped->clock().now(), start + Duration::minutes(5));
    EXPECT_EQ(answer(*stepped, "POST", at(Duration::minutes(5))), "200");
    EXPECT_EQ(answer(*stepped, "POST", at(Duration::minutes(4))), "422 /to");
    EXPECT_EQ(answer(*stepped, "POST", R"({"to": "noon"})"), "422 /to");
    EXPECT_EQ(answer(*stepped, "POST", R"({"at": "2026-01-01T00:00:00Z"})"), "422 /to");
    EXPECT_EQ(answer(*stepped, "GET", ""), "405 ");
    EXPECT_EQ(stepped->clock().now(), start + Duration::minutes(5));
    stepped->stop(true);
    EXPECT_EQ(answer(*serve("fast:60", "live_clock_fast"), "POST", at(Duration::minutes(5))), "none");
}

}  // namespace evtwin::serve
