#include <evtwin/rl/env.hpp>
#include <evtwin/rl/vec_env.hpp>

#include "core/simulator.hpp"
#include "scenario/scenario_impl.hpp"
#include "util/rng.hpp"

#include "support/memory_sink.hpp"
#include "support/test_site.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace evtwin {
namespace {

using test::at_hour;
using test::MemorySink;

// One 10 kW charger under a 15 kW transformer, flat 0.25 per kWh, a day of 15-minute periods.
ScenarioSpec one_charger(double charger_kw = 10.0) {
    ScenarioSpec spec = test::small_site(1, charger_kw, 15.0);
    return spec;
}

// Random arrivals drawn from the seed: the scenario factory of a training run.
ScenarioSpec random_site(std::uint64_t seed) {
    ScenarioSpec spec = test::small_site(4, 11.0, 30.0);
    Rng rng = Rng::stream(seed, "arrivals");
    for (SessionId id = 0; id < 10; ++id) {
        const double arrive = rng.uniform(0.0, 18.0);
        spec.sessions.push_back(
            test::session(id, arrive, arrive + rng.uniform(1.0, 6.0), rng.uniform(5.0, 40.0)));
    }
    std::sort(spec.sessions.begin(), spec.sessions.end(),
              [](const SessionSpec& a, const SessionSpec& b) { return a.arrival < b.arrival; });
    return spec;
}

struct Episode {
    std::vector<float> rewards;
    std::vector<StepInfo> infos;
};

// Runs one episode of `env` with the action given per step.
template <class ActionFn>
Episode play(Env& env, std::uint64_t seed, ActionFn action_for) {
    std::vector<float> obs(env.observation_size());
    std::vector<float> action(env.action_size());
    env.reset(seed, obs);
    Episode e;
    bool done = false;
    while (!done) {
        action_for(e.rewards.size(), obs, action);
        e.rewards.push_back(env.step(action, obs, done));
        e.infos.push_back(env.info());
    }
    return e;
}

TEST(Simulator, SteppingFromOutsideRecordsWhatRunRecords) {
    ScenarioSpec spec = random_site(7);
    auto strategy = test::offer_all();
    MemorySink by_run;
    Simulator(spec, strategy, by_run).run(RunInfo{});

    MemorySink by_steps;
    Simulator sim(spec, by_steps);
    sim.start(RunInfo{});
    std::uint64_t points = 0;
    while (sim.advance()) {
        strategy.decide(sim.observation(), sim.decision());
        sim.apply(sim.decision());
        ++points;
    }
    EXPECT_FALSE(sim.advance());
    EXPECT_EQ(sim.summary().decisions, points);
    EXPECT_EQ(by_steps.connector_samples, by_run.connector_samples);
    ASSERT_EQ(by_steps.sessions.size(), by_run.sessions.size());
    for (std::size_t i = 0; i < by_run.sessions.size(); ++i)
        EXPECT_EQ(by_steps.sessions[i].delivered_kwh, by_run.sessions[i].delivered_kwh);
    EXPECT_EQ(by_steps.violations.size(), by_run.violations.size());
    EXPECT_EQ(by_steps.end, by_run.end);
    EXPECT_FALSE(by_steps.interrupted);
}

TEST(Simulator, RefusesApplyWithoutADecisionPointAndRunWithoutAStrategy) {
    ScenarioSpec spec = one_charger();
    MemorySink sink;
    Simulator sim(spec, sink);
    EXPECT_THROW(sim.run(RunInfo{}), std::logic_error);
    Simulator stepped(spec, sink);
    stepped.start(RunInfo{});
    EXPECT_THROW(stepped.apply(stepped.decision()), std::logic_error);
    ASSERT_TRUE(stepped.advance());
    EXPECT_THROW(stepped.advance(), std::logic_error);
    Decision wrong;
    wrong.connector_kw.assign(3, 0.0);
    EXPECT_THROW(stepped.apply(wrong), std::invalid_argument);
    const RunSummary s = stepped.finish();
    EXPECT_TRUE(s.interrupted);
    EXPECT_TRUE(sink.interrupted);
}

TEST(Env, ObservationHasTheDocumentedShapeAndRanges) {
    EnvConfig config;
    config.window = 4;
    Env env(scenario_from_factory(random_site), config);
    // 3 time + 6 per connector x 4 + 3 windows x 4 + ESS SoC + 4 demand + bill clock + EV demand window
    // x 4 + 2 limited nodes (grid, T1)
    EXPECT_EQ(env.observation_size(), 3u + 24u + 12u + 1u + 4u + 1u + 4u + 2u);
    const std::size_t bill_clock = 3 + 24 + 12 + 1 + 4, ev_demand = bill_clock + 1;
    bool saw_demand = false;
    EXPECT_EQ(env.action_size(), 5u);
    std::vector<float> obs(env.observation_size());
    std::vector<float> action(env.action_size(), 0.7f);
    env.reset(3, obs);
    EXPECT_FLOAT_EQ(obs[0], 0.0f);  // midnight UTC: sin 0, cos 1; a Monday
    EXPECT_FLOAT_EQ(obs[1], 1.0f);
    EXPECT_FLOAT_EQ(obs[2], 0.0f);
    bool done = false;
    bool saw_vehicle = false;
    float clock_before = 2.0f;
    while (!done) {
        EXPECT_LT(obs[bill_clock], clock_before);  // runs down to the run's end
        clock_before = obs[bill_clock];
        for (std::size_t k = 0; k < 4; ++k) saw_demand = saw_demand || obs[ev_demand + k] > 0.0f;
        for (float v : obs) {
            EXPECT_GE(v, -1.0f);
            EXPECT_LE(v, 1.0f);
        }
        EXPECT_NEAR(obs[0] * obs[0] + obs[1] * obs[1], 1.0, 1e-5);
        for (std::size_t c = 0; c < 4; ++c) {
            const float* slot = &obs[3 + 6 * c];
            EXPECT_TRUE(slot[0] == 0.0f || slot[0] == 1.0f);
            for (std::size_t k = 1; k < 6; ++k) EXPECT_GE(slot[k], 0.0f);
            if (slot[0] == 0.0f) {
                for (std::size_t k = 1; k < 6; ++k) EXPECT_EQ(slot[k], 0.0f);
            }
            saw_vehicle |= slot[0] == 1.0f;
        }
        env.step(action, obs, done);
    }
    EXPECT_TRUE(saw_vehicle);
    EXPECT_TRUE(saw_demand);                 // the (perfect) demand forecast shows vehicles to come
    for (float v : obs) EXPECT_EQ(v, 0.0f);  // the terminal observation
}

TEST(Env, SlotFeaturesAreNormalisedVehicleState) {
    ScenarioSpec spec = one_charger();
    spec.sessions = {test::session(0, 0.0, 6.0, 12.0, 60.0, 0.2)};
    Env env(scenario_of(spec));
    std::vector<float> obs(env.observation_size());
    env.reset(0, obs);
    const float* slot = &obs[3];
    EXPECT_EQ(slot[0], 1.0f);
    EXPECT_FLOAT_EQ(slot[1], 12.0f / 60.0f);  // remaining / capacity
    EXPECT_FLOAT_EQ(slot[2], 6.0f / 24.0f);   // to the declared departure / 24 h
    EXPECT_FLOAT_EQ(slot[3], 0.2f);
    EXPECT_FLOAT_EQ(slot[4], 1.0f);  // the vehicle takes the charger's 10 kW
    EXPECT_FLOAT_EQ(slot[5], 0.0f);  // no V2G
    // Price window: flat 0.25 scaled by the highest price (0.25).
    EXPECT_FLOAT_EQ(obs[3 + 6], 1.0f);
    // Headroom at T1: 15 kW limit, nothing fixed, over the 10 kW power scale: clipped to 1.
    EXPECT_FLOAT_EQ(obs.back(), 1.0f);
}

TEST(Env, EpisodeLengthIsTheNumberOfDecisionPoints) {
    ScenarioSpec spec = random_site(11);
    auto strategy = test::offer_all();
    MemorySink sink;
    const RunSummary s = Simulator(spec, strategy, sink).run(RunInfo{});
    Env env(scenario_from_factory(random_site));
    const Episode e = play(env, 11, [](std::size_t, const std::vector<float>&, std::vector<float>& a) {
        std::fill(a.begin(), a.end(), 1.0f);
    });
    EXPECT_EQ(e.rewards.size(), s.decisions);
    EXPECT_EQ(env.steps(), s.decisions);
    EXPECT_GT(s.decisions, 96u);  // 96 ticks, plus arrivals and departures between them
}

TEST(Env, ClipsActionsToPhysicsAndPenalisesTheClippedPower) {
    ScenarioSpec spec = one_charger(22.0);
    SessionSpec s = test::session(0, 0.0, 10.0, 100.0, 100.0, 0.0);
    s.vehicle.max_ac_kw = 11.0;  // takes half of what the charger could give
    spec.sessions = {s};
    spec.nodes[1].import_limit_kw = 100.0;
    EnvConfig config;
    config.clip_penalty_per_kw = 0.01;
    config.safety = SafetyLayer::none;  // ratio x rating: asks what the vehicle cannot take
    Env env(scenario_of(spec), config);
    const Episode e = play(env, 0, [](std::size_t, const std::vector<float>&, std::vector<float>& a) {
        a.assign(a.size(), 5.0f);  // out of range: clamped to 1, i.e. 22 kW asked
    });
    EXPECT_DOUBLE_EQ(e.infos[0].clipped_kw, 11.0);
    // 11 kW for 15 min at 0.25 per kWh, and 0.01 per clipped kW.
    EXPECT_NEAR(e.infos[0].energy_cost, 11.0 * 0.25 * 0.25, 1e-12);
    EXPECT_NEAR(e.rewards[0], -(11.0 * 0.25 * 0.25) - 0.01 * 11.0, 1e-6);
}

TEST(Env, NodeLimitClipsAreInThePenaltyToo) {
    ScenarioSpec spec = test::small_site(2, 10.0, 15.0);
    spec.sessions = {test::session(0, 0.0, 10.0, 100.0, 100.0, 0.0),
                     test::session(1, 0.0, 10.0, 100.0, 100.0, 0.0)};
    Env env(scenario_of(spec), EnvConfig{.safety = SafetyLayer::none});
    const Episode e = play(env, 0, [](std::size_t, const std::vector<float>&, std::vector<float>& a) {
        a.assign(a.size(), 1.0f);
    });
    EXPECT_NEAR(e.infos[0].clipped_kw, 5.0, 1e-9);  // 20 kW asked under a 15 kW transformer
}

TEST(Env, CostAndV2gProfitRewardsByHand) {
    ScenarioSpec spec = one_charger();
    spec.economics.charging_price_per_kwh = 0.4;
    spec.sessions = {test::session(0, 0.0, 1.0, 5.0)};  // 5 kWh wanted, one hour plugged
    // Full power for two periods (10 kW x 0.5 h = 5 kWh, the request), then nothing.
    auto actions = [](std::size_t step, const std::vector<float>&, std::vector<float>& a) {
        a.assign(a.size(), step < 2 ? 1.0f : 0.0f);
    };
    EnvConfig cost;
    cost.satisfaction_bonus = 2.0;
    Env env(scenario_of(spec), cost);
    const Episode e = play(env, 0, actions);
    ASSERT_GE(e.rewards.size(), 4u);
    EXPECT_NEAR(e.rewards[0], -10.0 * 0.25 * 0.25, 1e-6);
    EXPECT_NEAR(e.rewards[1], -10.0 * 0.25 * 0.25, 1e-6);
    EXPECT_NEAR(e.rewards[2], 0.0, 1e-6);
    EXPECT_EQ(e.infos[3].departures, 1u);  // leaves at 1:00, the end of the fourth step
    EXPECT_NEAR(e.infos[3].satisfaction, 1.0, 1e-6);
    EXPECT_NEAR(e.rewards[3], 2.0, 1e-6);

    EnvConfig profit;
    profit.reward = RewardKind::v2g_profit;
    profit.safety = SafetyLayer::none;  // the laxity layer would finish the request the actions leave
    Env env2(scenario_of(spec), profit);
    const Episode p = play(env2, 0, actions);
    EXPECT_NEAR(p.infos[0].delivered_kwh, 2.5, 1e-9);
    EXPECT_NEAR(p.rewards[0], 0.4 * 2.5 - 0.625, 1e-6);
    EXPECT_NEAR(p.rewards[3], -100.0 * std::exp(-10.0), 1e-6);

    // Half the request delivered: satisfaction 0.5.
    const Episode half =
        play(env2, 0, [](std::size_t step, const std::vector<float>&, std::vector<float>& a) {
            a.assign(a.size(), step < 1 ? 1.0f : 0.0f);
        });
    EXPECT_NEAR(half.infos[3].satisfaction, 0.5, 1e-6);
    EXPECT_NEAR(half.rewards[3], -100.0 * std::exp(-5.0), 1e-5);
}

// In decision periods, a vehicle that comes and goes between two period starts gets nothing
// whatever the policy does: it is out of the satisfaction and the unmet penalty, not out of the
// departures.
TEST(Env, ASessionNoDecisionReachedIsNotPenalised) {
    ScenarioSpec spec = test::small_site(2, 10.0, 20.0);
    spec.decision_period_mode = true;
    spec.sessions = {test::session(0, 0.30, 0.45, 1.0),   // 18 to 27 min: between 15 and 30 min
                     test::session(1, 0.50, 0.95, 1.0)};  // plugged at the 30 and 45 min decisions
    EnvConfig profit;
    profit.reward = RewardKind::v2g_profit;
    profit.safety = SafetyLayer::none;
    Env env(scenario_of(spec), profit);
    const Episode e = play(env, 0, [](std::size_t, const std::vector<float>&, std::vector<float>& a) {
        a.assign(a.size(), 0.0f);  // nothing for anyone
    });
    double satisfaction = 0.0, unmet = 0.0;
    std::uint32_t departures = 0;
    for (const StepInfo& i : e.infos) {
        satisfaction += i.satisfaction;
        unmet += i.unmet_penalty;
        departures += i.departures;
    }
    EXPECT_EQ(departures, 2u);
    EXPECT_NEAR(satisfaction, 0.0, 1e-12);  // session 1 got nothing
    EXPECT_NEAR(unmet, 1.0, 1e-12);         // exp(0), once: session 1's
}

// Flat price with a demand charge of 10 per kW over 15-minute intervals, one billing period.
class DemandTariff : public test::FlatTariff {
public:
    DemandTariff() : FlatTariff(0.25) {}
    double demand_charge_per_kw(Time) const override { return 10.0; }
    BillingPeriod billing_period(Time) const override {
        return {test::kDay0, test::kDay0 + Duration::days(30)};
    }
};

TEST(Env, PeakRewardChargesEachRiseOfThePeakDemand) {
    ScenarioSpec spec = one_charger();
    spec.tariff = std::make_shared<DemandTariff>();
    spec.sessions = {test::session(0, 0.0, 5.0, 40.0, 100.0, 0.0)};
    EnvConfig config;
    config.reward = RewardKind::peak;
    Env env(scenario_of(spec), config);
    const float levels[] = {0.5f, 1.0f, 0.8f, 1.0f};
    const Episode e = play(env, 0, [&](std::size_t step, const std::vector<float>&, std::vector<float>& a) {
        a.assign(a.size(), step < 4 ? levels[step] : 0.0f);
    });
    EXPECT_NEAR(e.infos[0].demand_charge, 10.0 * 5.0, 1e-9);  // first peak: 5 kW
    EXPECT_NEAR(e.infos[1].demand_charge, 10.0 * 5.0, 1e-9);  // rises to 10 kW
    EXPECT_NEAR(e.infos[2].demand_charge, 0.0, 1e-9);         // 8 kW: no new peak
    EXPECT_NEAR(e.infos[3].demand_charge, 0.0, 1e-9);
    EXPECT_NEAR(e.rewards[1], -(10.0 * 0.25 * 0.25) - 50.0, 1e-5);
    double total = 0.0;
    for (const StepInfo& i : e.infos) total += i.demand_charge;
    EXPECT_NEAR(total, 100.0, 1e-9);  // the bill's demand charge: 10 per kW of the 10 kW peak
}

// v2g_profit is the step's share of the operator's profit: charging revenue minus the energy bill,
// the rise of the demand charge and what the drivers are paid for V2G.
TEST(Env, V2gProfitRewardPaysTheDriversAndTheDemandCharge) {
    ScenarioSpec spec = one_charger();
    spec.chargers[0].v2g_capable = true;
    spec.tariff = std::make_shared<DemandTariff>();
    spec.economics.charging_price_per_kwh = 0.4;
    spec.economics.v2g_price_factor = 0.5;
    spec.sessions = {test::session(0, 0.0, 5.0, 10.0, 60.0, 0.5)};
    spec.sessions[0].vehicle.v2g_allowed = true;
    spec.sessions[0].vehicle.max_discharge_kw = 10.0;
    EnvConfig profit;
    profit.reward = RewardKind::v2g_profit;
    profit.safety = SafetyLayer::none;
    Env env(scenario_of(spec), profit);
    const float levels[] = {-1.0f, 1.0f};  // 15 min of V2G at 10 kW, then 15 min of charging at 10 kW
    const Episode e = play(env, 0, [&](std::size_t step, const std::vector<float>&, std::vector<float>& a) {
        a.assign(a.size(), step < 2 ? levels[step] : 0.0f);
    });
    EXPECT_NEAR(e.infos[0].delivered_kwh, -2.5, 1e-9);
    EXPECT_NEAR(e.infos[0].v2g_payment, 0.5 * 2.5 * 0.25, 1e-9);  // factor x fed kWh x import price
    EXPECT_NEAR(e.infos[0].energy_cost, 0.0, 1e-9);               // exported at price 0
    EXPECT_NEAR(e.rewards[0], 0.4 * -2.5 - 0.5 * 2.5 * 0.25, 1e-5);
    EXPECT_NEAR(e.infos[1].v2g_payment, 0.0, 1e-12);
    EXPECT_NEAR(e.infos[1].demand_charge, 10.0 * 10.0, 1e-9);  // the first peak: 10 kW
    EXPECT_NEAR(e.rewards[1], 0.4 * 2.5 - 10.0 * 0.25 * 0.25 - 100.0, 1e-4);
}

// The ESS shaping adds potential(after) - potential(before), the potential being the weight x the
// usable stored energy x the discharge efficiency x the dearest price ahead, and 0 at the end.
TEST(Env, EssValueShapingIsADifferenceOfPotentials) {
    ScenarioSpec spec = one_charger();
    EssSpec ess;
    ess.capacity_kwh = 20.0;
    ess.max_charge_kw = 4.0;
    ess.max_discharge_kw = 4.0;
    ess.discharge_efficiency = 0.9;
    spec.ess = {ess};
    spec.sessions = {test::session(0, 0.0, 1.0, 5.0)};
    // The ESS charges for two periods, then discharges for two, then rests.
    auto actions = [](std::size_t step, const std::vector<float>&, std::vector<float>& a) {
        a.assign(a.size(), 0.0f);
        a[1] = step < 2 ? 1.0f : step < 4 ? -1.0f : 0.0f;
    };
    Env plain(scenario_of(spec), EnvConfig{});
    EnvConfig shaped_config;
    shaped_config.ess_value_weight = 2.0;
    Env shaped(scenario_of(spec), shaped_config);
    const Episode p = play(plain, 0, actions);
    const Episode s = play(shaped, 0, actions);
    ASSERT_EQ(p.rewards.size(), s.rewards.size());
    const double value_per_stored_kwh = 2.0 * 0.9 * 0.25;
    EXPECT_NEAR(s.rewards[0] - p.rewards[0], value_per_stored_kwh * 4.0 * 0.25 * 0.95, 1e-5);
    EXPECT_NEAR(s.rewards[2] - p.rewards[2], -value_per_stored_kwh * 4.0 * 0.25 / 0.9, 1e-5);
    EXPECT_NEAR(s.rewards[5] - p.rewards[5], 0.0, 1e-6);
    double shaping = 0.0;
    for (std::size_t i = 0; i < p.rewards.size(); ++i) shaping += s.rewards[i] - p.rewards[i];
    EXPECT_NEAR(shaping, -value_per_stored_kwh * (0.5 - 0.1) * 20.0, 1e-4);  // the start's potential
}

TEST(Env, SameSeedAndActionsGiveTheSameRewards) {
    auto random_actions = [](std::uint64_t seed) {
        return [rng = Rng::stream(seed, "actions")](std::size_t, const std::vector<float>&,
                                                    std::vector<float>& a) mutable {
            for (float& v : a) v = static_cast<float>(rng.uniform());
        };
    };
    Env env(scenario_from_factory(random_site));
    const Episode a = play(env, 5, random_actions(1));
    const Episode b = play(env, 5, random_actions(1));
    const Episode c = play(env, 6, random_actions(1));
    EXPECT_EQ(a.rewards, b.rewards);
    EXPECT_NE(a.rewards, c.rewards);  // another seed draws other arrivals
}

TEST(VecEnv, StepsAllEnvironmentsIntoContiguousBuffersAndAutoResets) {
    VecEnv vec(3, scenario_from_factory(random_site));
    Env single(scenario_from_factory(random_site));
    vec.reset(100);
    const std::size_t d = vec.observation_size();
    ASSERT_EQ(vec.observations().size(), 3 * d);
    std::vector<float> obs(d);
    single.reset(101, obs);  // environment 1 runs seed 101
    for (std::size_t k = 0; k < d; ++k) EXPECT_EQ(vec.observations()[d + k], obs[k]);

    std::vector<float> actions(3 * vec.action_size(), 0.5f);
    std::vector<float> one(vec.action_size(), 0.5f);
    bool done = false;
    std::size_t steps = 0;
    std::uint64_t episodes = 0;
    while (vec.episodes_finished() < 3) {
        vec.step(actions);
        const float r = single.step(one, obs, done);
        ++steps;
        EXPECT_EQ(vec.rewards()[1], r);
        EXPECT_EQ(vec.dones()[1] != 0, done);
        if (done) {
            EXPECT_EQ(single.steps(), steps);
            single.reset(101 + 3 * ++episodes, obs);  // its next episode
            steps = 0;
        }
        for (std::size_t k = 0; k < d; ++k) ASSERT_EQ(vec.observations()[d + k], obs[k]);
        ASSERT_LT(vec.episodes_finished() + steps, 100000u);
    }
    EXPECT_THROW(vec.step(one), std::invalid_argument);
}

// Gymnasium's next-step autoreset: the final observation (zeros) comes with done, and the next step
// resets that environment (its action ignored, reward 0) while the others step on.
TEST(VecEnv, NextStepAutoresetShowsTheEndThenResetsOnTheNextStep) {
    VecEnv vec(2, scenario_from_factory(random_site), EnvConfig{}, Autoreset::next_step);
    Env single(scenario_from_factory(random_site), EnvConfig{});
    vec.reset(7);
    const std::size_t d = vec.observation_size();
    std::vector<float> obs(d);
    single.reset(7, obs);  // environment 0 runs seed 7, then 9
    std::vector<float> actions(2 * vec.action_size(), 0.5f);
    std::vector<float> one(vec.action_size(), 0.5f);
    bool done = false;
    while (!done) {
        vec.step(actions);
        EXPECT_EQ(vec.rewards()[0], single.step(one, obs, done));
        EXPECT_EQ(vec.dones()[0] != 0, done);
        EXPECT_EQ(vec.resets()[0], 0);
        ASSERT_LT(single.steps(), 100000u);
    }
    for (std::size_t k = 0; k < d; ++k) ASSERT_EQ(vec.observations()[k], 0.0f) << "the final observation";
    std::fill(actions.begin(), actions.begin() + static_cast<std::ptrdiff_t>(vec.action_size()), 1.0f);
    vec.step(actions);
    EXPECT_EQ(vec.resets()[0], 1);
    EXPECT_EQ(vec.rewards()[0], 0.0f);
    EXPECT_EQ(vec.dones()[0], 0);
    single.reset(9, obs);
    for (std::size_t k = 0; k < d; ++k)
        ASSERT_EQ(vec.observations()[k], obs[k]) << "the next episode's first";
    EXPECT_EQ(vec.env(0).steps(), 0u) << "reset, not stepped";
}

// A policy's action drives one stationary battery: a site with two is refused, naming them.
TEST(Env, ASiteWithTwoBatteriesIsRefusedSayingWhy) {
    ScenarioSpec spec = one_charger();
    EssSpec ess;
    ess.capacity_kwh = 20.0;
    ess.max_charge_kw = ess.max_discharge_kw = 4.0;
    spec.ess = {ess, ess};
    try {
        Env env(scenario_of(spec), EnvConfig{});
        ADD_FAILURE() << "a site with two batteries made an environment";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("at most one stationary battery; the site has 2"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Env, RefusesUnknownRewardsAndOtherSites) {
    EXPECT_THROW(reward_kind_from_name("profit"), std::invalid_argument);
    EXPECT_EQ(reward_kind_from_name("peak"), RewardKind::peak);
    Env env(scenario_from_factory(
        [](std::uint64_t seed) { return test::small_site(seed == 0 ? 2 : 3, 11.0, 30.0); }));
    std::vector<float> obs(env.observation_size());
    EXPECT_THROW(env.reset(1, obs), std::invalid_argument);
}

TEST(Env, RunsALuaScenarioWithArrivalsDrawnPerSeed) {
    Env env(Scenario::load(test::source_file("scenarios/quickstart.lua")));
    auto ones = [](std::size_t, const std::vector<float>&, std::vector<float>& a) {
        a.assign(a.size(), 1.0f);
    };
    const Episode a = play(env, 1, ones);
    const Episode b = play(env, 2, ones);
    EXPECT_GT(a.rewards.size(), 0u);
    EXPECT_NE(a.rewards, b.rewards);
    double cost = 0.0;
    for (const StepInfo& i : a.infos) cost += i.energy_cost;
    EXPECT_GT(cost, 0.0);
}

}  // namespace
}  // namespace evtwin
