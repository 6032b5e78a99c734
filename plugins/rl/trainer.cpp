#include "plugins/rl/trainer.hpp"

#include "plugins/rl/evaluate.hpp"
#include "plugins/rl/policy_file.hpp"
#include "plugins/rl/training_curve.hpp"

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

// The environments, their configuration and the learner a run trains: from --resume or --init when
// given (the environment then shows the file's network what it learned on), else new.
struct TrainingSetup {
    EnvConfig config;
    std::unique_ptr<EnvPool> pool;
    std::unique_ptr<Learner> learner;
    nlohmann::json resumed;  // the checkpoint's training state, with --resume
};

TrainingSetup set_up(const Scenario& scenario, const TrainRequest& rq) {
    if (rq.steps == 0) throw std::invalid_argument("--steps must be positive");
    EnvConfig training_defaults;
    training_defaults.site_cap = true;  // the default for training (docs/rl.md): it wins on quickstart
    Options learner_options = rq.options;
    TrainingSetup s;
    s.config = env_config_with(env_config_of(scenario, training_defaults), learner_options);
    LoadedLearner loaded = learner_from_file(rq, learner_options);
    s.learner = std::move(loaded.learner);
    s.resumed = std::move(loaded.training);
    if (s.learner) take_observation_settings(s.config, s.learner->policy().layout());
    s.pool = std::make_unique<EnvPool>(rq.envs, scenario, s.config, training_base_seed(rq.seed));
    if (s.learner)
        check_fits(s.pool->layout(), rq, s.learner->policy().layout());
    else
        s.learner = make_learner(rq.algo, s.pool->layout(), learner_options, rq.seed);
    return s;
}

// One training run: iterations of the learner, evaluations and checkpoints on their schedules, the
// learning curve, and the policy files.
class TrainingRun {
public:
    TrainingRun(const Scenario& scenario, const TrainRequest& rq)
        : scenario_(scenario),
          rq_(rq),
          setup_(set_up(scenario, rq)),
          pool_(*setup_.pool),
          learner_(*setup_.learner),
          eval_every_(rq.eval_every ? rq.eval_every : std::max<std::uint64_t>(1, rq.steps / 10)),
          checkpoint_every_(rq.checkpoint_every ? rq.checkpoint_every : eval_every_),
          checkpoint_(rq.checkpoint.empty() ? std::filesystem::path(rq.out.string() + ".ckpt")
                                            : rq.checkpoint),
          next_checkpoint_(checkpoint_every_),
          bar_("train " + rq.algo) {
        if (rq.resume) restore(*rq.resume);
        if (rq.db) {
            curve_ = std::make_unique<TrainingCurve>(*rq.db, rq.algo, rq.scenario_name);
            if (rq.resume) curve_->forget_after(pool_.env_steps());
        }
    }

    TrainResult run(const std::atomic<bool>& stop) {
        while (pool_.env_steps() < rq_.steps) {
            if (pool_.env_steps() >= next_eval_) {
                evaluate_now();
                next_eval_ += eval_every_;
            }
            if (stop.load()) {
                result_.interrupted = true;
                break;
            }
            stats_ = learner_.iterate(pool_);
            for (double r : pool_.take_finished_returns()) returns_.push_back(r);
            if (pool_.env_steps() >= next_checkpoint_) {
                while (next_checkpoint_ <= pool_.env_steps()) next_checkpoint_ += checkpoint_every_;
                learner_.save(checkpoint_, state(), true);
            }
            if (rq_.progress)
                bar_.update(static_cast<double>(pool_.env_steps()) / static_cast<double>(rq_.steps),
                            "step " + std::to_string(pool_.env_steps()));
        }
        bar_.finish();
        if (!result_.interrupted) evaluate_now();
        learner_.save(checkpoint_, state(), true);
        if (!result_.interrupted)
            learner_.save(
                rq_.out,
                {{"scenario", rq_.scenario_name}, {"steps", pool_.env_steps()}, {"options", rq_.options}},
                false);
        result_.steps = pool_.env_steps();
        result_.wall_s = wall_s();
        return result_;
    }

private:
    using Clock = std::chrono::steady_clock;

