#pragma once
// Validation of a JSON document against a schema of the server's OpenAPI document (valijson, kept
// out of the suites that use it: it is the slowest header set to compile).
#include <nlohmann/json.hpp>

#include <string>

namespace evtwin::serve::test {

// The errors of `value` against components/schemas/`schema`, one per line; empty when it is valid.
std::string schema_errors(const nlohmann::json& value, const std::string& schema);

}  // namespace evtwin::serve::test
