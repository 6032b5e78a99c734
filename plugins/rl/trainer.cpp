#include "rl/trainer.hpp"

#include "rl/evaluate.hpp"
#include "rl/policy_file.hpp"
#include "rl/training_curve.hpp"

#include <evtwin/util/progress.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

namespace evtwin::rl {

std::uint64_t training_base_seed(std::uint64_t seed) {
    return 1'000'000ULL * (seed + 1);
}

namespace {

// A learner from --resume (with its training state) or --init (its weights); none without either.
// `options`: the algorithm's.
LoadedLearner learner_from_file(const TrainRequest& rq, const Options& options) {
    if (rq.resume) {
        LoadedLearner l = load_learner(*rq.resume, rq.algo, true, options);
        if (!l.training.is_object())
            throw PolicyFileError(rq.resume->string() + ": not a checkpoint (no training state)");
        return l;
    }
    if (rq.init) return {load_learner(*rq.init, rq.algo, false, options).learner, nullptr};
    return {};
}

// The settings of a trained network's observation, so that the environment shows it what it learned on.
void take_observation_settings(EnvConfig& config, const ObsLayout& layout) {
    config.window = layout.window;
    config.price_scale = layout.price_scale;
    config.power_scale_kw = layout.power_scale_kw;
    config.departure_scale = layout.departure_scale;
    config.safety = layout.safety;
    config.safety_margin = layout.safety_margin;
    config.site_cap = layout.site_cap;
    config.cap_below_peak = layout.cap_below_peak;
    config.bill_clock = layout.bill_clock;
    config.ev_demand = layout.ev_demand;
}

// Throws unless the file's network fits the scenario's site.
void check_fits(const ObsLayout& site, const TrainRequest& rq, ObsLayout want) {
    if (rq.init) want.timezone = site.timezone;  // fine-tuning may move the site
    const std::string diff = layout_difference(site, want);
    const auto& file = rq.resume ? *rq.resume : *rq.init;
    if (!diff.empty())
        throw PolicyFileError(file.string() +
                              ": the policy does not fit this scenario's site: the scenario has " + diff);
}

}  // namespace

TrainResult train(const Scenario& scenario, const TrainRequest& rq, const std::atomic<bool>& stop) {
    using clock = std::chrono::steady_clock;
    if (rq.steps == 0) throw std::invalid_argument("--steps must be positive");
    EnvConfig training_defaults;
    training_defaults.site_cap = true;  // the default for training (docs/rl.md): it wins on quickstart
    Options learner_options = rq.options;
    EnvConfig config = env_config_with(env_config_of(scenario, training_defaults), learner_options);

    LoadedLearner loaded = learner_from_file(rq, learner_options);
    std::unique_ptr<Learner> learner = std::move(loaded.learner);
    const nlohmann::json& resumed = loaded.training;
    if (learner) take_observation_settings(config, learner->layout());
    EnvPool pool(rq.envs, scenario, config, training_base_seed(rq.seed));
    if (learner)
        check_fits(pool.layout(), rq, learner->layout());
    else
        learner = make_learner(rq.algo, pool.layout(), learner_options, rq.seed);

    const std::uint64_t eval_every =
        rq.eval_every ? rq.eval_every : std::max<std::uint64_t>(1, rq.steps / 10);
    const std::uint64_t ckpt_every = rq.checkpoint_every ? rq.checkpoint_every : eval_every;
    const std::filesystem::path ckpt =
        rq.checkpoint.empty() ? std::filesystem::path(rq.out.string() + ".ckpt") : rq.checkpoint;
    std::uint64_t next_eval = 0, next_ckpt = ckpt_every;
    double wall_before = 0.0;
    std::vector<double> returns;
    if (rq.resume) {
        try {
            pool.restore(resumed.at("pool"));
            next_eval = resumed.at("next_eval").get<std::uint64_t>();
            next_ckpt = resumed.at("next_checkpoint").get<std::uint64_t>();
            wall_before = resumed.at("wall_s").get<double>();
            returns = resumed.at("returns").get<std::vector<double>>();
        } catch (const std::exception& e) {
            throw PolicyFileError(rq.resume->string() + ": header /training: " + e.what());
        }
    }

    std::unique_ptr<TrainingCurve> curve;
    if (rq.db) {
        curve = std::make_unique<TrainingCurve>(*rq.db, rq.algo, rq.scenario_name);
        if (rq.resume) curve->forget_after(pool.env_steps());
    }
    const auto started = clock::now();
    auto wall = [&] { return wall_before + std::chrono::duration<double>(clock::now() - started).count(); };
    auto state = [&] {
        return nlohmann::json{{"pool", pool.state()},         {"next_eval", next_eval},
                              {"next_checkpoint", next_ckpt}, {"wall_s", wall()},
                              {"returns", returns},           {"scenario", rq.scenario_name},
                              {"options", rq.options},        {"seed", rq.seed}};
    };

    TrainResult result;
    cli::ProgressBar bar("train " + rq.algo);
    IterationStats stats;
    double best_reward = std::numeric_limits<double>::quiet_NaN();
    auto evaluate_now = [&] {
        CurvePoint p;
        p.step = pool.env_steps();
        const Evaluation e = evaluate(*learner, scenario, config, rq.eval_seeds);
        p.wall_s = wall();
        if (!returns.empty())
            p.train_reward = std::accumulate(returns.begin(), returns.end(), 0.0) / returns.size();
        returns.clear();
        p.eval_reward = e.reward;
        p.eval_cost = e.cost;
        p.eval_delivered_pct = e.delivered_pct;
        p.losses = stats;
        if (curve) curve->add(p);
        if (std::isnan(result.first_eval_reward)) result.first_eval_reward = e.reward;
        // The best evaluated policy so far (the evaluation seeds, not held-out ones), beside OUT.
        if (!(e.reward <= best_reward)) {
            best_reward = e.reward;
            learner->save(rq.out.string() + ".best",
                          {{"scenario", rq.scenario_name},
                           {"steps", p.step},
                           {"options", rq.options},
                           {"eval_reward", e.reward},
                           {"eval_cost", e.cost}},
                          false);
        }
        result.last_eval_reward = e.reward;
        if (!rq.quiet) {
            bar.finish();
            std::printf(
                "step %10llu  %7.1fs  train %12.4g  eval reward %12.4g  cost %12.6g  delivered %6.2f%%\n",
                static_cast<unsigned long long>(p.step), p.wall_s, p.train_reward, e.reward, e.cost,
                e.delivered_pct);
            std::fflush(stdout);
        }
    };

    while (pool.env_steps() < rq.steps) {
        if (pool.env_steps() >= next_eval) {
            evaluate_now();
            next_eval += eval_every;
        }
        if (stop.load()) {
            result.interrupted = true;
            break;
        }
        stats = learner->iterate(pool);
        for (double r : pool.take_finished_returns()) returns.push_back(r);
        if (pool.env_steps() >= next_ckpt) {
            while (next_ckpt <= pool.env_steps()) next_ckpt += ckpt_every;
            learner->save(ckpt, state(), true);
        }
        if (rq.progress)
            bar.update(static_cast<double>(pool.env_steps()) / static_cast<double>(rq.steps),
                       "step " + std::to_string(pool.env_steps()));
    }
    bar.finish();
    if (result.interrupted) {
        learner->save(ckpt, state(), true);
    } else {
        evaluate_now();
        learner->save(ckpt, state(), true);
        learner->save(rq.out,
                      {{"scenario", rq.scenario_name}, {"steps", pool.env_steps()}, {"options", rq.options}},
                      false);
    }
    result.steps = pool.env_steps();
    result.wall_s = wall();
    return result;
}

}  // namespace evtwin::rl
