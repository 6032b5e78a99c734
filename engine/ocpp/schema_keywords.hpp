#pragma once
// Two checks of the OCPP schemas that valijson makes at a cost growing with what it checks, done
// instead under keywords of evtwin's own:
// - an `enum` of strings: valijson compares the value with each member, each time through copies
//   of both strings (2.0.1's measurands have 25 members, on every sampled value of every frame);
//   here a sorted set is searched, failing with valijson's message.
// - `"format": "date-time"`: valijson compiles a std::regex for every value it checks, and
//   libstdc++'s regex recurses once per character matched (a megabyte of digits overflowed the
//   stack); here RFC 3339's grammar is read in one pass, its fraction bounded to 9 digits, failing
//   with "String should be an RFC 3339 date-time.".
#include <nlohmann/json.hpp>

#include <string_view>

namespace valijson {
class SchemaParser;
}

namespace evtwin::ocpp {

// Moves each `enum` whose members are all strings, and each date-time `format`, to its keyword.
void use_own_keywords(nlohmann::json& schema);
// Teaches `parser` the keywords.
void add_own_keywords(valijson::SchemaParser& parser);

// RFC 3339: 2024-01-01T10:00:00Z, with a `t` or `z` in either case, up to 9 fraction digits and a
// ±hh:mm offset. (A 30 February passes: the payload time parser refuses it.)
bool is_rfc3339_date_time(std::string_view text);

}  // namespace evtwin::ocpp
