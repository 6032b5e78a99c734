// End to end: a run on a three-phase site where phase constraints bind. Every instant of the
// recorded connector series keeps every constraint, whatever the strategy asks.
#include "core/simulator.hpp"
#include "host/plugin_loader.hpp"

#include "support/memory_sink.hpp"
#include "support/test_site.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numbers>

namespace evtwin {
namespace {

using test::MemorySink;

// Three 22 kW chargers at 230 V on phases 0°, −120° and 120°. "AB" limits |I_A + I_B| to 40 A,
// C's own current to 30 A and "A-C" |I_A − I_C| to 60 A. At 22 kW a charger draws 95.7 A, so
// all three bind when everyone charges.
ScenarioSpec three_phase_site() {
    ScenarioSpec spec = test::small_site(3, 22.0, 1e9);
    const double phases[] = {0.0, -120.0, 120.0};
    for (std::size_t i = 0; i < 3; ++i) {
        spec.chargers[i].voltage_v = 230.0;
        spec.chargers[i].phase_deg = phases[i];
    }
    spec.phase_constraints = {
        {"AB", {{0, 1.0}, {1, 1.0}}, 40.0}, {"C", {{2, 1.0}}, 30.0}, {"A-C", {{0, 1.0}, {2, -1.0}}, 60.0}};
    spec.sessions = {test::session(0, 8.0, 14.0, 30.0), test::session(1, 8.5, 12.0, 8.0),
                     test::session(2, 9.0, 16.0, 40.0)};
    return spec;
}

double magnitude(const ScenarioSpec& spec, const PhaseConstraintSpec& k, const std::vector<double>& kw) {
    double re = 0.0;
    double im = 0.0;
    for (const PhaseTermSpec& t : k.terms) {
        const ChargerSpec& ch = spec.chargers[t.charger];
        const double amps =
            t.coefficient * kw[t.charger] * 1000.0 / ch.voltage_v;  // one connector per charger
        re += amps * std::cos(ch.phase_deg * std::numbers::pi / 180.0);
        im += amps * std::sin(ch.phase_deg * std::numbers::pi / 180.0);
    }
    return std::hypot(re, im);
}

// Replays the connector series instant by instant; returns the largest current seen per constraint.
std::vector<double> check_every_instant(const ScenarioSpec& spec, const MemorySink& sink) {
    std::map<Time, std::vector<std::pair<ConnectorIndex, double>>> changes;
    for (const auto& s : sink.connector_samples) changes[s.t].emplace_back(s.connector, s.kw);
    std::vector<double> kw(spec.chargers.size(), 0.0);
    std::vector<double> peak(spec.phase_constraints.size(), 0.0);
    for (const auto& [t, list] : changes) {
        for (const auto& [c, value] : list) kw[c] = value;
        for (std::size_t k = 0; k < spec.phase_constraints.size(); ++k) {
            const double amps = magnitude(spec, spec.phase_constraints[k], kw);
            EXPECT_LE(amps, spec.phase_constraints[k].limit_a + 1e-6)
                << spec.phase_constraints[k].name << " at " << (t - test::kDay0).hours_f() << " h";
            peak[k] = std::max(peak[k], amps);
        }
    }
    return peak;
}

TEST(SimulatorPhase, TheEngineHoldsEveryConstraintAgainstAGreedyStrategy) {
    const ScenarioSpec spec = three_phase_site();
    auto strategy = test::offer_all();
    MemorySink sink;
    Simulator sim(spec, strategy, sink);
    sim.run(RunInfo{});
    const std::vector<double> peak = check_every_instant(spec, sink);
    // The constraints bind: each is met exactly at some instant.
    for (std::size_t k = 0; k < peak.size(); ++k)
        EXPECT_NEAR(peak[k], spec.phase_constraints[k].limit_a, 1e-6) << k;
    std::size_t phase_violations = 0;
    for (const auto& [t, v] : sink.violations) {
        ASSERT_EQ(v.kind, "phase_limit");
        EXPECT_EQ(v.node, kNone);
        ASSERT_LT(v.phase_constraint, spec.phase_constraints.size());
        EXPECT_LT(v.applied_kw, v.requested_kw);
        ++phase_violations;
    }
    EXPECT_GT(phase_violations, 0u);
    // Energy still adds up: what each vehicle got is what its connector drew.
    for (const SessionRecord& r : sink.sessions)
        EXPECT_NEAR(sink.connector_grid_kwh(r.connector), r.grid_kwh, 1e-6);
}

TEST(SimulatorPhase, StrategiesSeeTheConstraints) {
    const ScenarioSpec spec = three_phase_site();
    std::size_t seen = 0;
    test::FunctionStrategy strategy([&](const Observation& obs, Decision&) {
        ASSERT_EQ(obs.phase_constraints.size(), 3u);
        EXPECT_EQ(obs.phase_constraints[2].limit_a, 60.0);
        ASSERT_EQ(obs.phase_constraints[2].terms.size(), 2u);
        const ConnectorTerm& c = obs.phase_constraints[2].terms[1];
        EXPECT_EQ(c.connector, 2u);
        EXPECT_EQ(c.coefficient, -1.0);
        EXPECT_DOUBLE_EQ(c.amps_per_kw, 1000.0 / 230.0);
        EXPECT_NEAR(c.cos_phase, -0.5, 1e-15);
        EXPECT_NEAR(c.sin_phase, std::sqrt(3.0) / 2.0, 1e-15);
        ++seen;
    });
    MemorySink sink;
    Simulator sim(spec, strategy, sink);
    sim.run(RunInfo{});
    EXPECT_GT(seen, 0u);
}

TEST(SimulatorPhase, BaselineStrategiesRecordNoViolation) {
    const ScenarioSpec spec = three_phase_site();
    for (const char* name : {"uncontrolled", "fcfs", "round_robin", "edf", "llf"}) {
        StrategyHandle strategy = load_static_strategy(name);
        MemorySink sink;
        Simulator sim(spec, *strategy, sink);
        sim.run(RunInfo{});
        EXPECT_TRUE(sink.violations.empty())
            << name << ": " << sink.violations.size() << " violations, first "
            << (sink.violations.empty() ? "" : sink.violations[0].second.kind);
        const std::vector<double> peak = check_every_instant(spec, sink);
        EXPECT_GT(peak[0], 39.0) << name;  // and the room is used
        double delivered = 0.0;
        for (const SessionRecord& r : sink.sessions) delivered += r.delivered_kwh;
        EXPECT_GT(delivered, 50.0) << name;
    }
}

}  // namespace
}  // namespace evtwin
