// The scores of next-charge predictions on cases worked out by hand.
#include "drivers/evaluation.hpp"

#include <gtest/gtest.h>

namespace evtwin::drivers {
namespace {

TEST(DriverMetrics, BrierScoreByHand) {
    // (0.5 - 1)^2 + (0.2 - 0)^2 + (0.9 - 0)^2 = 0.25 + 0.04 + 0.81 = 1.1, over 3
    EXPECT_NEAR(brier_score({0.5, 0.2, 0.9}, {1, 0, 0}), 1.1 / 3.0, 1e-12);
    EXPECT_DOUBLE_EQ(brier_score({1.0, 0.0}, {1, 0}), 0.0);
    EXPECT_THROW(brier_score({0.5}, {1, 0}), std::invalid_argument);
}

TEST(DriverMetrics, ScoreSumsBrierOverTheWeeksSlots) {
    DriverPrediction p;
    p.probability[3] = 0.5;
    p.probability[100] = 0.25;
    Outcome o;
    o.started[3] = 1;
    o.next_slot = 3;
    o.next_kwh = 8.0;
    p.next_kwh = 10.0;
    Scores s;
    score(p, o, s);
    // slot 3: (0.5 - 1)^2 = 0.25; slot 100: 0.25^2 = 0.0625; over 168 slots
    EXPECT_NEAR(s.brier(), (0.25 + 0.0625) / 168.0, 1e-15);
    EXPECT_EQ(s.hit_cases, 1u);
    EXPECT_EQ(s.hits, 1u);
    EXPECT_DOUBLE_EQ(s.energy_mae(), 2.0);
}

TEST(DriverMetrics, HitWithinTwoHoursOfTheMostLikelySlot) {
    const auto hit_at = [](int predicted, int actual) {
        DriverPrediction p;
        p.probability[predicted] = 0.9;
        Outcome o;
        o.started[actual] = 1;
        o.next_slot = actual;
        Scores s;
        score(p, o, s);
        return s.hits == 1;
    };
    EXPECT_TRUE(hit_at(10, 10));
    EXPECT_TRUE(hit_at(10, 12));
    EXPECT_TRUE(hit_at(10, 8));
    EXPECT_FALSE(hit_at(10, 13));
    EXPECT_FALSE(hit_at(10, 7));
    EXPECT_FALSE(is_hit(10, -1));  // no session in the week
}

TEST(DriverMetrics, AWeekWithoutSessionCountsForBrierOnly) {
    DriverPrediction p;
    p.probability[0] = 0.5;
    Scores s;
    score(p, Outcome{}, s);
    EXPECT_EQ(s.pairs, 1u);
    EXPECT_EQ(s.hit_cases, 0u);
    EXPECT_EQ(s.energy_cases, 0u);
    EXPECT_NEAR(s.brier(), 0.25 / 168.0, 1e-15);
}

TEST(DriverMetrics, EnergyMaeAndSkills) {
    Scores s;
    Outcome o;
    o.next_slot = 5;
    DriverPrediction p;
    p.next_kwh = 10.0;
    o.next_kwh = 7.0;
    score(p, o, s);
    p.next_kwh = 5.0;
    o.next_kwh = 9.0;
    score(p, o, s);
    EXPECT_DOUBLE_EQ(s.energy_mae(), 3.5);  // (3 + 4) / 2
    EXPECT_DOUBLE_EQ(skill(0.75, 1.0), 0.25);
    EXPECT_DOUBLE_EQ(skill(1.0, 0.0), 0.0);
    EXPECT_DOUBLE_EQ(hit_skill(0.6, 0.2), 0.5);
}

TEST(DriverMetrics, MostLikelySlotIsTheEarliestOfEqualOnes) {
    DriverPrediction p;
    EXPECT_EQ(most_likely_slot(p), 0);
    p.probability[40] = 0.3;
    p.probability[20] = 0.3;
    EXPECT_EQ(most_likely_slot(p), 20);
}

}  // namespace
}  // namespace evtwin::drivers
