#pragma once
// What the data readers' suites share: times written in UTC, and sums exact enough to compare a
// reader's totals with an independent scan of the file (python3's math.fsum).
#include "model/local_time.hpp"
#include "support/test_support.hpp"

#include <evtwin/time.hpp>

#include <cmath>
#include <filesystem>
#include <string>

namespace evtwin::test {

inline Time utc(const std::string& text) {
    return parse_time(text, TimeZone("UTC"));
}

// Neumaier-compensated sum.
struct CompensatedSum {
    double s = 0, c = 0;
    void add(double x) {
        const double t = s + x;
        c += std::fabs(s) >= std::fabs(x) ? (s - t) + x : (x - t) + s;
        s = t;
    }
    double value() const { return s + c; }
};

// A file of the shared data's sessions folder.
inline std::filesystem::path session_file(const std::string& name) {
    return data_file("sessions/" + name);
}

}  // namespace evtwin::test
