#pragma once
// What the OCPP log readers (one file per format) share: the lines of a log, trimming, where a frame
// starts in a line, and the problems they report.
#include "ocpp/frame.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin::ocpp {

struct Line {
    std::size_t number;  // 1-based
    std::string_view text;
};

// The lines of `text` without their "\r\n" / "\n".
std::vector<Line> split_lines(std::string_view text);
std::string_view trim(std::string_view s);
// Where an OCPP-J frame starts in `s` from `from`: '[' then a message type 2, 3 or 4, then ','
// (spaces allowed).
std::optional<std::size_t> frame_start(std::string_view s, std::size_t from = 0);
inline bool starts_with(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}

inline void problem(std::vector<Problem>& problems, std::size_t line, std::string kind, std::string message) {
    problems.push_back({line, std::move(kind), std::move(message)});
}
inline void bad_timestamp(std::vector<Problem>& problems, std::size_t line, std::string_view ts) {
    problem(problems, line, "bad_timestamp", "expected an ISO 8601 time, got '" + std::string(ts) + "'");
}

}  // namespace evtwin::ocpp
