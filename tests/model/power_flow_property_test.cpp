// The power flow on random sites: every limit holds or is reported, and the incremental sums and
// the memo of settled powers give what a full computation gives.
#include "model/power_flow_site.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <sstream>

namespace evtwin {
namespace {

using namespace test::flow;

// A case in words, for a failing property trial.
std::string describe(const Site& site, const SitePower& p) {
    std::ostringstream out;
    for (NodeIndex i = 0; i < site.nodes().size(); ++i) {
        const SiteNode& n = site.nodes()[i];
        out << "  node " << i << " " << n.name << " parent " << static_cast<int>(n.parent) << " import "
            << n.import_limit_kw << " export " << n.export_limit_kw << " load " << p.load_kw[i] << "\n";
    }
    for (std::size_t c = 0; c < p.connector_kw.size(); ++c)
        out << "  connector " << c << " (node " << site.connectors()[c].node << ") " << p.connector_kw[c]
            << " kW\n";
    for (const PvPower& pv : p.pv)
        out << "  pv at " << pv.node << ": " << pv.used_kw << " of " << pv.available_kw << " kW\n";
    for (std::size_t b = 0; b < p.ess.size(); ++b)
        out << "  ess " << b << " at " << p.ess[b].node << ": " << p.ess[b].kw << " kW\n";
    return out.str();
}

enum class Mix { import_only, export_only, both };

// A random site and random powers: only charging and load (import_only), only PV, V2G and ESS
// discharge (export_only), or everything.
struct RandomCase {
    ScenarioSpec spec;
    std::unique_ptr<Site> site;
    SitePower power;
    bool finite = false;  // setpoints in whole kW, else continuous
};

RandomCase random_case(std::mt19937_64& rng, Mix mix) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const auto between = [&](double a, double b) { return a + (b - a) * u(rng); };
    const auto limit = [&](double a, double b) { return u(rng) < 0.3 ? kUnlimited : between(a, b); };
    RandomCase r;
    ScenarioSpec& s = r.spec;
    s.nodes.push_back({"grid", NodeKind::grid, kNone, limit(0.0, 200.0), limit(0.0, 200.0)});
    const int n = std::uniform_int_distribution<int>(0, 6)(rng);
    for (int i = 1; i <= n; ++i)
        s.nodes.push_back({std::string("N").append(std::to_string(i)), NodeKind::feeder,
                           std::uniform_int_distribution<NodeIndex>(0, i - 1)(rng), limit(0.0, 100.0),
                           limit(0.0, 100.0)});
    const int chargers = std::uniform_int_distribution<int>(1, 5)(rng);
    for (int k = 0; k < chargers; ++k)
        s.chargers.push_back(flow_charger(std::string("CP").append(std::to_string(k)),
                                          std::uniform_int_distribution<NodeIndex>(0, n)(rng),
                                          std::uniform_int_distribution<int>(1, 3)(rng), between(7.0, 50.0),
                                          mix != Mix::import_only && u(rng) < 0.7));
    r.site = std::make_unique<Site>(s);
    r.finite = u(rng) < 0.3;

