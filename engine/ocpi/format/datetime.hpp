#pragma once
// OCPI's DateTime: RFC 3339 in UTC as "2015-06-29T20:39:09Z", the Z optional, fractional seconds
// allowed, at most 25 characters; no other offset ("+00:00 is not the same as UTC").
#include <evtwin/time.hpp>

#include <optional>
#include <string>

namespace evtwin::ocpi {

std::optional<Time> parse_datetime(const std::string& text);
// Whole seconds with a Z, or milliseconds when the instant has them: "2024-07-01T08:00:00Z".
std::string format_datetime(Time t);

}  // namespace evtwin::ocpi
