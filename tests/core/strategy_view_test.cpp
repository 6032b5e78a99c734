// What the SDK shows a strategy beyond the present: foresight of the sessions to come, the demand
// charge's state, per-node forecasts, and the events a strategy records.
#include "core/simulator.hpp"
#include "model/bill.hpp"
#include "model/demand_meter.hpp"

#include "support/memory_sink.hpp"
#include "support/test_site.hpp"

#include <gtest/gtest.h>

#include <map>

namespace evtwin {
namespace {

using test::at_hour;
using test::MemorySink;

// 2 per kW of the peak demand over 15-minute intervals, one unbounded billing period.
class DemandTariff : public test::FlatTariff {
public:
    DemandTariff() : FlatTariff(0.25) {}
    double demand_charge_per_kw(Time) const override { return 2.0; }
};

class Seeing : public Strategy {
public:
    explicit Seeing(Duration horizon) : horizon_(horizon) {}
    Foresight foresight() const override { return {horizon_}; }
    void decide(const Observation& obs, Decision& out) override {
        seen.push_back({obs.now, std::vector<UpcomingSession>(obs.upcoming.begin(), obs.upcoming.end()),
                        obs.demand, obs.forecast->import_price.size()});
        for (const SessionView& s : obs.sessions) {
            out.connector_kw[s.connector] = obs.connectors[s.connector].max_kw;
            arrived_capacity_kwh.emplace(s.id, s.capacity_kwh);
        }
        if (obs.now == at_hour(9.0)) out.events.push_back({"plan", "solved in 0 s"});
    }
    struct Seen {
        Time now;
        std::vector<UpcomingSession> upcoming;
        DemandView demand;
        std::size_t forecast_steps;
    };
    std::vector<Seen> seen;
    std::map<SessionId, double> arrived_capacity_kwh;  // as each vehicle was first seen plugged in

private:
    Duration horizon_;
};

ScenarioSpec three_sessions() {
    ScenarioSpec spec = test::small_site(2, 10.0, 100.0);
    spec.sessions = {test::session(1, 8.0, 12.0, 10.0), test::session(2, 10.0, 14.0, 20.0),
                     test::session(3, 20.0, 23.0, 5.0)};
    spec.sessions[1].station = "CP2";
    spec.sessions[2].vehicle.v2g_allowed = true;
    spec.sessions[2].vehicle.max_discharge_kw = 7.0;
    return spec;
}

TEST(StrategyView, ForesightShowsTheSessionsToComeWithinTheHorizon) {
    ScenarioSpec spec = three_sessions();
    Seeing strategy(Duration::hours(4));
    MemorySink sink;
    Simulator(spec, strategy, sink).run(RunInfo{});

    for (const auto& s : strategy.seen) {
        for (const UpcomingSession& u : s.upcoming) {
            EXPECT_GT(u.arrival, s.now);
            EXPECT_LT(u.arrival, s.now + Duration::hours(4));
        }
    }
    const auto at = [&](double h) {
        for (const auto& s : strategy.seen)
            if (s.now == at_hour(h)) return s;
        ADD_FAILURE() << "no decision at " << h;
        return strategy.seen.front();
    };
    ASSERT_EQ(at(5.0).upcoming.size(), 1u);  // 8:00 is within 4 h, 10:00 is not
    EXPECT_EQ(at(5.0).upcoming[0].id, 1u);
    ASSERT_EQ(at(7.0).upcoming.size(), 2u);
    EXPECT_EQ(at(7.0).upcoming[0].id, 1u);
    ASSERT_EQ(at(8.0).upcoming.size(), 1u);  // session 1 has arrived
    const UpcomingSession u = at(8.0).upcoming[0];
    EXPECT_EQ(u.id, 2u);
    EXPECT_EQ(u.arrival, at_hour(10.0));
    EXPECT_EQ(u.declared_departure, at_hour(14.0));
    EXPECT_DOUBLE_EQ(u.requested_kwh, 20.0);
    EXPECT_DOUBLE_EQ(u.capacity_kwh, 60.0);
    EXPECT_DOUBLE_EQ(u.max_ac_kw, 100.0);
    EXPECT_EQ(u.charger, 4u);  // grid 0, T1 1, CP1 2, its connector 3, CP2 4
    EXPECT_TRUE(at(17.0).upcoming.size() == 1u && at(17.0).upcoming[0].v2g_allowed);
    EXPECT_DOUBLE_EQ(at(17.0).upcoming[0].max_discharge_kw, 7.0);
    EXPECT_TRUE(at(21.0).upcoming.empty());
    // The forecast reaches as far as the foresight: 4 h of 15-minute periods (the scenario's is 2 h).
    EXPECT_EQ(at(7.0).forecast_steps, 16u);

    const auto foresight_events = std::count_if(sink.events.begin(), sink.events.end(), [](const auto& e) {
        return e.kind == EventKind::strategy && e.detail == "foresight: perfect, 240 min ahead";
    });
    EXPECT_EQ(foresight_events, 1);
}

TEST(StrategyView, ForesightShowsTheCapacityAnAgedBatteryWillHoldOnArrival) {
    ScenarioSpec spec = three_sessions();
    spec.sessions[0].vehicle.soh = 0.8;          // a health given: 60 kWh nominal hold 48
    spec.sessions[1].vehicle.model_year = 2012;  // a health its age gives
    Seeing strategy(Duration::hours(24));
    MemorySink sink;
    Simulator(spec, strategy, sink).run(RunInfo{});

    const std::vector<UpcomingSession>& first = strategy.seen.front().upcoming;
    ASSERT_EQ(first.size(), 3u);
    EXPECT_DOUBLE_EQ(first[0].capacity_kwh, 48.0);
    EXPECT_LT(first[1].capacity_kwh, 0.9 * 60.0);
    EXPECT_DOUBLE_EQ(first[2].capacity_kwh, 60.0);  // an unknown age: the session's capacity
    for (const UpcomingSession& u : first)
        EXPECT_DOUBLE_EQ(u.capacity_kwh, strategy.arrived_capacity_kwh.at(u.id)) << "session " << u.id;
}

// Charges every vehicle at its charger's rating, keeping what it is shown of session 3.
class Watching : public Strategy {
public:
    void decide(const Observation& obs, Decision& out) override {
        for (const SessionView& s : obs.sessions) {
            out.connector_kw[s.connector] = obs.connectors[s.connector].max_kw;
            if (s.id == 3) seen.push_back(s);
        }
    }
    std::vector<SessionView> seen;
};

TEST(StrategyView, ASessionShowsWhatItTakesAndGivesBeyondItsRequest) {
    ScenarioSpec spec = three_sessions();
    // On a 10 kW charger, 6 kW up to 22 % SoC, 3 kW from 24 %; its 5 kWh take it from 20 to 28 %.
    spec.sessions[2].vehicle.max_ac_kw = 6.0;
    spec.sessions[2].vehicle.curve = {{0.0, 1.0}, {0.22, 1.0}, {0.24, 0.5}, {1.0, 0.5}};
    spec.sessions[2].vehicle.max_discharge_kw = 4.0;
    spec.sessions[2].vehicle.min_soc = 0.2;  // where it arrives: it gives nothing until it has charged
    for (ChargerSpec& c : spec.chargers) c.v2g_capable = true;
    Watching strategy;
    MemorySink sink;
    Simulator(spec, strategy, sink).run(RunInfo{});

    ASSERT_FALSE(strategy.seen.empty());
    int tapered = 0;
    for (const SessionView& s : strategy.seen) {
        EXPECT_DOUBLE_EQ(s.recharge_kw, 6.0) << "at SoC " << s.soc;
        EXPECT_DOUBLE_EQ(s.rated_discharge_kw, 4.0);
        EXPECT_DOUBLE_EQ(s.max_discharge_kw, s.delivered_kwh > 0.0 ? 4.0 : 0.0) << "at SoC " << s.soc;
        if (s.soc >= 0.24 && s.remaining_kwh > 0.0) {
            EXPECT_DOUBLE_EQ(s.max_charge_kw, 3.0);
            ++tapered;
        }
    }
    EXPECT_DOUBLE_EQ(strategy.seen.front().max_discharge_kw, 0.0);
    EXPECT_GE(tapered, 2);
    EXPECT_DOUBLE_EQ(strategy.seen.back().remaining_kwh, 0.0);
    EXPECT_DOUBLE_EQ(strategy.seen.back().max_charge_kw, 0.0);
}

TEST(StrategyView, NoForesightNoUpcomingSessions) {
    ScenarioSpec spec = three_sessions();
    Seeing strategy(Duration(0));
    MemorySink sink;
    Simulator(spec, strategy, sink).run(RunInfo{});
    for (const auto& s : strategy.seen) EXPECT_TRUE(s.upcoming.empty());
    EXPECT_EQ(strategy.seen.front().forecast_steps, 8u);
    for (const auto& e : sink.events) EXPECT_NE(e.detail.rfind("foresight", 0), 0u);
}

TEST(StrategyView, WholeRunForesightSeesEverySessionAtTheStart) {
    ScenarioSpec spec = three_sessions();
    Seeing strategy(Foresight::whole_run());
    MemorySink sink;
    Simulator(spec, strategy, sink).run(RunInfo{});
    EXPECT_EQ(strategy.seen.front().upcoming.size(), 3u);
    EXPECT_EQ(strategy.seen.front().forecast_steps, 96u);  // the run: one day of 15-minute periods
}

TEST(StrategyView, StrategyEventsAreRecordedAtTheirDecision) {
    ScenarioSpec spec = three_sessions();
    Seeing strategy(Duration(0));
    MemorySink sink;
    Simulator(spec, strategy, sink).run(RunInfo{});
    std::vector<test::RecordedEvent> told;
    for (const auto& e : sink.events)
        if (e.kind == EventKind::strategy) told.push_back(e);
    ASSERT_EQ(told.size(), 1u);
    EXPECT_EQ(told[0].t, at_hour(9.0));
    EXPECT_EQ(told[0].detail, "plan: solved in 0 s");
}

TEST(StrategyView, DemandViewFollowsThePeakOfClosedIntervals) {
    ScenarioSpec spec = test::small_site(1, 10.0, 100.0);
    spec.tariff = std::make_shared<DemandTariff>();
    spec.sessions = {test::session(1, 8.0, 12.0, 10.0)};  // 10 kW from 8:00 to 9:00
    Seeing strategy(Duration(0));
    MemorySink sink;
    Simulator(spec, strategy, sink).run(RunInfo{});
    for (const auto& s : strategy.seen) {
        EXPECT_DOUBLE_EQ(s.demand.rate_per_kw, 2.0);
        EXPECT_EQ(s.demand.interval, Duration::minutes(15));
        const double hours = (s.now - at_hour(8.0)).hours_f();
        EXPECT_NEAR(s.demand.peak_kw, hours > 0.0 ? 10.0 : 0.0, 1e-9) << "at h " << hours;
        EXPECT_EQ(s.demand.interval_start.ms() % Duration::minutes(15).ms(), 0);
    }
}

TEST(DemandMeter, AveragesIntervalsAndChargesOnlyTheRiseOfThePeak) {
    DemandTariff tariff;
    DemandMeter meter(tariff);
    // 20 kW for 7.5 minutes then nothing: the interval's demand is 10 kW.
    double charged = meter.accrue(at_hour(0.0), at_hour(0.125), 20.0);
    charged += meter.accrue(at_hour(0.125), at_hour(0.25), 0.0);
    EXPECT_NEAR(meter.peak_kw(), 10.0, 1e-12);
    EXPECT_NEAR(charged, 20.0, 1e-12);
    // A lower interval charges nothing; a higher one charges the rise only.
    EXPECT_DOUBLE_EQ(meter.accrue(at_hour(0.25), at_hour(0.5), 5.0), 0.0);
    EXPECT_NEAR(meter.accrue(at_hour(0.5), at_hour(0.75), 12.0), 2.0 * 2.0, 1e-12);
    // Export is no demand.
    EXPECT_DOUBLE_EQ(meter.accrue(at_hour(0.75), at_hour(1.0), -50.0), 0.0);
    // An open interval is averaged over its full length when closed.
    meter.accrue(at_hour(1.0), at_hour(1.125), 40.0);
    EXPECT_TRUE(meter.interval_open());
    EXPECT_NEAR(meter.interval_kwh(), 5.0, 1e-12);
    EXPECT_NEAR(meter.close_interval(), 2.0 * (20.0 - 12.0), 1e-12);
}

// Bills each day from test::kDay0 on apart.
class DailyDemandTariff : public DemandTariff {
public:
    BillingPeriod billing_period(Time t) const override {
        const Duration day = Duration::hours(24);
        const Time start = test::kDay0 + Duration((t - test::kDay0).ms() / day.ms() * day.ms());
        return {start, start + day};
    }
};

TEST(DemandMeter, TheViewNamesTheBillingPeriodOfItsTimeWhenNoIntervalIsOpen) {
    DailyDemandTariff tariff;
    DemandMeter meter(tariff);
    EXPECT_EQ(meter.view(at_hour(1.0)).period_end, at_hour(24.0)) << "before any interval";
    meter.accrue(at_hour(23.75), at_hour(24.0), 10.0);  // the day's last interval, closed at midnight
    EXPECT_FALSE(meter.interval_open());
    EXPECT_EQ(meter.view(at_hour(23.9)).period_end, at_hour(24.0));
    EXPECT_EQ(meter.view(at_hour(24.0)).period_end, at_hour(48.0)) << "the next day's";
    EXPECT_EQ(meter.view(at_hour(30.0)).period_end, at_hour(48.0));
}

// Bills each day apart, at a demand rate that doubles at noon.
class NoonRateTariff final : public DailyDemandTariff {
public:
    double demand_charge_per_kw(Time t) const override {
        return (t - test::kDay0).ms() % Duration::hours(24).ms() < Duration::hours(12).ms() ? 2.0 : 4.0;
    }
};

// The bill charges a period's peak at the rate the period opened with; the meter's charges add up to
// the bill's, and the view shows that rate, whatever the rate at the instant.
TEST(DemandMeter, ChargesEachPeriodAtTheRateItOpenedWithAsTheBillDoes) {
    NoonRateTariff tariff;
    DemandMeter meter(tariff);
    std::vector<PowerStep> grid;
    double charged = 0.0;
    for (int h = 0; h < 48; ++h) {
        const double kw = h % 24 >= 14 && h % 24 < 16 ? 30.0 : 10.0 + h % 5;  // the peak after noon
        grid.push_back({at_hour(h), kw});
        charged += meter.accrue(at_hour(h), at_hour(h + 1), kw);
    }
    charged += meter.close_interval();
    const Bill bill = compute_bill(tariff, grid, at_hour(0.0), at_hour(48.0));
    EXPECT_NEAR(bill.demand_charge, 2 * 2.0 * 30.0, 1e-9);
    EXPECT_NEAR(charged, bill.demand_charge, 1e-9);
    EXPECT_DOUBLE_EQ(meter.view(at_hour(47.0)).rate_per_kw, 2.0);
    EXPECT_DOUBLE_EQ(meter.view(at_hour(49.0)).rate_per_kw, 2.0) << "the next day, not opened yet";
}

}  // namespace
}  // namespace evtwin
