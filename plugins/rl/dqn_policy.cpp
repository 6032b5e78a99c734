#include "plugins/rl/dqn_policy.hpp"

namespace evtwin::rl {

using namespace torch_common;

QNetImpl::QNetImpl(std::int64_t obs, std::int64_t act, std::int64_t levels,
                   const std::vector<std::int64_t>& hidden)
    : act_(act), levels_(levels) {
    body = register_module("body", mlp(obs, hidden, act * levels, 1.0, true));
}

torch::Tensor QNetImpl::forward(const torch::Tensor& x) {
    return body->forward(x).view({-1, act_, levels_});
}

DqnPolicy::DqnPolicy(const ObsLayout& layout, const Options& options, std::uint64_t seed)
    : layout_(layout),
      levels_(whole_option(options, "levels", 3, 2, 255)),
      hidden_(hidden_sizes(options, 128)),
      norm_(layout.observation_size()) {
    set_threads(options);
    torch::manual_seed(seed);
    online_ = new_network();
}

QNet DqnPolicy::new_network() const {
    return QNet(static_cast<std::int64_t>(layout_.observation_size()),
                static_cast<std::int64_t>(layout_.action_size()), levels_, hidden_);
}

void DqnPolicy::act(std::span<const float> obs, std::span<float> action) {
    torch::NoGradGuard no_grad;
    const auto d = static_cast<std::int64_t>(layout_.observation_size());
    if (obs.size() != static_cast<std::size_t>(d) || action.size() != layout_.action_size())
        throw std::invalid_argument("dqn: observation or action of the wrong size");
    std::vector<float> x(obs.size());
    norm_.apply(obs, x);
    const torch::Tensor best = online_->forward(torch::from_blob(x.data(), {1, d})).argmax(2).contiguous();
    const std::int64_t* b = best.data_ptr<std::int64_t>();
    for (std::size_t k = 0; k < action.size(); ++k)
        action[k] = to_env_action(level_value(static_cast<std::uint8_t>(b[k])), layout_.action_low[k]);
}

torch::serialize::InputArchive DqnPolicy::load(const std::filesystem::path& file,
                                               const nlohmann::json& header, const std::string& bytes) {
    return read_policy(file, header, bytes, layout_.observation_size(), norm_, online_);
}

std::unique_ptr<Policy> load_dqn_policy(const std::filesystem::path& file, const PolicyFile& content) {
    auto policy = built_from_header<DqnPolicy>(file, content.header, {});
    policy->load(file, content.header, content.archive);
    return policy;
}

}  // namespace evtwin::rl
