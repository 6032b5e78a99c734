#include "plugins/rl/ppo_policy.hpp"

namespace evtwin::rl {

using namespace torch_common;

ActorCriticImpl::ActorCriticImpl(const ObsLayout& layout, bool shared,
                                 const std::vector<std::int64_t>& hidden, double log_std_init)
    : connectors(static_cast<std::int64_t>(layout.connectors())) {
    const auto obs = static_cast<std::int64_t>(layout.observation_size());
    const auto act = static_cast<std::int64_t>(layout.action_size());
    if (shared) {
        const std::int64_t site = obs - connectors * kOwn;
        per_connector = register_module("per_connector", mlp(site + kOwn, hidden, 1, 0.01, false));
        site_actor = register_module("site_actor", mlp(obs, hidden, act - connectors, 0.01, false));
    } else {
        actor = register_module("actor", mlp(obs, hidden, act, 0.01, false));
    }
    critic = register_module("critic", mlp(obs, hidden, 1, 1.0, false));
    log_std = register_parameter("log_std", torch::full({act}, log_std_init));
}

torch::Tensor ActorCriticImpl::mean(const torch::Tensor& x) {
    if (actor) return actor->forward(x);
    const std::int64_t n = x.size(0), from = ObsLayout::time_features, to = from + connectors * kOwn;
    const torch::Tensor site = torch::cat({x.slice(1, 0, from), x.slice(1, to)}, 1);
    const torch::Tensor own = x.slice(1, from, to).reshape({n, connectors, kOwn});
    const torch::Tensor input = torch::cat({site.unsqueeze(1).expand({n, connectors, site.size(1)}), own}, 2);
    return torch::cat({per_connector->forward(input).squeeze(-1), site_actor->forward(x)}, 1);
}

PpoPolicy::PpoPolicy(const ObsLayout& layout, const Options& options, std::uint64_t seed)
    : layout_(layout), norm_(layout.observation_size()) {
    const bool shared = choice_option(options, "actor", "joint", {"joint", "shared"}) == "shared";
    set_threads(options);
    torch::manual_seed(seed);
    net_ = ActorCritic(layout, shared, hidden_sizes(options, 64),
                       number_option(options, "log_std_init", -0.5, -20.0, 20.0));
}

void PpoPolicy::act(std::span<const float> obs, std::span<float> action) {
    torch::NoGradGuard no_grad;
    const std::int64_t d = static_cast<std::int64_t>(layout_.observation_size());
    if (obs.size() != static_cast<std::size_t>(d) || action.size() != layout_.action_size())
        throw std::invalid_argument("ppo: observation or action of the wrong size");
    std::vector<float> x(obs.size());
    norm_.apply(obs, x);
    const torch::Tensor mean = net_->mean(torch::from_blob(x.data(), {1, d}));
    const float* m = mean.data_ptr<float>();
    for (std::size_t k = 0; k < action.size(); ++k) action[k] = to_env_action(m[k], layout_.action_low[k]);
}

torch::serialize::InputArchive PpoPolicy::load(const std::filesystem::path& file,
                                               const nlohmann::json& header, const std::string& bytes) {
    return read_policy(file, header, bytes, layout_.observation_size(), norm_, net_);
}

std::unique_ptr<Policy> load_ppo_policy(const std::filesystem::path& file, const PolicyFile& content) {
    auto policy = built_from_header<PpoPolicy>(file, content.header, {});
    policy->load(file, content.header, content.archive);
    return policy;
}

}  // namespace evtwin::rl
