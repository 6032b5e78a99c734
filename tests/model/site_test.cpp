#include "model/site.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace evtwin {
namespace {

using ::testing::HasSubstr;

ChargerSpec tree_charger(std::string name, NodeIndex parent, int connectors, double max_kw = 11.0,
                         bool v2g = false) {
    ChargerSpec c;
    c.name = std::move(name);
    c.parent = parent;
    c.connectors = connectors;
    c.max_kw = max_kw;
    c.v2g_capable = v2g;
    return c;
}

// grid(0) -> T1(1) -> F1(2); grid -> F2(3); chargers A (2 connectors) on F1, B (1, V2G, 22 kW) on F2,
// C (3) on T1.
ScenarioSpec tree() {
    ScenarioSpec s;
    s.nodes = {{"grid", NodeKind::grid, kNone, 500.0, 100.0},
               {"T1", NodeKind::transformer, 0, 400.0, 400.0},
               {"F1", NodeKind::feeder, 1, 50.0, 50.0},
               {"F2", NodeKind::feeder, 0, 60.0, 60.0}};
    s.chargers = {tree_charger("A", 2, 2), tree_charger("B", 3, 1, 22.0, true), tree_charger("C", 1, 3)};
    return s;
}

std::string error_of(const ScenarioSpec& spec) {
    try {
        Site site(spec);
    } catch (const SiteError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(Site, SpecNodesKeepTheirIndicesThenEachChargerAndItsConnectors) {
    const Site site(tree());
    const std::vector<std::string> names = {"grid", "T1",  "F1", "F2",  "A",   "A/1", "A/2",
                                            "B",    "B/1", "C",  "C/1", "C/2", "C/3"};
    const std::vector<NodeIndex> parents = {kNone, 0, 1, 0, 2, 4, 4, 3, 7, 1, 9, 9, 9};
    ASSERT_EQ(site.nodes().size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        EXPECT_EQ(site.nodes()[i].name, names[i]) << i;
        EXPECT_EQ(site.nodes()[i].parent, parents[i]) << i;
    }
    EXPECT_EQ(site.nodes()[0].kind, NodeKind::grid);
    EXPECT_DOUBLE_EQ(site.nodes()[0].import_limit_kw, 500.0);
    EXPECT_DOUBLE_EQ(site.nodes()[0].export_limit_kw, 100.0);
    EXPECT_EQ(site.nodes()[2].kind, NodeKind::feeder);
    EXPECT_EQ(site.nodes()[4].kind, NodeKind::charger);
    EXPECT_EQ(site.nodes()[5].kind, NodeKind::connector);

    const std::vector<std::string> connector_names = {"A/1", "A/2", "B/1", "C/1", "C/2", "C/3"};
    const std::vector<NodeIndex> connector_nodes = {5, 6, 8, 10, 11, 12};
    const std::vector<NodeIndex> charger_nodes = {4, 4, 7, 9, 9, 9};
    const std::vector<std::size_t> charger_specs = {0, 0, 1, 2, 2, 2};
    ASSERT_EQ(site.connectors().size(), 6u);
    for (std::size_t c = 0; c < 6; ++c) {
        EXPECT_EQ(site.connectors()[c].name, connector_names[c]);
        EXPECT_EQ(site.connectors()[c].node, connector_nodes[c]);
        EXPECT_EQ(site.connectors()[c].charger, charger_nodes[c]);
        EXPECT_EQ(site.connectors()[c].charger_spec, charger_specs[c]);
    }
}

TEST(Site, ChargerAndConnectorNodesCarryTheChargerRating) {
    const Site site(tree());
    // A: 11 kW, no V2G: imports up to 11 kW, exports nothing.
    for (NodeIndex n : {4u, 5u, 6u}) {
        EXPECT_DOUBLE_EQ(site.nodes()[n].import_limit_kw, 11.0) << n;
        EXPECT_DOUBLE_EQ(site.nodes()[n].export_limit_kw, 0.0) << n;
    }
    // B: 22 kW both ways.
    for (NodeIndex n : {7u, 8u}) {
        EXPECT_DOUBLE_EQ(site.nodes()[n].import_limit_kw, 22.0) << n;
        EXPECT_DOUBLE_EQ(site.nodes()[n].export_limit_kw, 22.0) << n;
    }
}

TEST(Site, BottomUpHasEveryChildBeforeItsParent) {
    const Site site(tree());
    const auto& order = site.bottom_up();
    ASSERT_EQ(order.size(), site.nodes().size());
    std::vector<std::size_t> position(order.size(), order.size());
    for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = i;
    for (std::size_t n = 0; n < order.size(); ++n)
        EXPECT_LT(position[n], order.size()) << "node " << n << " missing";
    for (std::size_t n = 1; n < order.size(); ++n)
        EXPECT_LT(position[n], position[site.nodes()[n].parent]) << site.nodes()[n].name;
    EXPECT_EQ(order.back(), 0u);
}

TEST(Site, BelowFollowsTheTree) {
    const Site site(tree());
    // A/1 (5) is under A (4), F1 (2), T1 (1) and the grid (0), not under F2 (3) or C (9).
    for (NodeIndex ancestor : {5u, 4u, 2u, 1u, 0u}) EXPECT_TRUE(site.below(5, ancestor)) << ancestor;
    for (NodeIndex other : {3u, 6u, 7u, 9u, 12u}) EXPECT_FALSE(site.below(5, other)) << other;
    EXPECT_TRUE(site.below(8, 3));   // B/1 under F2
    EXPECT_FALSE(site.below(8, 1));  // not under T1
    EXPECT_TRUE(site.below(12, 1));  // C/3 under T1
    EXPECT_FALSE(site.below(1, 5));  // a parent is not below its descendant
    EXPECT_FALSE(site.below(0, 1));
    EXPECT_TRUE(site.below(0, 0));
}

TEST(Site, BelowMatchesWalkingUpOnRandomTrees) {
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 50; ++trial) {
        ScenarioSpec s;
        s.nodes.push_back({"grid", NodeKind::grid, kNone});
        const int n = std::uniform_int_distribution<int>(1, 12)(rng);
        for (int i = 1; i <= n; ++i)
            s.nodes.push_back({std::string("N").append(std::to_string(i)), NodeKind::feeder,
                               std::uniform_int_distribution<NodeIndex>(0, i - 1)(rng)});
        for (int k = 0; k < 4; ++k)
            s.chargers.push_back(tree_charger(std::string("CP").append(std::to_string(k)),
                                              std::uniform_int_distribution<NodeIndex>(0, n)(rng),
                                              1 + k % 3));
        const Site site(s);
        const auto& nodes = site.nodes();
        for (NodeIndex a = 0; a < nodes.size(); ++a) {
            for (NodeIndex b = 0; b < nodes.size(); ++b) {
                bool expected = false;
                for (NodeIndex x = a; x != kNone; x = nodes[x].parent) expected |= x == b;
                EXPECT_EQ(site.below(a, b), expected) << a << " under " << b;
            }
        }
        std::vector<std::size_t> position(nodes.size());
        for (std::size_t i = 0; i < site.bottom_up().size(); ++i) position[site.bottom_up()[i]] = i;
        for (std::size_t x = 1; x < nodes.size(); ++x) EXPECT_LT(position[x], position[nodes[x].parent]);
    }
}

TEST(Site, MalformedTreesThrowNamingTheNode) {
    ScenarioSpec s = tree();
    s.nodes.clear();
    EXPECT_THAT(error_of(s), HasSubstr("node 0 must be the grid connection"));

    s = tree();
    s.nodes[0].kind = NodeKind::transformer;
    EXPECT_THAT(error_of(s), HasSubstr("node 0 must be the grid connection"));

    s = tree();
    s.nodes[0].parent = 1;
    EXPECT_THAT(error_of(s), HasSubstr("node 0 must be the grid connection"));

    s = tree();
    s.nodes[3].name = "T1";
    EXPECT_THAT(error_of(s), HasSubstr("two nodes are named 'T1'"));

    s = tree();
    s.nodes[2].parent = 3;  // F1 under F2, which comes after it
    EXPECT_THAT(error_of(s), HasSubstr("node 'F1' must hang from a node defined before it"));

    s = tree();
    s.nodes[2].parent = 2;  // its own parent
    EXPECT_THAT(error_of(s), HasSubstr("node 'F1' must hang from a node defined before it"));

    s = tree();
    s.nodes[3].parent = kNone;  // a second root
    EXPECT_THAT(error_of(s), HasSubstr("node 'F2' must hang from a node defined before it"));

    s = tree();
    s.nodes[3].kind = NodeKind::grid;
    EXPECT_THAT(error_of(s), HasSubstr("node 'F2': only the root is a grid connection"));

    s = tree();
    s.chargers[1].connectors = 0;
    EXPECT_THAT(error_of(s), HasSubstr("charger 'B': needs at least one connector"));

    s = tree();
    s.chargers[2].parent = 99;
    EXPECT_THAT(error_of(s), HasSubstr("charger 'C': unknown parent node"));

    s = tree();
    s.chargers[2].name = "A";
    EXPECT_THAT(error_of(s), HasSubstr("two nodes are named 'A'"));

    s = tree();
    s.chargers[0].name = "F2";  // a charger named like a node
    EXPECT_THAT(error_of(s), HasSubstr("two nodes are named 'F2'"));
}

TEST(Site, ConnectorNamesMayNotCollideWithOtherNodes) {
    // A feeder named "A/1" and charger A's first connector would be two nodes of the same name.
    ScenarioSpec s = tree();
    s.nodes[3].name = "A/1";
    EXPECT_THAT(error_of(s), HasSubstr("two nodes are named 'A/1'"));
    // Likewise a charger named like another charger's connector.
    s = tree();
    s.chargers[2].name = "A/2";
    EXPECT_THAT(error_of(s), HasSubstr("two nodes are named 'A/2'"));
}

}  // namespace
}  // namespace evtwin
