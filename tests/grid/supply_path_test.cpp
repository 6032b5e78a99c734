// The branches that carry a bus's supply from the substation.
#include "grid/supply_path.hpp"

#include <gtest/gtest.h>

namespace evtwin::grid {
namespace {

Line line(const std::string& name, int from, int to) {
    Line l;
    l.name = name;
    l.from = Terminal{from, {1, 2, 3}};
    l.to = Terminal{to, {1, 2, 3}};
    return l;
}

// s -L0- a =T0= b -L1- c, b -L2- d, c -L3- d (a loop), e on its own. Branches: L0..L3 are 0..3,
// T0 is 4.
Network looped() {
    Network n;
    for (const char* name : {"s", "a", "b", "c", "d", "e"}) n.buses.push_back(Bus{name});
    n.source.bus = 0;
    n.lines = {line("L0", 0, 1), line("L1", 2, 3), line("L2", 2, 4), line("L3", 3, 4)};
    Transformer t;
    t.name = "T0";
    t.windings.resize(2);
    t.windings[0].terminal = Terminal{1, {1, 2, 3}};
    t.windings[1].terminal = Terminal{2, {1, 2, 3}};
    n.transformers.push_back(t);
    return n;
}

TEST(SupplyPath, TheBranchesFromTheSubstationInOrderTransformersAfterTheLines) {
    const Network n = looped();
    EXPECT_EQ(supply_path(n, 1), (std::vector<std::size_t>{0}));
    EXPECT_EQ(supply_path(n, 2), (std::vector<std::size_t>{0, 4}));
    EXPECT_EQ(supply_path(n, 3), (std::vector<std::size_t>{0, 4, 1}));
    EXPECT_EQ(supply_path(n, 4), (std::vector<std::size_t>{0, 4, 2}));  // the loop's shorter way
}

TEST(SupplyPath, TheSubstationsBusAndAnUnreachedOneHaveNone) {
    const Network n = looped();
    EXPECT_TRUE(supply_path(n, 0).empty());
    EXPECT_TRUE(supply_path(n, 5).empty());
    EXPECT_TRUE(supply_path(n, 9).empty());
}

}  // namespace
}  // namespace evtwin::grid
