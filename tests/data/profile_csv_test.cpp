#include "data/profile_csv.hpp"
#include "model/local_time.hpp"
#include "support/test_support.hpp"
#include "util/rng.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace evtwin {
namespace {

using test::error_of;
using test::write_file;

Time local(const std::string& s, const std::string& zone) {
    return parse_time(s, TimeZone(zone));
}

ProfileOptions pvwatts_options(const std::string& zone) {
    ProfileOptions o;
    o.scale = 1.0 / 4000.0;  // W of a 4 kW system -> kW per kWp
    o.timezone = zone;
    return o;
}

const char* kPvwatts = "pv/pvwatts_8760_golden_co_4kw.csv";
const char* kNinja = "pv/pv_netherlands_2019_hourly.csv";

TEST(ProfileCsv, PvwattsYearIntegratesToTheFileTotal) {
    const auto o = pvwatts_options("UTC");
    const Time start = local("2019-01-01", "UTC"), end = local("2020-01-01", "UTC");
    const auto s = load_profile_csv(test::data_file(kPvwatts), o, start, end);
    ASSERT_EQ(s.t.size(), 8760u);
    double kwh = 0.0;
    for (std::size_t i = 0; i < s.t.size(); ++i) {
        EXPECT_EQ(s.t[i], start + Duration::hours(static_cast<std::int64_t>(i)));
        kwh += s.v[i] * 1.0;  // one hour per step
    }
    // The "Totals" row of the file: AC System Output 6023671.24 W over the year.
    EXPECT_NEAR(kwh, 6023671.24 / 4000.0, 1e-6);
}

TEST(ProfileCsv, PvwattsValuesAtKnownLocalHours) {
    const std::string zone = "America/Denver";
    const auto o = pvwatts_options(zone);
    const Time start = local("2019-01-01", zone), end = local("2020-01-01", zone);
    const auto s = load_profile_csv(test::data_file(kPvwatts), o, start, end);
    EXPECT_EQ(s.t.size(), 8760u);  // 23- and 25-hour DST days included
    EXPECT_EQ(s.t.front(), start);
    // Rows "1,1,10,...,1529.331" and "6,21,12,...,1688.533" of the file.
    EXPECT_DOUBLE_EQ(s.value_at(local("2019-01-01T10:00", zone)), 1529.331 / 4000);
    EXPECT_DOUBLE_EQ(s.value_at(local("2019-01-01T10:59:59", zone)), 1529.331 / 4000);
    EXPECT_DOUBLE_EQ(s.value_at(local("2019-06-21T12:30", zone)), 1688.533 / 4000);
    EXPECT_DOUBLE_EQ(s.value_at(local("2019-01-01T02:00", zone)), 0.0);

    // Any year: a leap year has 8784 steps and 29 February repeats 28 February.
    const auto leap =
        load_profile_csv(test::data_file(kPvwatts), o, local("2024-01-01", zone), local("2025-01-01", zone));
    EXPECT_EQ(leap.t.size(), 8784u);
    for (int h = 0; h < 24; ++h) {
        char feb29[32], feb28[32];
        std::snprintf(feb29, sizeof feb29, "2024-02-29T%02d:00", h);
        std::snprintf(feb28, sizeof feb28, "2024-02-28T%02d:00", h);
        EXPECT_EQ(leap.value_at(local(feb29, zone)), leap.value_at(local(feb28, zone)));
    }
    EXPECT_DOUBLE_EQ(leap.value_at(local("2024-06-21T12:00", zone)), 1688.533 / 4000);

    // A period that starts inside an hour: the first step is at the start, then on the hour.
    const auto part = load_profile_csv(test::data_file(kPvwatts), o, local("2019-01-01T10:30", zone),
                                       local("2019-01-01T13:00", zone));
    ASSERT_EQ(part.t.size(), 3u);
    EXPECT_EQ(part.t[1], local("2019-01-01T11:00", zone));
    EXPECT_DOUBLE_EQ(part.v[0], 1529.331 / 4000);
    EXPECT_DOUBLE_EQ(part.v[1], 2543.789 / 4000);
}

TEST(ProfileCsv, NinjaUsesTheLocalClockColumn) {
    ProfileOptions o;
    o.timezone = "Europe/Amsterdam";
    const auto s = load_profile_csv(test::data_file(kNinja), o, local("2019-01-01", o.timezone),
                                    local("2020-01-01", o.timezone));
    EXPECT_EQ(s.t.size(), 8760u);
    // Row "2019-07-01 10:00,2019-07-01 12:00,0.754": local noon in summer (UTC+2).
    EXPECT_DOUBLE_EQ(s.value_at(local("2019-07-01T12:00", o.timezone)), 0.754);
    EXPECT_DOUBLE_EQ(s.value_at(local("2019-04-10T13:15", o.timezone)), 0.853);  // the year's maximum
    // Laid onto 2024 (leap): same local hours.
    const auto y2024 = load_profile_csv(test::data_file(kNinja), o, local("2024-01-01", o.timezone),
                                        local("2025-01-01", o.timezone));
    EXPECT_EQ(y2024.t.size(), 8784u);
    EXPECT_DOUBLE_EQ(y2024.value_at(local("2024-07-01T12:00", o.timezone)), 0.754);
    double max = 0.0;
    for (double v : y2024.v) max = std::max(max, v);
    EXPECT_DOUBLE_EQ(max, 0.853);
}

TEST(ProfileCsv, DstHoursAreAveragedOrInterpolated) {
    const auto dir = test::temp_dir("profile-dst");
    std::ofstream f(dir / "ninja.csv");
    f << "# a comment line, as in Renewables.ninja downloads\ntime,local_time,electricity\n";
    // A whole 2019 year on the local clock, value = hour of the day, except: the skipped 02:00 of
    // 31 March is absent and 02:00 of 27 October appears twice (values 10 and 20).
    for (Time t = local("2019-01-01", "UTC"); t < local("2020-01-01", "UTC"); t += Duration::hours(1)) {
        const auto l = TimeZone("UTC").to_local(t);
        char stamp[32];
        std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02d %02d:00", l.year, l.month, l.day, l.hour);
        if (l.month == 3 && l.day == 31 && l.hour == 2) continue;
        if (l.month == 10 && l.day == 27 && l.hour == 2) {
            f << "x," << stamp << ",10\nx," << stamp << ",20\n";
            continue;
        }
        f << "x," << stamp << "," << l.hour << "\n";
    }
    f.close();
    ProfileOptions o;
    const auto s =
        load_profile_csv(dir / "ninja.csv", o, local("2019-01-01", "UTC"), local("2020-01-01", "UTC"));
    EXPECT_DOUBLE_EQ(s.value_at(local("2019-03-31T02:00Z", "UTC")), 2.0);  // between 1 and 3
    EXPECT_DOUBLE_EQ(s.value_at(local("2019-10-27T02:00Z", "UTC")), 15.0);
    EXPECT_DOUBLE_EQ(s.value_at(local("2019-10-27T03:00Z", "UTC")), 3.0);
}

TEST(ProfileCsv, BadInputThrowsDataError) {
    const auto dir = test::temp_dir("profile-bad");
    const Time start = local("2019-01-01", "UTC"), end = local("2019-01-02", "UTC");
    ProfileOptions o;
    o.column = "AC Output";
    auto msg = error_of<DataError>([&] { load_profile_csv(test::data_file(kPvwatts), o, start, end); });
    EXPECT_NE(msg.find("no column 'AC Output'; the columns are 'Month', 'Day', 'Hour'"), std::string::npos)
        << msg;

    const auto error_for = [&](const std::string& name, const std::string& text) {
        return error_of<DataError>([&] { load_profile_csv(write_file(dir / name, text), {}, start, end); });
    };
    msg = error_for("other.csv", "a,b\n1,2\n");
    EXPECT_NE(msg.find("unknown profile format"), std::string::npos) << msg;

    msg = error_for("time.csv", "time,electricity\n2019-01-01 00:00,0\n2019-13-01 01:00,0\n");
    EXPECT_NE(
        msg.find("time.csv:3: expected a time YYYY-MM-DD HH:MM in column 'time', got '2019-13-01 01:00'"),
        std::string::npos)
        << msg;

    msg = error_for("value.csv", "Month,Day,Hour,AC System Output (W)\n1,1,0,0\n1,1,1,lots\n");
    EXPECT_NE(msg.find("value.csv:3: expected a number in column 'AC System Output (W)', got 'lots'"),
              std::string::npos)
        << msg;

    msg = error_for("hour.csv", "Month,Day,Hour,AC System Output (W)\n1,1,24,0\n");
    EXPECT_NE(msg.find("hour.csv:2: expected a valid Month, Day and Hour"), std::string::npos) << msg;

    msg = error_for("dup.csv", "Month,Day,Hour,AC System Output (W)\n1,1,0,0\n1,1,0,0\n");
    EXPECT_NE(msg.find("dup.csv:3: duplicate Month, Day and Hour"), std::string::npos) << msg;

    // Half a year is not a year.
    msg = error_for("half.csv", "Month,Day,Hour,AC System Output (W)\n1,1,0,0\n7,1,0,0\n");
    EXPECT_NE(msg.find("expected a full year of hourly values"), std::string::npos) << msg;
}

// A PV output below zero is refused where it is read; a load's profile may go below zero.
TEST(ProfileCsv, ANegativeOutputIsRefusedWhereNoneCanBe) {
    const auto dir = test::temp_dir("profile-negative");
    const Time start = local("2019-01-01", "UTC"), end = local("2019-01-02", "UTC");
    std::string text = "Month,Day,Hour,AC System Output (W)\n";
    const TimeZone utc("UTC");
    for (int day = 0; day < 365; ++day) {
        const LocalDateTime l = utc.to_local(start + Duration::days(day));
        for (int hour = 0; hour < 24; ++hour)
            text += std::to_string(l.month) + "," + std::to_string(l.day) + "," + std::to_string(hour) + "," +
                    (day == 0 && hour == 3 ? "-5" : "0") + "\n";
    }
    const auto file = write_file(dir / "night.csv", text);
    ProfileOptions pv;
    pv.non_negative = true;
    const std::string msg = error_of<DataError>([&] { load_profile_csv(file, pv, start, end); });
    EXPECT_NE(msg.find("night.csv:5: expected an output >= 0 in column 'AC System Output (W)', got -5"),
              std::string::npos)
        << msg;
    EXPECT_DOUBLE_EQ(load_profile_csv(file, {}, start, end).value_at(local("2019-01-01 03:30", "UTC")), -5.0);
}

}  // namespace
}  // namespace evtwin

