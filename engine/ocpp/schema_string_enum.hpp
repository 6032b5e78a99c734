#pragma once
// The OCPP schemas' `enum`s of strings, checked as sorted sets under a keyword of their own.
// valijson compares a value with the members one by one, each time through copies of both
// strings: the cost grows with the enum (2.0.1's measurands have 22 members) on every value of
// every frame. The keyword's constraint fails with valijson's own message, so callers see no
// difference.
#include <nlohmann/json.hpp>

namespace valijson {
class SchemaParser;
}

namespace evtwin::ocpp {

// Renames each `enum` whose members are all strings to the keyword below, wherever it is.
void string_enums_as_sets(nlohmann::json& schema);
// Teaches `parser` the keyword.
void add_string_enum_keyword(valijson::SchemaParser& parser);

}  // namespace evtwin::ocpp
