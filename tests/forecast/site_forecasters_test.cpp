// The scenario's forecasters in a run: what a strategy sees, and that no forecaster sees the future.
#include "forecast/site_forecasters.hpp"
#include "core/simulator.hpp"

#include <evtwin/errors.hpp>
#include <evtwin/plugin.hpp>

#include "support/memory_sink.hpp"
#include "support/test_site.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace evtwin {
namespace {

using test::at_hour;
using test::kDay0;

// Three days of a 100 kWp PV whose profile is a hand-made daily bell, six vehicles a day.
ScenarioSpec pv_site() {
    ScenarioSpec s = test::small_site(4, 11.0, 100.0);
    s.end = kDay0 + Duration::days(3);
    s.forecast_horizon = Duration::hours(6);
    PvSpec pv;
    pv.name = "pv";
    pv.node = 1;
    pv.kwp = 100.0;
    for (int h = 0; h < 72; ++h) {
        const int hour = h % 24;
        const double day_scale = 1.0 - 0.2 * (h / 24);  // each day darker than the one before
        pv.profile.push(at_hour(h),
                        hour >= 6 && hour < 18 ? day_scale * std::sin((hour - 6) / 12.0 * 3.14159) : 0.0);
    }
    s.pv.push_back(pv);
    SessionId id = 0;
    for (int day = 0; day < 3; ++day)
        for (int v = 0; v < 6; ++v) {
            const double arrive = 24.0 * day + 7.0 + v;
            s.sessions.push_back(test::session(id++, arrive, arrive + 8.0, 10.0 + v));
        }
    return s;
}

// What the strategy saw at each decision: the forecast's PV and demand, by decision time.
struct Seen {
    std::map<std::int64_t, std::vector<double>> pv_p10, pv_p50, pv_p90, arrivals;
    std::map<std::int64_t, std::vector<UpcomingSession>> upcoming;
};

class Recorder : public Strategy {
public:
    explicit Recorder(Seen& seen) : seen_(seen) {}
    void decide(const Observation& obs, Decision&) override {
        const std::int64_t t = obs.now.ms();
        seen_.pv_p10[t] = obs.forecast->pv_kw_p10;
        seen_.pv_p50[t] = obs.forecast->pv_kw;
        seen_.pv_p90[t] = obs.forecast->pv_kw_p90;
        seen_.arrivals[t] = obs.forecast->demand.arrivals.p50;
        seen_.upcoming[t].assign(obs.upcoming.begin(), obs.upcoming.end());
    }
    Foresight foresight() const override { return {Duration::hours(6)}; }

private:
    Seen& seen_;
};

Seen run(const ScenarioSpec& spec) {
    Seen seen;
    Recorder strategy(seen);
    test::MemorySink sink;
    Simulator sim(spec, strategy, sink);
    sim.run({});
    return seen;
}

TEST(SiteForecasters, PerfectIsTheRunsOwnData) {
    const ScenarioSpec spec = pv_site();
    const Seen seen = run(spec);
    const auto& noon = seen.pv_p50.at(at_hour(36).ms());  // the second day, 12:00
    EXPECT_NEAR(noon[0], 80.0, 1e-9);
    EXPECT_EQ(seen.pv_p10.at(at_hour(36).ms()), noon);
    EXPECT_EQ(seen.pv_p90.at(at_hour(36).ms()), noon);
    // Demand seen at 06:00 of the second day: its vehicles of 07:00 to 11:00, one an hour, within 6 h.
    const auto& arrivals = seen.arrivals.at(at_hour(30).ms());
    double total = 0.0;
    for (double a : arrivals) total += a;
    EXPECT_DOUBLE_EQ(total, 5.0);
    EXPECT_EQ(seen.upcoming.at(at_hour(30).ms()).size(), 5u);
    EXPECT_LT(seen.upcoming.at(at_hour(30).ms()).front().id, kExpectedSessionIds);
}

TEST(SiteForecasters, PersistenceSeesYesterdayAndNeverTheFuture) {
    ScenarioSpec spec = pv_site();
    spec.forecast.pv.name = "persistence";
    spec.forecast.pv.options = {{"history_days", "1"}};
    spec.forecast.demand.name = "persistence";
    spec.forecast.demand.options = {{"history_days", "1"}};
    const Seen seen = run(spec);
    // At day 2, 12:00 the PV forecast is day 1's noon (80 % of the first day's), not the truth (60 %).
    EXPECT_NEAR(seen.pv_p50.at(at_hour(60).ms())[0], 80.0, 1e-9);
    // On day 0 there is no yesterday: nothing was observed, so nothing is forecast.
    EXPECT_EQ(seen.pv_p50.at(at_hour(12).ms())[0], 0.0);
    // Expected vehicles stand in for the real ones.
    const auto& expected = seen.upcoming.at(at_hour(30).ms());
    ASSERT_FALSE(expected.empty());
    for (const UpcomingSession& u : expected) {
        EXPECT_GE(u.id, kExpectedSessionIds);
        EXPECT_EQ(u.charger, kNone);
        EXPECT_NEAR((u.declared_departure - u.arrival).hours_f(), 8.0, 1.0 / 60.0);
    }
    // Changing everything after day 1, 18:00 changes no forecast made before it.
    ScenarioSpec changed = spec;
    for (std::size_t i = 0; i < changed.pv[0].profile.t.size(); ++i)
        if (changed.pv[0].profile.t[i] >= at_hour(42)) changed.pv[0].profile.v[i] = 0.77;
    for (SessionSpec& s : changed.sessions)
        if (s.arrival >= at_hour(42)) s.requested_kwh = 99.0;
    const Seen other = run(changed);
    for (const auto& [t, pv] : seen.pv_p50) {
        if (Time(t) >= at_hour(42)) break;
        EXPECT_EQ(other.pv_p50.at(t), pv) << format_utc(Time(t));
        EXPECT_EQ(other.arrivals.at(t), seen.arrivals.at(t)) << format_utc(Time(t));
    }
}

// A forecaster plugin whose median is its option `value` at every step, with P10 and P90 `spread`
// below and above it (for the checks on answers); with `fail`, it throws instead.
class Constant : public Forecaster {
public:
    Constant(ForecastTarget, const ForecasterOptions& options)
        : value_(std::stod(options.at("value"))),
          spread_(options.contains("spread") ? std::stod(options.at("spread")) : 0.0),
          fail_(options.contains("fail")) {}
    ForecastNeeds needs() const override { return {Duration::hours(1), 24, 0}; }
    void forecast(const ForecastInput&, ForecastOutput& out) override {
        if (fail_) throw ForecasterError("no forecast today");
        out.p10.assign(out.p10.size(), value_ - spread_);
        out.p50.assign(out.p50.size(), value_);
        out.p90.assign(out.p90.size(), value_ + spread_);
    }

private:
    double value_, spread_;
    bool fail_;
};
EVTWIN_FORECASTER_DESCRIPTOR_FOR(Constant, "constant_for_test", "1.0.0")
const detail::StaticForecasterRegistrar register_constant(&evtwin_forecaster_descriptor_Constant);

// A failure, or an answer beyond what its channel can mean, ends the run with the forecaster named, before
// the engine turns it into a billion expected vehicles or a departure past the end of time.
TEST(SiteForecasters, AFailureOrAnAnswerTheEngineRefusesIsAPluginErrorNamingTheForecaster) {
    const auto error = [](ForecastTarget target, const char* value, const char* spread = "0",
                          bool fail = false) {
        ScenarioSpec spec = pv_site();
        ForecasterChoice& choice = target == ForecastTarget::pv ? spec.forecast.pv : spec.forecast.demand;
        choice.name = "constant_for_test";
        choice.options = {{"value", value}, {"spread", spread}};
        if (fail) choice.options["fail"] = "1";
        try {
            run(spec);
        } catch (const PluginError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(error(ForecastTarget::pv, "50"), "accepted");
    EXPECT_EQ(error(ForecastTarget::demand, "3"), "accepted");
    EXPECT_EQ(
        error(ForecastTarget::pv, "1e300"),
        "forecaster 'constant_for_test' answered 1e+300 PV kW at step 0; expected a number within +-1e+15");
    EXPECT_EQ(
        error(ForecastTarget::pv, "nan"),
        "forecaster 'constant_for_test' answered nan PV kW at step 0; expected a number within +-1e+15");
    EXPECT_EQ(
        error(ForecastTarget::demand, "1e9"),
        "forecaster 'constant_for_test' answered 1e+09 arrivals at step 0; expected a number within +-1000");
    // Quantiles out of order would give the strategies an interval that is not one.
    EXPECT_EQ(error(ForecastTarget::pv, "50", "5"), "accepted");
    EXPECT_EQ(
        error(ForecastTarget::pv, "50", "-5"),
        "forecaster 'constant_for_test' answered P10 55, P50 50, P90 45 PV kW at step 0; expected P10 <= "
        "P50 <= P90");
    EXPECT_EQ(
        error(ForecastTarget::demand, "3", "-1"),
        "forecaster 'constant_for_test' answered P10 4, P50 3, P90 2 arrivals at step 0; expected P10 <= "
        "P50 <= P90");
}

TEST(SiteForecasters, NoisyIsSeededAndItsQuantilesAreOrdered) {
    ScenarioSpec spec = pv_site();
    spec.forecast.pv.name = "noisy";
    spec.forecast.pv.options = {{"noise", "0.3"}};
    const Seen a = run(spec), b = run(spec);
    EXPECT_EQ(a.pv_p50, b.pv_p50);
    const Seen truth = run(pv_site());
    bool differs = false;
    for (const auto& [t, p50] : a.pv_p50) {
        const auto& p10 = a.pv_p10.at(t);
        const auto& p90 = a.pv_p90.at(t);
        for (std::size_t k = 0; k < p50.size(); ++k) {
            EXPECT_LE(p10[k], p50[k]);
            EXPECT_LE(p50[k], p90[k]);
            EXPECT_GE(p10[k], 0.0);
        }
        differs = differs || p50 != truth.pv_p50.at(t);
    }
    EXPECT_TRUE(differs);
    spec.seed = 2;
    EXPECT_NE(run(spec).pv_p50, a.pv_p50);
}

TEST(ExpectedSessions, OneVehicleEachTimeTheExpectedCountPassesAWholeNumber) {
    Forecast f;
    f.start = kDay0;
    f.step = Duration::minutes(15);
    f.demand.arrivals.p50 = {0.4, 0.4, 0.4, 0.0, 2.0};
    f.demand.energy_kwh.p50 = {4.0, 4.0, 4.0, 0.0, 30.0};
    f.demand.stay_h.p50 = {8.0, 8.0, 8.0, 0.0, 2.0};
    UpcomingSession typical;
    typical.capacity_kwh = 50.0;
    typical.max_ac_kw = 11.0;
    std::vector<UpcomingSession> out;
    expected_sessions(f, kDay0, kDay0 + Duration::hours(2), typical, out);
    ASSERT_EQ(out.size(), 3u);  // 0.4 + 0.4 + 0.4 passes 1 at the third step; + 2 passes 2 and 3 at the fifth
    EXPECT_EQ(out[0].arrival, kDay0 + Duration::minutes(30));
    EXPECT_DOUBLE_EQ(out[0].requested_kwh, 10.0);
    EXPECT_EQ(out[0].declared_departure, out[0].arrival + Duration::hours(8));
    EXPECT_EQ(out[1].arrival, kDay0 + Duration::minutes(60));
    EXPECT_DOUBLE_EQ(out[1].requested_kwh, 15.0);
    EXPECT_EQ(out[2].arrival, out[1].arrival);
    EXPECT_EQ(out[2].id, out[0].id + 2);
    EXPECT_DOUBLE_EQ(out[2].max_ac_kw, 11.0);
}

}  // namespace
}  // namespace evtwin
