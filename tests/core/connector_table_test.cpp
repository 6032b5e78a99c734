#include "core/connector_table.hpp"

#include "support/test_site.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

namespace evtwin {
namespace {

using test::kDay0;

std::vector<ConnectorIndex> listed(std::span<const ConnectorIndex> s) {
    return {s.begin(), s.end()};
}

std::vector<ConnectorIndex> sorted(std::span<const ConnectorIndex> s) {
    std::vector<ConnectorIndex> v(s.begin(), s.end());
    std::sort(v.begin(), v.end());
    return v;
}

Vehicle vehicle() {
    return Vehicle(test::session(1, 0.0, 8.0, 20.0), 1.0, false);
}

// Settles the table as the simulator does after an instant: every flag taken, nothing kept.
void settle(ConnectorTable& t) {
    for (const ConnectorIndex c : t.flagged()) {
        t.take_apply_due(c);
        t.take_recheck(c);
        t.take_reschedule(c);
    }
    t.unflag_settled();
    t.clear_views_changed();
}

// The invariants the header states, checked on the whole table.
void expect_invariants(const ConnectorTable& t) {
    std::vector<ConnectorIndex> occupied;
    for (ConnectorIndex c = 0; c < t.size(); ++c) {
        if (t.plugged(c)) occupied.push_back(c);
        const bool listed_once = std::count(t.flagged().begin(), t.flagged().end(), c) == 1;
        EXPECT_EQ(t.is_flagged(c), listed_once) << "connector " << c;
        const bool any_flag = t.apply_due(c) || t.recheck_due(c) || t.reschedule_due(c);
        EXPECT_TRUE(!any_flag || t.is_flagged(c)) << "connector " << c;
    }
    EXPECT_EQ(listed(t.occupied()), occupied);
    EXPECT_TRUE(std::is_sorted(t.drawing().begin(), t.drawing().end()));
}

TEST(ConnectorTable, StartsWithEveryConnectorFlaggedForApplyAndRecheckAndShownAnew) {
    ConnectorTable t(3, kDay0);
    EXPECT_EQ(sorted(t.flagged()), (std::vector<ConnectorIndex>{0, 1, 2}));
    EXPECT_EQ(sorted(t.views_changed()), (std::vector<ConnectorIndex>{0, 1, 2}));
    for (ConnectorIndex c = 0; c < 3; ++c) {
        EXPECT_TRUE(t.apply_due(c));
        EXPECT_TRUE(t.recheck_due(c));
        EXPECT_FALSE(t.reschedule_due(c));
        EXPECT_EQ(t.integrated_to(c), kDay0);
        EXPECT_EQ(t.pending_change(c), ConnectorTable::kNoEvent);
    }
    EXPECT_TRUE(t.occupied().empty());
    expect_invariants(t);
}

TEST(ConnectorTable, OccupiedHoldsThePluggedConnectorsAscendingWhateverTheOrderOfPlugs) {
    ConnectorTable t(6, kDay0);
    const Vehicle v = vehicle();
    for (const ConnectorIndex c : {4u, 1u, 5u, 0u}) t.plug(c, kDay0, v);
    EXPECT_EQ(listed(t.occupied()), (std::vector<ConnectorIndex>{0, 1, 4, 5}));
    t.unplug(1);
    t.unplug(5);
    EXPECT_EQ(listed(t.occupied()), (std::vector<ConnectorIndex>{0, 4}));
    EXPECT_TRUE(t.plugged(4));
    EXPECT_FALSE(t.plugged(5));
    expect_invariants(t);
}

TEST(ConnectorTable, APlugHoldsNoPowerFromItsInstantAndAsksForApplyAndReschedule) {
    ConnectorTable t(2, kDay0);
    settle(t);
    const Time at = kDay0 + Duration::minutes(7);
    const Vehicle v = vehicle();
    t.plug(1, at, v);
    EXPECT_EQ(listed(t.flagged()), (std::vector<ConnectorIndex>{1}));
    EXPECT_TRUE(t.apply_due(1));
    EXPECT_TRUE(t.reschedule_due(1));
    EXPECT_FALSE(t.recheck_due(1));
    EXPECT_EQ(listed(t.views_changed()), (std::vector<ConnectorIndex>{1}));
    EXPECT_EQ(t.held(1).kw, 0.0);
    EXPECT_EQ(t.held(1).since, at);
    EXPECT_EQ(t.held(1).progress.energy_kwh, v.progress().energy_kwh);
    EXPECT_EQ(t.integrated_to(1), at);
    expect_invariants(t);
}

TEST(ConnectorTable, AnUnplugDropsTheLiveChangeEventAndAsksForApplyAndRecheck) {
    ConnectorTable t(2, kDay0);
    t.plug(0, kDay0, vehicle());
    settle(t);
    t.change_scheduled(0, 42);
    t.unplug(0);
    EXPECT_EQ(t.pending_change(0), ConnectorTable::kNoEvent);
    EXPECT_TRUE(t.apply_due(0));
    EXPECT_TRUE(t.recheck_due(0));
    EXPECT_EQ(listed(t.views_changed()), (std::vector<ConnectorIndex>{0}));
    expect_invariants(t);
}

TEST(ConnectorTable, AFaultChangeIsCopiedAndAsksForApplyRecheckAndAFreshView) {
    ConnectorTable t(3, kDay0);
    settle(t);
    t.set_fault(2, true);
    EXPECT_TRUE(t.faulted(2));
    EXPECT_FALSE(t.faulted(1));
    EXPECT_TRUE(t.apply_due(2));
    EXPECT_TRUE(t.recheck_due(2));
    EXPECT_EQ(listed(t.views_changed()), (std::vector<ConnectorIndex>{2}));
    settle(t);
    t.set_fault(2, false);
    EXPECT_FALSE(t.faulted(2));
    EXPECT_EQ(listed(t.flagged()), (std::vector<ConnectorIndex>{2}));
}

TEST(ConnectorTable, AConnectorFlaggedManyWaysIsListedOnce) {
    ConnectorTable t(4, kDay0);
    settle(t);
    t.flag_for_apply(3);
    t.flag_for_recheck(3);
    t.flag_for_reschedule(3);
    t.flag(3);
    t.flag(1);
    EXPECT_EQ(listed(t.flagged()), (std::vector<ConnectorIndex>{3, 1}));
    expect_invariants(t);
    t.sort_flagged();
    EXPECT_EQ(listed(t.flagged()), (std::vector<ConnectorIndex>{1, 3}));
}

TEST(ConnectorTable, SettlingKeepsListedOnlyTheConnectorsStillDueForApply) {
    ConnectorTable t(4, kDay0);
    settle(t);
    t.flag_for_apply(0);
    t.flag_for_recheck(1);
    t.flag_for_reschedule(2);
    EXPECT_TRUE(t.take_recheck(1));
    EXPECT_FALSE(t.take_recheck(1));
    EXPECT_TRUE(t.take_reschedule(2));
    t.unflag_settled();  // 0 was not applied: it stays
    EXPECT_EQ(listed(t.flagged()), (std::vector<ConnectorIndex>{0}));
    EXPECT_FALSE(t.is_flagged(1));
    EXPECT_FALSE(t.is_flagged(2));
    expect_invariants(t);
}

TEST(ConnectorTable, SortingManyFlaggedListsThemInIndexOrderOnce) {
    ConnectorTable t(8, kDay0);
    settle(t);
    for (const ConnectorIndex c : {7u, 2u, 5u, 0u, 2u, 6u}) t.flag_for_apply(c);
    t.sort_flagged();  // more than a quarter flagged: read off the flags
    EXPECT_EQ(listed(t.flagged()), (std::vector<ConnectorIndex>{0, 2, 5, 6, 7}));
    expect_invariants(t);
}

TEST(ConnectorTable, TakingTheRescheduleDropsTheLiveAndHeldBackChanges) {
    ConnectorTable t(2, kDay0);
    t.change_scheduled(0, 9);
    t.hold_back(1, kDay0 + Duration::hours(1));
    t.flag_for_reschedule(0);
    t.flag_for_reschedule(1);
    EXPECT_TRUE(t.take_reschedule(0));
    EXPECT_EQ(t.pending_change(0), ConnectorTable::kNoEvent);
    EXPECT_TRUE(t.held_back(1));
    EXPECT_TRUE(t.take_reschedule(1));
    EXPECT_FALSE(t.held_back(1));
    EXPECT_FALSE(t.take_reschedule(1));
}

TEST(ConnectorTable, AFiredChangeIsDroppedAndAsksForAReschedule) {
    ConnectorTable t(1, kDay0);
    settle(t);
    t.change_scheduled(0, 5);
    t.change_fired(0);
    EXPECT_EQ(t.pending_change(0), ConnectorTable::kNoEvent);
    EXPECT_TRUE(t.reschedule_due(0));
    EXPECT_TRUE(t.is_flagged(0));
}

TEST(ConnectorTable, ATickReleasesTheHeldBackChangesBeforeTheNextTickInIndexOrderOnce) {
    ConnectorTable t(5, kDay0);
    const Time tick = kDay0 + Duration::minutes(15);
    t.hold_back(4, tick + Duration::minutes(3));
    t.hold_back(1, tick + Duration::minutes(20));  // after the next tick: stays held back
    t.hold_back(3, tick + Duration::minutes(1));
    t.hold_back(4, tick + Duration::minutes(2));  // held back again: released once, at its last time
    t.hold_back(2, tick + Duration::minutes(5));
    t.flag_for_reschedule(2);
    t.take_reschedule(2);  // rescheduled since: not released
    std::vector<std::pair<ConnectorIndex, Time>> released;
    const Time next_tick = tick + Duration::minutes(15);
    t.release_held_back(next_tick, [&](ConnectorIndex c, Time at) { released.emplace_back(c, at); });
    EXPECT_EQ(released, (std::vector<std::pair<ConnectorIndex, Time>>{{3, tick + Duration::minutes(1)},
                                                                      {4, tick + Duration::minutes(2)}}));
    EXPECT_TRUE(t.held_back(1));
    EXPECT_FALSE(t.held_back(3));
    released.clear();
    t.release_held_back(next_tick + Duration::minutes(15),
                        [&](ConnectorIndex c, Time at) { released.emplace_back(c, at); });
    EXPECT_EQ(released, (std::vector<std::pair<ConnectorIndex, Time>>{{1, tick + Duration::minutes(20)}}));
}

TEST(ConnectorTable, ASampleIsNewOnlyWhenItsPowerOrStateChanges) {
    ConnectorTable t(2, kDay0);
    EXPECT_TRUE(t.sample(0, 0.0, PilotState::A));  // never sampled
    EXPECT_FALSE(t.sample(0, 0.0, PilotState::A));
    EXPECT_TRUE(t.sample(0, 0.0, PilotState::B));
    EXPECT_TRUE(t.sample(0, 7.0, PilotState::C));
    EXPECT_FALSE(t.sample(0, 7.0, PilotState::C));
    EXPECT_TRUE(t.sample(0, 7.5, PilotState::C));
}

TEST(ConnectorTable, DrawingHoldsTheConnectorsLastSampledInStateCAscending) {
    ConnectorTable t(6, kDay0);
    std::mt19937 rng(3);
    std::vector<PilotState> last(6, PilotState::A);
    for (int step = 0; step < 400; ++step) {
        const auto c = static_cast<ConnectorIndex>(rng() % 6);
        const PilotState state =
            std::array{PilotState::A, PilotState::B, PilotState::C, PilotState::F}[rng() % 4];
        t.sample(c, state == PilotState::C ? 1.0 + static_cast<double>(rng() % 3) : 0.0, state);
        last[c] = state;
        std::vector<ConnectorIndex> expected;
        for (ConnectorIndex i = 0; i < 6; ++i)
            if (last[i] == PilotState::C) expected.push_back(i);
        ASSERT_EQ(listed(t.drawing()), expected) << "step " << step;
    }
}

TEST(ConnectorTable, IntegrationMovesOnlyForwardAndHoldingTheSamePowerKeepsItsInstant) {
    ConnectorTable t(1, kDay0);
    const Vehicle v = vehicle();
    t.plug(0, kDay0, v);
    EXPECT_FALSE(t.integrate_to(0, kDay0));
    EXPECT_TRUE(t.integrate_to(0, kDay0 + Duration::minutes(5)));
    EXPECT_FALSE(t.integrate_to(0, kDay0 + Duration::minutes(4)));
    EXPECT_EQ(t.integrated_to(0), kDay0 + Duration::minutes(5));
    t.hold(0, kDay0 + Duration::minutes(5), 11.0, &v);
    EXPECT_EQ(t.held(0).since, kDay0 + Duration::minutes(5));
    t.hold(0, kDay0 + Duration::minutes(9), 11.0, &v);  // the same power: held since before
    EXPECT_EQ(t.held(0).since, kDay0 + Duration::minutes(5));
    t.hold(0, kDay0 + Duration::minutes(9), 0.0, nullptr);
    EXPECT_EQ(t.held(0).kw, 0.0);
    EXPECT_EQ(t.held(0).since, kDay0 + Duration::minutes(9));
}

TEST(ConnectorTable, RandomPlugsFaultsAndFlagsKeepTheInvariants) {
    ConnectorTable t(10, kDay0);
    const Vehicle v = vehicle();
    std::mt19937 rng(7);
    for (int step = 0; step < 2000; ++step) {
        const auto c = static_cast<ConnectorIndex>(rng() % 10);
        switch (rng() % 7) {
            case 0:
                if (!t.plugged(c)) t.plug(c, kDay0, v);
                break;
            case 1:
                if (t.plugged(c)) t.unplug(c);
                break;
            case 2:
                t.set_fault(c, rng() % 2 == 0);
                break;
            case 3:
                t.flag_for_apply(c);
                break;
            case 4:
                t.flag_for_reschedule(c);
                break;
            case 5:
                t.sort_flagged();
                break;
            default:
                settle(t);
                break;
        }
        expect_invariants(t);
        if (HasFailure()) FAIL() << "step " << step;
    }
}

}  // namespace
}  // namespace evtwin
