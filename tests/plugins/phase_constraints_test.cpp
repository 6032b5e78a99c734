// Headroom and the baseline strategies on sites with three-phase (ACN-style) constraints.
#include "baseline_names.hpp"
#include "host/plugin_loader.hpp"
#include "plugins/site_fixture.hpp"

#include <evtwin/headroom.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>

namespace evtwin {
namespace {

using test::decide;
using test::decision_problems;
using test::phase_term;
using test::SiteFixture;

using test::kBaselines;

TEST(HeadroomPhase, RoomOnAConstraintIsWhereTheMagnitudeReachesTheLimit) {
    // At 1000 V 1 kW is 1 A. AB at 30°, CA at 150°, I = AB − CA <= 7 A.
    SiteFixture site;
    const ConnectorIndex ab = site.add_charger(site.grid(), 50.0);
    const ConnectorIndex ca = site.add_charger(site.grid(), 50.0);
    const ConnectorIndex free = site.add_charger(site.grid(), 50.0);
    site.add_phase_constraint({phase_term(ab, 1.0, 1000.0, 30.0), phase_term(ca, -1.0, 1000.0, 150.0)}, 7.0);
    const Observation obs = site.observation();
    Headroom room(obs);
    EXPECT_NEAR(room.charge_room(ab), 7.0, 1e-12);
    EXPECT_NEAR(room.charge_room(ca), 7.0, 1e-12);
    EXPECT_NEAR(room.discharge_room(ab), 7.0, 1e-12);
    EXPECT_EQ(room.charge_room(free), 50.0);  // its charger node only
    room.take(ab, 3.0);
    // |3·e^{j30°} + x·e^{-j30°}|² = 9 + x² + 3x = 49 at x = 5.
    EXPECT_NEAR(room.charge_room(ca), 5.0, 1e-12);
    EXPECT_NEAR(room.charge_room(ab), 4.0, 1e-12);
    EXPECT_NEAR(room.grant(ca, 20.0), 5.0, 1e-12);
    EXPECT_NEAR(room.phase_current_a(0), 7.0, 1e-12);
    EXPECT_NEAR(room.charge_room(ab), 0.0, 1e-9);
    EXPECT_NEAR(room.charge_room(ca), 0.0, 1e-9);
    // Over the limit (a strategy took more than the room): no room at all.
    room.take(ab, 1.0);
    EXPECT_EQ(room.charge_room(ab), 0.0);
    EXPECT_EQ(room.charge_room(ca), 0.0);
}

TEST(HeadroomPhase, TheTighterOfNodeAndPhaseLimitsBinds) {
    SiteFixture site;
    const NodeIndex feeder = site.add_node(site.grid(), NodeKind::feeder, 5.0);
    const ConnectorIndex a = site.add_charger(feeder, 11.0);
    const ConnectorIndex b = site.add_charger(site.grid(), 11.0);
    // 230 V: 10 A is 2.3 kW.
    site.add_phase_constraint({phase_term(a, 1.0, 230.0, 0.0), phase_term(b, 1.0, 230.0, 0.0)}, 10.0);
    const Observation obs = site.observation();
    Headroom room(obs);
    EXPECT_NEAR(room.charge_room(a), 2.3, 1e-12);
    room.take(b, 1.0);
    EXPECT_NEAR(room.charge_room(a), 1.3, 1e-12);
}

// An ACN-like site at 208 V: two 7 kW chargers on each of the lines AB (30°), BC (−90°) and CA
// (150°); the transformer's secondary line currents I3a = AB − CA, I3b = BC − AB, I3c = CA − BC are
// limited to 80 A, the AB pod to 40 A, and the transformer to 40 kW.
struct AcnSite {
    SiteFixture site;
    NodeIndex transformer = site.add_node(site.grid(), NodeKind::transformer, 40.0);
    std::vector<ConnectorIndex> ab{site.add_charger(transformer, 7.0), site.add_charger(transformer, 7.0)};
    std::vector<ConnectorIndex> bc{site.add_charger(transformer, 7.0), site.add_charger(transformer, 7.0)};
    std::vector<ConnectorIndex> ca{site.add_charger(transformer, 7.0), site.add_charger(transformer, 7.0)};

