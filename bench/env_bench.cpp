// Environment throughput without learning: env steps per second on one thread, for a 20-charger
// site over a day (15-minute periods, 60 random sessions per episode), random actions. Episode
// resets (a new simulator per episode) are included in the time. Target (issue 5): >= 200 k/s.
#include <evtwin/rl/env.hpp>
#include <evtwin/rl/vec_env.hpp>

#include "scenario/scenario_impl.hpp"
#include "util/rng.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <vector>

namespace evtwin {
namespace {

class FlatTariff final : public Tariff {
public:
    std::string name() const override { return "flat"; }
    std::string currency() const override { return "EUR"; }
    double import_price(Time t) const override { return (t.ms() / 3'600'000) % 24 < 17 ? 0.20 : 0.35; }
    double export_price(Time) const override { return 0.05; }
    Time next_change(Time t) const override { return Time((t.ms() / 3'600'000 + 1) * 3'600'000); }
    double demand_charge_per_kw(Time) const override { return 0.0; }
    BillingPeriod billing_period(Time) const override { return {Time::min(), Time::max()}; }
    Duration demand_interval() const override { return Duration::minutes(15); }
};

constexpr Time kStart{1'719'792'000'000};  // 2024-07-01T00:00:00Z

Time at_hour(double h) {
    return kStart + Duration(static_cast<std::int64_t>(h * 3'600'000.0));
}

ScenarioSpec site_of_20(std::uint64_t seed) {
    ScenarioSpec s;
    s.name = "env_bench";
    s.start = kStart;
    s.end = kStart + Duration::days(1);
    s.forecast_horizon = Duration::hours(4);
    s.nodes.push_back(NodeSpec{"grid", NodeKind::grid, kNone, 400.0, 400.0});
    s.nodes.push_back(NodeSpec{"T1", NodeKind::transformer, 0, 150.0, 150.0});
    for (int i = 0; i < 20; ++i) {
        ChargerSpec c;
        c.name = "CP" + std::to_string(i + 1);
        c.parent = 1;
        c.max_kw = 11.0;
        s.chargers.push_back(c);
    }
    s.tariff = std::make_shared<FlatTariff>();
    Rng rng = Rng::stream(seed, "arrivals");
    for (SessionId id = 0; id < 60; ++id) {
        SessionSpec v;
        v.id = id;
        const double arrive = rng.uniform(0.0, 20.0);
        v.arrival = at_hour(arrive);
        v.departure = at_hour(std::min(23.9, arrive + rng.uniform(1.0, 9.0)));
        v.declared_departure = v.departure;
        v.requested_kwh = rng.uniform(5.0, 40.0);
        v.initial_soc = rng.uniform(0.1, 0.5);
        v.vehicle.capacity_kwh = 60.0;
        v.vehicle.max_ac_kw = 11.0;
        v.vehicle.curve = {{0.0, 1.0}, {0.8, 1.0}, {1.0, 0.2}};
        s.sessions.push_back(v);
    }
    std::sort(s.sessions.begin(), s.sessions.end(),
              [](const SessionSpec& a, const SessionSpec& b) { return a.arrival < b.arrival; });
    return s;
}

// Arg: 1 with the laxity safety layer (the default), 0 without.
void env_steps(benchmark::State& state) {
    Env env(scenario_from_factory(site_of_20),
            EnvConfig{.safety = state.range(0) ? SafetyLayer::laxity : SafetyLayer::none});
    std::vector<float> obs(env.observation_size());
    std::vector<float> action(env.action_size());
    Rng rng = Rng::stream(1, "actions");
    std::uint64_t seed = 1;
    env.reset(seed, obs);
    bool done = false;
    for (auto _ : state) {
        for (float& a : action) a = static_cast<float>(rng.uniform());
        benchmark::DoNotOptimize(env.step(action, obs, done));
        if (done) env.reset(++seed, obs);
    }
    state.counters["env_steps_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
void BM_EnvStep(benchmark::State& state) {
    env_steps(state);
}
BENCHMARK(BM_EnvStep)->Arg(1)->Arg(0)->MinTime(2.0);
// A fixed number of steps (four episodes, resets included), for instruction counts that repeat exactly:
// valgrind --tool=callgrind ./build/bin/env_bench --benchmark_filter=BM_EnvStepFixed
void BM_EnvStepFixed(benchmark::State& state) {
    env_steps(state);
}
BENCHMARK(BM_EnvStepFixed)->Arg(1)->Arg(0)->Iterations(1000);

// Steps `vec` with random actions as long as the benchmark runs.
void step_vec_env(benchmark::State& state, VecEnv& vec) {
    vec.reset(1);
    std::vector<float> actions(vec.size() * vec.action_size());
    Rng rng = Rng::stream(1, "actions");
    for (auto _ : state) {
        for (float& a : actions) a = static_cast<float>(rng.uniform());
        vec.step(actions);
        benchmark::DoNotOptimize(vec.rewards().data());
    }
    state.counters["env_steps_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations() * vec.size()), benchmark::Counter::kIsRate);
}

void BM_VecEnvStep(benchmark::State& state) {
    VecEnv vec(static_cast<std::size_t>(state.range(0)), scenario_from_factory(site_of_20));
    step_vec_env(state, vec);
}
BENCHMARK(BM_VecEnvStep)->Arg(16)->MinTime(2.0);

// The same loop on a scenario file's site ($EVTWIN_BENCH_SCENARIO, default quickstart.lua: 20
// chargers, the ESS, a week an episode, its rl{} block), as bench/python_env_bench.py steps it from
// Python: the two rates of one run compare.
void BM_VecEnvScenario(benchmark::State& state) {
    const char* file = std::getenv("EVTWIN_BENCH_SCENARIO");
    const Scenario scenario = Scenario::load(file ? file : EVTWIN_SOURCE_DIR "/scenarios/quickstart.lua");
    VecEnv vec(static_cast<std::size_t>(state.range(0)), scenario, env_config_of(scenario),
               Autoreset::next_step);
    step_vec_env(state, vec);
}
BENCHMARK(BM_VecEnvScenario)->Arg(16)->MinTime(2.0);

}  // namespace
}  // namespace evtwin

BENCHMARK_MAIN();
