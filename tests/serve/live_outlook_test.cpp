// The live site's outlook: the twin's state forked into simulations of the next hours, worked out
// by hand on the live suites' site (flat 1.20 NOK/kWh, 5-minute control periods), and its route.
#include "serve/live/live_outlook.hpp"

#include "live_site.hpp"
#include "serve/csms/live_service.hpp"
#include "serve/live/live_twin.hpp"
#include "serve/net/api_error.hpp"
#include "support/memory_sink.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace evtwin::serve {
namespace {

using live_test::kSite;
using live_test::load_site;

constexpr double kPrice = 1.20;

struct LiveOutlookTest : ::testing::Test {
    ScenarioSpec spec = load_site(kSite);
    StrategyHandle strategy = load_strategy("uncontrolled");
    evtwin::test::MemorySink sink;
    RunInfo info{"live-site", "site.lua", "uncontrolled", "1", "", 1, "test"};
    LiveTwin twin{spec, *strategy, sink, info};
    Time t0 = spec.start;
    const StrategyMaker make = [](const std::string& name) { return load_strategy(name); };

    // A vehicle on connector `c` since t0 + 1 min, metered `kwh` at `at` (the live site asks 30 kWh
    // of a vehicle that declares nothing, and a stay of 4 hours).
    void plug(ConnectorIndex c, Time at, double kwh) {
        twin.set_online(c, t0 + Duration::minutes(1), true);
        twin.start_session(c, t0 + Duration::minutes(1), "tx" + std::to_string(c), "", 0.0, std::nullopt);
        MeterReading reading;
        reading.register_kwh = kwh;
        reading.power_kw = 11.0;
        twin.meter(c, at, reading);
    }
    static OutlookRequest asked(std::vector<std::string> strategies, int draws = 1) {
        OutlookRequest r;
        r.strategies = std::move(strategies);
        r.draws = draws;
        return r;
    }
};

TEST_F(LiveOutlookTest, AVehiclePluggedInGoesOnFromItsMeteredEnergy) {
    const Time now = t0 + Duration::minutes(31);
    plug(2, now, 5.0);  // CP3: 11 kW
    const OutlookStart start = twin.outlook_start(now, Duration::hours(4));
    ASSERT_EQ(start.present.size(), 1u);
    EXPECT_DOUBLE_EQ(start.present[0].delivered_kwh, 5.0);
    EXPECT_EQ(start.present[0].departure, t0 + Duration::minutes(241));

    const Outlook out = compute_outlook(start, asked({"uncontrolled"}), make);
    ASSERT_EQ(out.strategies.size(), 1u);
    const StrategyOutlook& s = out.strategies[0];
    EXPECT_EQ(out.start, now);
    EXPECT_EQ(out.end, now + Duration::hours(4));
    ASSERT_EQ(s.site_kw.size(), 48u);
    // 25 kWh left at 11 kW: 136 4/11 minutes, 27 whole steps and 1 4/11 minutes of the 28th.
    for (std::size_t k = 0; k < 27; ++k) EXPECT_NEAR(s.site_kw[k], 11.0, 1e-9) << k;
    EXPECT_NEAR(s.site_kw[27], 11.0 * (15.0 / 11.0) / 5.0, 1e-4);  // the engine's clock is in ms
    for (std::size_t k = 28; k < 48; ++k) EXPECT_NEAR(s.site_kw[k], 0.0, 1e-9) << k;
    EXPECT_NEAR(s.import_kwh, 25.0, 1e-5);
    EXPECT_NEAR(s.energy_cost, 25.0 * kPrice, 1e-5);
    EXPECT_NEAR(s.peak_kw, 11.0, 1e-9);
    ASSERT_EQ(s.vehicles.size(), 1u);
    EXPECT_TRUE(s.vehicles[0].departs_in_window);
    EXPECT_NEAR(s.vehicles[0].expected_kwh, 30.0, 1e-5);
    EXPECT_EQ(s.vehicles[0].miss_chance, 0.0);
    EXPECT_EQ(s.arrivals, 0.0);
}

TEST_F(LiveOutlookTest, AVehicleThatCannotGetItsEnergyMissesItInEveryDraw) {
    const Time now = t0 + Duration::minutes(181);  // one hour before it leaves, 29 kWh short
    plug(2, now, 1.0);
    const Outlook out =
        compute_outlook(twin.outlook_start(now, Duration::hours(2)), asked({"uncontrolled"}, 4), make);
    const VehicleOutlook& v = out.strategies[0].vehicles[0];
    EXPECT_NEAR(v.expected_kwh, 1.0 + 11.0, 1e-6);
    EXPECT_EQ(v.miss_chance, 1.0);
}

TEST_F(LiveOutlookTest, StrategiesFaceTheSameFuturesAndKeepTheSitesLimits) {
    const Time now = t0 + Duration::minutes(10);
    for (ConnectorIndex c = 0; c < 5; ++c) plug(c, now, 0.0);  // 66 kW wanted under a 40 kW grid
    const Outlook out = compute_outlook(twin.outlook_start(now, Duration::hours(4)),
                                        asked({"uncontrolled", "edf", "llf"}), make);
    ASSERT_EQ(out.strategies.size(), 3u);
    for (const StrategyOutlook& s : out.strategies) {
        for (double kw : s.site_kw) EXPECT_LE(kw, 40.0 + 1e-9) << s.strategy;
        EXPECT_NEAR(s.site_kw[0], 40.0, 1e-6) << s.strategy;  // every strategy takes all it can at first
        EXPECT_EQ(s.vehicles.size(), 5u);
    }
}

// A forecast that expects one vehicle in the window's seventh step, asking 10 kWh for an hour.
Forecast one_arrival(const Forecast& base) {
    Forecast f = base;
    const std::size_t n = f.import_price.size();
    f.demand.arrivals.p50.assign(n, 0.0);
    f.demand.energy_kwh.p50.assign(n, 0.0);
    f.demand.stay_h.p50.assign(n, 0.0);
    f.demand.arrivals.p50[6] = 1.0;
    f.demand.energy_kwh.p50[6] = 10.0;
    f.demand.stay_h.p50[6] = 1.0;
    return f;
}

TEST_F(LiveOutlookTest, ExpectedArrivalsComeFromTheDemandForecast) {
    OutlookStart start = twin.outlook_start(t0, Duration::hours(4));
    start.forecast = one_arrival(start.forecast);
    const StrategyOutlook s = compute_outlook(start, asked({"uncontrolled"}), make).strategies[0];
    EXPECT_EQ(s.arrivals, 1.0);
    EXPECT_EQ(s.rejected, 0.0);
    EXPECT_NEAR(s.arrivals_kwh, 10.0, 1e-5);
    // It takes the first free connector (CP1, 11 kW) at the step's start: 10 kWh in 54 6/11 minutes, ten
    // whole steps and 4 6/11 minutes.
    EXPECT_NEAR(s.site_kw[5], 0.0, 1e-9);
    for (std::size_t k = 6; k < 16; ++k) EXPECT_NEAR(s.site_kw[k], 11.0, 1e-9) << k;
    EXPECT_NEAR(s.site_kw[16], 11.0 * (50.0 / 11.0) / 5.0, 1e-4);
    EXPECT_NEAR(s.energy_cost, 10.0 * kPrice, 1e-5);
}

TEST_F(LiveOutlookTest, DrawsSpreadTheFutureAroundTheForecastAndRepeatForASeed) {
    OutlookStart start = twin.outlook_start(t0, Duration::hours(4));
    start.forecast = one_arrival(start.forecast);
    Forecast& f = start.forecast;
    f.demand.arrivals.p10.assign(f.demand.arrivals.p50.size(), 0.0);
    f.demand.arrivals.p90 = f.demand.arrivals.p50;
    for (double& a : f.demand.arrivals.p90) a = a > 0.0 ? 3.0 : 0.5;
    f.demand.energy_kwh.p10 = f.demand.energy_kwh.p90 = f.demand.energy_kwh.p50;
    OutlookRequest r = asked({"edf"}, 16);
    const StrategyOutlook a = compute_outlook(start, r, make).strategies[0];
    const StrategyOutlook b = compute_outlook(start, r, make).strategies[0];
    EXPECT_EQ(a.site_kw, b.site_kw);
    EXPECT_EQ(a.energy_cost, b.energy_cost);
    EXPECT_GT(a.arrivals, 1.0);  // the draws see more vehicles than the median's one
    bool spread = false;
    for (std::size_t k = 0; k < a.site_kw.size(); ++k) {
        EXPECT_LE(a.site_kw_p10[k], a.site_kw_p90[k]);
        EXPECT_LE(a.site_kw[k], 40.0 + 1e-9);
        spread = spread || a.site_kw_p90[k] > a.site_kw_p10[k];
    }
    EXPECT_TRUE(spread);
    r.seed = 2;
    EXPECT_NE(compute_outlook(start, r, make).strategies[0].site_kw, a.site_kw);
}

TEST_F(LiveOutlookTest, TheWindowEndsWithTheRun) {
    const Outlook out = compute_outlook(twin.outlook_start(spec.end - Duration::hours(1), Duration::hours(4)),
                                        asked({"edf"}), make);
    EXPECT_EQ(out.end, spec.end);
    EXPECT_EQ(out.strategies[0].site_kw.size(), 12u);
}

TEST(LiveOutlookRoute, AnswersPerStrategyAndRefusesWhatItCannotTake) {
    LiveConfig config;
    config.spec = load_site(kSite);
    config.scenario_file = "site.lua";
    config.strategy = "edf";
    config.db = evtwin::test::temp_dir("live_outlook_route") / "live.db";
    LiveService live(std::move(config));
    const auto answer = [&](const std::string& method, const std::string& target) {
        HttpRequest r;
        r.method = method;
        r.target = target;
        try {
            const std::optional<HttpResponse> response = live.handle(r, target.substr(0, target.find('?')));
            return response ? std::to_string(response->status) + " " + response->body : std::string("none");
        } catch (const ApiError& e) {
            return std::to_string(e.status) + " " + e.path;
        }
    };
    const std::string ok = answer("GET", "/v1/live/outlook?hours=2&strategies=edf,uncontrolled&draws=2");
    ASSERT_EQ(ok.substr(0, 4), "200 ");
    const nlohmann::json body = nlohmann::json::parse(ok.substr(4));
    EXPECT_EQ(body["step_s"], 300);
    EXPECT_EQ(body["draws"], 2);
    EXPECT_EQ(body["currency"], "NOK");
    ASSERT_EQ(body["strategies"].size(), 2u);
    EXPECT_EQ(body["strategies"][1]["strategy"], "uncontrolled");
    EXPECT_EQ(body["strategies"][0]["site_kw"].size(), 24u);
    EXPECT_EQ(answer("GET", "/v1/live/outlook").substr(0, 4), "200 ");  // the live strategy, 4 hours
    EXPECT_EQ(answer("GET", "/v1/live/outlook?strategies=nope"), "422 strategies");
    EXPECT_EQ(answer("GET", "/v1/live/outlook?strategies=edf,"), "422 strategies");
    EXPECT_EQ(answer("GET", "/v1/live/outlook?hours=0"), "422 hours");
    EXPECT_EQ(answer("GET", "/v1/live/outlook?hours=25"), "422 hours");  // past the forecast's 24 hours
    EXPECT_EQ(answer("GET", "/v1/live/outlook?draws=65"), "422 draws");
    EXPECT_EQ(answer("GET", "/v1/live/outlook?hour=2"), "422 hour");
    EXPECT_EQ(answer("POST", "/v1/live/outlook"), "405 ");
    live.stop(true);
}

TEST(LiveOutlookRoute, NothingLiesAheadOfARunThatHasEnded) {
    LiveConfig config;
    config.spec = load_site(kSite);
    config.scenario_file = "site.lua";
    config.strategy = "edf";
    config.clock = "step";
    config.db = evtwin::test::temp_dir("live_outlook_ended") / "live.db";
    LiveService live(std::move(config));
    live.start();
    HttpRequest step;
    step.method = "POST";
    step.target = "/v1/clock";
    step.body = R"({"to": ")" + format_utc(live.end()) + R"("})";
    ASSERT_EQ(live.handle(step, step.target)->status, 200);
    HttpRequest ahead;
    ahead.method = "GET";
    ahead.target = "/v1/live/outlook";
    try {
        live.handle(ahead, ahead.target);
        ADD_FAILURE() << "an outlook of a run that has ended";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status, 409);
    }
    live.stop(false);
}

}  // namespace
}  // namespace evtwin::serve
