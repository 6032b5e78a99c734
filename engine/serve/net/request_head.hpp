#pragma once
// What the server reads from a request's head before any handler sees it: the head's size limit,
// the path of a target, and the subprotocols a WebSocket upgrade offers.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin::serve {

// A request head (request line and header fields) above this size is refused with 400.
inline constexpr std::size_t kMaxHeadBytes = 16 * 1024;

// The path of a request target: what comes before its query ("/v1/plans?x=1" -> "/v1/plans").
inline std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

// The values of one Sec-WebSocket-Protocol field, split at commas and trimmed of spaces and tabs;
// empty items are dropped.
std::vector<std::string> subprotocols_of(std::string_view field);

}  // namespace evtwin::serve