    void add_constraints(double line_a, double pod_a) {
        auto terms = [](const std::vector<ConnectorIndex>& plus, double plus_deg,
                        const std::vector<ConnectorIndex>& minus, double minus_deg) {
            std::vector<ConnectorTerm> t;
            for (ConnectorIndex c : plus) t.push_back(phase_term(c, 1.0, 208.0, plus_deg));
            for (ConnectorIndex c : minus) t.push_back(phase_term(c, -1.0, 208.0, minus_deg));
            return t;
        };
        site.add_phase_constraint(terms(ab, 30.0, ca, 150.0), line_a);
        site.add_phase_constraint(terms(bc, -90.0, ab, 30.0), line_a);
        site.add_phase_constraint(terms(ca, 150.0, bc, -90.0), line_a);
        site.add_phase_constraint(terms(ab, 30.0, {}, 0.0), pod_a);
    }
};

// After the decision, a vehicle that gets less than it could take has no room left anywhere. Not
// for uncontrolled: its load management scales everyone under a limit in proportion, so where two
// limits bind in turn, the second cut leaves room under the first.
void expect_no_waste(const Observation& obs, const Decision& d, const std::string& what) {
    if (what.rfind("uncontrolled", 0) == 0) return;
    Headroom room(obs);
    for (std::size_t c = 0; c < obs.connectors.size(); ++c)
        room.take(static_cast<ConnectorIndex>(c), d.connector_kw[c]);
    for (const SessionView& s : obs.sessions) {
        const double want = std::min(s.max_charge_kw, obs.connectors[s.connector].max_kw);
        if (s.remaining_kwh <= 0.0 || d.connector_kw[s.connector] >= want - 1e-6) continue;
        EXPECT_LE(room.charge_room(s.connector), 1e-6) << what << ": connector " << s.connector << " gets "
                                                       << d.connector_kw[s.connector] << " of " << want;
    }
}

TEST(BaselinesPhase, AcnLikeLinesAndPodsHold) {
    AcnSite acn;
    acn.add_constraints(50.0, 40.0);
    int i = 0;
    for (const auto* group : {&acn.ab, &acn.bc, &acn.ca}) {
        for (ConnectorIndex c : *group) {
            acn.site.plug(c, 0.1 * i, 8.0 + i, 30.0, 7.0);
            ++i;
        }
    }
    const Observation obs = acn.site.observation();
    // Without the constraints every vehicle would get its 7 kW (42 kW is over 40 kW, so the
    // transformer binds too): 2 × 7 kW on AB is 67 A, over the 40 A pod.
    for (const char* name : kBaselines) {
        auto s = load_static_strategy(name);
        const Decision d = decide(*s, obs);
        EXPECT_EQ(decision_problems(obs, d), "") << name;
        expect_no_waste(obs, d, name);
        EXPECT_LE(test::phase_current_a(obs.phase_constraints[3], d.connector_kw), 40.0 + 1e-6) << name;
        double total = 0.0;
        for (double kw : d.connector_kw) total += kw;
        EXPECT_GT(total, 10.0) << name;  // the constraints leave room, and it is used
    }
}

TEST(UncontrolledPhase, AnOverloadedConstraintScalesItsChargersInProportion) {
    // 230 V, one branch: 20 A is 4.6 kW, asked 3.7 + 7.4 kW; the free charger is in no constraint.
    SiteFixture site;
    const ConnectorIndex a = site.add_charger(site.grid(), 3.7);
    const ConnectorIndex b = site.add_charger(site.grid(), 7.4);
    const ConnectorIndex free = site.add_charger(site.grid(), 11.0);
    site.add_phase_constraint({phase_term(a, 1.0, 230.0, 0.0), phase_term(b, 1.0, 230.0, 0.0)}, 20.0);
    for (ConnectorIndex c : {a, b, free}) site.plug(c, 0, 8, 40, 11);
    auto s = load_static_strategy("uncontrolled");
    const Observation obs = site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    EXPECT_NEAR(d.connector_kw[a], 4.6 / 3.0, 1e-9);
    EXPECT_NEAR(d.connector_kw[b], 4.6 * 2.0 / 3.0, 1e-9);
    EXPECT_DOUBLE_EQ(d.connector_kw[free], 11.0);
}

TEST(UncontrolledPhase, ALineCurrentAndThenThePodScaleInTurn) {
    AcnSite acn;
    acn.add_constraints(50.0, 30.0);
    acn.site.plug(acn.ab[0], 0, 8, 30, 7);
    acn.site.plug(acn.ca[0], 0, 8, 30, 7);
    auto s = load_static_strategy("uncontrolled");
    const Observation obs = acn.site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    // I3a = AB − CA: |e^{j30°} − e^{j150°}| = √3, so 7 kW each is 7·(1000/208)·√3 = 58.3 A over 50 A;
    // both scale to 50·208/(1000·√3) = 6.004 kW. AB alone is then 28.9 A, within its 30 A pod.
    const double amps_per_kw = 1000.0 / 208.0;
    const double each = 50.0 / (amps_per_kw * std::sqrt(3.0));
    EXPECT_NEAR(d.connector_kw[acn.ab[0]], each, 1e-9);
    EXPECT_NEAR(d.connector_kw[acn.ca[0]], each, 1e-9);
    EXPECT_NEAR(test::phase_current_a(obs.phase_constraints[0], d.connector_kw), 50.0, 1e-9);
    // A second AB vehicle: I3a = 14 kW on AB − 7 kW on CA is over 50 A and scales all three; AB's
    // two then carry 37.8 A, over the 30 A pod, which cuts them to 15 A each. CA keeps the first cut.
    acn.site.plug(acn.ab[1], 0, 8, 30, 7);
    const Observation more = acn.site.observation();
    const Decision e = decide(*s, more);
    EXPECT_EQ(decision_problems(more, e), "");
    const double c30 = std::cos(M_PI / 6.0);
    const double s30 = std::sin(M_PI / 6.0);
    // 14·e^{j30°} − 7·e^{j150°} = 21·cos30° + j·7·sin30° (kW, times amps_per_kw for amperes).
    const double i3a = amps_per_kw * std::hypot(21.0 * c30, 7.0 * s30);
    EXPECT_NEAR(e.connector_kw[acn.ca[0]], 7.0 * 50.0 / i3a, 1e-9);
    EXPECT_NEAR(e.connector_kw[acn.ab[0]], 15.0 / amps_per_kw, 1e-9);
    EXPECT_NEAR(e.connector_kw[acn.ab[1]], 15.0 / amps_per_kw, 1e-9);
    EXPECT_NEAR(test::phase_current_a(more.phase_constraints[3], e.connector_kw), 30.0, 1e-9);
    EXPECT_LT(test::phase_current_a(more.phase_constraints[0], e.connector_kw), 50.0);
}

// Random three-line sites. ACN-style constraints (a line current: +1 on one delta branch, −1 on the
// branch 60° away; a pod: one branch) only grow when power is added, so greedy allocation leaves no
// room unused; arbitrary ones (any coefficients) can free room as power is added, so only their
// limits are checked.
TEST(BaselinesPhase, RandomPhaseConstraintsAreKept) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const double branch_deg[3] = {30.0, -90.0, 150.0};  // AB, BC, CA
    for (int trial = 0; trial < 300; ++trial) {
        const bool continuous = trial % 2 == 0;
        const bool acn_style = trial % 4 < 2;
        SiteFixture site{unit(rng) < 0.5 ? kUnlimited : 20.0 + 80.0 * unit(rng)};
        const int chargers = 2 + static_cast<int>(unit(rng) * 10);
        std::vector<int> branch(static_cast<std::size_t>(chargers));
        for (int c = 0; c < chargers; ++c) {
            const double max_kw = unit(rng) < 0.5 ? 7.0 : 11.0;
            const ConnectorIndex conn =
                continuous ? site.add_charger(site.grid(), max_kw)
                           : site.add_charger(site.grid(), max_kw, 0.0, {0.0, 3.7, 7.0, max_kw});
            branch[c] = static_cast<int>(unit(rng) * 3);
            if (unit(rng) < 0.85)
                site.plug(conn, -2.0 * unit(rng), 1.0 + 8.0 * unit(rng), 40.0 * unit(rng), 11.0 * unit(rng));
        }
        const int constraints = 1 + static_cast<int>(unit(rng) * 4);
        for (int k = 0; k < constraints; ++k) {
            std::vector<ConnectorTerm> terms;
            const int plus = static_cast<int>(unit(rng) * 3);
            const int minus = (plus + 2) % 3;  // I3a = AB − CA, I3b = BC − AB, I3c = CA − BC
            const bool pod = unit(rng) < 0.3;
            for (int c = 0; c < chargers; ++c) {
                const auto conn = static_cast<ConnectorIndex>(c);
                const double deg = branch_deg[branch[c]];
                if (!acn_style) {
                    if (unit(rng) < 0.6)
                        terms.push_back(
                            phase_term(conn, unit(rng) < 0.3 ? -1.0 : 0.5 + unit(rng), 208.0, deg));
                } else if (branch[c] == plus) {
                    terms.push_back(phase_term(conn, 1.0, 208.0, deg));
                } else if (branch[c] == minus && !pod) {
                    terms.push_back(phase_term(conn, -1.0, 208.0, deg));
                }
            }
            if (!terms.empty()) site.add_phase_constraint(std::move(terms), 10.0 + 100.0 * unit(rng));
        }
        const Observation obs = site.observation();
        for (const char* name : kBaselines) {
            auto s = load_static_strategy(name);
            const Decision d = decide(*s, obs);
            ASSERT_EQ(decision_problems(obs, d), "") << name << " trial " << trial;
            if (continuous && acn_style)
                expect_no_waste(obs, d, std::string(name) + " trial " + std::to_string(trial));
        }
    }
}

// Under RunMode::acnsim the baselines are acnportal's algorithms. Three 32 A EVSEs at 208 V on one
// line of 50 A, vehicles arrived in connector order 2, 0, 1, each wanting its full 32 A.
struct AcnLine {
    SiteFixture site;
    std::array<ConnectorIndex, 3> c{};
    static constexpr double kKwPerA = 0.208;

