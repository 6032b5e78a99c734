#include "core/simulator.hpp"
#include "host/plugin_loader.hpp"
#include "plugins/rl/evaluate.hpp"
#include "plugins/rl/learner.hpp"
#include "plugins/rl/policy.hpp"
#include "plugins/rl/policy_file.hpp"
#include "plugins/rl/trainer.hpp"
#include "scenario/scenario_impl.hpp"
#include "util/rng.hpp"

#include "support/memory_sink.hpp"
#include "support/test_site.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace evtwin::rl {
namespace {

// Two 11 kW chargers under a 16 kW transformer, flat 0.25 per kWh, 8 hours; 4 arrivals per seed
// asking more than half-rate charging can give. A bonus of 10 per satisfied EV outweighs the
// energy (at most 7.5 per EV), so charging at full rate is what pays.
ScenarioSpec tiny_site(std::uint64_t seed) {
    ScenarioSpec spec = test::small_site(2, 11.0, 16.0);
    spec.end = spec.start + Duration::hours(8);
    Rng rng = Rng::stream(seed, "arrivals");
    for (SessionId id = 0; id < 4; ++id) {
        const double arrive = rng.uniform(0.0, 5.0);
        spec.sessions.push_back(
            test::session(id, arrive, arrive + rng.uniform(1.5, 3.0), rng.uniform(15.0, 30.0)));
    }
    std::sort(spec.sessions.begin(), spec.sessions.end(),
              [](const SessionSpec& a, const SessionSpec& b) { return a.arrival < b.arrival; });
    return spec;
}

ScenarioSpec other_site(std::uint64_t) {
    return test::small_site(3, 11.0, 16.0);
}

const Scenario& tiny_scenario() {
    static const Scenario scenario = scenario_from_factory(tiny_site);
    return scenario;
}

TrainRequest tiny_request(const std::string& algo, std::uint64_t steps, const std::filesystem::path& out) {
    TrainRequest rq;
    rq.algo = algo;
    rq.scenario_name = "tiny";
    rq.steps = steps;
    rq.out = out;
    rq.envs = 4;
    rq.eval_every = steps;  // once at the start, once at the end
    rq.eval_seeds = {1, 2, 3, 4};
    // Without the safety layer and the site cap, so that learning to charge is what the reward measures.
    rq.options = {{"satisfaction_bonus", "10"}, {"safety", "none"}, {"site_cap", "false"}};
    rq.progress = false;
    rq.quiet = true;
    return rq;
}

// Actions of a policy on the observations of one episode driven by a fixed schedule.
std::vector<float> probe_actions(Policy& policy) {
    Env env(tiny_scenario(), EnvConfig{.satisfaction_bonus = 10, .safety = SafetyLayer::none});
    std::vector<float> obs(env.observation_size()), action(env.action_size()), all;
    std::vector<float> fixed(env.action_size(), 0.7f);
    env.reset(5, obs);
    bool done = false;
    while (!done) {
        policy.act(obs, action);
        all.insert(all.end(), action.begin(), action.end());
        env.step(fixed, obs, done);
    }
    return all;
}

// Both actors (one network over the whole observation, or one shared by every connector) learn to
// collect the bonus, and the file reloads into the policy the training evaluated last.
TEST(RlTorch, PpoTrainingImprovesTheEvaluationReward) {
    const auto dir = test::temp_dir("rl_ppo_learns");
    for (const std::string actor : {"joint", "shared"}) {
        std::atomic<bool> stop{false};
        TrainRequest rq = tiny_request("ppo", 12288, dir / (actor + ".pt"));
        rq.options["n_steps"] = "64";
        rq.options["lr"] = "1e-3";
        rq.options["actor"] = actor;
        rq.db = dir / (actor + ".db");
        const TrainResult r = train(tiny_scenario(), rq, stop);
        EXPECT_EQ(r.steps, 12288u);
        ASSERT_TRUE(std::isfinite(r.first_eval_reward));
        // Untrained: half rate on average; trained: the bonus is collected.
        EXPECT_GT(r.last_eval_reward, r.first_eval_reward + 2.0)
            << actor << ": " << r.first_eval_reward << " -> " << r.last_eval_reward;
        auto reloaded = load_policy(rq.out, "ppo");
        const EnvConfig config{.satisfaction_bonus = 10, .safety = SafetyLayer::none};
        EXPECT_DOUBLE_EQ(evaluate(*reloaded, tiny_scenario(), config, rq.eval_seeds).reward,
                         r.last_eval_reward)
            << actor;
    }
}

TEST(RlTorch, PpoRefusesAnUnknownActor) {
    std::atomic<bool> stop{false};
    TrainRequest rq = tiny_request("ppo", 64, test::temp_dir("rl_ppo_actor") / "ppo.pt");
    rq.options["actor"] = "per_charger";
    EXPECT_THAT([&] { train(tiny_scenario(), rq, stop); },
                testing::ThrowsMessage<std::invalid_argument>(
                    testing::HasSubstr("option actor='per_charger' must be one of joint, shared")));
}

// A hyperparameter past its range is refused by name before anything is allocated or trained.
TEST(RlTorch, HyperparametersOutOfRangeAreRefusedWithTheirRange) {
    std::atomic<bool> stop{false};
    const auto dir = test::temp_dir("rl_bad_options");
    const auto message = [&](const std::string& algo, const std::string& key, const std::string& value) {
        TrainRequest rq = tiny_request(algo, 64, dir / (algo + ".pt"));
        rq.options[key] = value;
        try {
            train(tiny_scenario(), rq, stop);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_THAT(message("dqn", "buffer", "100000000000"),
                testing::HasSubstr("option buffer='100000000000' must be a whole number from 1 to 10000000"));
    EXPECT_THAT(message("dqn", "levels", "1"), testing::HasSubstr("must be a whole number from 2 to 255"));
    EXPECT_THAT(message("ppo", "gamma", "1e300"),
                testing::HasSubstr("option gamma='1e300' must be a number from 0 to 1"));
    EXPECT_THAT(message("ppo", "lr", "nan"),
                testing::HasSubstr("option lr='nan' must be a number from 0 to 1"));
    EXPECT_THAT(message("ppo", "hidden", "100000"),
                testing::HasSubstr("must be a whole number from 1 to 4096"));
    EXPECT_THAT(message("ppo", "threads", "0"), testing::HasSubstr("must be a whole number from 1 to 1024"));
}

TEST(RlTorch, DqnTrainingImprovesTheEvaluationReward) {
    const auto dir = test::temp_dir("rl_dqn_learns");
    std::atomic<bool> stop{false};
    TrainRequest rq = tiny_request("dqn", 12288, dir / "dqn.pt");
    rq.options["learning_starts"] = "500";
    rq.options["eps_decay_steps"] = "4000";
    rq.options["target_update"] = "200";
    rq.options["hidden"] = "64";
    const TrainResult r = train(tiny_scenario(), rq, stop);
    EXPECT_GT(r.last_eval_reward, r.first_eval_reward + 2.0)
        << r.first_eval_reward << " -> " << r.last_eval_reward;
}

TEST(RlTorch, SavedPoliciesReloadWithIdenticalActions) {
    const auto dir = test::temp_dir("rl_reload");
    for (const std::string algo : {"ppo", "dqn"}) {
        std::atomic<bool> stop{false};
        TrainRequest rq = tiny_request(algo, 1024, dir / (algo + ".pt"));
        rq.options["n_steps"] = "32";
        if (algo == "dqn") rq.options["learning_starts"] = "200";
        train(tiny_scenario(), rq, stop);
        // The learner's policy and the policy alone, as a strategy loads it, act alike.
        auto a = load_learner(rq.out, algo, false).learner;
        auto b = load_policy(rq.out, "");
        EXPECT_EQ(a->policy().algo(), algo);
        EXPECT_EQ(b->algo(), algo);
        const std::vector<float> x = probe_actions(a->policy());
        EXPECT_EQ(x, probe_actions(*b));
        // The deterministic actions lie in each entry's range.
        const auto low = b->layout().action_low;
        for (std::size_t i = 0; i < x.size(); ++i) {
            EXPECT_GE(x[i], low[i % low.size()]);
            EXPECT_LE(x[i], 1.0f);
        }
    }
}

TEST(RlTorch, ResumingGivesTheUninterruptedResult) {
    const auto dir = test::temp_dir("rl_resume");
    for (const std::string algo : {"ppo", "dqn"}) {
        std::atomic<bool> stop{false};
        TrainRequest whole = tiny_request(algo, 1024, dir / (algo + "_whole.pt"));
        whole.options["n_steps"] = "32";
        whole.options["learning_starts"] = "200";
        if (algo == "ppo") whole.options.erase("learning_starts");
        whole.eval_every = 256;
        whole.checkpoint_every = 512;
        whole.db = dir / (algo + "_whole.db");
        train(tiny_scenario(), whole, stop);

        TrainRequest first = whole;
        first.steps = 512;
        first.out = dir / (algo + "_first.pt");
        first.checkpoint = dir / (algo + "_first.ckpt");
        train(tiny_scenario(), first, stop);
        TrainRequest rest = whole;
        rest.out = dir / (algo + "_rest.pt");
        rest.resume = first.checkpoint;
        train(tiny_scenario(), rest, stop);

        auto a = load_policy(whole.out, algo);
        auto b = load_policy(rest.out, algo);
        EXPECT_EQ(probe_actions(*a), probe_actions(*b)) << algo;
    }
}

TEST(RlTorch, BadPolicyFilesAreRefusedWithTheReason) {
    const auto dir = test::temp_dir("rl_bad_files");
    // The message of the PolicyFileError that loading `content` as a policy file throws, the same
    // for a learner and for the policy alone.
    auto refusal = [&](const char* name, const std::string& content,
                       const char* algo = "ppo") -> std::string {
        const auto file = test::write_file(dir / name, content);
        auto message = [&](auto load) -> std::string {
            try {
                load();
            } catch (const PolicyFileError& e) {
                return e.what();
            }
            return "(accepted)";
        };
        const std::string learner_says = message([&] { load_learner(file, algo, false); });
        EXPECT_EQ(learner_says, message([&] { load_policy(file, algo); })) << name;
        return learner_says;
    };
    const std::string garbage = refusal("garbage.pt", "PK\x03\x04 not a policy");
    EXPECT_NE(garbage.find("garbage.pt:1: not an evtwin policy file"), std::string::npos) << garbage;
    // A file of format 1 (before the demand features and the site cap) is refused, not misread.
    const std::string old = refusal("old.pt", "evtwin-rl-policy 1\n{\"algo\":\"ppo\"}\nxx");
    EXPECT_NE(old.find("old.pt:1: policy file format 1"), std::string::npos) << old;
    EXPECT_NE(old.find("train the policy again"), std::string::npos) << old;
    // A format this evtwin does not know yet says so.
    const std::string newer = refusal("newer.pt", "evtwin-rl-policy 99\n{\"algo\":\"ppo\"}\nxx");
    EXPECT_NE(newer.find("newer.pt:1: policy file format 99"), std::string::npos) << newer;
    EXPECT_NE(newer.find("newer evtwin"), std::string::npos) << newer;
    const std::string bad_json = refusal("json.pt", std::string(kPolicyMagic) + "\n{\"algo\": \n", "");
    EXPECT_NE(bad_json.find("json.pt:2: header is not valid JSON"), std::string::npos) << bad_json;
    const std::string no_layout =
        refusal("nolayout.pt", std::string(kPolicyMagic) + "\n{\"algo\":\"ppo\"}\nxx", "");
    EXPECT_NE(no_layout.find("/layout"), std::string::npos) << no_layout;

    std::atomic<bool> stop{false};
    TrainRequest rq = tiny_request("ppo", 256, dir / "ppo.pt");
    rq.options["n_steps"] = "32";
    train(tiny_scenario(), rq, stop);
    // Weights cut short: a clear error, not a crash.
    std::string bytes = test::read_file(rq.out);
    test::write_file(dir / "cut.pt", bytes.substr(0, bytes.size() / 2));
    EXPECT_THROW(load_learner(dir / "cut.pt", "", false), PolicyFileError);
    EXPECT_THROW(load_policy(dir / "cut.pt", ""), PolicyFileError);
    // A ppo file is not a dqn policy.
    EXPECT_THROW(load_learner(rq.out, "dqn", false), PolicyFileError);
    EXPECT_THROW(load_policy(rq.out, "dqn"), PolicyFileError);
    // A window its header was edited to: refused before memory is asked for it.
    for (const long window : {0L, 1001L, 1'000'000'000'000L}) {
        const std::size_t at = bytes.find("\"window\":8");
        ASSERT_NE(at, std::string::npos);
        std::string edited = bytes;
        edited.replace(at, 10, "\"window\":" + std::to_string(window));
        const std::string message = refusal("window.pt", edited, "");
        EXPECT_NE(message.find("window.pt: header /layout/window: expected 1 to 1000 control periods"),
                  std::string::npos)
            << message;
    }
    // A window of too many digits for an integer (JSON's reader gives a floating-point number) or
    // with a fraction: the wrong type, not a number converted beyond its range.
    for (const char* window : {"2.4e28", "8.5"}) {
        std::string edited = bytes;
        edited.replace(edited.find("\"window\":8"), 10, std::string("\"window\":") + window);
        const std::string message = refusal("window.pt", edited, "");
        EXPECT_NE(message.find("window.pt: header /layout/window: missing or of the wrong type"),
                  std::string::npos)
            << message;
    }

    // Fine-tuning on a site of another layout names the difference.
    TrainRequest init = tiny_request("ppo", 256, dir / "other.pt");
    init.init = rq.out;
    try {
        train(scenario_from_factory(other_site), init, stop);
        FAIL();
    } catch (const PolicyFileError& e) {
        EXPECT_NE(std::string(e.what()).find("3 connectors, expected 2"), std::string::npos) << e.what();
    }
}

// A policy of an older observation (no bill clock, as in formats 2 and 3) is fine-tuned on its own.
TEST(RlTorch, FineTuningKeepsThePolicysObservation) {
    const auto dir = test::temp_dir("rl_init_older");
    std::atomic<bool> stop{false};
    TrainRequest old = tiny_request("ppo", 256, dir / "old.pt");
    old.options["n_steps"] = "32";
    old.options["bill_clock"] = "false";
    train(tiny_scenario(), old, stop);
    ASSERT_FALSE(load_policy(old.out, "ppo")->layout().bill_clock);

    TrainRequest tuned = tiny_request("ppo", 256, dir / "tuned.pt");
    tuned.options["n_steps"] = "32";
    tuned.init = old.out;
    const TrainResult r = train(tiny_scenario(), tuned, stop);
    EXPECT_EQ(r.steps, 256u);
    EXPECT_FALSE(load_policy(tuned.out, "ppo")->layout().bill_clock);
}

TEST(RlTorch, StrategyPluginActsAsThePolicyDoes) {
    const auto dir = test::temp_dir("rl_plugin");
    std::atomic<bool> stop{false};
    TrainRequest rq = tiny_request("ppo", 512, dir / "ppo.pt");
    rq.options["n_steps"] = "32";
    rq.options["site_cap"] = "true";  // the trainer's default; the file keeps it
    rq.options["safety"] = "laxity";
    train(tiny_scenario(), rq, stop);

    StrategyHandle strategy = load_strategy("ppo", {{"model", rq.out.string()}});
    auto policy = load_policy(rq.out, "ppo");
    EXPECT_TRUE(policy->layout().site_cap);
    EXPECT_TRUE(policy->layout().cap_below_peak);
    EXPECT_EQ(policy->layout().action_size(), 4u);  // 2 connectors, the ESS, the cap
    EXPECT_TRUE(policy->layout().bill_clock);
    EXPECT_TRUE(policy->layout().ev_demand);

    // The same file in the older formats, without their newer layout keys: read as they were.
    std::string bytes = test::read_file(rq.out);
    const std::size_t magic_end = bytes.find('\n');
    ASSERT_EQ(bytes.substr(0, magic_end), kPolicyMagic);
    auto older = [&](const char* magic, std::vector<std::string> keys, const char* name) {
        std::string b = bytes;
        b.replace(0, magic_end, magic);
        for (const std::string& key : keys) {
            EXPECT_NE(b.find(key), std::string::npos) << key;
            if (b.find(key) != std::string::npos) b.erase(b.find(key), key.size());
        }
        const auto file = test::write_file(dir / name, b);
        return layout_from_json(read_policy_file(file).header.at("layout"), file);
    };
    const std::size_t window = policy->layout().window;
    const ObsLayout format4 = older(kPolicyMagic4, {",\"ev_demand\":true"}, "format4.pt");
    EXPECT_FALSE(format4.ev_demand);
    EXPECT_TRUE(format4.bill_clock);
    EXPECT_EQ(format4.observation_size() + window, policy->layout().observation_size());
    const ObsLayout format3 =
        older(kPolicyMagic3, {",\"bill_clock\":true", ",\"ev_demand\":true"}, "format3.pt");
    EXPECT_FALSE(format3.bill_clock);
    EXPECT_TRUE(format3.cap_below_peak);
    EXPECT_EQ(format3.observation_size() + 1 + window, policy->layout().observation_size());
    const ObsLayout format2 =
        older(kPolicyMagic2, {",\"cap_below_peak\":true", ",\"bill_clock\":true", ",\"ev_demand\":true"},
              "format2.pt");
    EXPECT_FALSE(format2.cap_below_peak);
    EXPECT_FALSE(format2.bill_clock);
    ObsCodec codec(policy->layout());
    const ScenarioSpec spec = tiny_site(9);
    test::MemorySink sink;
    Simulator sim(spec, sink);
    sim.start(RunInfo{});
    std::vector<float> obs(codec.layout().observation_size()), action(codec.layout().action_size());
    std::size_t points = 0;
    while (sim.advance()) {
        Decision& d = sim.decision();
        strategy->decide(sim.observation(), d);
        Decision mine;
        codec.encode(sim.observation(), obs);
        policy->act(obs, action);
        codec.decode(action, sim.observation(), mine);
        EXPECT_EQ(d.connector_kw, mine.connector_kw);
        sim.apply(d);
        ++points;
    }
    EXPECT_GT(points, 10u);

    EXPECT_THROW(load_strategy("ppo", {}), PluginError);
    EXPECT_THROW(load_strategy("dqn", {{"model", rq.out.string()}}), PluginError);  // a ppo file
}

}  // namespace
}  // namespace evtwin::rl
