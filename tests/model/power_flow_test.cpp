// The power flow on hand-worked cases: flows, overloads relieved in order, what stays unresolved.
#include "model/power_flow_site.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

using namespace test::flow;

TEST(PowerFlow, FlowsAreSumsOfEverythingBelow) {
    const Site site(spec());
    PowerFlow flow(site, continuous);
    SitePower p = power(site, {5.0, 7.0, 3.0, 4.0});
    p.ess = {EssPower{kT1, 10.0}};
    p.pv = {{kGrid, 6.0, 4.0}};  // 6 kW available, 4 used
    p.load_kw[kF1] = 1.5;
    p.load_kw[kT1] = 2.0;
    const std::vector<double>& f = flow.compute(p);
    EXPECT_DOUBLE_EQ(f[5], 5.0);                     // CP1/1
    EXPECT_DOUBLE_EQ(f[6], 7.0);                     // CP1/2
    EXPECT_DOUBLE_EQ(f[kCP1], 12.0);                 // 5 + 7
    EXPECT_DOUBLE_EQ(f[kF1], 13.5);                  // 12 + 1.5 load
    EXPECT_DOUBLE_EQ(f[8], 3.0);                     // CP2/1
    EXPECT_DOUBLE_EQ(f[kT1], 28.5);                  // 13.5 + 3 + 10 ESS + 2 load
    EXPECT_DOUBLE_EQ(f[kF2], 4.0);                   // CP3/1
    EXPECT_DOUBLE_EQ(f[kGrid], 28.5);                // 28.5 + 4 - 4 PV used
    EXPECT_EQ(flow.compute(p), f);                   // starts afresh every time
    p.connector_kw[3] = -4.0;                        // V2G on CP3/1
    EXPECT_DOUBLE_EQ(flow.compute(p)[kGrid], 20.5);  // 28.5 - 4 - 4
}

TEST(PowerFlow, NoOverloadChangesNothing) {
    ScenarioSpec s = spec();
    s.nodes[kT1].import_limit_kw = 20.0;
    const Site site(s);
    PowerFlow flow(site, continuous);
    SitePower p = power(site, {5.0, 5.0, 10.0, 30.0});
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    EXPECT_TRUE(violations.empty());
    EXPECT_EQ(p.connector_kw, (std::vector<double>{5.0, 5.0, 10.0, 30.0}));
}

TEST(PowerFlow, ImportOverloadReducesEvAndEssChargingInProportion) {
    ScenarioSpec s = spec();
    s.nodes[kT1].import_limit_kw = 20.0;
    const Site site(s);
    PowerFlow flow(site, continuous);
    // Under T1: 8 + 12 charging, 3 of V2G, 10 into the ESS = 27 kW, 7 over. The flexible 8 + 12 + 10
    // = 30 kW keep 23/30 each; V2G and CP3 (under F2) stay as they are.
    SitePower p = power(site, {8.0, 12.0, -3.0, 15.0});
    p.ess = {EssPower{kT1, 10.0}};
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    const double keep = 23.0 / 30.0;
    EXPECT_NEAR(p.connector_kw[0], 8.0 * keep, 1e-12);   // 6.133
    EXPECT_NEAR(p.connector_kw[1], 12.0 * keep, 1e-12);  // 9.2
    EXPECT_DOUBLE_EQ(p.connector_kw[2], -3.0);
    EXPECT_DOUBLE_EQ(p.connector_kw[3], 15.0);
    ASSERT_EQ(p.ess.size(), 1u);
    EXPECT_NEAR(p.ess[0].kw, 10.0 * keep, 1e-12);  // 7.667
    EXPECT_NEAR(flow.compute(p)[kT1], 20.0, 1e-9);
    ASSERT_EQ(violations.size(), 3u);
    expect_violation(violations[0], "node_limit", kT1, 0, 8.0, 8.0 * keep);
    expect_violation(violations[1], "node_limit", kT1, 1, 12.0, 12.0 * keep);
    expect_violation(violations[2], "node_limit_ess", kT1, kNone, 10.0, 10.0 * keep);
    EXPECT_EQ(violations[2].ess, 0u);
}

