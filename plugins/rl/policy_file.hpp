#pragma once
// The policy and checkpoint file: a text header, then LibTorch's archive of the networks.
//   line 1  "evtwin-rl-policy 5" (format 1: before the demand features and the site cap; 2: before
//           the cap's range started at 0; 3: before the bill clock; 4: before the EV demand forecast)
//   line 2  one JSON object: algo, layout (ObsLayout), network sizes, normaliser, training state
//   rest    the bytes of torch::serialize::OutputArchive::save_to
// `head -2 model.pt` shows what a file holds. Writing goes through a temporary file and a rename,
// so an interrupted write never leaves half a checkpoint.
#include <evtwin/rl/layout.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <istream>
#include <stdexcept>
#include <string>

namespace evtwin::rl {

inline constexpr const char* kPolicyMagic = "evtwin-rl-policy 5";
// Older formats still read: 4 has no EV demand forecast; 3 neither, nor a bill clock feature; 2
// neither, and its site cap starts at the peak.
inline constexpr const char* kPolicyMagic4 = "evtwin-rl-policy 4";
inline constexpr const char* kPolicyMagic3 = "evtwin-rl-policy 3";
inline constexpr const char* kPolicyMagic2 = "evtwin-rl-policy 2";

// A policy file that cannot be used: the message names the file and what was expected.
struct PolicyFileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct PolicyFile {
    nlohmann::json header;
    std::string archive;  // LibTorch's bytes
};

void write_policy_file(const std::filesystem::path& file, const PolicyFile& content);
// Throws PolicyFileError: missing file, wrong first line, header not JSON or not an object.
PolicyFile read_policy_file(const std::filesystem::path& file);
// The same from a policy file's bytes in `in`; `file` names it in the errors.
PolicyFile parse_policy_file(std::istream& in, const std::filesystem::path& file);

nlohmann::json layout_to_json(const ObsLayout& layout);
// Throws PolicyFileError naming `file` and the JSON path of the bad field.
ObsLayout layout_from_json(const nlohmann::json& j, const std::filesystem::path& file);

// header[key] as T; throws PolicyFileError "file: header /key: expected <what>".
template <class T>
T header_field(const nlohmann::json& header, const char* key, const char* what,
               const std::filesystem::path& file) {
    try {
        return header.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw PolicyFileError(file.string() + ": header /" + key + ": expected " + what);
    }
}

}  // namespace evtwin::rl
