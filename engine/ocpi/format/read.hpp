#pragma once
// Reading OCPI 2.2.1 documents: a file holds one object, a list of them, or an OCPI response whose
// "data" holds either. Every object is checked as the specification describes it (object_fields.hpp)
// and for consistency (an end after its start, charging periods in order within the session);
// the first problem throws DataError naming the file, the object and the field.
#include "ocpi/format/object_fields.hpp"
#include "ocpi/format/objects.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace evtwin::ocpi {

std::vector<Cdr> parse_cdrs(const std::string& json_text, const std::string& source);
std::vector<Session> parse_sessions(const std::string& json_text, const std::string& source);
std::vector<Tariff> parse_tariffs(const std::string& json_text, const std::string& source);
std::vector<Location> parse_locations(const std::string& json_text, const std::string& source);

std::vector<Cdr> read_cdrs(const std::filesystem::path& file);
std::vector<Session> read_sessions(const std::filesystem::path& file);
std::vector<Tariff> read_tariffs(const std::filesystem::path& file);
std::vector<Location> read_locations(const std::filesystem::path& file);

Cdr read_cdr(const ObjectFields& f);
Session read_session(const ObjectFields& f);
Tariff read_tariff(const ObjectFields& f);
Location read_location(const ObjectFields& f);

}  // namespace evtwin::ocpi
