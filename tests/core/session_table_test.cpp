#include "core/session_table.hpp"

#include "support/test_site.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace evtwin {
namespace {

using test::at_hour;

ScenarioSpec two_sessions_before_the_start_and_three_in_the_run() {
    ScenarioSpec s = test::small_site(2, 11.0, 100.0);
    s.start = at_hour(2.0);
    for (const double arrive : {0.5, 1.0, 2.0, 3.0, 5.0})
        s.sessions.push_back(
            test::session(static_cast<SessionId>(s.sessions.size()), arrive, arrive + 4.0, 20.0));
    return s;
}

std::vector<UpcomingSession> upcoming_of(const ScenarioSpec& s) {
    std::vector<UpcomingSession> all;
    for (const SessionSpec& session : s.sessions) {
        UpcomingSession u;
        u.id = session.id;
        u.arrival = session.arrival;
        all.push_back(u);
    }
    return all;
}

TEST(SessionTable, TheNextArrivalSkipsTheSessionsBeforeTheStartAndMovesOnAsTheyArrive) {
    const ScenarioSpec spec = two_sessions_before_the_start_and_three_in_the_run();
    SessionTable t(spec, 2);
    t.set_upcoming(upcoming_of(spec));
    EXPECT_EQ(t.next_arrival(), 2u);
    ASSERT_EQ(t.upcoming().size(), 3u);
    EXPECT_EQ(t.upcoming().front().id, 2u);
    t.arriving(2);
    EXPECT_EQ(t.next_arrival(), 3u);
    EXPECT_EQ(t.upcoming().front().id, 3u);
    t.arriving(3);
    t.arriving(4);
    EXPECT_EQ(t.next_arrival(), 5u);  // none left
    EXPECT_TRUE(t.upcoming().empty());
}

TEST(SessionTable, TheArrivalsOfAnInstantAreKeptInTheOrderTheirEventsFiredUntilCleared) {
    const ScenarioSpec spec = two_sessions_before_the_start_and_three_in_the_run();
    SessionTable t(spec, 2);
    t.next_arrival();
    t.arriving(2);
    t.arriving(3);
    EXPECT_EQ(std::vector<std::uint32_t>(t.arriving_now().begin(), t.arriving_now().end()),
              (std::vector<std::uint32_t>{2, 3}));
    t.clear_arriving();
    EXPECT_TRUE(t.arriving_now().empty());
}

struct Plugged {
    Plugged() : spec(two_sessions_before_the_start_and_three_in_the_run()), table(spec, 2) {}

    Vehicle& plug(ConnectorIndex c, std::uint32_t index) {
        return table.plug(c, index, spec.sessions[index], spec.chargers[c], battery, BatteryWear{0.01, 0.02});
    }
    SessionView fresh(ConnectorIndex c, bool faulted = false) const {
        return session_view(table.plugged_vehicle(c, spec.chargers[c], faulted), mode);
    }

    ScenarioSpec spec;
    SessionTable table;
    StepSeries ambient;
    BatteryLife battery{BatteryIdentity{"ev:1", "1", "model", Chemistry::nmc, 2020, 60.0}, 0.9, ambient,
                        at_hour(2.0)};
    ViewMode mode{RunMode::event, Duration::minutes(15)};
};

void expect_same_view(const SessionView& a, const SessionView& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.connector, b.connector);
    EXPECT_EQ(a.delivered_kwh, b.delivered_kwh);
    EXPECT_EQ(a.remaining_kwh, b.remaining_kwh);
    EXPECT_EQ(a.soc, b.soc);
    EXPECT_EQ(a.soh, b.soh);
    EXPECT_EQ(a.max_charge_kw, b.max_charge_kw);
    EXPECT_EQ(a.max_discharge_kw, b.max_discharge_kw);
    EXPECT_EQ(a.recharge_kw, b.recharge_kw);
    EXPECT_EQ(a.wear.per_kwh, b.wear.per_kwh);
}

TEST(SessionTable, AConnectorHoldsItsSessionFromPlugUntilUnplug) {
    Plugged p;
    EXPECT_FALSE(p.table.plugged(1));
    p.plug(1, 3);
    EXPECT_TRUE(p.table.plugged(1));
    EXPECT_FALSE(p.table.plugged(0));
    EXPECT_EQ(p.table.session(1).id, 3u);
    EXPECT_EQ(&p.table.battery(1), &p.battery);
    EXPECT_EQ(p.table.vehicle(1).requested_kwh(), 20.0);
    p.table.unplug(1);
    EXPECT_FALSE(p.table.plugged(1));
}

TEST(SessionTable, AViewIsKeptUntilItsVehicleMovesThenUpdatedToWhatAFreshViewShows) {
    Plugged p;
    Vehicle& v = p.plug(0, 2);
    expect_same_view(p.table.view(0, p.spec.chargers[0], false, p.mode), p.fresh(0));
    const Vehicle::Progress start = v.progress();
    v.integrate_from(start, 11.0, 1.0);  // an hour at 11 kW, not told: the view is the one before
    const SessionView kept = p.table.view(0, p.spec.chargers[0], false, p.mode);
    EXPECT_NE(kept.delivered_kwh, p.fresh(0).delivered_kwh);
    p.table.view_moved(0);
    expect_same_view(p.table.view(0, p.spec.chargers[0], false, p.mode), p.fresh(0));
}

TEST(SessionTable, AViewIsMadeAnewAfterItsPlugOrFaultChanged) {
    Plugged p;
    p.plug(1, 2);
    p.table.view(1, p.spec.chargers[1], false, p.mode);
    p.table.remake_view(1);  // its charger faulted
    const SessionView& faulted = p.table.view(1, p.spec.chargers[1], true, p.mode);
    EXPECT_EQ(faulted.max_charge_kw, 0.0);
    expect_same_view(faulted, p.fresh(1, true));
    p.table.unplug(1);
    p.plug(1, 3);
    p.table.remake_view(1);
    const SessionView& next = p.table.view(1, p.spec.chargers[1], false, p.mode);
    EXPECT_EQ(next.id, 3u);
    expect_same_view(next, p.fresh(1));
}

}  // namespace
}  // namespace evtwin
