#pragma once
// Where a started `evtwin serve` listens, once its central system is up: the interop tests' one way
// to find the port of a server started on port 0.
#include "support/test_support.hpp"

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>

namespace evtwin::test {

// The port `evtwin serve` printed to `output` once it says its central system listens; 0 when it
// does not within 20 s.
inline int central_system_port(const std::filesystem::path& output) {
    const std::regex listening("listening on https?://127\\.0\\.0\\.1:([0-9]+)/");
    std::smatch m;
    std::string printed;
    wait_until(
        [&] {
            if (!std::filesystem::exists(output)) return false;
            printed = read_file(output);
            return std::regex_search(printed, m, listening) &&
                   printed.find("central system") != std::string::npos;
        },
        std::chrono::seconds(20));
    return std::regex_search(printed, m, listening) ? std::stoi(m[1]) : 0;
}

}  // namespace evtwin::test
