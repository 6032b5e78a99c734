// Decisions of subtrees (DecisionScope::subtree): a run that asks a greedy strategy only for the
// subtrees where something changed records exactly what the same strategy deciding the whole site
// at every decision records.
#include "core/simulator.hpp"
#include "host/plugin_loader.hpp"

#include "support/memory_sink.hpp"
#include "support/test_site.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>

namespace evtwin {
namespace {

using test::MemorySink;

// Forwards to a strategy, counts the decisions asked of part of the site and notes the longest
// forecast shown.
class CountingStrategy final : public Strategy {
public:
    CountingStrategy(Strategy& inner, std::size_t site_nodes) : inner_(inner), site_nodes_(site_nodes) {}
    void decide(const Observation& obs, Decision& out) override {
        ++decisions;
        if (obs.nodes.size() < site_nodes_) ++of_subtrees;
        forecast_steps = std::max(forecast_steps, obs.forecast->import_price.size());
        inner_.decide(obs, out);
    }
    DecisionScope scope() const override { return inner_.scope(); }

    int decisions = 0;
    int of_subtrees = 0;
    std::size_t forecast_steps = 0;

private:
    Strategy& inner_;
    std::size_t site_nodes_;
};

// grid -> transformers -> feeders -> chargers of one or two connectors, with limits from loose to
// binding, and a day of vehicles whose charge curves taper (so they change what they take).
ScenarioSpec random_site(std::mt19937& rng) {
    auto uniform = [&rng](double lo, double hi) {
        return std::uniform_real_distribution<double>(lo, hi)(rng);
    };
    auto integer = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    ScenarioSpec s = test::small_site(0, 11.0, uniform(30.0, 250.0), uniform(30.0, 300.0));
    s.nodes[1].name = "T0";
    const int transformers = integer(1, 2);
    for (int t = 0; t < transformers; ++t) {
        NodeIndex transformer = 1;
        if (t > 0) {
            transformer = static_cast<NodeIndex>(s.nodes.size());
            const double kw = uniform(30.0, 250.0);
            s.nodes.push_back(NodeSpec{"T" + std::to_string(t), NodeKind::transformer, 0, kw, kw});
        }
        for (int f = integer(2, 4); f > 0; --f) {
            const auto feeder = static_cast<NodeIndex>(s.nodes.size());
            const double kw = uniform(15.0, 80.0);
            s.nodes.push_back(NodeSpec{"F" + std::to_string(feeder), NodeKind::feeder, transformer, kw, kw});
            for (int c = integer(2, 6); c > 0; --c) {
                ChargerSpec ch;
                ch.name = "CP" + std::to_string(s.chargers.size());
                ch.parent = feeder;
                ch.max_kw = std::array{7.4, 11.0, 22.0}[integer(0, 2)];
                ch.min_kw = integer(0, 1) ? 4.2 : 0.0;
                if (integer(0, 3) == 0) ch.setpoints_kw = {0.0, 3.7, ch.max_kw / 2, ch.max_kw};
                ch.connectors = integer(1, 2);
                ch.efficiency = uniform(0.9, 1.0);
                s.chargers.push_back(ch);
            }
        }
    }
    const int vehicles = integer(10, 80);
    for (int i = 0; i < vehicles; ++i) {
        const double arrive = uniform(0.0, 20.0);
        SessionSpec v = test::session(static_cast<SessionId>(i), arrive, arrive + uniform(0.3, 10.0),
                                      uniform(2.0, 50.0), uniform(30.0, 80.0), uniform(0.05, 0.9));
        if (integer(0, 2) == 0) v.declared_departure = v.departure + Duration::minutes(integer(-60, 60));
        v.vehicle.curve = {{0.0, 1.0}, {0.6, 1.0}, {0.8, 0.5}, {0.95, 0.2}, {1.0, 0.05}};
        v.vehicle.max_ac_kw = std::array{7.4, 11.0, 22.0}[integer(0, 2)];
        s.sessions.push_back(v);
    }
    std::sort(s.sessions.begin(), s.sessions.end(),
              [](const SessionSpec& a, const SessionSpec& b) { return a.arrival < b.arrival; });
    return s;
}

// The same strategy deciding the whole site at every decision: stepped from outside, as the
// reinforcement-learning environment steps a run.
MemorySink stepped_with_full_decisions(const ScenarioSpec& spec, Strategy& strategy) {
    MemorySink sink;
    Simulator sim(spec, sink);
    sim.start(RunInfo{});
    while (sim.advance()) {
        strategy.decide(sim.observation(), sim.decision());
        sim.apply(sim.decision(), 0.0);
    }
    sim.finish();
    return sink;
}

void expect_same_records(const MemorySink& a, const MemorySink& b, const std::string& what) {
    ASSERT_EQ(a.connector_samples.size(), b.connector_samples.size()) << what;
    for (std::size_t i = 0; i < a.connector_samples.size(); ++i)
        ASSERT_EQ(a.connector_samples[i], b.connector_samples[i]) << what << ", sample " << i;
    ASSERT_EQ(a.sessions.size(), b.sessions.size()) << what;
    for (std::size_t i = 0; i < a.sessions.size(); ++i) {
        EXPECT_EQ(a.sessions[i].id, b.sessions[i].id) << what;
        EXPECT_EQ(a.sessions[i].delivered_kwh, b.sessions[i].delivered_kwh) << what;
        EXPECT_EQ(a.sessions[i].final_soc, b.sessions[i].final_soc) << what;
    }
    EXPECT_EQ(a.nodes, b.nodes) << what;
    EXPECT_EQ(a.violations.size(), b.violations.size()) << what;
    EXPECT_EQ(a.decisions, b.decisions) << what;
}

TEST(SubtreeDecisions, PropertyRecordsAreThoseOfWholeSiteDecisions) {
    for (const char* name : {"edf", "fcfs"}) {
        int of_subtrees = 0, whole_between_ticks = 0;
        std::mt19937 rng(20261126);
        for (int round = 0; round < 60; ++round) {
            const ScenarioSpec spec = random_site(rng);
            const std::string what = std::string(name) + ", site " + std::to_string(round);
            const std::size_t site_nodes = spec.nodes.size() + [&] {
                std::size_t n = 0;
                for (const ChargerSpec& ch : spec.chargers) n += 1 + static_cast<std::size_t>(ch.connectors);
                return n;
            }();
            StrategyHandle by_subtree = load_static_strategy(name);
            ASSERT_EQ(by_subtree->scope(), DecisionScope::subtree) << name;
            CountingStrategy counting(*by_subtree, site_nodes);
            const MemorySink subtrees = test::simulate(spec, counting);
            StrategyHandle whole = load_static_strategy(name);
            const MemorySink full = stepped_with_full_decisions(spec, *whole);
            expect_same_records(subtrees, full, what);
            of_subtrees += counting.of_subtrees;
            const auto ticks = static_cast<int>((spec.end - spec.start).ms() / spec.control_period.ms());
            whole_between_ticks += counting.decisions - counting.of_subtrees - ticks;
            ASSERT_FALSE(HasFailure()) << what;
        }
        // Neither side can pass for want of cases: most decisions were of subtrees, and hundreds
        // between ticks were of the whole site (a limit at the grid connection).
        EXPECT_GT(of_subtrees, 5000) << name;
        EXPECT_GT(whole_between_ticks, 300) << name;
    }
}

TEST(SubtreeDecisions, AStrategyOfTheWholeSiteIsAlwaysShownTheWholeSite) {
    std::mt19937 rng(7);
    const ScenarioSpec spec = random_site(rng);
    StrategyHandle llf = load_static_strategy("llf");
    ASSERT_EQ(llf->scope(), DecisionScope::site);
    int calls = 0;
    std::size_t smallest = ~std::size_t{0};
    test::FunctionStrategy watching([&](const Observation& obs, Decision& out) {
        ++calls;
        smallest = std::min(smallest, obs.connectors.size());
        llf->decide(obs, out);
    });
    test::simulate(spec, watching);
    ASSERT_GT(calls, 0);
    std::size_t connectors = 0;
    for (const ChargerSpec& ch : spec.chargers) connectors += static_cast<std::size_t>(ch.connectors);
    EXPECT_EQ(smallest, connectors);
}

// A strategy of subtree scope promises to read no forecast: the engine does not compute one for it.
TEST(SubtreeDecisions, AStrategyOfSubtreeScopeIsShownNoForecast) {
    std::mt19937 rng(7);
    const ScenarioSpec spec = random_site(rng);
    StrategyHandle edf = load_static_strategy("edf");
    CountingStrategy subtree_scoped(*edf, 0);
    test::simulate(spec, subtree_scoped);
    StrategyHandle llf = load_static_strategy("llf");
    CountingStrategy site_scoped(*llf, 0);
    test::simulate(spec, site_scoped);
    ASSERT_GT(subtree_scoped.decisions, 0);
    EXPECT_EQ(subtree_scoped.forecast_steps, 0u);
    EXPECT_EQ(site_scoped.forecast_steps,
              static_cast<std::size_t>(spec.forecast_horizon.ms() / spec.control_period.ms()));
}

}  // namespace
}  // namespace evtwin
