#pragma once
// The replay cursor: where in the run the viewer is, whether it plays, how fast, and an optional
// loop over a selection. GUI-free: the app feeds it wall-clock seconds per frame.
#include <evtwin/time.hpp>

#include <optional>

namespace evtwin::viewer {

struct Selection {
    Time from;
    Time to;  // exclusive; from < to
};

class Playback {
public:
    static constexpr double kMinSpeed = 0.1;  // simulated seconds per wall second
    static constexpr double kMaxSpeed = 10'000.0;

    // The run's span [start, end]; throws std::invalid_argument when end < start.
    Playback(Time start, Time end);

    Time start() const { return start_; }
    Time end() const { return end_; }
    Time cursor() const { return cursor_; }
    bool playing() const { return playing_; }
    double speed() const { return speed_; }
    const std::optional<Selection>& loop() const { return loop_; }

    void play();
    void pause();
    void toggle();
    // Clamped to [kMinSpeed, kMaxSpeed].
    void set_speed(double sim_seconds_per_second);
    // Moves the cursor, clamped to the run (or to the loop, when one is set).
    void seek(Time t);
    void step(Duration d);
    // Loops playback over [from, to), both clamped to the run; an empty selection clears the loop.
    void set_loop(Time from, Time to);
    void clear_loop() { loop_.reset(); }

    // Advances by wall_seconds × speed while playing. At the end of a loop the cursor wraps to its
    // start; at the end of the run it stops there and pauses.
    void advance(double wall_seconds);

private:
    Time clamp(Time t) const;
    Time start_;
    Time end_;
    Time cursor_;
    bool playing_ = false;
    double speed_ = 60.0;
    double carry_ms_ = 0.0;  // sub-millisecond remainder, so slow speeds still move
    std::optional<Selection> loop_;
};

}  // namespace evtwin::viewer
