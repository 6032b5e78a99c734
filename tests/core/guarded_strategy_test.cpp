// `guarded`: follows its inner strategy unless the inner's expected cost exceeds the baseline's.
#include "host/guarded_strategy.hpp"
#include "core/simulator.hpp"
#include "host/plugin_loader.hpp"
#include "plugins/site_fixture.hpp"
#include "support/memory_sink.hpp"
#include "support/test_site.hpp"
#include "support/test_support.hpp"

#include <evtwin/options.hpp>

#include <gtest/gtest.h>

#include <cstdlib>

namespace evtwin {
namespace {

using test::SiteFixture;

int g_decisions = 0;           // every decide() of a FakeCosted
double g_cost_override = 0.0;  // used by fakes made with cost=shared

// Sets every plugged vehicle to `kw` and claims `cost` as its expected cost ("nan": none;
// "shared": g_cost_override, so a test can change it between decisions).
class FakeCosted : public Strategy {
public:
    explicit FakeCosted(const StrategyOptions& options) {
        for (const auto& [k, v] : options) {
            if (k == "kw")
                kw_ = std::stod(v);
            else if (k == "cost")
                cost_ = v;
            else if (k == "foresight_h")
                foresight_h_ = std::stod(v);
            else if (k == "unmet_penalty")
                continue;  // read by the guard
            else
                throw StrategyError("fake_costed: unknown option '" + k + "'");
        }
    }
    void decide(const Observation& obs, Decision& out) override {
        ++g_decisions;
        for (const SessionView& s : obs.sessions) out.connector_kw[s.connector] = kw_;
        out.expected_cost = cost_ == "nan"      ? std::numeric_limits<double>::quiet_NaN()
                            : cost_ == "shared" ? g_cost_override
                                                : std::stod(cost_);
        out.events.push_back({"fake", "decided"});
    }
    Foresight foresight() const override {
        return {Duration(static_cast<std::int64_t>(foresight_h_ * 3'600'000.0))};
    }

private:
    double kw_ = 0.0;
    std::string cost_ = "nan";
    double foresight_h_ = 0.0;
};

EVTWIN_DESCRIPTOR_FOR(FakeCosted, "fake_costed", "1.0.0")
const detail::StaticStrategyRegistrar register_fake(&evtwin_descriptor_FakeCosted);

struct OneEv {
    SiteFixture site;
    Forecast forecast;
    OneEv() {
        const auto c = site.add_charger(site.grid(), 7.0);
        site.plug(c, 0.0, 2.0, 10.0, 7.0);
        forecast.start = Time(0);
        forecast.step = Duration::minutes(15);
        forecast.import_price.assign(16, 0.2);
        forecast.export_price.assign(16, 0.0);
    }
    Observation observation() {
        Observation obs = site.observation();
        obs.forecast = &forecast;
        return obs;
    }
};

Decision decide(Strategy& s, const Observation& obs) {
    Decision d;
    d.connector_kw.assign(obs.connectors.size(), 0.0);
    s.decide(obs, d);
    return d;
}

std::vector<std::string> guard_events(const Decision& d) {
    std::vector<std::string> out;
    for (const auto& e : d.events)
        if (e.kind == "guard") out.push_back(e.detail);
    return out;
}

TEST(Guarded, IsFoundByNameAndBuiltIn) {
    StrategyHandle h = load_strategy("guarded", {{"inner", "fake_costed"}});
    EXPECT_EQ(h.name(), "guarded");
    EXPECT_TRUE(h.plugin().path().empty());
}

TEST(Guarded, AnInnerDearerThanTheBaselineIsOverridden) {
    OneEv f;
    // EDF charges 10 kWh at 0.2 over the 2 h: a roll-out cost of 2.00; the inner claims 50.
    GuardedStrategy g({{"inner", "fake_costed"}, {"inner.cost", "50"}, {"inner.kw", "3"}});
    const Decision d = decide(g, f.observation());
    EXPECT_DOUBLE_EQ(d.connector_kw[0], 7.0);  // EDF's, not the inner's 3 kW
    EXPECT_NEAR(d.expected_cost, 2.0, 1e-9);
    EXPECT_EQ(guard_events(d), std::vector<std::string>{"followed edf (inner 50.00 > baseline 2.00)"});
}

TEST(Guarded, AnInnerCheaperThanTheBaselineIsFollowed) {
    OneEv f;
    GuardedStrategy g({{"inner", "fake_costed"}, {"inner.cost", "1.5"}, {"inner.kw", "3"}});
    const Decision d = decide(g, f.observation());
    EXPECT_DOUBLE_EQ(d.connector_kw[0], 3.0);
    EXPECT_DOUBLE_EQ(d.expected_cost, 1.5);
    EXPECT_TRUE(guard_events(d).empty());
    ASSERT_EQ(d.events.size(), 1u);  // the inner's own event passes through
    EXPECT_EQ(d.events[0].kind, "fake");
}

TEST(Guarded, TheMarginFavoursTheInner) {
    OneEv f;
    GuardedStrategy g({{"inner", "fake_costed"}, {"inner.cost", "2.5"}, {"inner.kw", "3"}, {"margin", "1"}});
    EXPECT_DOUBLE_EQ(decide(g, f.observation()).connector_kw[0], 3.0);
}

// 20 kWh wanted in 2 h at 7 kW: EDF's roll-out leaves 6 kWh unmet. Priced by the MILP planners' rule
// (10 per kWh here) it costs 2.80 + 60, less than the inner's 100; priced as the inner prices unmet
// energy (100 per kWh), 2.80 + 600.
TEST(Guarded, UnmetEnergyIsPricedAsTheInnerPricesIt) {
    OneEv f;
    f.site.sessions()[0].requested_kwh = f.site.sessions()[0].remaining_kwh = 20.0;
    GuardedStrategy by_rule({{"inner", "fake_costed"}, {"inner.cost", "100"}, {"inner.kw", "3"}});
    EXPECT_DOUBLE_EQ(decide(by_rule, f.observation()).connector_kw[0], 7.0);
    GuardedStrategy as_inner(
        {{"inner", "fake_costed"}, {"inner.cost", "100"}, {"inner.kw", "3"}, {"inner.unmet_penalty", "100"}});
    EXPECT_DOUBLE_EQ(decide(as_inner, f.observation()).connector_kw[0], 3.0);
    GuardedStrategy given({{"inner", "fake_costed"},
                           {"inner.cost", "100"},
                           {"inner.kw", "3"},
                           {"inner.unmet_penalty", "100"},
                           {"unmet_penalty", "10"}});
    EXPECT_DOUBLE_EQ(decide(given, f.observation()).connector_kw[0], 7.0);
}

// The same cost computed two ways differs in its last digits: that is a tie, and the inner is kept.
TEST(Guarded, ATieKeepsTheInner) {
    OneEv f;
    GuardedStrategy g({{"inner", "fake_costed"}, {"inner.cost", "2.0000001"}, {"inner.kw", "3"}});
    EXPECT_DOUBLE_EQ(decide(g, f.observation()).connector_kw[0], 3.0);
}

TEST(Guarded, RecordsOnlyTheSwitches) {
    OneEv f;
    GuardedStrategy g({{"inner", "fake_costed"}, {"inner.cost", "shared"}, {"inner.kw", "3"}});
    const Observation obs = f.observation();
    g_cost_override = 9.0;
    EXPECT_EQ(guard_events(decide(g, obs)).size(), 1u);
    EXPECT_TRUE(guard_events(decide(g, obs)).empty());  // still following edf: no new event
    g_cost_override = 1.0;
    const Decision back = decide(g, obs);
    EXPECT_DOUBLE_EQ(back.connector_kw[0], 3.0);
    EXPECT_EQ(guard_events(back),
              std::vector<std::string>{"followed fake_costed again (inner 1.00 <= baseline 2.00)"});
    EXPECT_TRUE(guard_events(decide(g, obs)).empty());
}

TEST(Guarded, AnInnerWithoutExpectedCostIsFollowedAndSaidOnce) {
    OneEv f;
    GuardedStrategy g({{"inner", "fake_costed"}, {"inner.kw", "3"}});
    const Decision first = decide(g, f.observation());
    EXPECT_DOUBLE_EQ(first.connector_kw[0], 3.0);
    EXPECT_EQ(guard_events(first),
              std::vector<std::string>{"inner fake_costed gives no expected cost: following it"});
    EXPECT_TRUE(guard_events(decide(g, f.observation())).empty());
}

TEST(Guarded, BothStrategiesSeeEveryObservationAndABaselineCostIsUsedAsGiven) {
    OneEv f;
    GuardedStrategy g({{"inner", "fake_costed"},
                       {"inner.cost", "4"},
                       {"baseline", "fake_costed"},
                       {"baseline.cost", "3"},
                       {"baseline.kw", "1"}});
    g_decisions = 0;
    const Decision d = decide(g, f.observation());
    EXPECT_EQ(g_decisions, 2);  // no roll-out: the baseline gave its own cost
    EXPECT_DOUBLE_EQ(d.connector_kw[0], 1.0);
    decide(g, f.observation());
    EXPECT_EQ(g_decisions, 4);
}

TEST(Guarded, ForesightIsTheLongerOfTheTwo) {
    GuardedStrategy g({{"inner", "fake_costed"},
                       {"inner.foresight_h", "3"},
                       {"baseline", "fake_costed"},
                       {"baseline.foresight_h", "5"}});
    EXPECT_EQ(g.foresight().horizon, Duration::hours(5));
}

TEST(Guarded, BadOptionsSayWhatIsExpected) {
    auto error = [](const StrategyOptions& o) {
        return test::error_of<StrategyError>([&] { GuardedStrategy g(o); });
    };
    EXPECT_NE(error({}).find("option 'inner' is required"), std::string::npos);
    EXPECT_NE(error({{"inner", "edf"}, {"colour", "red"}}).find("unknown option 'colour'"),
              std::string::npos);
    const auto option_error = [](const StrategyOptions& o) {
        return test::error_of<OptionError>([&] { GuardedStrategy g(o); });
    };
    EXPECT_EQ(option_error({{"inner", "edf"}, {"margin", "-1"}}),
              "option margin='-1' must be a number from 0 to 1e+15");
    // An hour count that would overflow the horizon's milliseconds.
    EXPECT_EQ(option_error({{"inner", "edf"}, {"horizon_h", "1e300"}}),
              "option horizon_h='1e300' must be a number from 0 to 8784");
    EXPECT_NE(error({{"inner", "no_such_strategy"}}).find("inner 'no_such_strategy'"), std::string::npos);
    EXPECT_NE(error({{"inner", "fake_costed"}, {"inner.colour", "red"}})
                  .find("fake_costed: unknown option 'colour'"),
              std::string::npos);
    // Through the loader, a bad option is a PluginError naming the strategy.
    EXPECT_NE(test::error_of<PluginError>([] {
                  load_strategy("guarded", {});
              }).find("strategy 'guarded' (built in): bad options"),
              std::string::npos);
}

TEST(Guarded, EndToEndFollowsTheBaselineWithoutViolationsAndRecordsTheSwitch) {
    ScenarioSpec spec = test::small_site(2, 11.0, 15.0);
    spec.sessions = {test::session(0, 8.0, 12.0, 20.0), test::session(1, 9.0, 11.0, 15.0)};
    // The inner overloads the 15 kW transformer (22 kW) and claims a cost far above EDF's.
    StrategyHandle g =
        load_strategy("guarded", {{"inner", "fake_costed"}, {"inner.kw", "11"}, {"inner.cost", "1e6"}});
    test::MemorySink sink;
    Simulator sim(spec, *g, sink);
    sim.run(RunInfo{});
    EXPECT_TRUE(sink.violations.empty());
    int switches = 0;
    for (const auto& e : sink.events)
        if (e.kind == EventKind::strategy &&
            e.detail.starts_with("guard: followed edf (inner 1000000.00 > baseline "))
            ++switches;
    EXPECT_EQ(switches, 1);
    double delivered = 0.0;
    for (const auto& s : sink.sessions) delivered += s.delivered_kwh;
    EXPECT_NEAR(delivered, 35.0, 1e-4);
}

}  // namespace
}  // namespace evtwin
