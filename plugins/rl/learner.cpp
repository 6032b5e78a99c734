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

PolicyInfo read_policy_info(const std::filesystem::path& file) {
    const PolicyFile pf = read_policy_file(file);
    PolicyInfo info;
    info.algo = header_field<std::string>(pf.header, "algo", "\"ppo\" or \"dqn\"", file);
    if (info.algo != "ppo" && info.algo != "dqn")
        throw PolicyFileError(file.string() + ": header /algo: expected \"ppo\" or \"dqn\", got \"" +
                              info.algo + "\"");
    if (!pf.header.contains("layout")) throw PolicyFileError(file.string() + ": header /layout: missing");
    info.layout = layout_from_json(pf.header["layout"], file);
    return info;
}

LoadedLearner load_learner(const std::filesystem::path& file, const std::string& algo, bool training,
                           const Options& options) {
    const PolicyFile pf = read_policy_file(file);
    const std::string have = header_field<std::string>(pf.header, "algo", "\"ppo\" or \"dqn\"", file);
    if (!algo.empty() && have != algo)
        throw PolicyFileError(file.string() + ": a " + have + " policy, expected " + algo);
    LoadedLearner out;
    if (have == "ppo")
        out.learner = load_ppo(file, pf.header, pf.archive, training, options);
    else if (have == "dqn")
        out.learner = load_dqn(file, pf.header, pf.archive, training, options);
    else
        throw PolicyFileError(file.string() + ": header /algo: expected \"ppo\" or \"dqn\", got \"" + have +
                              "\"");
    if (pf.header.contains("training")) out.training = pf.header["training"];
    return out;
}

}  // namespace evtwin::rl
