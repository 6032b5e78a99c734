// The safety layer in whole episodes: under random actions it still serves every session the site
// can serve.
#include <evtwin/rl/env.hpp>
#include <evtwin/rl/layout.hpp>

#include "scenario/scenario_impl.hpp"
#include "util/rng.hpp"

#include "support/test_site.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace evtwin {
namespace {

// Sessions that 11 kW can serve in their stay (20 % to 95 % of what it could give), declared
// departure = true departure, under a transformer that never binds.
ScenarioSpec feasible_site(std::uint64_t seed) {
    ScenarioSpec spec = test::small_site(12, 11.0, 1000.0);  // a free charger for every EV
    Rng rng = Rng::stream(seed, "arrivals");
    for (SessionId id = 0; id < 12; ++id) {
        const double arrive = rng.uniform(0.0, 18.0);
        const double stay = rng.uniform(0.5, 5.0);
        spec.sessions.push_back(
            test::session(id, arrive, arrive + stay, 11.0 * stay * rng.uniform(0.2, 0.95), 100.0));
    }
    std::sort(spec.sessions.begin(), spec.sessions.end(),
              [](const SessionSpec& a, const SessionSpec& b) { return a.arrival < b.arrival; });
    return spec;
}

// Mean satisfaction of the departing EVs in one episode under uniform random actions.
double random_policy_satisfaction(SafetyLayer safety, std::uint64_t seed) {
    EnvConfig config;
    config.safety = safety;
    Env env(scenario_from_factory(feasible_site), config);
    std::vector<float> obs(env.observation_size()), action(env.action_size());
    Rng rng = Rng::stream(seed, "actions");
    env.reset(seed, obs);
    double satisfaction = 0.0;
    std::uint32_t departures = 0;
    for (bool done = false; !done;) {
        for (std::size_t k = 0; k < action.size(); ++k)
            action[k] = static_cast<float>(rng.uniform(env.action_low()[k], 1.0));
        env.step(action, obs, done);
        satisfaction += env.info().satisfaction;
        departures += env.info().departures;
    }
    EXPECT_GT(departures, 0u);
    return satisfaction / departures;
}

TEST(Env, LaxityLayerServesEveryFeasibleSessionWhateverThePolicy) {
    for (std::uint64_t seed : {1, 2, 3}) {
        EXPECT_NEAR(random_policy_satisfaction(SafetyLayer::laxity, seed), 1.0, 1e-6) << "seed " << seed;
        EXPECT_LT(random_policy_satisfaction(SafetyLayer::none, seed), 0.99) << "seed " << seed;
    }
}

// Four sessions that want 10 kWh each in 2 h under a 22 kW connection: a policy that always asks
// for the least power still serves them all, as the grid connection is shared (without that, each
// waits for its own last hour and they then want 44 kW).
TEST(Env, LaxityLayerServesSessionsThatShareTheGridConnection) {
    ScenarioSpec spec = test::small_site(4, 11.0, 1000.0, 22.0);
    for (SessionId id = 0; id < 4; ++id) spec.sessions.push_back(test::session(id, 0.0, 2.0, 10.0, 100.0));
    Env env(scenario_of(spec), EnvConfig{});
    std::vector<float> obs(env.observation_size()), least(env.action_size(), 0.0f);
    env.reset(0, obs);
    double satisfaction = 0.0;
    std::uint32_t departures = 0;
    for (bool done = false; !done;) {
        env.step(least, obs, done);
        satisfaction += env.info().satisfaction;
        departures += env.info().departures;
    }
    EXPECT_EQ(departures, 4u);
    EXPECT_NEAR(satisfaction, 4.0, 1e-6);
}

}  // namespace
}  // namespace evtwin
