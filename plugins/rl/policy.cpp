#include "plugins/rl/policy.hpp"

#include "plugins/rl/policy_file.hpp"

namespace evtwin::rl {

std::string policy_algo(const PolicyFile& content, const std::filesystem::path& file,
                        const std::string& want) {
    const std::string have = header_field<std::string>(content.header, "algo", "\"ppo\" or \"dqn\"", file);
    if (!want.empty() && have != want)
        throw PolicyFileError(file.string() + ": a " + have + " policy, expected " + want);
    if (have != "ppo" && have != "dqn")
        throw PolicyFileError(file.string() + ": header /algo: expected \"ppo\" or \"dqn\", got \"" + have +
                              "\"");
    return have;
}

std::unique_ptr<Policy> load_policy(const std::filesystem::path& file, const std::string& algo) {
    const PolicyFile content = read_policy_file(file);
    if (policy_algo(content, file, algo) == "ppo") return load_ppo_policy(file, content);
    return load_dqn_policy(file, content);
}

PolicyInfo read_policy_info(const std::filesystem::path& file) {
    const PolicyFile content = read_policy_file(file);
    PolicyInfo info;
    info.algo = policy_algo(content, file, "");
    if (!content.header.contains("layout"))
        throw PolicyFileError(file.string() + ": header /layout: missing");
    info.layout = layout_from_json(content.header["layout"], file);
    return info;
}

}  // namespace evtwin::rl
