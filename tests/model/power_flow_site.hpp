#pragma once
// The site the power-flow tests share, and what they build powers and check violations with.
#include "model/power_flow.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace evtwin::test::flow {

inline ChargerSpec flow_charger(std::string name, NodeIndex parent, int connectors, double max_kw, bool v2g) {
    ChargerSpec c;
    c.name = std::move(name);
    c.parent = parent;
    c.connectors = connectors;
    c.max_kw = max_kw;
    c.v2g_capable = v2g;
    return c;
}

// Nodes: grid(0) -> T1(1) -> F1(2); grid -> F2(3); CP1 (4) on F1 with connectors CP1/1 (5) and
// CP1/2 (6); CP2 (7) on T1 with CP2/1 (8); CP3 (9) on F2 with CP3/1 (10). Connector indices
// 0 = CP1/1, 1 = CP1/2, 2 = CP2/1, 3 = CP3/1. Chargers 50 kW, V2G; nodes unlimited unless a test
// sets a limit.
inline constexpr NodeIndex kGrid = 0, kT1 = 1, kF1 = 2, kF2 = 3, kCP1 = 4;

inline ScenarioSpec spec() {
    ScenarioSpec s;
    s.nodes = {{"grid", NodeKind::grid, kNone},
               {"T1", NodeKind::transformer, 0},
               {"F1", NodeKind::feeder, 1},
               {"F2", NodeKind::feeder, 0}};
    s.chargers = {flow_charger("CP1", kF1, 2, 50.0, true), flow_charger("CP2", kT1, 1, 50.0, true),
                  flow_charger("CP3", kF2, 1, 50.0, true)};
    return s;
}

inline double continuous(ConnectorIndex, double kw) {
    return kw;
}

inline SitePower power(const Site& site, std::vector<double> connector_kw) {
    SitePower p;
    p.connector_kw = std::move(connector_kw);
    p.load_kw.assign(site.nodes().size(), 0.0);
    return p;
}

inline void expect_violation(const Violation& v, const std::string& kind, NodeIndex node,
                             ConnectorIndex connector, double requested, double applied) {
    EXPECT_EQ(v.kind, kind);
    EXPECT_EQ(v.node, node);
    EXPECT_EQ(v.connector, connector);
    EXPECT_NEAR(v.requested_kw, requested, 1e-9);
    EXPECT_NEAR(v.applied_kw, applied, 1e-9);
}

}  // namespace evtwin::test::flow