    AcnLine() {
        for (ConnectorIndex& x : c) {
            x = site.add_charger(site.grid(), 32 * kKwPerA);
            site.connectors()[x].voltage_v = 208.0;
        }
        site.add_phase_constraint({phase_term(c[0], 1.0, 208.0, 30.0), phase_term(c[1], 1.0, 208.0, 30.0),
                                   phase_term(c[2], 1.0, 208.0, 30.0)},
                                  50.0);
        site.plug(c[0], 1.0, 9.0, 30.0, 32 * kKwPerA);
        site.plug(c[1], 2.0, 8.0, 30.0, 32 * kKwPerA);
        site.plug(c[2], 0.5, 10.0, 30.0, 32 * kKwPerA);
        site.set_now_h(3.0);
    }
    Observation observation() const {
        Observation obs = site.observation();
        obs.mode = RunMode::acnsim;
        obs.control_period = Duration::minutes(5);
        return obs;
    }
};

TEST(AcnCompatibleBaselines, RoundRobinRaisesEveryoneByTenthsOfAnAmpInOrderOfArrival) {
    const AcnLine line;
    const Observation obs = line.observation();
    auto rr = load_static_strategy("round_robin");
    const Decision d = decide(*rr, obs);
    // 3 × 16.6 A, then one more 0.1 A to the first two in order of arrival (c[2], c[0]): 50.0 A.
    EXPECT_NEAR(d.connector_kw[line.c[2]] / AcnLine::kKwPerA, 16.7, 1e-9);
    EXPECT_NEAR(d.connector_kw[line.c[0]] / AcnLine::kKwPerA, 16.7, 1e-9);
    EXPECT_NEAR(d.connector_kw[line.c[1]] / AcnLine::kKwPerA, 16.6, 1e-9);
}

TEST(AcnCompatibleBaselines, SortedAlgorithmsBisectToAHundredthOfAnAmp) {
    const AcnLine line;
    const Observation obs = line.observation();
    auto fcfs = load_static_strategy("fcfs");
    const Decision d = decide(*fcfs, obs);
    EXPECT_NEAR(d.connector_kw[line.c[2]], 32 * AcnLine::kKwPerA, 1e-12);  // first: its full pilot
    const double second_a = d.connector_kw[line.c[0]] / AcnLine::kKwPerA;  // 18 A are left
    EXPECT_LE(second_a, 18.0 + 1e-9);
    EXPECT_GE(second_a, 18.0 - 0.01);
    EXPECT_LT(d.connector_kw[line.c[1]] / AcnLine::kKwPerA, 0.01);  // what the bisection left over, at most
    EXPECT_EQ(decision_problems(obs, d), "");
}

TEST(AcnCompatibleBaselines, UncontrolledGivesEveryVehicleItsFullPilotWhateverTheLimits) {
    const AcnLine line;
    const Observation obs = line.observation();
    auto uncontrolled = load_static_strategy("uncontrolled");
    const Decision d = decide(*uncontrolled, obs);
    for (ConnectorIndex x : line.c) EXPECT_NEAR(d.connector_kw[x], 32 * AcnLine::kKwPerA, 1e-12);
}

TEST(AcnCompatibleBaselines, NearlyChargedVehiclesAreLeftOutAndBoundsAreTheRemainingDemand) {
    AcnLine line;
    line.site.sessions()[0].remaining_kwh = 0.0005;  // within ACN-Sim's 1 Wh of its request
    line.site.sessions()[1].max_charge_kw = 1.0;     // the rest of its request in one period
    const Observation obs = line.observation();
    auto edf = load_static_strategy("edf");
    const Decision d = decide(*edf, obs);
    EXPECT_EQ(d.connector_kw[line.c[0]], 0.0);
    EXPECT_NEAR(d.connector_kw[line.c[1]], 1.0, 1e-12);  // earliest departure, its bound fits
    EXPECT_NEAR(d.connector_kw[line.c[2]], 32 * AcnLine::kKwPerA, 1e-12);
}

}  // namespace
}  // namespace evtwin
