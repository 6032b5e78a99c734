// Phase constraints (ACN-style): the current phasor sums the Site builds, and PowerFlow's enforcement.
#include "model/power_flow.hpp"

#include <evtwin/headroom.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace evtwin {
namespace {

// Chargers at 1000 V, so that 1 kW is 1 A and the arithmetic below reads directly in amperes.
ChargerSpec phased_charger(std::string name, double phase_deg, double max_kw = 100.0, int connectors = 1) {
    ChargerSpec c;
    c.name = std::move(name);
    c.parent = 0;
    c.max_kw = max_kw;
    c.voltage_v = 1000.0;
    c.phase_deg = phase_deg;
    c.connectors = connectors;
    return c;
}

ScenarioSpec three_phase_site() {
    ScenarioSpec s;
    s.nodes = {{"grid", NodeKind::grid, kNone}};
    s.chargers = {phased_charger("A", 0.0), phased_charger("B", -120.0), phased_charger("C", 120.0)};
    return s;
}

double continuous(ConnectorIndex, double kw) {
    return kw;
}

SitePower power(const Site& site, std::vector<double> connector_kw) {
    SitePower p;
    p.connector_kw = std::move(connector_kw);
    p.load_kw.assign(site.nodes().size(), 0.0);
    return p;
}

TEST(PhaseConstraint, BalancedThreePhaseCurrentsSumToZero) {
    ScenarioSpec s = three_phase_site();
    s.phase_constraints = {{"neutral", {{0, 1.0}, {1, 1.0}, {2, 1.0}}, 10.0}};
    const Site site(s);
    PowerFlow flow(site, continuous);
    EXPECT_NEAR(flow.phase_current_a(0, {40.0, 40.0, 40.0}), 0.0, 1e-12);
    // One phase alone: its own current. Two at 120° apart with equal currents: the same magnitude.
    EXPECT_NEAR(flow.phase_current_a(0, {40.0, 0.0, 0.0}), 40.0, 1e-12);
    EXPECT_NEAR(flow.phase_current_a(0, {40.0, 40.0, 0.0}), 40.0, 1e-12);
    // 40 A at 0° and 10 A at -120°: |40 + 10·(-1/2 - j·√3/2)| = √(35² + 75) = √1300.
    EXPECT_NEAR(flow.phase_current_a(0, {40.0, 10.0, 0.0}), std::sqrt(1300.0), 1e-12);
}

TEST(PhaseConstraint, CurrentIsPowerOverVoltage) {
    ScenarioSpec s = three_phase_site();
    s.chargers[0].voltage_v = 208.0;
    s.phase_constraints = {{"line", {{0, 1.0}}, 100.0}};
    const Site site(s);
    ASSERT_EQ(site.phase_constraints()[0].terms.size(), 1u);
    EXPECT_DOUBLE_EQ(site.phase_constraints()[0].terms[0].amps_per_kw, 1000.0 / 208.0);
    PowerFlow flow(site, continuous);
    EXPECT_NEAR(flow.phase_current_a(0, {6.656, 0.0, 0.0}), 32.0, 1e-12);  // 6656 W / 208 V
}

// Caltech's secondary line current I3a = I_AB − I_CA, with AB chargers at 30° and CA at 150°: equal
// currents I give |I·e^{j30°} − I·e^{j150°}| = |I·(2·cos 30°)| = √3·I.
TEST(PhaseConstraint, LineCurrentOfTwoDeltaBranches) {
    ScenarioSpec s;
    s.nodes = {{"grid", NodeKind::grid, kNone}};
    s.chargers = {phased_charger("AB", 30.0), phased_charger("CA", 150.0)};
    s.phase_constraints = {{"I3a", {{0, 1.0}, {1, -1.0}}, 50.0}};
    const Site site(s);
    PowerFlow flow(site, continuous);
    EXPECT_NEAR(flow.phase_current_a(0, {10.0, 10.0}), std::sqrt(3.0) * 10.0, 1e-12);
    EXPECT_NEAR(flow.phase_current_a(0, {10.0, 0.0}), 10.0, 1e-12);
    // 3 A on AB, x on CA: |3·e^{j30°} + x·e^{-j30°}|² = 9 + x² + 3x; = 49 at x = 5.
    EXPECT_NEAR(flow.phase_current_a(0, {3.0, 5.0}), 7.0, 1e-12);
    const auto& t = site.phase_constraints()[0].terms;
    EXPECT_NEAR(
        phasor_room(3.0 * t[0].cos_phase, 3.0 * t[0].sin_phase, -t[1].cos_phase, -t[1].sin_phase, 7.0), 5.0,
        1e-12);
}

TEST(PhaseConstraint, PhasorRoomSolvesTheQuadraticExactly) {
    EXPECT_DOUBLE_EQ(phasor_room(0.0, 0.0, 1.0, 0.0, 10.0), 10.0);
    EXPECT_DOUBLE_EQ(phasor_room(0.0, 0.0, 0.0, 2.0, 10.0), 5.0);
    EXPECT_DOUBLE_EQ(phasor_room(4.0, 0.0, 1.0, 0.0, 10.0), 6.0);
    // Moving against the sum: from 4 down through 0 to -10.
    EXPECT_DOUBLE_EQ(phasor_room(4.0, 0.0, -1.0, 0.0, 10.0), 14.0);
    // Perpendicular: |6 + j·x| = 10 at x = 8.
    EXPECT_DOUBLE_EQ(phasor_room(6.0, 0.0, 0.0, 1.0, 10.0), 8.0);
    // At or over the limit: no room, even where the move would first lower the magnitude.
    EXPECT_EQ(phasor_room(10.0, 0.0, 1.0, 0.0, 10.0), 0.0);
    EXPECT_EQ(phasor_room(12.0, 0.0, -1.0, 0.0, 10.0), 0.0);
    // A term that adds nothing, or no limit: unlimited.
    EXPECT_EQ(phasor_room(1.0, 0.0, 0.0, 0.0, 10.0), kUnlimited);
    EXPECT_EQ(phasor_room(1.0, 0.0, 1.0, 0.0, kUnlimited), kUnlimited);
    // Wherever it lands, the magnitude is the limit.
    const double x = phasor_room(3.0, -2.0, 0.7, 0.4, 9.0);
    EXPECT_NEAR(std::hypot(3.0 + 0.7 * x, -2.0 + 0.4 * x), 9.0, 1e-12);
}

TEST(PhaseConstraint, EveryConnectorOfAChargerCarriesItsTerm) {
    ScenarioSpec s = three_phase_site();
    s.chargers[1].connectors = 2;  // connectors: A/1 = 0, B/1 = 1, B/2 = 2, C/1 = 3
    s.phase_constraints = {{"B", {{1, 0.5}}, 10.0}};
    const Site site(s);
    const auto& terms = site.phase_constraints()[0].terms;
    ASSERT_EQ(terms.size(), 2u);
    EXPECT_EQ(terms[0].connector, 1u);
    EXPECT_EQ(terms[1].connector, 2u);
    PowerFlow flow(site, continuous);
    EXPECT_NEAR(flow.phase_current_a(0, {0.0, 8.0, 6.0, 0.0}), 7.0, 1e-12);  // 0.5 · (8 + 6)
}

TEST(PhaseConstraint, MalformedConstraintsAreRefused) {
    auto refused = [](auto edit) {
        ScenarioSpec s = three_phase_site();
        s.phase_constraints = {{"k", {{0, 1.0}}, 10.0}};
        edit(s);
        EXPECT_THROW(Site{s}, SiteError);
    };
    refused([](ScenarioSpec& s) { s.phase_constraints[0].terms.clear(); });
    refused([](ScenarioSpec& s) { s.phase_constraints[0].terms[0].charger = 7; });
    refused([](ScenarioSpec& s) { s.phase_constraints[0].limit_a = 0.0; });
    refused([](ScenarioSpec& s) { s.phase_constraints[0].limit_a = NAN; });
    refused([](ScenarioSpec& s) { s.phase_constraints[0].name = ""; });
    refused([](ScenarioSpec& s) { s.phase_constraints.push_back(s.phase_constraints[0]); });
    refused([](ScenarioSpec& s) { s.phase_constraints[0].terms.push_back({0, -1.0}); });
    refused([](ScenarioSpec& s) { s.chargers[0].voltage_v = 0.0; });
    refused([](ScenarioSpec& s) { s.chargers[0].phase_deg = INFINITY; });
}

TEST(PhaseConstraint, PowerFlowScalesTheConstraintToItsLimitAndRecordsEachConnector) {
    ScenarioSpec s;
    s.nodes = {{"grid", NodeKind::grid, kNone}};
    s.chargers = {phased_charger("AB", 30.0), phased_charger("CA", 150.0), phased_charger("BC", -90.0)};
    s.phase_constraints = {{"I3a", {{0, 1.0}, {1, -1.0}}, 10.0 * std::sqrt(3.0)}};
    const Site site(s);
    PowerFlow flow(site, continuous);
    SitePower p = power(site, {20.0, 20.0, 30.0});  // √3·20 A against a limit of √3·10 A
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    EXPECT_NEAR(p.connector_kw[0], 10.0, 1e-9);
    EXPECT_NEAR(p.connector_kw[1], 10.0, 1e-9);
    EXPECT_EQ(p.connector_kw[2], 30.0);  // not in the constraint
    EXPECT_LE(flow.phase_current_a(0, p.connector_kw), 10.0 * std::sqrt(3.0) + kCurrentTolerance);
    ASSERT_EQ(violations.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(violations[i].kind, "phase_limit");
        EXPECT_EQ(violations[i].node, kNone);
        EXPECT_EQ(violations[i].connector, i);
        EXPECT_EQ(violations[i].phase_constraint, 0u);
        EXPECT_DOUBLE_EQ(violations[i].requested_kw, 20.0);
        EXPECT_NEAR(violations[i].applied_kw, 10.0, 1e-9);
    }
}

// ACN-compatible mode: the pilots are checked, one record per constraint they break, and applied as
// they are; node limits still hold.
TEST(PhaseConstraint, UnenforcedPhasesAreCheckedOnThePilotsAndLeftAsTheyAre) {
    ScenarioSpec s;
    s.nodes = {{"grid", NodeKind::grid, kNone}};
    s.nodes[0].import_limit_kw = 60.0;
    s.chargers = {phased_charger("AB", 30.0), phased_charger("CA", 150.0), phased_charger("BC", -90.0)};
    s.phase_constraints = {{"I3a", {{0, 1.0}, {1, -1.0}}, 10.0 * std::sqrt(3.0)}, {"BC", {{2, 1.0}}, 40.0}};
    const Site site(s);
    PowerFlow flow(site, continuous);
    flow.enforce_phases(false);
    std::vector<Violation> violations;
    const std::vector<double> pilots{20.0, 20.0, 30.0};  // I3a at √3·20 A, BC within its limit
    flow.check_phases(pilots, violations);
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].kind, "phase_limit_unenforced");
    EXPECT_EQ(violations[0].connector, kNone);
    EXPECT_EQ(violations[0].phase_constraint, 0u);
    EXPECT_NEAR(violations[0].requested_kw, 10.0 * std::sqrt(3.0), 1e-9);  // the excess current, A
    // The same pilots again: the same record; other pilots: theirs (BC now over, I3a within).
    flow.check_phases(pilots, violations);
    ASSERT_EQ(violations.size(), 2u);
    EXPECT_EQ(violations[1].phase_constraint, 0u);
    EXPECT_EQ(violations[1].requested_kw, violations[0].requested_kw);
    violations.clear();
    flow.check_phases({10.0, 10.0, 45.0}, violations);
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].phase_constraint, 1u);
    violations.clear();
    SitePower p = power(site, pilots);
    flow.enforce_limits(p, violations);  // 70 kW against the grid's 60: the node limit still holds
    EXPECT_NEAR(p.connector_kw[0] + p.connector_kw[1] + p.connector_kw[2], 60.0, 1e-9);
    for (const Violation& v : violations) EXPECT_EQ(v.kind, "node_limit");
    violations.clear();
    SitePower q = power(site, {20.0, 20.0, 10.0});  // within the node limit: nothing cut
    flow.enforce_limits(q, violations);
    EXPECT_TRUE(violations.empty());
    EXPECT_EQ(q.connector_kw, (std::vector<double>{20.0, 20.0, 10.0}));
}