    SitePower& p = r.power;
    p.load_kw.assign(r.site->nodes().size(), 0.0);
    for (const SiteConnector& c : r.site->connectors()) {
        const ChargerSpec& ch = s.chargers[c.charger_spec];
        const bool discharge = ch.v2g_capable && (mix == Mix::export_only || u(rng) < 0.4);
        p.connector_kw.push_back(discharge                 ? -between(0.0, ch.max_kw)
                                 : mix == Mix::export_only ? 0.0
                                                           : between(0.0, ch.max_kw));
    }
    const auto random_node = [&] { return std::uniform_int_distribution<NodeIndex>(0, n)(rng); };
    if (u(rng) < 0.5) {
        const NodeIndex node = random_node();
        const double kw = mix == Mix::import_only   ? between(0.0, 30.0)
                          : mix == Mix::export_only ? -between(0.0, 30.0)
                                                    : between(-30.0, 30.0);
        p.ess = {EssPower{node, kw}};
    }
    if (mix != Mix::import_only) {
        for (int k = std::uniform_int_distribution<int>(0, 2)(rng); k > 0; --k) {
            const double available = between(0.0, 60.0);
            p.pv.push_back({random_node(), available, available});
        }
    }
    // Fixed load (a generator nobody controls when export_only).
    if (u(rng) < 0.3)
        p.load_kw[random_node()] += mix == Mix::export_only ? -between(0.0, 40.0) : between(0.0, 40.0);
    return r;
}

// Checks one enforcement; `strict`: a node still over must have nothing flexible left below it.
void check_enforcement(const RandomCase& r, bool strict) {
    const Site& site = *r.site;
    PowerFlow flow(
        site, [finite = r.finite](ConnectorIndex, double kw) { return finite ? std::floor(kw + 1e-9) : kw; });
    SitePower p = r.power;
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    const std::vector<double> f = flow.compute(p);

    for (NodeIndex node = 0; node < site.nodes().size(); ++node) {
        const SiteNode& sn = site.nodes()[node];
        const auto unresolved = std::count_if(violations.begin(), violations.end(), [&](const Violation& v) {
            return v.kind == "node_limit_unresolved" && v.node == node;
        });
        EXPECT_LE(unresolved, 1) << sn.name << " reported unresolved more than once";
        if (f[node] > sn.import_limit_kw + kPowerTolerance) {
            EXPECT_EQ(unresolved, 1) << sn.name << " imports " << f[node] << " kW over its "
                                     << sn.import_limit_kw;
            if (!strict) continue;
            for (std::size_t c = 0; c < p.connector_kw.size(); ++c)
                if (site.below(site.connectors()[c].node, node)) {
                    EXPECT_LE(p.connector_kw[c], 0.0) << sn.name;
                }
            for (const EssPower& e : p.ess)
                if (site.below(e.node, node)) {
                    EXPECT_LE(e.kw, 0.0) << sn.name;
                }
        } else if (f[node] < -sn.export_limit_kw - kPowerTolerance) {
            EXPECT_EQ(unresolved, 1) << sn.name << " exports " << -f[node] << " kW over its "
                                     << sn.export_limit_kw;
            if (!strict) continue;
            for (std::size_t c = 0; c < p.connector_kw.size(); ++c)
                if (site.below(site.connectors()[c].node, node)) {
                    EXPECT_GE(p.connector_kw[c], 0.0) << sn.name;
                }
            for (const EssPower& e : p.ess)
                if (site.below(e.node, node)) {
                    EXPECT_GE(e.kw, 0.0) << sn.name;
                }
            for (const PvPower& pv : p.pv)
                if (site.below(pv.node, node)) {
                    EXPECT_EQ(pv.used_kw, 0.0) << sn.name;
                }
        } else {
            EXPECT_EQ(unresolved, 0) << sn.name << " holds but is reported unresolved";
        }
    }
    // Reductions only: same sign, no larger, and every changed connector reported.
    for (std::size_t c = 0; c < p.connector_kw.size(); ++c) {
        const double b = r.power.connector_kw[c], a = p.connector_kw[c];
        EXPECT_LE(std::abs(a), std::abs(b) + 1e-12);
        EXPECT_GE(a * b, 0.0);
        if (a != b) {
            EXPECT_TRUE(std::any_of(violations.begin(), violations.end(),
                                    [&](const Violation& v) {
                                        return v.kind == "node_limit" && v.connector == c &&
                                               v.applied_kw == a;
                                    }))
                << "connector " << c << " changed without a record";
        }
    }
    ASSERT_EQ(p.ess.size(), r.power.ess.size());
    for (std::size_t b = 0; b < p.ess.size(); ++b) {
        EXPECT_EQ(p.ess[b].node, r.power.ess[b].node);
        EXPECT_LE(std::abs(p.ess[b].kw), std::abs(r.power.ess[b].kw) + 1e-12);
        EXPECT_GE(p.ess[b].kw * r.power.ess[b].kw, 0.0);
    }
    for (std::size_t k = 0; k < p.pv.size(); ++k) {
        EXPECT_GE(p.pv[k].used_kw, 0.0);
        EXPECT_LE(p.pv[k].used_kw, r.power.pv[k].used_kw);
    }
    if (::testing::Test::HasFailure())
        ADD_FAILURE() << "before:\n" << describe(site, r.power) << "after:\n" << describe(site, p);
}

// Power in one direction only: every overload is relieved exactly at its node, so after
// enforce_limits every node holds, unless nothing flexible is left below it.
TEST(PowerFlow, PropertyOneDirectionEveryNodeHolds) {
    std::mt19937_64 rng(99);
    for (int trial = 0; trial < 2000 && !HasFailure(); ++trial) {
        SCOPED_TRACE("trial " + std::to_string(trial));
        check_enforcement(random_case(rng, trial % 2 ? Mix::import_only : Mix::export_only), true);
    }
}

// Both directions: every node holds or is reported unresolved exactly once, and reductions never
// flip or grow a power. (Whether every relievable overload is relieved: see the next test.)
TEST(PowerFlow, PropertyMixedEveryOverloadIsRelievedOrReported) {
    std::mt19937_64 rng(100);
    for (int trial = 0; trial < 2000 && !HasFailure(); ++trial) {
        SCOPED_TRACE("trial " + std::to_string(trial));
        check_enforcement(random_case(rng, Mix::both), false);
    }
}

// An import cut at T1 lowers the grid's flow past its export limit, and the PV curtailment that
// fixes that pushes T1 back over: the passes close in geometrically (here by half each round).
// The grid may export nothing; T1 (import <= 10) holds a 35 kW EV and 30 kW of PV, F2 another
// 30 kW of PV. The limit of the passes: EV 20 kW, each PV 10 kW (T1 = 10, grid = 0).
TEST(PowerFlow, ImportCutUnderAnExportLimitConverges) {
    ScenarioSpec s = spec();
    s.nodes[kGrid].export_limit_kw = 0.0;
    s.nodes[kT1].import_limit_kw = 10.0;
    const Site site(s);
    PowerFlow flow(site, continuous);
    SitePower p = power(site, {0.0, 0.0, 35.0, 0.0});
    p.pv = {{kT1, 30.0, 30.0}, {kF2, 30.0, 30.0}};
    std::vector<Violation> violations;
    flow.enforce_limits(p, violations);
    const auto& f = flow.compute(p);
    EXPECT_LE(f[kT1], 10.0 + kPowerTolerance);
    EXPECT_GE(f[kGrid], -kPowerTolerance);
    EXPECT_NEAR(p.connector_kw[2], 20.0, 1e-5);
    ASSERT_EQ(violations.size(), 1u);  // the EV, once, however many passes it took
    expect_violation(violations[0], "node_limit", kT1, 2, 35.0, p.connector_kw[2]);
}

// After a settled call, powers that differ in a few connectors get flows summed only above them:
// the same flows bit for bit, the same reductions and the same violations as a flow without that
// memo, through sequences of small changes on random sites; found by comparing every connector, or
// told by the caller (PowerChanges: the connectors changed, and some that were not).
TEST(PowerFlow, PropertyFlowsAboveChangedConnectorsAreThoseOfAFullSum) {
    std::mt19937_64 rng(101);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int trial = 0; trial < 500 && !HasFailure(); ++trial) {
        SCOPED_TRACE("trial " + std::to_string(trial));
        RandomCase r = random_case(rng, Mix::both);
        const auto round = [finite = r.finite](ConnectorIndex, double kw) {
            return finite ? std::floor(kw + 1e-9) : kw;
        };
        PowerFlow remembering(*r.site, round), told(*r.site, round);
        SitePower asked = r.power;
        SitePower told_power = asked;  // what the told flow left: the next powers differ from it
        for (int step = 0; step < 20 && !HasFailure(); ++step) {
            SCOPED_TRACE("step " + std::to_string(step));
            std::vector<ConnectorIndex> changed;
            for (std::size_t c = 0; c < asked.connector_kw.size(); ++c) {
                double& kw = asked.connector_kw[c];
                if (u(rng) < 0.3) kw = u(rng) < 0.2 ? 0.0 : kw * (0.5 + u(rng));
                // Every connector whose power differs from what the flow left, and some others.
                if (kw != told_power.connector_kw[c] || u(rng) < 0.1)
                    changed.push_back(static_cast<ConnectorIndex>(c));
            }
            SitePower incremental = asked, full = asked;
            told_power = asked;
            std::vector<Violation> incremental_violations, told_violations, full_violations;
            remembering.enforce_limits(incremental, incremental_violations);
            told.enforce_limits(told_power, PowerChanges{changed, false}, told_violations);
            PowerFlow fresh(*r.site, round);
            fresh.enforce_limits(full, full_violations);
            const auto same_as_full = [&](const char* name, const SitePower& result,
                                          const std::vector<Violation>& violations, const PowerFlow& flow) {
                SCOPED_TRACE(name);
                ASSERT_EQ(result.connector_kw, full.connector_kw);
                ASSERT_EQ(violations.size(), full_violations.size());
                for (std::size_t i = 0; i < full_violations.size(); ++i) {
                    EXPECT_EQ(violations[i].kind, full_violations[i].kind);
                    EXPECT_EQ(violations[i].connector, full_violations[i].connector);
                }
                const std::vector<double>& f = flow.flows();
                const std::vector<double>& g = fresh.flows();
                ASSERT_EQ(f.size(), g.size());
                EXPECT_EQ(std::memcmp(f.data(), g.data(), f.size() * sizeof(double)), 0)
                    << describe(*r.site, asked);
            };
            same_as_full("found", incremental, incremental_violations, remembering);
            same_as_full("told", told_power, told_violations, told);
        }
    }
}

