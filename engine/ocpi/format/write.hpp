#pragma once
// The OCPI objects as the specification's JSON: required fields always, optional ones when set;
// numbers with at most 4 decimals, as the specification's number type has them.
#include "ocpi/format/objects.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <vector>

namespace evtwin::ocpi {

nlohmann::ordered_json to_json(const Cdr& cdr);
nlohmann::ordered_json to_json(const Session& session);
nlohmann::ordered_json to_json(const Tariff& tariff);
nlohmann::ordered_json to_json(const Location& location);

// A list of objects, one a line; throws DataError naming the file when it cannot be written.
template <class Object>
void write_json_file(const std::filesystem::path& file, const std::vector<Object>& objects);

}  // namespace evtwin::ocpi
