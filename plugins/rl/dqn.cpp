// DQN with factorised heads (one head of `levels` rate levels per action entry on a shared trunk),
// a replay buffer, a target network, double-DQN targets (online argmax, target value; the heads'
// values averaged into one target) and a linear epsilon schedule over environment steps.
#include "plugins/rl/dqn_policy.hpp"
#include "plugins/rl/learner.hpp"
#include "plugins/rl/replay_buffer.hpp"

namespace evtwin::rl {
namespace {

using namespace torch_common;

const std::vector<std::string> kDqnKeys = {
    "n_steps",       "levels",          "buffer",        "batch",        "lr",      "gamma",
    "target_update", "learning_starts", "train_every",   "eps_start",    "eps_end", "eps_decay_steps",
    "hidden",        "layers",          "max_grad_norm", "reward_scale", "threads"};

const Options& checked_dqn_options(const Options& options) {
    check_option_keys(options, kDqnKeys);
    return options;
}

// Trains a DqnPolicy in place: its online network against a target network from a replay buffer,
// its normaliser at every step.
class Dqn final : public Learner {
public:
    Dqn(const ObsLayout& layout, const Options& options, std::uint64_t seed)
        : policy_(layout, checked_dqn_options(options), seed),
          options_(options),
          seed_(seed),
          buffer_(static_cast<std::size_t>(whole_option(options, "buffer", 20000, 1, 10'000'000)),
                  layout.observation_size(), layout.action_size()) {
        n_steps_ = whole_option(options, "n_steps", 64, 1, 1'000'000);
        batch_ = whole_option(options, "batch", 64, 1, 1'000'000);
        lr_ = number_option(options, "lr", 5e-4, 0.0, 1.0);
        gamma_ = number_option(options, "gamma", 0.99, 0.0, 1.0);
        target_update_ = whole_option(options, "target_update", 1000, 1, kMostSteps);
        learning_starts_ = whole_option(options, "learning_starts", 2000, 0, kMostSteps);
        train_every_ = whole_option(options, "train_every", 1, 1, 1'000'000);
        eps_start_ = number_option(options, "eps_start", 1.0, 0.0, 1.0);
        eps_end_ = number_option(options, "eps_end", 0.05, 0.0, 1.0);
        eps_decay_ = whole_option(options, "eps_decay_steps", 50000, 1, kMostSteps);
        max_grad_norm_ = number_option(options, "max_grad_norm", 10.0, 0.0, 1e6);
        reward_scale_ = number_option(options, "reward_scale", 0.0, 0.0, kLargestNumber);
        target_ = policy_.new_network();
        copy_to_target();
        optimizer_ =
            std::make_unique<torch::optim::Adam>(policy_.net()->parameters(), torch::optim::AdamOptions(lr_));
    }

    Policy& policy() override { return policy_; }
    const Policy& policy() const override { return policy_; }

    double epsilon(std::uint64_t env_steps) const {
        const double f = std::min(1.0, static_cast<double>(env_steps) / static_cast<double>(eps_decay_));
        return eps_start_ + f * (eps_end_ - eps_start_);
    }

    IterationStats iterate(EnvPool& pool) override {
        torch::manual_seed(seed_ * 1'000'003ULL + iteration_);
        const std::size_t n = pool.size(), d = pool.observation_size(), a = pool.action_size();
        std::vector<float> before(n * d), x(n * d), actions(n * a);
        std::vector<std::uint8_t> levels(n * a);
        double loss_sum = 0.0;
        int losses = 0;
        for (long t = 0; t < n_steps_; ++t) {
            const std::span<const float> o = pool.observations();
            std::copy(o.begin(), o.end(), before.begin());
            policy_.normaliser().update(o);
            policy_.normaliser().apply(o, x);
            const double eps = epsilon(pool.env_steps());
            {
                torch::NoGradGuard no_grad;
                const torch::Tensor greedy =
                    policy_.net()
                        ->forward(torch::from_blob(
                            x.data(), {static_cast<std::int64_t>(n), static_cast<std::int64_t>(d)}))
                        .argmax(2)
                        .contiguous();
                const torch::Tensor coin = torch::rand({static_cast<std::int64_t>(n)});
                const torch::Tensor random = torch::randint(
                    policy_.levels(), {static_cast<std::int64_t>(n), static_cast<std::int64_t>(a)},
                    torch::kLong);
                const std::int64_t* g = greedy.data_ptr<std::int64_t>();
                const std::int64_t* r = random.data_ptr<std::int64_t>();
                const float* c = coin.data_ptr<float>();
                for (std::size_t i = 0; i < n; ++i)
                    for (std::size_t k = 0; k < a; ++k) {
                        const std::size_t j = i * a + k;
                        levels[j] = static_cast<std::uint8_t>(c[i] < eps ? r[j] : g[j]);
                        actions[j] =
                            to_env_action(policy_.level_value(levels[j]), policy_.layout().action_low[k]);
                    }
            }
            pool.step(actions);
            const std::span<const float> next = pool.observations();
            for (std::size_t i = 0; i < n; ++i) {
                if (!(reward_scale_ > 0.0)) warmup_rewards_.push_back(pool.rewards()[i]);
                buffer_.add(std::span<const float>(before).subspan(i * d, d),
                            std::span<const std::uint8_t>(levels).subspan(i * a, a), pool.rewards()[i],
                            next.subspan(i * d, d), pool.dones()[i] != 0);
            }
            if (buffer_.size() < static_cast<std::size_t>(learning_starts_)) continue;
            if (!(reward_scale_ > 0.0)) fix_reward_scale();
            if (++env_iterations_ % static_cast<std::uint64_t>(train_every_) != 0) continue;
            loss_sum += gradient_step();
            ++losses;
        }
        ++iteration_;
        IterationStats s;
        if (losses > 0) s.value_loss = loss_sum / losses;
        s.epsilon = epsilon(pool.env_steps());
        return s;
    }

