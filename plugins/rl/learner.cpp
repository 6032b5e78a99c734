#include "plugins/rl/learner.hpp"

#include "plugins/rl/policy_file.hpp"

#include <stdexcept>

namespace evtwin::rl {

std::unique_ptr<Learner> make_learner(const std::string& algo, const ObsLayout& layout,
                                      const Options& options, std::uint64_t seed) {
    if (algo == "ppo") return make_ppo(layout, options, seed);
    if (algo == "dqn") return make_dqn(layout, options, seed);
    throw std::invalid_argument("algo '" + algo + "': expected ppo or dqn");
}

LoadedLearner load_learner(const std::filesystem::path& file, const std::string& algo, bool training,
                           const Options& options) {
    const PolicyFile pf = read_policy_file(file);
    LoadedLearner out;
    if (policy_algo(pf, file, algo) == "ppo")
        out.learner = load_ppo(file, pf.header, pf.archive, training, options);
    else
        out.learner = load_dqn(file, pf.header, pf.archive, training, options);
    if (pf.header.contains("training")) out.training = pf.header["training"];
    return out;
}

}  // namespace evtwin::rl
