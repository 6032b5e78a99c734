#include "viewer/timeline/playback.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evtwin::viewer {

Playback::Playback(Time start, Time end) : start_(start), end_(end), cursor_(start) {
    if (end < start) throw std::invalid_argument("playback: the run ends before it starts");
}

void Playback::play() {
    if (!loop_ && cursor_ >= end_) cursor_ = start_;  // play at the end starts over
    playing_ = true;
}

void Playback::pause() {
    playing_ = false;
}

void Playback::toggle() {
    if (playing_)
        pause();
    else
        play();
}

void Playback::set_speed(double s) {
    if (!std::isfinite(s)) return;
    speed_ = std::clamp(s, kMinSpeed, kMaxSpeed);
}

Time Playback::clamp(Time t) const {
    if (loop_) return std::clamp(t, loop_->from, loop_->to);
    return std::clamp(t, start_, end_);
}

void Playback::seek(Time t) {
    cursor_ = clamp(t);
    carry_ms_ = 0.0;
}

void Playback::step(Duration d) {
    seek(cursor_ + d);
}

void Playback::set_loop(Time from, Time to) {
    from = std::clamp(from, start_, end_);
    to = std::clamp(to, start_, end_);
    if (to <= from) {
        loop_.reset();
        return;
    }
    loop_ = Selection{from, to};
    if (cursor_ < from || cursor_ >= to) cursor_ = from;
}

void Playback::advance(double wall_seconds) {
    if (!playing_ || !(wall_seconds > 0.0)) return;
    const double ms = wall_seconds * speed_ * 1000.0 + carry_ms_;
    const auto whole = static_cast<std::int64_t>(std::floor(ms));
    carry_ms_ = ms - static_cast<double>(whole);
    if (loop_) {
        const std::int64_t span = (loop_->to - loop_->from).ms();
        std::int64_t offset = (cursor_ - loop_->from).ms() + whole;
        offset %= span;  // several laps in one frame at high speed land where they would
        cursor_ = loop_->from + Duration(offset);
        return;
    }
    if ((end_ - cursor_).ms() <= whole) {
        cursor_ = end_;
        playing_ = false;
        carry_ms_ = 0.0;
        return;
    }
    cursor_ += Duration(whole);
}

}  // namespace evtwin::viewer
