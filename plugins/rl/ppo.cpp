// PPO (clipped surrogate, GAE(lambda), value loss, entropy bonus, minibatch epochs, gradient
// clipping) with a Gaussian policy whose samples are clipped to [-1, 1] and mapped onto each action
// entry's range. Observations are normalised by a running normaliser, frozen during a rollout and
// updated after it; rewards are multiplied by a scale fixed from the first rollout's spread.
#include "plugins/rl/learner.hpp"
#include "plugins/rl/ppo_policy.hpp"

#include <cmath>
#include <numbers>

namespace evtwin::rl {
namespace {

using namespace torch_common;

const std::vector<std::string> kPpoKeys = {
    "n_steps",  "epochs",        "minibatch", "lr",     "gamma",        "lambda",       "clip",    "vf_coef",
    "ent_coef", "max_grad_norm", "hidden",    "layers", "log_std_init", "reward_scale", "threads", "actor"};

torch::Tensor gaussian_log_prob(const torch::Tensor& u, const torch::Tensor& mean,
                                const torch::Tensor& log_std) {
    const double half_log_2pi = 0.5 * std::log(2.0 * std::numbers::pi);
    return (-0.5 * ((u - mean) / log_std.exp()).pow(2) - log_std - half_log_2pi).sum(-1);
}

const Options& checked_ppo_options(const Options& options) {
    check_option_keys(options, kPpoKeys);
    return options;
}

// Trains a PpoPolicy in place: its networks by the optimiser, its normaliser after each rollout.
class Ppo final : public Learner {
public:
    Ppo(const ObsLayout& layout, const Options& options, std::uint64_t seed)
        : policy_(layout, checked_ppo_options(options), seed), options_(options), seed_(seed) {
        n_steps_ = whole_option(options, "n_steps", 256, 1, 1'000'000);
        epochs_ = whole_option(options, "epochs", 4, 1, 1000);
        minibatch_ = whole_option(options, "minibatch", 256, 1, 1'000'000);
        lr_ = number_option(options, "lr", 3e-4, 0.0, 1.0);
        gamma_ = number_option(options, "gamma", 0.99, 0.0, 1.0);
        lambda_ = number_option(options, "lambda", 0.95, 0.0, 1.0);
        clip_ = number_option(options, "clip", 0.2, 0.0, 10.0);
        vf_coef_ = number_option(options, "vf_coef", 0.5, 0.0, 1e6);
        ent_coef_ = number_option(options, "ent_coef", 0.0, 0.0, 1e6);
        max_grad_norm_ = number_option(options, "max_grad_norm", 0.5, 0.0, 1e6);
        reward_scale_ = number_option(options, "reward_scale", 0.0, 0.0, kLargestNumber);
        optimizer_ = std::make_unique<torch::optim::Adam>(policy_.net()->parameters(),
                                                          torch::optim::AdamOptions(lr_).eps(1e-5));
    }

    Policy& policy() override { return policy_; }
    const Policy& policy() const override { return policy_; }