TEST(PowerFlow, ReducedSetpointsRoundDownToWhatTheChargerAllows) {
    ScenarioSpec s = spec();
    s.nodes[kF1].import_limit_kw = 24.0;
    const Site site(s);
    // Allowed setpoints 6, 10 and 16 kW (and 0).
    PowerFlow flow(site, [](ConnectorIndex, double kw) {
        double best = 0.0;
        for (double sp : {6.0, 10.0, 16.0})
            if (sp <= kw) best = sp;
        return best;
    });
    // 16 + 16 = 32 kW under F1, 8 over: 16 x 24/32 = 12 kW each, rounded down to 10: 20 kW <= 24.
    SitePower p = power(site, {16.0, 16.0, 0.0, 0.0});
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    EXPECT_DOUBLE_EQ(p.connector_kw[0], 10.0);
    EXPECT_DOUBLE_EQ(p.connector_kw[1], 10.0);
    ASSERT_EQ(violations.size(), 2u);
    expect_violation(violations[0], "node_limit", kF1, 0, 16.0, 10.0);
    expect_violation(violations[1], "node_limit", kF1, 1, 16.0, 10.0);
}

TEST(PowerFlow, ConnectorsShareTheirChargersRating) {
    const Site site(spec());
    PowerFlow flow(site, continuous);
    // CP1's two connectors at 30 kW each = 60 kW through the 50 kW charger: 25 kW each.
    SitePower p = power(site, {30.0, 30.0, 0.0, 0.0});
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    EXPECT_NEAR(p.connector_kw[0], 25.0, 1e-12);
    EXPECT_NEAR(p.connector_kw[1], 25.0, 1e-12);
    ASSERT_EQ(violations.size(), 2u);
    EXPECT_EQ(violations[0].node, kCP1);
}

TEST(PowerFlow, NestedOverloadsAreRelievedInnermostFirst) {
    ScenarioSpec s = spec();
    s.nodes[kGrid].import_limit_kw = 30.0;
    s.nodes[kT1].import_limit_kw = 25.0;
    s.nodes[kF1].import_limit_kw = 10.0;
    const Site site(s);
    PowerFlow flow(site, continuous);
    // F1: 8 + 8 = 16 kW, 6 over: keep 10/16, 5 kW each. Then T1: 5 + 5 + 16 = 26 kW, 1 over: keep
    // 25/26 for all three. The grid then carries 25 kW, under its 30.
    SitePower p = power(site, {8.0, 8.0, 16.0, 0.0});
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    const double keep = 25.0 / 26.0;
    EXPECT_NEAR(p.connector_kw[0], 5.0 * keep, 1e-12);
    EXPECT_NEAR(p.connector_kw[1], 5.0 * keep, 1e-12);
    EXPECT_NEAR(p.connector_kw[2], 16.0 * keep, 1e-12);
    const auto& f = flow.compute(p);
    EXPECT_LE(f[kF1], 10.0 + 1e-9);
    EXPECT_NEAR(f[kT1], 25.0, 1e-9);
    // One record per reduced connector: what it asked, what it got, and the last node that cut it.
    ASSERT_EQ(violations.size(), 3u);
    expect_violation(violations[0], "node_limit", kT1, 0, 8.0, 5.0 * keep);
    expect_violation(violations[1], "node_limit", kT1, 1, 8.0, 5.0 * keep);
    expect_violation(violations[2], "node_limit", kT1, 2, 16.0, 16.0 * keep);
}

TEST(PowerFlow, ExportOverloadCurtailsPvFirstWithoutAViolation) {
    ScenarioSpec s = spec();
    s.nodes[kGrid].export_limit_kw = 10.0;
    const Site site(s);
    PowerFlow flow(site, continuous);
    // 5 kW EV + 5 kW load - 30 kW PV = -20 kW at the grid, 10 over the export limit: PV keeps 20 of 30.
    SitePower p = power(site, {5.0, 0.0, 0.0, 0.0});
    p.pv = {{kT1, 30.0, 30.0}};
    p.load_kw[kT1] = 5.0;
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    EXPECT_TRUE(violations.empty());
    EXPECT_NEAR(p.pv[0].used_kw, 20.0, 1e-12);
    EXPECT_DOUBLE_EQ(p.pv[0].available_kw, 30.0);
    EXPECT_DOUBLE_EQ(p.connector_kw[0], 5.0);
    EXPECT_NEAR(flow.compute(p)[kGrid], -10.0, 1e-9);
}

