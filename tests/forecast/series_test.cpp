// Forecast series read from the reference data, and the inputs cut from them.
#include "forecast/series.hpp"
#include "model/local_time.hpp"

#include "support/test_support.hpp"

#include <evtwin/errors.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace evtwin {
namespace {

TEST(ForecastSeries, ReadsTheNetherlandsPvYearHourly) {
    const ForecastSeries s =
        read_forecast_series("pv/pv_netherlands_2019_hourly.csv", ForecastTarget::pv, Duration::hours(1));
    EXPECT_EQ(s.timezone, "Europe/Amsterdam");
    EXPECT_EQ(s.holidays, "nl");
    EXPECT_EQ(s.steps, 8760u);
    EXPECT_EQ(s.start, parse_time("2019-01-01T00:00", TimeZone("Europe/Amsterdam")));
    const double peak = *std::max_element(s.values.begin(), s.values.end());
    EXPECT_GT(peak, 0.5);
    EXPECT_LE(peak, 1.0);
    EXPECT_GE(*std::min_element(s.values.begin(), s.values.end()), 0.0);
    // Dark at local midnight, light at noon in June.
    const std::size_t june_noon = s.index_of(parse_time("2019-06-21T12:00", TimeZone("Europe/Amsterdam")));
    EXPECT_GT(s.values[june_noon], 0.2);
    EXPECT_EQ(s.values[june_noon + 12], 0.0);
}

TEST(ForecastSeries, AggregatesJplSessionsPerStep) {
    const ForecastSeries s =
        read_forecast_series("sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz,from=2019-05-06,until=2019-05-20",
                             ForecastTarget::demand, Duration::hours(1));
    EXPECT_EQ(s.steps, 14u * 24u);
    EXPECT_EQ(s.holidays, "us");
    double arrivals = 0.0, energy = 0.0;
    for (std::size_t i = 0; i < s.steps; ++i) {
        arrivals += s.at(kDemandArrivals, i);
        energy += s.at(kDemandEnergy, i);
        if (s.at(kDemandArrivals, i) == 0.0) {
            EXPECT_EQ(s.at(kDemandStay, i), 0.0);
        }
        EXPECT_GE(s.at(kDemandStay, i), 0.0);
    }
    EXPECT_GT(arrivals, 200.0);  // a busy workplace site over two weeks
    EXPECT_GT(energy / arrivals, 3.0);
    // Workplace: weekday mornings are busier than Sunday mornings.
    const TimeZone la("America/Los_Angeles");
    double weekday_morning = 0.0, sunday_morning = 0.0;
    for (int h = 6; h < 10; ++h) {
        weekday_morning +=
            s.at(kDemandArrivals, s.index_of(parse_time("2019-05-08T0" + std::to_string(h) + ":00", la)));
        sunday_morning +=
            s.at(kDemandArrivals, s.index_of(parse_time("2019-05-12T0" + std::to_string(h) + ":00", la)));
    }
    EXPECT_GT(weekday_morning, sunday_morning);
}

TEST(ForecastSeries, InputHoldsOnlyThePastAndMarksWhatWasNeverObserved) {
    ForecastSeries s;
    s.target = ForecastTarget::pv;
    s.start = Time(0);
    s.step = Duration::hours(1);
    s.steps = 10;
    for (int i = 0; i < 10; ++i) s.values.push_back(i);
    s.calendar.resize(10);
    s.import_price.assign(10, 0.5);
    ForecastInputBuffers b;
    const ForecastInput in = input_at(s, 3, 5, 4, b);
    ASSERT_EQ(in.history.size(), 5u);
    EXPECT_EQ(std::vector<double>(in.history.begin(), in.history.end()),
              (std::vector<double>{0, 0, 0, 1, 2}));
    EXPECT_EQ(in.known_from, Time(0));
    EXPECT_EQ(in.origin, Time(0) + Duration::hours(3));
    EXPECT_EQ(in.calendar.size(), 9u);
    EXPECT_EQ(in.import_price[8], 0.5);
    EXPECT_EQ(in.import_price[0], 0.0);                // before the data
    EXPECT_THROW(input_at(s, 8, 5, 4, b), DataError);  // the horizon runs past the data
}

TEST(ForecastSeries, BadSpecsNameWhatIsWrong) {
    const auto error = [](const std::string& spec, ForecastTarget t) {
        return test::error_of<DataError>([&] { read_forecast_series(spec, t, Duration::hours(1)); });
    };
    EXPECT_NE(error("pv/no_such.csv", ForecastTarget::pv).find("no file pv/no_such.csv"), std::string::npos);
    EXPECT_NE(error("pv/pv_netherlands_2019_hourly.csv", ForecastTarget::demand).find("not demand"),
              std::string::npos);
    EXPECT_NE(error("sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz", ForecastTarget::pv).find("not pv"),
              std::string::npos);
    EXPECT_NE(error("pv/pv_netherlands_2019_hourly.csv,colour=red", ForecastTarget::pv).find("key=value"),
              std::string::npos);
    EXPECT_NE(error("pv/pv_netherlands_2019_hourly.csv,tz=Mars/Base", ForecastTarget::pv).find("Mars/Base"),
              std::string::npos);
    EXPECT_NE(error("pv/pv_netherlands_2019_hourly.csv,from=2019-05-01,until=2019-04-01", ForecastTarget::pv)
                  .find("until"),
              std::string::npos);
}

TEST(ForecastSeries, AnySpecIsReadOrRefusedWithADataError) {
    // Specs put together from the pieces a user types, in any order: each is read or refused with
    // a DataError, never another exception or a crash.
    const std::vector<std::string> pieces{"pv/pv_netherlands_2019_hourly.csv",
                                          "sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz",
                                          ",",
                                          "+",
                                          "=",
                                          "tz=UTC",
                                          "tz=",
                                          "holidays=us",
                                          "year=2019",
                                          "year=x",
                                          "scale=2",
                                          "from=2019-05-02",
                                          "until=2019-05-03",
                                          "until=",
                                          ",,",
                                          "missing.csv",
                                          "from=2019-13-40"};
    std::uint64_t state = 12345;
    const auto next = [&state] {
        return (state = state * 6364136223846793005ull + 1442695040888963407ull) >> 33;
    };
    for (int i = 0; i < 300; ++i) {
        std::string spec;
        for (std::uint64_t n = 1 + next() % 5; n > 0; --n) spec += pieces[next() % pieces.size()];
        const ForecastTarget t = next() % 2 ? ForecastTarget::pv : ForecastTarget::demand;
        try {
            const ForecastSeries s = read_forecast_series(spec, t, Duration::hours(1));
            EXPECT_EQ(s.values.size(), s.steps * s.channels()) << spec;
        } catch (const DataError&) {
        }
    }
}

}  // namespace
}  // namespace evtwin