// enforce_limits remembers the last powers it found within the limits and skips the work when they
// come again; a limit changed since, flows computed for other powers in between, or any changed
// input must still be enforced and leave the flows of the powers given.
TEST(PowerFlow, RepeatedPowersAreEnforcedAfterALimitOrAnInputChanges) {
    ScenarioSpec s = spec();
    s.nodes[kT1].import_limit_kw = 40.0;
    const Site site(s);
    PowerFlow flow(site, continuous);
    std::vector<Violation> violations;
    SitePower p = power(site, {10.0, 10.0, 10.0, 5.0});
    flow.enforce_limits(p, violations);
    ASSERT_TRUE(violations.empty());
    EXPECT_DOUBLE_EQ(flow.flows()[kT1], 30.0);

    // Flows of other powers in between (as the observation's fixed flows are): the same powers
    // again leave their own flows.
    SitePower fixed = power(site, {0.0, 0.0, 0.0, 0.0});
    flow.compute(fixed);
    flow.enforce_limits(p, violations);
    EXPECT_TRUE(violations.empty());
    EXPECT_DOUBLE_EQ(flow.flows()[kT1], 30.0);
    EXPECT_DOUBLE_EQ(flow.flows()[kGrid], 35.0);

    // A tighter limit applies to the same powers.
    flow.set_limits(kT1, NodeLimits{24.0, kUnlimited});
    flow.enforce_limits(p, violations);
    ASSERT_EQ(violations.size(), 3u);
    EXPECT_NEAR(flow.flows()[kT1], 24.0, 1e-9);
    EXPECT_NEAR(p.connector_kw[0], 8.0, 1e-9);

    // Back to the site's limit: within it again; then a changed load that overloads it.
    violations.clear();
    flow.restore_limits(kT1);
    SitePower q = power(site, {10.0, 10.0, 10.0, 5.0});
    flow.enforce_limits(q, violations);
    EXPECT_TRUE(violations.empty());
    q.load_kw[kF1] = 15.0;
    flow.enforce_limits(q, violations);
    ASSERT_FALSE(violations.empty());
    EXPECT_NEAR(flow.flows()[kT1], 40.0, 1e-9);
    // A changed connector power, a changed ESS power: the flows follow.
    violations.clear();
    SitePower r = power(site, {1.0, 1.0, 1.0, 1.0});
    flow.enforce_limits(r, violations);
    r.connector_kw[3] = 2.0;
    flow.enforce_limits(r, violations);
    EXPECT_DOUBLE_EQ(flow.flows()[kGrid], 5.0);
    r.ess = {EssPower{kF2, 3.0}};
    flow.enforce_limits(r, violations);
    EXPECT_DOUBLE_EQ(flow.flows()[kGrid], 8.0);
    EXPECT_DOUBLE_EQ(flow.flows()[kF2], 5.0);
    r.pv.push_back(PvPower{kF1, 2.0, 2.0});
    flow.enforce_limits(r, violations);
    EXPECT_DOUBLE_EQ(flow.flows()[kGrid], 6.0);
    EXPECT_TRUE(violations.empty());
}

}  // namespace
}  // namespace evtwin