    IterationStats iterate(EnvPool& pool) override {
        torch::manual_seed(seed_ * 1'000'003ULL + iteration_);
        ActorCritic& net = policy_.net();
        Normaliser& norm = policy_.normaliser();
        const std::int64_t n = static_cast<std::int64_t>(pool.size());
        const std::int64_t d = static_cast<std::int64_t>(pool.observation_size());
        const std::int64_t a = static_cast<std::int64_t>(pool.action_size());
        const std::int64_t t_max = n_steps_;
        torch::Tensor obs = torch::empty({t_max, n, d});
        torch::Tensor us = torch::empty({t_max, n, a});
        torch::Tensor logps = torch::empty({t_max, n});
        torch::Tensor values = torch::empty({t_max + 1, n});
        torch::Tensor rewards = torch::empty({t_max, n});
        torch::Tensor dones = torch::empty({t_max, n});
        std::vector<float> raw(static_cast<std::size_t>(t_max * n * d));
        std::vector<float> actions(static_cast<std::size_t>(n * a));
        const std::span<const float> low = policy_.layout().action_low;
        {
            torch::NoGradGuard no_grad;
            for (std::int64_t t = 0; t < t_max; ++t) {
                const std::span<const float> o = pool.observations();
                std::copy(o.begin(), o.end(), raw.begin() + t * n * d);
                torch::Tensor x = obs[t];
                norm.apply(o, std::span<float>(x.data_ptr<float>(), static_cast<std::size_t>(n * d)));
                const torch::Tensor mean = net->mean(x);
                const torch::Tensor u = mean + net->log_std.exp() * torch::randn_like(mean);
                us[t] = u;
                logps[t] = gaussian_log_prob(u, mean, net->log_std);
                values[t] = net->critic->forward(x).squeeze(-1);
                const float* up = us[t].data_ptr<float>();
                for (std::int64_t k = 0; k < n * a; ++k) actions[k] = to_env_action(up[k], low[k % a]);
                pool.step(actions);
                for (std::int64_t i = 0; i < n; ++i) {
                    rewards[t][i] = pool.rewards()[i];
                    dones[t][i] = static_cast<float>(pool.dones()[i]);
                }
            }
            std::vector<float> last(static_cast<std::size_t>(n * d));
            norm.apply(pool.observations(), last);
            values[t_max] = net->critic->forward(torch::from_blob(last.data(), {n, d})).squeeze(-1);
        }
        if (!(reward_scale_ > 0.0)) {
            const double sd = rewards.std().item<double>();
            reward_scale_ = sd > 1e-12 ? 1.0 / sd : 1.0;
        }
        rewards *= reward_scale_;

        torch::Tensor adv = torch::zeros({t_max, n});
        torch::Tensor next = torch::zeros({n});
        for (std::int64_t t = t_max - 1; t >= 0; --t) {
            const torch::Tensor keep = 1.0 - dones[t];
            const torch::Tensor delta = rewards[t] + gamma_ * keep * values[t + 1] - values[t];
            next = delta + gamma_ * lambda_ * keep * next;
            adv[t] = next;
        }
        const torch::Tensor returns = (adv + values.slice(0, 0, t_max)).reshape({-1});
        const torch::Tensor flat_obs = obs.reshape({-1, d});
        const torch::Tensor flat_u = us.reshape({-1, a});
        const torch::Tensor flat_logp = logps.reshape({-1});
        const torch::Tensor flat_adv = adv.reshape({-1});
        const std::int64_t batch = t_max * n;

        IterationStats stats;
        double pl = 0.0, vl = 0.0;
        int updates = 0;
        for (long epoch = 0; epoch < epochs_; ++epoch) {
            const torch::Tensor perm = torch::randperm(batch, torch::kLong);
            for (std::int64_t start = 0; start < batch; start += minibatch_) {
                const torch::Tensor idx = perm.slice(0, start, std::min(batch, start + minibatch_));
                const torch::Tensor x = flat_obs.index_select(0, idx);
                torch::Tensor mb_adv = flat_adv.index_select(0, idx);
                if (mb_adv.size(0) > 1) mb_adv = (mb_adv - mb_adv.mean()) / (mb_adv.std() + 1e-8);
                const torch::Tensor logp =
                    gaussian_log_prob(flat_u.index_select(0, idx), net->mean(x), net->log_std);
                const torch::Tensor ratio = (logp - flat_logp.index_select(0, idx)).exp();
                const torch::Tensor surrogate =
                    -torch::min(ratio * mb_adv, ratio.clamp(1.0 - clip_, 1.0 + clip_) * mb_adv).mean();
                const torch::Tensor v = net->critic->forward(x).squeeze(-1);
                const torch::Tensor value_loss = 0.5 * (v - returns.index_select(0, idx)).pow(2).mean();
                const torch::Tensor entropy =
                    (net->log_std + 0.5 + 0.5 * std::log(2.0 * std::numbers::pi)).sum();
                const torch::Tensor loss = surrogate + vf_coef_ * value_loss - ent_coef_ * entropy;
                optimizer_->zero_grad();
                loss.backward();
                torch::nn::utils::clip_grad_norm_(net->parameters(), max_grad_norm_);
                optimizer_->step();
                pl += surrogate.item<double>();
                vl += value_loss.item<double>();
                ++updates;
            }
        }
        norm.update(raw);
        ++iteration_;
        stats.policy_loss = pl / updates;
        stats.value_loss = vl / updates;
        stats.entropy =
            (net->log_std.detach() + 0.5 + 0.5 * std::log(2.0 * std::numbers::pi)).mean().item<double>();
        return stats;
    }

    void save(const std::filesystem::path& file, const nlohmann::json& extra, bool) const override {
        const ActorCritic& net = policy_.net();
        const Normaliser& norm = policy_.normaliser();
        torch::serialize::OutputArchive archive;
        net->save(archive);
        torch::serialize::OutputArchive opt;
        optimizer_->save(opt);
        archive.write("optimizer", opt);
        PolicyFile pf;
        pf.header = {{"algo", "ppo"},
                     {"layout", layout_to_json(policy_.layout())},
                     {"options", options_},
                     {"seed", seed_},
                     {"iteration", iteration_},
                     {"reward_scale", reward_scale_},
                     {"normaliser", norm.to_json()}};
        if (!extra.is_null()) pf.header["training"] = extra;
        pf.archive = to_bytes(archive);
        write_policy_file(file, pf);
    }

    void load(const std::filesystem::path& file, const nlohmann::json& header, const std::string& bytes,
              bool training) {
        iteration_ = header_field<std::uint64_t>(header, "iteration", "a non-negative integer", file);
        reward_scale_ = header_field<double>(header, "reward_scale", "a number", file);
        torch::serialize::InputArchive archive = policy_.load(file, header, bytes);
        if (!training) {
            iteration_ = 0;
            return;
        }
        try {
            torch::serialize::InputArchive opt;
            if (archive.try_read("optimizer", opt)) optimizer_->load(opt);
        } catch (const std::exception& e) {
            throw PolicyFileError(file.string() +
                                  ": the network does not match the header's layout and sizes (" +
                                  first_line(e) + ")");
        }
    }

private:
    PpoPolicy policy_;
    Options options_;
    std::uint64_t seed_;
    std::unique_ptr<torch::optim::Adam> optimizer_;
    long n_steps_, epochs_, minibatch_;
    double lr_, gamma_, lambda_, clip_, vf_coef_, ent_coef_, max_grad_norm_;
    double reward_scale_ = 0.0;
    std::uint64_t iteration_ = 0;
};

}  // namespace

std::unique_ptr<Learner> make_ppo(const ObsLayout& layout, const Options& options, std::uint64_t seed) {
    return std::make_unique<Ppo>(layout, options, seed);
}

std::unique_ptr<Learner> load_ppo(const std::filesystem::path& file, const nlohmann::json& header,
                                  const std::string& archive, bool training, const Options& options) {
    auto learner = torch_common::built_from_header<Ppo>(file, header, options);
    learner->load(file, header, archive, training);
    return learner;
}

}  // namespace evtwin::rl
