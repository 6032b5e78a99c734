#pragma once
// JSON as text for a response: strings that are not valid UTF-8 (a client may send any bytes,
// and messages quote them) are written with U+FFFD in their place instead of failing.
#include <nlohmann/json.hpp>

#include <string>

namespace evtwin::serve {

inline std::string json_text(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace evtwin::serve
