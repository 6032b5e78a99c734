// The trainer learns what the naive baselines cannot: a driver who charges every other Tuesday at
// 08:00 (the frequency baseline says one half every Tuesday) and one who stopped coming (it keeps
// their old rate). Its model, run in plain C++, scores a Brier clearly below the frequency baseline's
// on the weeks after --train-until; the same seed writes the same model.
#include <evtwin/errors.hpp>
#include "drivers/evaluation.hpp"
#include "drivers/model.hpp"
#include "plugins/drivers/trainer.hpp"

#include <gtest/gtest.h>

namespace evtwin::drivers {
namespace {

DriverHistory regular_drivers() {
    static const TimeZone utc("UTC");
    std::vector<SessionSpec> sessions;
    const auto add = [&](const std::string& driver, LocalMs start, double kwh) {
        SessionSpec s;
        s.vehicle_id = driver;
        s.arrival = Time(start);
        s.departure = Time(start + 2 * kHourMs);
        s.requested_kwh = kwh;
        sessions.push_back(s);
    };
    const LocalMs monday = parse_local("2021-01-04");
    for (int w = 0; w < 40; ++w) {
        const LocalMs week = monday + w * kWeekMs;
        add("weekly", week + (24 + 8) * kHourMs, 12.0);                       // every Tuesday 08:00
        if (w % 2 == 0) add("fortnightly", week + (24 + 8) * kHourMs, 20.0);  // every other Tuesday
        if (w < 12) add("gone", week + (3 * 24 + 17) * kHourMs, 8.0);         // Thursdays, then never again
    }
    return history_from_sessions(sessions, utc, "regular drivers");
}

TEST(DriversTorch, LearnsARegularDriverBeyondTheFrequencyBaseline) {
    const DriverHistory history = regular_drivers();
    const LocalMs until = parse_local("2021-07-05");
    TrainOptions options;
    options.hidden = 8;
    options.epochs = 30;
    options.batch = 1024;
    options.learning_rate = 1e-2;
    const DriverModelParams params = train_model(training_set(history, until), options);
    const DriverModel model(params);
    const FrequencyBaseline frequency;
    const EvalReport report = evaluate(history, {&model, &frequency}, until, parse_local("2021-10-04"));
    ASSERT_GT(report.origins, 8u);
    const double model_brier = report.rows[0].scores.brier(), frequency_brier = report.rows[1].scores.brier();
    EXPECT_LT(model_brier, 0.5 * frequency_brier)
        << "model " << model_brier << ", frequency " << frequency_brier;
    EXPECT_GE(report.rows[0].scores.hit_rate(), 0.95);  // Tuesday 08:00, whenever they come

    // Same data and seed: the same parameters, bit for bit.
    const DriverModelParams again = train_model(training_set(history, until), options);
    EXPECT_EQ(again.w1, params.w1);
    EXPECT_EQ(again.energy_w, params.energy_w);
}

TEST(DriversTorch, NothingToLearnIsRefused) {
    const DriverHistory history = regular_drivers();
    EXPECT_THROW(train_model(training_set(history, parse_local("2021-01-05")), {}), DataError);
}

}  // namespace
}  // namespace evtwin::drivers
