#pragma once
// A whole JSON document read from a data file, with errors that name the file.
#include <evtwin/errors.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>

namespace evtwin {

// The document in `file`. Throws DataError "<file>: cannot open the file for reading" or
// "<file>: invalid JSON: <where and why>". Json is nlohmann::json, or nlohmann::ordered_json where
// the order of an object's keys matters (e.g. EV models, drawn in file order).
template <class Json = nlohmann::json>
Json read_json_file(const std::filesystem::path& file);

extern template nlohmann::json read_json_file<nlohmann::json>(const std::filesystem::path&);
extern template nlohmann::ordered_json read_json_file<nlohmann::ordered_json>(const std::filesystem::path&);

}  // namespace evtwin
