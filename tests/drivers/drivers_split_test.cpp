// Rolling origins see only the past: predictions and training samples do not change when what
// happens at or after the origin (or after --train-until) changes.
#include "driver_sessions.hpp"
#include "drivers/evaluation.hpp"
#include "drivers/model.hpp"

#include <gtest/gtest.h>

namespace evtwin::drivers {
namespace {

using drivers_test::Charge;
using drivers_test::history_of;

std::vector<Charge> weekly(const std::string& driver, int weeks, int day, int hour) {
    std::vector<Charge> out;
    for (int w = 0; w < weeks; ++w) {
        const LocalMs t = parse_local("2021-01-04") + w * kWeekMs + (day * 24 + hour) * kHourMs + 600'000;
        out.push_back({driver, format_local(t).replace(10, 1, "T"), 5.0 + w});
    }
    return out;
}

DriverModelParams some_model() {
    DriverModelParams p;
    p.hidden = 2;
    p.mean.assign(kSlotFeatures, 0.1);
    p.scale.assign(kSlotFeatures, 0.5);
    for (int i = 0; i < 2 * kSlotFeatures; ++i) p.w1.push_back(0.01 * ((i * 7) % 11 - 5));
    p.b1 = {0.1, -0.2};
    p.w2 = {0.7, -0.4};
    p.b2 = -2.0;
    p.energy_w = {0.5, 0.3, 0.1, 0.1};
    p.energy_b = 0.05;
    return p;
}

TEST(DriverSplit, WeeklyOriginsEndByTheSpansEnd) {
    const auto origins = weekly_origins(parse_local("2021-06-02"), parse_local("2021-06-28"));
    ASSERT_EQ(origins.size(), 3u);
    EXPECT_EQ(origins[0], parse_local("2021-06-07"));
    EXPECT_EQ(origins[2], parse_local("2021-06-21"));  // its week ends on 2021-06-28, the span's end
}

TEST(DriverSplit, PredictionsIgnoreEverythingFromTheOriginOn) {
    std::vector<Charge> past = weekly("a", 10, 1, 8);
    for (const auto& c : weekly("b", 6, 3, 18)) past.push_back(c);
    const LocalMs origin = parse_local("2021-02-15");
    std::vector<Charge> changed;
    for (const auto& c : past)
        if (parse_local(c.start) < origin) changed.push_back(c);
    // A different future: other sessions from the origin on, one exactly at it.
    changed.push_back({"a", "2021-02-15T00:00", 40.0});
    changed.push_back({"b", "2021-02-16T08:00", 1.0});
    const DriverHistory original = history_of(past), other = history_of(changed);
    const DriverModel model(some_model());
    const FrequencyBaseline frequency;
    const LastWeekBaseline last_week;
    for (const Predictor* p : std::vector<const Predictor*>{&model, &frequency, &last_week}) {
        const auto va = driver_views(original, origin), vb = driver_views(other, origin);
        ASSERT_EQ(va.size(), vb.size());
        for (std::size_t i = 0; i < va.size(); ++i) {
            DriverPrediction a, b;
            p->predict(va[i], population_view(va), a);
            p->predict(vb[i], population_view(vb), b);
            EXPECT_EQ(a.probability, b.probability) << p->name();
            EXPECT_EQ(a.next_kwh, b.next_kwh) << p->name();
        }
    }
}

TEST(DriverSplit, TrainingSamplesEndAtTrainUntil) {
    const std::vector<Charge> base = weekly("a", 20, 1, 8);
    const LocalMs until = parse_local("2021-03-01");
    std::vector<Charge> changed;
    for (const auto& c : base)
        if (parse_local(c.start) < until) changed.push_back(c);
    changed.push_back({"a", "2021-03-01T00:00", 99.0});  // at --train-until: not to be read
    changed.push_back({"c", "2021-03-03T12:00", 20.0});
    const TrainingSet a = training_set(history_of(base), until);
    const TrainingSet b = training_set(history_of(changed), until);
    EXPECT_GT(a.rows(), 0u);
    EXPECT_EQ(a.origins, b.origins);
    EXPECT_EQ(a.x, b.x);
    EXPECT_EQ(a.y, b.y);
    EXPECT_EQ(a.ex, b.ex);
    EXPECT_EQ(a.ey, b.ey);
    // The last origin's week ends by --train-until: 2021-02-22 + 7 days.
    EXPECT_EQ(a.origins, weekly_origins(parse_local("2021-01-11"), until).size());
}

TEST(DriverSplit, HistoryBeforeKeepsOnlyThePast) {
    const DriverHistory h =
        history_of({{"a", "2021-06-01T08:00"}, {"a", "2021-06-09T08:00"}, {"b", "2021-06-10T08:00"}});
    const DriverHistory past = history_before(h, parse_local("2021-06-09T08:00"));
    ASSERT_EQ(past.drivers.size(), 1u);
    EXPECT_EQ(past.drivers[0].sessions.size(), 1u);
    EXPECT_EQ(past.last, parse_local("2021-06-01T08:00"));
}

}  // namespace
}  // namespace evtwin::drivers
