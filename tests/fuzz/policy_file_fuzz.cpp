// libFuzzer target of the RL policy file's header (plugins/rl/policy_file.cpp), what the ppo and dqn
// plugins read before they hand the archive to LibTorch: any bytes are read as a policy file, its
// layout and its normaliser. Properties: a refusal is a PolicyFileError (or the normaliser's
// std::invalid_argument); a layout read has as many action bounds as actions, and a normaliser read
// maps an observation into [-kClip, kClip]. A crash, a sanitizer report or a hang is a bug. Built with
// -DEVTWIN_FUZZ=ON and clang.
#include "plugins/rl/normaliser.hpp"
#include "plugins/rl/policy_file.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace {

[[noreturn]] void bug(const char* what, double value) {
    std::fprintf(stderr, "policy_file_fuzz: %s: %g\n", what, value);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace evtwin::rl;
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    try {
        const PolicyFile file = parse_policy_file(in, "fuzz.pt");
        if (!file.header.contains("layout")) return 0;
        const evtwin::ObsLayout layout = layout_from_json(file.header["layout"], "fuzz.pt");
        if (layout.action_low.size() != layout.action_size())
            bug("action bounds for another number of actions", static_cast<double>(layout.action_low.size()));
        const std::size_t features = layout.observation_size();
        if (!file.header.contains("normaliser") || features > 100'000) return 0;
        const Normaliser norm = Normaliser::from_json(file.header["normaliser"], features);
        std::vector<float> obs(features, 0.5f);
        norm.apply(obs, obs);
        for (const float x : obs)
            if (!(std::abs(x) <= Normaliser::kClip)) bug("a normalised feature outside the clip", x);
    } catch (const PolicyFileError&) {
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
