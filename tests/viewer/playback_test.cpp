#include "viewer/timeline/playback.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace evtwin::viewer {
namespace {

constexpr std::int64_t kNewYear2024 = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
Time at_s(std::int64_t s) {
    return Time(kNewYear2024 + s * 1000);
}

TEST(Playback, StartsPausedAtTheStart) {
    const Playback p(at_s(0), at_s(3600));
    EXPECT_EQ(p.cursor(), at_s(0));
    EXPECT_FALSE(p.playing());
    EXPECT_THROW(Playback(at_s(10), at_s(0)), std::invalid_argument);
}

TEST(Playback, AdvancesBySpeedTimesWallTimeOnlyWhilePlaying) {
    Playback p(at_s(0), at_s(86400));
    p.set_speed(600.0);  // 10 simulated minutes per wall second
    p.advance(1.0);
    EXPECT_EQ(p.cursor(), at_s(0)) << "paused: no movement";
    p.toggle();
    p.advance(0.5);
    EXPECT_EQ(p.cursor(), at_s(300));
    p.advance(1.5);
    EXPECT_EQ(p.cursor(), at_s(1200));
    p.toggle();
    EXPECT_FALSE(p.playing());
}

TEST(Playback, SlowSpeedAccumulatesSubMillisecondSteps) {
    Playback p(at_s(0), at_s(100));
    p.set_speed(0.1);
    p.play();
    // 0.1 sim-s per wall second at 1 kHz frames: 0.1 ms per frame; 1000 frames move 100 ms.
    for (int i = 0; i < 1000; ++i) p.advance(0.001);
    EXPECT_NEAR(static_cast<double>((p.cursor() - at_s(0)).ms()), 100.0, 1.0);
}

TEST(Playback, SpeedIsClampedToTheDocumentedRange) {
    Playback p(at_s(0), at_s(10));
    p.set_speed(0.001);
    EXPECT_DOUBLE_EQ(p.speed(), 0.1);
    p.set_speed(1e9);
    EXPECT_DOUBLE_EQ(p.speed(), 10'000.0);
    p.set_speed(std::numeric_limits<double>::quiet_NaN());
    EXPECT_DOUBLE_EQ(p.speed(), 10'000.0);
}

TEST(Playback, StopsAndPausesAtTheEndThenPlayStartsOver) {
    Playback p(at_s(0), at_s(100));
    p.set_speed(10'000.0);
    p.play();
    p.advance(1.0);
    EXPECT_EQ(p.cursor(), at_s(100));
    EXPECT_FALSE(p.playing());
    p.play();
    EXPECT_EQ(p.cursor(), at_s(0));
}

TEST(Playback, SeekAndStepClampToTheRun) {
    Playback p(at_s(0), at_s(100));
    p.seek(at_s(50));
    EXPECT_EQ(p.cursor(), at_s(50));
    p.step(Duration::seconds(-80));
    EXPECT_EQ(p.cursor(), at_s(0));
    p.step(Duration::seconds(1000));
    EXPECT_EQ(p.cursor(), at_s(100));
}

TEST(Playback, LoopWrapsWithinTheSelectionEvenOverManyLaps) {
    Playback p(at_s(0), at_s(86400));
    p.set_loop(at_s(100), at_s(200));
    EXPECT_EQ(p.cursor(), at_s(100)) << "a loop outside the cursor moves it in";
    p.set_speed(10.0);
    p.play();
    p.advance(9.0);  // 90 s
    EXPECT_EQ(p.cursor(), at_s(190));
    p.advance(2.0);  // 20 s: wraps
    EXPECT_EQ(p.cursor(), at_s(110));
    p.advance(100.0);  // 1000 s = 10 laps exactly
    EXPECT_EQ(p.cursor(), at_s(110));
    EXPECT_TRUE(p.playing());
    p.seek(at_s(5000));
    EXPECT_EQ(p.cursor(), at_s(200)) << "seeking stays inside the loop";
    p.clear_loop();
    p.seek(at_s(5000));
    EXPECT_EQ(p.cursor(), at_s(5000));
}

TEST(Playback, EmptyOrInvertedSelectionClearsTheLoop) {
    Playback p(at_s(0), at_s(100));
    p.set_loop(at_s(10), at_s(20));
    ASSERT_TRUE(p.loop());
    p.set_loop(at_s(30), at_s(30));
    EXPECT_FALSE(p.loop());
    p.set_loop(at_s(-50), at_s(500));  // clamped to the run
    ASSERT_TRUE(p.loop());
    EXPECT_EQ(p.loop()->from, at_s(0));
    EXPECT_EQ(p.loop()->to, at_s(100));
}

}  // namespace
}  // namespace evtwin::viewer