TEST(PhaseConstraint, WithinTheLimitNothingChanges) {
    ScenarioSpec s = three_phase_site();
    s.phase_constraints = {{"neutral", {{0, 1.0}, {1, 1.0}, {2, 1.0}}, 1.0}};
    const Site site(s);
    PowerFlow flow(site, continuous);
    SitePower p = power(site, {50.0, 50.0, 50.0});  // balanced: 0 A
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    EXPECT_TRUE(violations.empty());
    EXPECT_EQ(p.connector_kw, (std::vector<double>{50.0, 50.0, 50.0}));
}

TEST(PhaseConstraint, RoundingToSetpointsRepeatsUntilTheLimitHolds) {
    // |X − Y| on one phase: rounding Y down raises the difference, so the passes cut again.
    ScenarioSpec s;
    s.nodes = {{"grid", NodeKind::grid, kNone}};
    s.chargers = {phased_charger("X", 0.0), phased_charger("Y", 0.0)};
    s.chargers[1].setpoints_kw = {0.0, 4.0, 8.0};
    s.phase_constraints = {{"X-Y", {{0, 1.0}, {1, -1.0}}, 10.0}};
    const Site site(s);
    auto round_down = [&](ConnectorIndex c, double kw) {
        if (c == 0) return kw;
        double best = 0.0;
        for (double sp : s.chargers[1].setpoints_kw)
            if (sp <= kw + 1e-9) best = sp;
        return best;
    };
    PowerFlow flow(site, round_down);
    SitePower p = power(site, {30.0, 8.0});
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    // 30 − 8 = 22 → ×10/22: 13.6 and 3.6 → 0; 13.6 → ×10/13.6: 10.
    EXPECT_NEAR(p.connector_kw[0], 10.0, 1e-9);
    EXPECT_EQ(p.connector_kw[1], 0.0);
    EXPECT_LE(flow.phase_current_a(0, p.connector_kw), 10.0 + kCurrentTolerance);
    ASSERT_EQ(violations.size(), 2u);
    EXPECT_EQ(violations[0].kind, "phase_limit");
    EXPECT_EQ(violations[1].kind, "phase_limit");
}

TEST(PhaseConstraint, NodeAndPhaseLimitsTogether) {
    ScenarioSpec s = three_phase_site();
    s.nodes[0].import_limit_kw = 60.0;
    s.phase_constraints = {{"A", {{0, 1.0}}, 15.0}};
    const Site site(s);
    PowerFlow flow(site, continuous);
    SitePower p = power(site, {40.0, 40.0, 40.0});
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    EXPECT_LE(p.connector_kw[0], 15.0 + 1e-9);
    double total = 0.0;
    for (double kw : p.connector_kw) total += kw;
    EXPECT_LE(total, 60.0 + kPowerTolerance);
    EXPECT_EQ(violations.size(), 3u);
}

}  // namespace
}  // namespace evtwin