namespace evtwin {
namespace {

TEST(ProfileCsv, MutatedFilesNeverCrash) {
    // A small but complete PVWatts-style year, then random edits.
    std::string valid = "PVWatts: Hourly PV Performance Data\nMonth,Day,Hour,AC System Output (W)\n";
    const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; ++m) {
        for (int d = 1; d <= days[m - 1]; ++d) {
            for (int h = 0; h < 24; ++h)
                valid += std::to_string(m) + "," + std::to_string(d) + "," + std::to_string(h) + ",5\n";
        }
    }
    const std::string replacements = ",\n\"0123456789.-x ";
    const auto dir = test::temp_dir("profile-fuzz");
    Rng rng(5);
    const Time start = local("2019-12-30", "UTC"), end = local("2020-01-03", "UTC");
    for (int round = 0; round < 300; ++round) {
        std::string text = valid;
        for (int e = 0; e < 3; ++e) {
            const std::size_t at = rng.below(text.size());
            if (rng.below(2) == 0) {
                text[at] = replacements[rng.below(replacements.size())];
            } else {
                text.erase(at, 1 + rng.below(40));
            }
        }
        write_file(dir / "p.csv", text);
        try {
            const auto s = load_profile_csv(dir / "p.csv", {}, start, end);
            EXPECT_EQ(s.t.size(), 96u);
        } catch (const DataError&) {
        }
    }
}

// python3 -c "import csv,math;r=list(csv.reader(open('../shared/data/pv/jpl_pv_220kwdc_30min.csv')))[1:];print(len(r),math.fsum(float(x[1]) for x in r))"
// -> 17520 half hours, 810304.504476 kW summed (x 0.5 h = 405152.252238 kWh DC of the 220 kWdc array)
TEST(ProfileCsv, JplHalfHourlyYearIntegratesToTheFileTotal) {
    ProfileOptions o;
    o.scale = 1.0 / 220.0;  // kW of the 220 kWdc array -> kW per kWp
    o.timezone = "UTC";
    const Time start = local("2019-01-01", "UTC"), end = local("2020-01-01", "UTC");
    const auto s = load_profile_csv(test::data_file("pv/jpl_pv_220kwdc_30min.csv"), o, start, end);
    ASSERT_EQ(s.t.size(), 8760u);
    double kwh_per_kwp = 0.0;
    for (double v : s.v) {
        EXPECT_GE(v, 0.0);
        EXPECT_LE(v, 1.0);
        kwh_per_kwp += v;  // one hour per step
    }
    EXPECT_NEAR(kwh_per_kwp, 810304.504476 * 0.5 / 220.0, 1e-9);
    // "Apr 19, 12:00 pm",201.89 and "Apr 19, 12:30 pm",199.352: the hour is their mean.
    EXPECT_NEAR(s.value_at(local("2019-04-19T12:00", "UTC")), (201.89 + 199.352) / 2 / 220.0, 1e-12);
    // "Jan 1, 01:00 pm",124.209 and "Jan 1, 01:30 pm",115.094: "pm" hours are 12 later.
    EXPECT_NEAR(s.value_at(local("2019-01-01T13:30", "UTC")), (124.209 + 115.094) / 2 / 220.0, 1e-12);
    EXPECT_EQ(s.value_at(local("2019-01-01T00:00", "UTC")), 0.0);  // "12:00 am" is midnight

    const auto dir = test::temp_dir("jpl-bad");
    const auto bad = write_file(
        dir / "jpl.csv",
        "\"Time stamp\",\"Array DC power | (kW)\"\n\"Jan 1, 12:00 am\",0\n\"Jan 1, 13:00 pm\",1\n");
    EXPECT_EQ(error_of<DataError>([&] { load_profile_csv(bad, o, start, end); }),
              bad.string() +
                  ":3: expected a time stamp like \"Jan 1, 12:30 am\" in column 'Time stamp', got 'Jan 1, "
                  "13:00 pm'");
    const auto feb30 =
        write_file(dir / "feb.csv", "\"Time stamp\",\"Array DC power | (kW)\"\n\"Feb 30, 12:00 am\",0\n");
    EXPECT_THAT(error_of<DataError>([&] { load_profile_csv(feb30, o, start, end); }),
                ::testing::HasSubstr("feb.csv:2: expected a time stamp"));
}

}  // namespace
}  // namespace evtwin
