#pragma once
// A one-line progress bar on the terminal for long runs: shown only when stderr is a terminal and
// the work has lasted more than two seconds, so short runs and logs stay clean.
#include <chrono>
#include <string>

namespace evtwin::cli {

class ProgressBar {
public:
    explicit ProgressBar(std::string label);
    ~ProgressBar();
    // `fraction` in [0, 1]; `detail` is shown after the percentage (e.g. the simulated date).
    void update(double fraction, const std::string& detail = "");
    void finish();

private:
    std::string label_;
    std::chrono::steady_clock::time_point started_;
    std::chrono::steady_clock::time_point last_draw_;
    bool enabled_;
    bool drawn_ = false;
};

}  // namespace evtwin::cli
