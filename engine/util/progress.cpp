#include <evtwin/util/progress.hpp>

#include <unistd.h>
#include <algorithm>
#include <cstdio>

namespace evtwin::cli {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)),
      started_(std::chrono::steady_clock::now()),
      last_draw_(started_),
      enabled_(::isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() {
    finish();
}

void ProgressBar::update(double fraction, const std::string& detail) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - started_ < std::chrono::seconds(2) || now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    fraction = std::clamp(fraction, 0.0, 1.0);
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '=');
    bar.resize(kWidth, ' ');
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    const double eta = fraction > 0.0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
    std::fprintf(stderr, "\r%s [%s] %3d%%  %s  %.0fs left   ", label_.c_str(), bar.c_str(),
                 static_cast<int>(fraction * 100.0), detail.c_str(), eta);
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressBar::finish() {
    if (drawn_) {
        std::fprintf(stderr, "\r%*s\r", 100, "");
        std::fflush(stderr);
        drawn_ = false;
    }
}

}  // namespace evtwin::cli
