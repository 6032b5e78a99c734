// The Feeder tab's data: the feeder laid out as a tree from the substation, and each bus's voltage
// at an instant against its band.
#include "viewer/data/feeder_map.hpp"
#include "feeder_run.hpp"
#include "record/health_run.hpp"
#include "viewer/data/run_data.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace evtwin::viewer {
namespace {

Time at_hour(const RunData& d, double hours) {
    return d.start() + Duration(static_cast<std::int64_t>(hours * 3'600'000.0));
}

TEST(FeederMap, BusesAreLaidOutAsATreeFromTheSubstation) {
    const RunData d = RunData::load(test::write_feeder_run(test::temp_dir("feeder_map_layout")));
    ASSERT_TRUE(d.feeder);
    const FeederMap& map = *d.feeder;
    ASSERT_EQ(map.buses.size(), 4u);
    const auto bus = [&](const std::string& name) -> const FeederMap::Bus& {
        for (const auto& b : map.buses)
            if (b.name == name) return b;
        throw std::out_of_range(name);
    };
    // Depths 0 (s), 1 (b1, b3), 2 (b2) over 2; the leaves b2 and b3 at rows 0 and 1, b1 above its
    // one child, s between its two.
    EXPECT_FLOAT_EQ(bus("s").x, 0.f);
    EXPECT_FLOAT_EQ(bus("b1").x, 0.5f);
    EXPECT_FLOAT_EQ(bus("b3").x, 0.5f);
    EXPECT_FLOAT_EQ(bus("b2").x, 1.f);
    EXPECT_FLOAT_EQ(bus("b2").y, 0.f);
    EXPECT_FLOAT_EQ(bus("b3").y, 1.f);
    EXPECT_FLOAT_EQ(bus("b1").y, 0.f);
    EXPECT_FLOAT_EQ(bus("s").y, 0.5f);
    EXPECT_TRUE(bus("b2").site);
    EXPECT_FALSE(bus("b1").site);
    EXPECT_EQ(map.branches.size(), 3u);
}

TEST(FeederMap, ABusIsColouredByItsVoltageAtTheCursorAgainstItsOwnBand) {
    const RunData d = RunData::load(test::write_feeder_run(test::temp_dir("feeder_map_voltage")));
    const FeederMap& map = *d.feeder;
    std::size_t b1 = 0, b2 = 0;
    for (std::size_t b = 0; b < map.buses.size(); ++b) {
        if (map.buses[b].name == "b1") b1 = b;
        if (map.buses[b].name == "b2") b2 = b;
    }
    EXPECT_EQ(map.buses[b2].v_min_pu, 0.99);
    EXPECT_EQ(map.buses[b1].v_min_pu, 0.9);
    // Before 10:00 and after 12:00 every bus is at 1.0; while the vehicle charges b2 sags most.
    const auto before = map.range_at(b2, at_hour(d, 9));
    ASSERT_TRUE(before);
    EXPECT_EQ(before->first, 1.0);
    EXPECT_EQ(voltage_state(map.buses[b2], *before), VoltageState::within);
    const auto during = map.range_at(b2, at_hour(d, 10.5));
    const auto upstream = map.range_at(b1, at_hour(d, 10.5));
    ASSERT_TRUE(during && upstream);
    EXPECT_LT(during->first, upstream->first);
    EXPECT_LT(during->first, 0.99);
    EXPECT_EQ(voltage_state(map.buses[b2], *during), VoltageState::low);
    EXPECT_EQ(voltage_state(map.buses[b1], *upstream), VoltageState::within);
    EXPECT_EQ(map.range_at(b2, at_hour(d, 12.5))->first, 1.0);
    EXPECT_FALSE(map.voltage_at(b2, 4, at_hour(d, 10.5)));
    EXPECT_FALSE(map.range_at(b2, d.start() - Duration(1)));  // before the first solve
}

TEST(FeederMap, ARunWithoutAFeederHasNone) {
    const RunData d = RunData::load(test::write_health_run(test::temp_dir("feeder_map_none") / "tiny.db"));
    EXPECT_FALSE(d.feeder);
}

}  // namespace
}  // namespace evtwin::viewer