    void save(const std::filesystem::path& file, const nlohmann::json& extra, bool training) const override {
        torch::serialize::OutputArchive archive;
        policy_.net()->save(archive);
        torch::serialize::OutputArchive target;
        target_->save(target);
        archive.write("target", target);
        torch::serialize::OutputArchive opt;
        optimizer_->save(opt);
        archive.write("optimizer", opt);
        PolicyFile pf;
        pf.header = {{"algo", "dqn"},
                     {"layout", layout_to_json(policy_.layout())},
                     {"options", options_},
                     {"seed", seed_},
                     {"iteration", iteration_},
                     {"reward_scale", reward_scale_},
                     {"grad_steps", grad_steps_},
                     {"env_iterations", env_iterations_},
                     {"warmup_rewards", warmup_rewards_},
                     {"normaliser", policy_.normaliser().to_json()}};
        if (training) {
            auto& b = const_cast<ReplayBuffer&>(buffer_);
            const auto cap = static_cast<std::int64_t>(b.capacity());
            const auto d = static_cast<std::int64_t>(b.obs_size());
            const auto a = static_cast<std::int64_t>(b.action_size());
            archive.write("replay_obs", torch::from_blob(b.obs_data().data(), {cap, d}).clone(), true);
            archive.write("replay_next", torch::from_blob(b.next_data().data(), {cap, d}).clone(), true);
            archive.write("replay_levels",
                          torch::from_blob(b.level_data().data(), {cap, a}, torch::kUInt8).clone(), true);
            archive.write("replay_rewards", torch::from_blob(b.reward_data().data(), {cap}).clone(), true);
            archive.write("replay_dones",
                          torch::from_blob(b.done_data().data(), {cap}, torch::kUInt8).clone(), true);
            pf.header["replay"] = {
                {"size", b.size()}, {"position", b.position()}, {"capacity", b.capacity()}};
        }
        if (!extra.is_null()) pf.header["training"] = extra;
        pf.archive = to_bytes(archive);
        write_policy_file(file, pf);
    }

    void load(const std::filesystem::path& file, const nlohmann::json& header, const std::string& bytes,
              bool training) {
        reward_scale_ = header_field<double>(header, "reward_scale", "a number", file);
        torch::serialize::InputArchive archive = policy_.load(file, header, bytes);
        if (!training) {
            copy_to_target();
            return;
        }
        try {
            iteration_ = header_field<std::uint64_t>(header, "iteration", "a non-negative integer", file);
            grad_steps_ = header_field<std::uint64_t>(header, "grad_steps", "a non-negative integer", file);
            env_iterations_ =
                header_field<std::uint64_t>(header, "env_iterations", "a non-negative integer", file);
            warmup_rewards_ =
                header_field<std::vector<float>>(header, "warmup_rewards", "an array of numbers", file);
            torch::serialize::InputArchive target, opt;
            archive.read("target", target);
            target_->load(target);
            archive.read("optimizer", opt);
            optimizer_->load(opt);
            if (header.contains("replay")) {
                const auto size = header["replay"].at("size").get<std::size_t>();
                const auto pos = header["replay"].at("position").get<std::size_t>();
                if (header["replay"].at("capacity").get<std::size_t>() != buffer_.capacity())
                    throw PolicyFileError(file.string() +
                                          ": header /replay/capacity differs from option buffer");
                restore_array(archive, "replay_obs", buffer_.obs_data());
                restore_array(archive, "replay_next", buffer_.next_data());
                restore_array(archive, "replay_levels", buffer_.level_data());
                restore_array(archive, "replay_rewards", buffer_.reward_data());
                restore_array(archive, "replay_dones", buffer_.done_data());
                buffer_.set_cursor(size, pos);
            }
        } catch (const PolicyFileError&) {
            throw;
        } catch (const std::exception& e) {
            throw PolicyFileError(file.string() +
                                  ": the network does not match the header's layout and sizes (" +
                                  first_line(e) + ")");
        }
    }

private:
    template <class T>
    static void restore_array(torch::serialize::InputArchive& archive, const char* key, std::vector<T>& out) {
        torch::Tensor t;
        archive.read(key, t, true);
        t = t.contiguous();
        if (static_cast<std::size_t>(t.numel()) != out.size() || t.element_size() != sizeof(T))
            throw std::invalid_argument(std::string(key) + " of the wrong size");
        std::memcpy(out.data(), t.data_ptr(), out.size() * sizeof(T));
    }

