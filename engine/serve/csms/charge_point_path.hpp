#pragma once
// The charge point a WebSocket path names: OCPP-J's /ocpp/{id}, the id percent-encoded.
#include <string>
#include <string_view>

namespace evtwin::serve {

inline constexpr std::string_view kOcppPrefix = "/ocpp/";

// "/ocpp/CP%2D1" -> "CP-1" (a query is ignored): the one segment after the prefix, percent-decoded;
// "" for any other path (no segment or more than one, "." or "..", a malformed escape, or an id
// that decodes to a '/' or a control character).
std::string charge_point_of_path(std::string_view target);

}  // namespace evtwin::serve