TEST(PowerFlow, ExportOverloadThenReducesV2gAndEssDischarge) {
    ScenarioSpec s = spec();
    s.nodes[kGrid].export_limit_kw = 20.0;
    const Site site(s);
    PowerFlow flow(site, continuous);
    // -10 PV - 15 V2G - 10 ESS + 2 charging on CP3 = -33 kW at the grid, 13 over: all 10 kW of PV
    // go, then 3 of the 25 kW of discharge: V2G and ESS keep 22/25.
    SitePower p = power(site, {0.0, 0.0, -15.0, 2.0});
    p.pv = {{kT1, 10.0, 10.0}};
    p.ess = {EssPower{kT1, -10.0}};
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    const double keep = 22.0 / 25.0;
    EXPECT_NEAR(p.pv[0].used_kw, 0.0, 1e-12);
    EXPECT_NEAR(p.connector_kw[2], -15.0 * keep, 1e-12);  // -13.2
    ASSERT_EQ(p.ess.size(), 1u);
    EXPECT_NEAR(p.ess[0].kw, -10.0 * keep, 1e-12);  // -8.8
    EXPECT_DOUBLE_EQ(p.connector_kw[3], 2.0);
    EXPECT_NEAR(flow.compute(p)[kGrid], -20.0, 1e-9);
    ASSERT_EQ(violations.size(), 2u);
    expect_violation(violations[0], "node_limit", kGrid, 2, -15.0, -15.0 * keep);
    expect_violation(violations[1], "node_limit_ess", kGrid, kNone, -10.0, -10.0 * keep);
    EXPECT_EQ(violations[1].ess, 0u);
}

TEST(PowerFlow, OverloadOfFixedLoadAloneIsReportedOnceAsUnresolved) {
    ScenarioSpec s = spec();
    s.nodes[kT1].import_limit_kw = 40.0;
    const Site site(s);
    PowerFlow flow(site, continuous);
    SitePower p = power(site, {0.0, 0.0, 0.0, 0.0});
    p.load_kw[kT1] = 50.0;  // 10 kW over, nothing flexible
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    ASSERT_EQ(violations.size(), 1u);
    expect_violation(violations[0], "node_limit_unresolved", kT1, kNone, 10.0, 0.0);
}

TEST(PowerFlow, ExportOverloadNothingCanRelieveIsUnresolved) {
    ScenarioSpec s = spec();
    s.nodes[kT1].export_limit_kw = 40.0;
    const Site site(s);
    PowerFlow flow(site, continuous);
    SitePower p = power(site, {0.0, 0.0, 0.0, 0.0});
    p.load_kw[kT1] = -50.0;  // a generator nobody controls, 10 kW over
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    ASSERT_EQ(violations.size(), 1u);
    expect_violation(violations[0], "node_limit_unresolved", kT1, kNone, -10.0, 0.0);
}

TEST(PowerFlow, PartlyRelievableOverloadCutsWhatItCanAndReportsTheRest) {
    ScenarioSpec s = spec();
    s.nodes[kT1].import_limit_kw = 40.0;
    const Site site(s);
    PowerFlow flow(site, continuous);
    // 50 kW of load + 10 kW EV = 60 kW, 20 over: the EV goes to 0, 10 kW remain over.
    SitePower p = power(site, {0.0, 0.0, 10.0, 0.0});
    p.load_kw[kT1] = 50.0;
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    EXPECT_DOUBLE_EQ(p.connector_kw[2], 0.0);
    ASSERT_EQ(violations.size(), 2u);
    expect_violation(violations[0], "node_limit", kT1, 2, 10.0, 0.0);
    expect_violation(violations[1], "node_limit_unresolved", kT1, kNone, 10.0, 0.0);
}

}  // namespace
}  // namespace evtwin