    void copy_to_target() {
        torch::NoGradGuard no_grad;
        const auto src = policy_.net()->parameters();
        auto dst = target_->parameters();
        for (std::size_t i = 0; i < src.size(); ++i) dst[i].copy_(src[i]);
    }

    void fix_reward_scale() {
        double mean = 0.0, sq = 0.0;
        for (float r : warmup_rewards_) mean += r;
        mean /= std::max<std::size_t>(1, warmup_rewards_.size());
        for (float r : warmup_rewards_) sq += (r - mean) * (r - mean);
        const double sd = std::sqrt(sq / std::max<std::size_t>(1, warmup_rewards_.size()));
        reward_scale_ = sd > 1e-12 ? 1.0 / sd : 1.0;
        warmup_rewards_.clear();
    }

    double gradient_step() {
        const std::size_t d = buffer_.obs_size(), a = buffer_.action_size();
        const auto b = static_cast<std::int64_t>(batch_);
        const torch::Tensor idx =
            torch::randint(static_cast<std::int64_t>(buffer_.size()), {b}, torch::kLong);
        const std::int64_t* ip = idx.data_ptr<std::int64_t>();
        torch::Tensor obs = torch::empty({b, static_cast<std::int64_t>(d)});
        torch::Tensor next = torch::empty({b, static_cast<std::int64_t>(d)});
        torch::Tensor lv = torch::empty({b, static_cast<std::int64_t>(a)}, torch::kLong);
        torch::Tensor rew = torch::empty({b});
        torch::Tensor keep = torch::empty({b});
        float* op = obs.data_ptr<float>();
        float* np = next.data_ptr<float>();
        std::int64_t* lp = lv.data_ptr<std::int64_t>();
        for (std::int64_t j = 0; j < b; ++j) {
            const auto i = static_cast<std::size_t>(ip[j]);
            policy_.normaliser().apply(buffer_.obs(i), {op + j * d, d});
            policy_.normaliser().apply(buffer_.next_obs(i), {np + j * d, d});
            for (std::size_t k = 0; k < a; ++k) lp[j * a + k] = buffer_.levels(i)[k];
            rew[j] = buffer_.reward(i) * static_cast<float>(reward_scale_);
            keep[j] = buffer_.done(i) ? 0.0f : 1.0f;
        }
        torch::Tensor y;
        {
            torch::NoGradGuard no_grad;
            const torch::Tensor best = policy_.net()->forward(next).argmax(2, true);
            const torch::Tensor next_q = target_->forward(next).gather(2, best).squeeze(2).mean(1);
            y = (rew + gamma_ * keep * next_q).unsqueeze(1).expand({b, static_cast<std::int64_t>(a)});
        }
        const torch::Tensor q = policy_.net()->forward(obs).gather(2, lv.unsqueeze(2)).squeeze(2);
        const torch::Tensor loss = torch::smooth_l1_loss(q, y);
        optimizer_->zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(policy_.net()->parameters(), max_grad_norm_);
        optimizer_->step();
        if (++grad_steps_ % static_cast<std::uint64_t>(std::max(1L, target_update_)) == 0) copy_to_target();
        return loss.item<double>();
    }

    DqnPolicy policy_;
    Options options_;
    std::uint64_t seed_;
    ReplayBuffer buffer_;
    QNet target_{nullptr};
    std::unique_ptr<torch::optim::Adam> optimizer_;
    long n_steps_, batch_, target_update_, learning_starts_, train_every_, eps_decay_;
    double lr_, gamma_, eps_start_, eps_end_, max_grad_norm_;
    double reward_scale_ = 0.0;
    std::vector<float> warmup_rewards_;
    std::uint64_t iteration_ = 0, grad_steps_ = 0, env_iterations_ = 0;
};

}  // namespace

std::unique_ptr<Learner> make_dqn(const ObsLayout& layout, const Options& options, std::uint64_t seed) {
    return std::make_unique<Dqn>(layout, options, seed);
}

std::unique_ptr<Learner> load_dqn(const std::filesystem::path& file, const nlohmann::json& header,
                                  const std::string& archive, bool training, const Options& options) {
    auto learner = torch_common::built_from_header<Dqn>(file, header, options);
    learner->load(file, header, archive, training);
    return learner;
}

}  // namespace evtwin::rl
