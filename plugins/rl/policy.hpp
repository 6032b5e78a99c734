#pragma once
// A trained policy's inference, behind one torch-free interface: the deterministic action for one
// raw observation, as the strategy plugins and the trainer's evaluation use it. PPO's policy lives
// in ppo_policy.cpp, DQN's in dqn_policy.cpp; the learners (learner.hpp) train them.
#include <evtwin/rl/layout.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>

namespace evtwin::rl {

struct PolicyFile;

// key=value options (docs/rl.md lists them), read with evtwin/options.hpp.
using Options = std::map<std::string, std::string>;

class Policy {
public:
    virtual ~Policy() = default;
    virtual std::string algo() const = 0;
    virtual const ObsLayout& layout() const = 0;
    // The deterministic action (PPO: the mean; DQN: the argmax per head) for one raw observation.
    virtual void act(std::span<const float> obs, std::span<float> action) = 0;
};

// Loads the policy of a policy or checkpoint file: its network and normaliser, nothing of its
// training. `algo` empty: any; else it must match. Throws PolicyFileError naming the file and what
// is wrong.
std::unique_ptr<Policy> load_policy(const std::filesystem::path& file, const std::string& algo);

// The file's algo ("ppo" or "dqn"); throws PolicyFileError when it is neither, or when `want` is
// not empty and differs.
std::string policy_algo(const PolicyFile& content, const std::filesystem::path& file,
                        const std::string& want);

// Reads the algo and layout of a policy file without LibTorch.
struct PolicyInfo {
    std::string algo;
    ObsLayout layout;
};
PolicyInfo read_policy_info(const std::filesystem::path& file);

// The PPO and DQN policies of a file already read (ppo_policy.cpp, dqn_policy.cpp).
std::unique_ptr<Policy> load_ppo_policy(const std::filesystem::path& file, const PolicyFile& content);
std::unique_ptr<Policy> load_dqn_policy(const std::filesystem::path& file, const PolicyFile& content);

// Policy-space value u in [-1, 1] -> action entry in [low, 1] (docs/rl.md: PPO and DQN act in
// [-1, 1] on every entry; a charge-only connector maps it onto [0, 1]).
inline float to_env_action(float u, float low) {
    u = u < -1.0f ? -1.0f : u > 1.0f ? 1.0f : u;
    return low + (1.0f - low) * (u + 1.0f) * 0.5f;
}

}  // namespace evtwin::rl
