#include "viewer/data/batteries.hpp"
#include "record/health_run.hpp"
#include "support/test_support.hpp"
#include "viewer/data/plain_text.hpp"
#include "viewer/data/run_data.hpp"

#include <gtest/gtest.h>

namespace evtwin::viewer {
namespace {

using test::at_h;

TEST(Batteries, RunDataJoinsHealthGradesAndSessions) {
    const RunData d = RunData::load(test::write_health_run(test::temp_dir("batteries_join") / "tiny.db"));
    ASSERT_EQ(d.batteries.size(), 2u);
    EXPECT_TRUE(d.batteries[0].graded);
    EXPECT_FALSE(d.batteries[0].sub_scores.empty());
    const BatteryRow* car = d.vehicle_battery("car-7");
    ASSERT_NE(car, nullptr);
    EXPECT_TRUE(car->graded);
    EXPECT_GE(car->grade, 'A');
    EXPECT_LE(car->grade, 'D');
    EXPECT_DOUBLE_EQ(car->usage.soh_start, 0.83);
    EXPECT_EQ(d.battery("ess:battery"), &d.batteries[0]);
    EXPECT_EQ(d.vehicle_battery(""), nullptr);
    EXPECT_EQ(d.vehicle_battery("car-8"), nullptr);
    // The vehicle plugged into A at 02:30 and its state of health at arrival.
    const ConnectorAt at = d.connector_at(0, at_h(2.5));
    const SessionRecord* s = d.session(at.session);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->vehicle_id, "car-7");
    EXPECT_DOUBLE_EQ(s->soh, 0.83);
    const SessionRecord* s2 = d.session(2);
    ASSERT_NE(s2, nullptr);
    EXPECT_EQ(s2->vehicle_id, "");
    EXPECT_DOUBLE_EQ(s2->soh, 0.97);
    EXPECT_EQ(d.session(99), nullptr);
}

BatteryRow row(std::string name, bool graded, double score, char grade, double soh_end, double efc) {
    BatteryRow r;
    r.usage.battery = std::move(name);
    r.usage.soh_end = soh_end;
    r.usage.efc = efc;
    r.graded = graded;
    r.score = score;
    r.grade = grade;
    return r;
}

std::vector<std::string> names(const std::vector<std::size_t>& order, const std::vector<BatteryRow>& rows) {
    std::vector<std::string> out;
    for (auto i : order) out.push_back(rows[i].usage.battery);
    return out;
}

TEST(Batteries, UngradedOrAbsentBatteriesShowWhatTheRunHas) {
    const RunData ungraded =
        RunData::load(test::write_health_run(test::temp_dir("batteries_ungraded") / "tiny.db", false));
    ASSERT_EQ(ungraded.batteries.size(), 2u);
    EXPECT_FALSE(ungraded.batteries[0].graded);
    EXPECT_FALSE(ungraded.batteries[1].graded);
    EXPECT_DOUBLE_EQ(ungraded.vehicle_battery("car-7")->usage.soh_start, 0.83);
    const auto plain = test::temp_dir("batteries_plain") / "tiny.db";
    {
        SqliteRunWriter w(plain);
        test::write_tiny_run(w, test::tiny_spec());
    }
    EXPECT_TRUE(RunData::load(plain).batteries.empty());
}

TEST(Batteries, SortByGradeScoreAndSoh) {
    const std::vector<BatteryRow> rows{
        row("ev:a", true, 60, 'C', 0.80, 3), row("ev:b", true, 90, 'A', 0.95, 1),
        row("ev:c", false, 0, '?', 0.70, 2), row("ess", true, 72, 'B', 0.99, 9),
        row("ev:d", true, 88, 'A', 0.90, 0)};
    std::vector<std::size_t> order{0, 1, 2, 3, 4};
    using V = std::vector<std::string>;
    sort_batteries(order, rows, BatterySort::grade, false);
    EXPECT_EQ(names(order, rows), (V{"ev:b", "ev:d", "ess", "ev:a", "ev:c"})) << "best first, ungraded last";
    sort_batteries(order, rows, BatterySort::grade, true);
    EXPECT_EQ(names(order, rows), (V{"ev:a", "ess", "ev:d", "ev:b", "ev:c"})) << "worst first, ungraded last";
    sort_batteries(order, rows, BatterySort::score, false);
    EXPECT_EQ(names(order, rows), (V{"ev:b", "ev:d", "ess", "ev:a", "ev:c"}));
    sort_batteries(order, rows, BatterySort::soh_end, false);
    EXPECT_EQ(names(order, rows), (V{"ev:c", "ev:a", "ev:d", "ev:b", "ess"})) << "lowest SoH first";
    sort_batteries(order, rows, BatterySort::efc, false);
    EXPECT_EQ(names(order, rows), (V{"ess", "ev:a", "ev:c", "ev:b", "ev:d"}));
    sort_batteries(order, rows, BatterySort::name, false);
    EXPECT_EQ(names(order, rows), (V{"ess", "ev:a", "ev:b", "ev:c", "ev:d"}));
}

TEST(Batteries, ReasonsAreSpeltForTheBuiltInFont) {
    EXPECT_EQ(plain_text("parked at \u2265 80 % SoC: \u22124.0; 15\u201335 \u00b0C, \u2264 2"),
              "parked at >= 80 % SoC: -4.0; 15-35 \u00b0C, <= 2");
    EXPECT_EQ(plain_text(""), "");
    EXPECT_EQ(plain_text("plain"), "plain");
}

}  // namespace
}  // namespace evtwin::viewer