    // The schedule, the clock and the returns where the checkpoint left them.
    void restore(const std::filesystem::path& file) {
        const nlohmann::json& resumed = setup_.resumed;
        try {
            pool_.restore(resumed.at("pool"));
            next_eval_ = resumed.at("next_eval").get<std::uint64_t>();
            next_checkpoint_ = resumed.at("next_checkpoint").get<std::uint64_t>();
            wall_before_ = resumed.at("wall_s").get<double>();
            returns_ = resumed.at("returns").get<std::vector<double>>();
        } catch (const std::exception& e) {
            throw PolicyFileError(file.string() + ": header /training: " + e.what());
        }
    }

    double wall_s() const {
        return wall_before_ + std::chrono::duration<double>(Clock::now() - started_).count();
    }

    // A checkpoint's training state: enough to go on exactly where it was written.
    nlohmann::json state() const {
        return nlohmann::json{
            {"pool", pool_.state()},  {"next_eval", next_eval_}, {"next_checkpoint", next_checkpoint_},
            {"wall_s", wall_s()},     {"returns", returns_},     {"scenario", rq_.scenario_name},
            {"options", rq_.options}, {"seed", rq_.seed}};
    }

    // Evaluates the deterministic policy on the evaluation seeds: a point of the curve, a line on the
    // terminal, and the best policy so far (on those seeds, not held-out ones) beside OUT.
    void evaluate_now() {
        CurvePoint p;
        p.step = pool_.env_steps();
        const Evaluation e = evaluate(learner_.policy(), scenario_, setup_.config, rq_.eval_seeds);
        p.wall_s = wall_s();
        if (!returns_.empty())
            p.train_reward = std::accumulate(returns_.begin(), returns_.end(), 0.0) / returns_.size();
        returns_.clear();
        p.eval_reward = e.reward;
        p.eval_cost = e.cost;
        p.eval_delivered_pct = e.delivered_pct;
        p.losses = stats_;
        if (curve_) curve_->add(p);
        if (std::isnan(result_.first_eval_reward)) result_.first_eval_reward = e.reward;
        if (!(e.reward <= best_reward_)) {
            best_reward_ = e.reward;
            learner_.save(rq_.out.string() + ".best",
                          {{"scenario", rq_.scenario_name},
                           {"steps", p.step},
                           {"options", rq_.options},
                           {"eval_reward", e.reward},
                           {"eval_cost", e.cost}},
                          false);
        }
        result_.last_eval_reward = e.reward;
        if (rq_.quiet) return;
        bar_.finish();
        std::printf("step %10llu  %7.1fs  train %12.4g  eval reward %12.4g  cost %12.6g  delivered %6.2f%%\n",
                    static_cast<unsigned long long>(p.step), p.wall_s, p.train_reward, e.reward, e.cost,
                    e.delivered_pct);
        std::fflush(stdout);
    }

    const Scenario& scenario_;
    const TrainRequest& rq_;
    TrainingSetup setup_;
    EnvPool& pool_;
    Learner& learner_;
    const std::uint64_t eval_every_, checkpoint_every_;
    const std::filesystem::path checkpoint_;
    std::uint64_t next_eval_ = 0, next_checkpoint_;
    double wall_before_ = 0.0;  // of the runs before a --resume
    const Clock::time_point started_ = Clock::now();
    std::vector<double> returns_;  // of the episodes finished since the last evaluation
    std::unique_ptr<TrainingCurve> curve_;
    cli::ProgressBar bar_;
    IterationStats stats_;
    double best_reward_ = std::numeric_limits<double>::quiet_NaN();
    TrainResult result_;
};

}  // namespace

TrainResult train(const Scenario& scenario, const TrainRequest& rq, const std::atomic<bool>& stop) {
    return TrainingRun(scenario, rq).run(stop);
}

}  // namespace evtwin::rl
