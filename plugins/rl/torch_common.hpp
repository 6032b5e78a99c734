#pragma once
// Shared by the LibTorch translation units only (the policies and the learners of PPO and DQN): MLPs,
// archive <-> bytes, and the parts of a header both algorithms write.
#include "plugins/rl/normaliser.hpp"
#include "plugins/rl/policy.hpp"
#include "plugins/rl/policy_file.hpp"
#include "plugins/torch_support/threads.hpp"

#include <evtwin/options.hpp>

#include <torch/torch.h>

#include <algorithm>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace evtwin::rl::torch_common {

// Option `threads` (default 1) for LibTorch and OpenBLAS (torch_support/threads.hpp). One thread:
// these networks are too small to gain from more, and OpenBLAS's results change with its number of
// threads.
inline void set_threads(const Options& options) {
    torch_support::set_threads(static_cast<int>(whole_option(options, "threads", 1, 1, 1024)));
}

// in -> hidden... (activation) -> out; orthogonal weights (gain sqrt 2, `out_gain` on the last).
inline torch::nn::Sequential mlp(std::int64_t in, const std::vector<std::int64_t>& hidden, std::int64_t out,
                                 double out_gain, bool relu) {
    torch::nn::Sequential s;
    std::int64_t prev = in;
    torch::NoGradGuard no_grad;
    auto layer = [&](std::int64_t to, double gain) {
        torch::nn::Linear l(prev, to);
        torch::nn::init::orthogonal_(l->weight, gain);
        torch::nn::init::zeros_(l->bias);
        s->push_back(l);
        prev = to;
    };
    for (std::int64_t h : hidden) {
        layer(h, std::sqrt(2.0));
        if (relu)
            s->push_back(torch::nn::ReLU());
        else
            s->push_back(torch::nn::Tanh());
    }
    layer(out, out_gain);
    return s;
}

inline std::string to_bytes(torch::serialize::OutputArchive& archive) {
    std::ostringstream os;
    archive.save_to(os);
    return os.str();
}

inline void from_bytes(torch::serialize::InputArchive& archive, const std::string& bytes,
                       const std::filesystem::path& file) {
    try {
        archive.load_from(bytes.data(), bytes.size());
    } catch (const std::exception&) {
        throw PolicyFileError(file.string() +
                              ": the network weights after the header are unreadable (corrupt file?)");
    }
}

// A c10::Error's first line (its full text carries a C++ backtrace).
inline std::string first_line(const std::exception& e) {
    std::string s = e.what();
    return s.substr(0, s.find('\n'));
}

inline std::vector<std::int64_t> hidden_sizes(const Options& o, long width_default) {
    const long width = whole_option(o, "hidden", width_default, 1, 4096);
    const long layers = whole_option(o, "layers", 2, 1, 8);
    return std::vector<std::int64_t>(static_cast<std::size_t>(layers), width);
}

inline Options merged(const nlohmann::json& stored, const Options& over, const std::filesystem::path& file) {
    Options o;
    try {
        o = stored.get<Options>();
    } catch (const nlohmann::json::exception&) {
        throw PolicyFileError(file.string() + ": header /options: expected an object of strings");
    }
    for (const auto& [k, v] : over)
        if (k != "hidden" && k != "layers" && k != "levels") o[k] = v;  // the network's shape is the file's
    return o;
}

// A T (a policy or a learner of PPO or DQN) built as a file's header describes it: its layout, its
// options (those of `over` replacing the file's, but for the network's shape) and its seed.
template <class T>
std::unique_ptr<T> built_from_header(const std::filesystem::path& file, const nlohmann::json& header,
                                     const Options& over) {
    if (!header.contains("layout")) throw PolicyFileError(file.string() + ": header /layout: missing");
    const ObsLayout layout = layout_from_json(header["layout"], file);
    const Options opts = merged(header.value("options", nlohmann::json::object()), over, file);
    const std::uint64_t seed = header_field<std::uint64_t>(header, "seed", "a non-negative integer", file);
    try {
        return std::make_unique<T>(layout, opts, seed);
    } catch (const std::invalid_argument& e) {
        throw PolicyFileError(file.string() + ": header /options: " + e.what());
    }
}

// Reads a policy from a file: the header's normaliser into `norm` (of `size` features) and the
// network `net` from the archive in `bytes`, which it returns (its other entries are a learner's).
// Throws PolicyFileError.
template <class Net>
torch::serialize::InputArchive read_policy(const std::filesystem::path& file, const nlohmann::json& header,
                                           const std::string& bytes, std::size_t size, Normaliser& norm,
                                           Net& net) {
    try {
        norm = Normaliser::from_json(header.at("normaliser"), size);
    } catch (const std::exception& e) {
        throw PolicyFileError(file.string() + ": header /normaliser: " + e.what());
    }
    torch::serialize::InputArchive archive;
    from_bytes(archive, bytes, file);
    try {
        net->load(archive);
    } catch (const std::exception& e) {
        throw PolicyFileError(file.string() + ": the network does not match the header's layout and sizes (" +
                              first_line(e) + ")");
    }
    return archive;
}

}  // namespace evtwin::rl::torch_common
