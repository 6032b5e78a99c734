#include "model/local_time.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <stdexcept>
#include <string>

namespace evtwin {
namespace {

const TimeZone& utc() {
    static const TimeZone z("UTC");
    return z;
}

Time at(const std::string& iso) {
    return parse_time(iso, utc());
}

void expect_local(const LocalDateTime& l, int y, int mo, int d, int h, int mi, int wd) {
    EXPECT_EQ(l.year, y);
    EXPECT_EQ(l.month, mo);
    EXPECT_EQ(l.day, d);
    EXPECT_EQ(l.hour, h);
    EXPECT_EQ(l.minute, mi);
    EXPECT_EQ(l.weekday, wd);
}

TEST(LocalTime, ParsesTheIsoForms) {
    // 2024-07-01T00:00Z = 19905 days after the epoch (1970..2023: 54 years incl. 13 leap days
    // = 19723 days; Jan..Jun 2024 = 31+29+31+30+31+30 = 182 days).
    EXPECT_EQ(at("2024-07-01").ms(), 19905LL * 86'400'000);
    EXPECT_EQ(at("2024-07-01T08:00").ms(), 19905LL * 86'400'000 + 8 * 3'600'000);
    EXPECT_EQ(at("2024-07-01T08:00:00Z").ms(), 19905LL * 86'400'000 + 8 * 3'600'000);
    EXPECT_EQ(at("2024-07-01T08:00:30.250Z").ms(), 19905LL * 86'400'000 + 8 * 3'600'000 + 30'250);
    EXPECT_EQ(at("2024-07-01 08:00:00").ms(), at("2024-07-01T08:00").ms());
    // +09:00 is 9 h ahead of UTC: 08:00+09:00 = 23:00Z the day before.
    EXPECT_EQ(at("2024-07-01T08:00:00+09:00").ms(), 19905LL * 86'400'000 - 1 * 3'600'000);
    EXPECT_EQ(at("2024-07-01T08:00-07:00").ms(), 19905LL * 86'400'000 + 15 * 3'600'000);
}

TEST(LocalTime, ParsesRfc1123) {
    EXPECT_EQ(at("Tue, 01 Dec 2020 13:59:06 GMT"), at("2020-12-01T13:59:06Z"));
    // A zone does not apply: GMT is explicit.
    const TimeZone la("America/Los_Angeles");
    EXPECT_EQ(parse_time("Tue, 01 Dec 2020 13:59:06 GMT", la), at("2020-12-01T13:59:06Z"));
}

TEST(LocalTime, TimeWithoutOffsetIsLocalToTheZone) {
    const TimeZone seoul("Asia/Seoul");  // UTC+9, no DST
    EXPECT_EQ(parse_time("2024-07-01T09:00", seoul), at("2024-07-01T00:00Z"));
    expect_local(seoul.to_local(at("2024-07-01T00:00Z")), 2024, 7, 1, 9, 0, 1);  // a Monday
}

TEST(LocalTime, RejectsBadInput) {
    const char* bad[] = {"",
                         "2024",
                         "2024-7-01",
                         "2024-13-01",
                         "2024-02-30",
                         "2023-02-29",
                         "2024-07-01T24:00",
                         "2024-07-01T08:60",
                         "2024-07-01T08",
                         "2024-07-01T08:00:00X",
                         "2024-07-01T08:00+9",
                         "2024-07-01T08:00:00.",
                         "yesterday",
                         "Wed, 01 Dec 2020 13:59:06 GMT",  // 2020-12-01 was a Tuesday
                         "Tue, 01 Dex 2020 13:59:06 GMT",
                         "Tue, 01 Dec 2020 13:59:06 PST",
                         "Tue, 01 Dec 2020 13:59:06 GMT trailing"};
    for (const char* text : bad) {
        try {
            (void)at(text);
            ADD_FAILURE() << "accepted '" << text << "'";
        } catch (const std::invalid_argument& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find("cannot parse time '" + std::string(text) + "'"), std::string::npos) << what;
            EXPECT_NE(what.find("expected 'YYYY-MM-DD'"), std::string::npos) << what;
        }
    }
}

TEST(LocalTime, UnknownZoneThrowsNamingIt) {
    try {
        TimeZone z("Mars/Olympus_Mons");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("Mars/Olympus_Mons"), std::string::npos);
    }
}

TEST(LocalTime, LosAngelesSpringForward) {
    // 2024-03-10: 02:00 PST (UTC-8) jumps to 03:00 PDT (UTC-7), i.e. at 10:00Z.
    const TimeZone la("America/Los_Angeles");
    expect_local(la.to_local(at("2024-03-10T09:59:59Z")), 2024, 3, 10, 1, 59, 0);
    expect_local(la.to_local(at("2024-03-10T10:00:00Z")), 2024, 3, 10, 3, 0, 0);
    // 02:30 does not exist: the earliest valid instant is the jump itself.
    EXPECT_EQ(parse_time("2024-03-10T02:30", la), at("2024-03-10T10:00Z"));
    // The local day is 23 h long.
    const Time midnight = la.local_midnight(at("2024-03-10T20:00Z"));
    EXPECT_EQ(midnight, at("2024-03-10T08:00Z"));
    EXPECT_EQ(la.local_midnight(at("2024-03-11T12:00Z")) - midnight, Duration::hours(23));
}

TEST(LocalTime, LosAngelesFallBack) {
    // 2024-11-03: 02:00 PDT (UTC-7) falls back to 01:00 PST (UTC-8) at 09:00Z; 01:30 happens twice.
    const TimeZone la("America/Los_Angeles");
    expect_local(la.to_local(at("2024-11-03T08:30Z")), 2024, 11, 3, 1, 30, 0);
    expect_local(la.to_local(at("2024-11-03T09:30Z")), 2024, 11, 3, 1, 30, 0);
    EXPECT_EQ(parse_time("2024-11-03T01:30", la), at("2024-11-03T08:30Z"));  // the earlier one
    const Time midnight = la.local_midnight(at("2024-11-03T12:00Z"));
    EXPECT_EQ(midnight, at("2024-11-03T07:00Z"));
    EXPECT_EQ(la.local_midnight(at("2024-11-04T12:00Z")) - midnight, Duration::hours(25));
}

TEST(LocalTime, AbbreviationFollowsTheOffsetInForce) {
    const TimeZone la("America/Los_Angeles"), seoul("Asia/Seoul"), ams("Europe/Amsterdam");
    EXPECT_EQ(la.abbreviation(at("2019-03-10T09:59:59Z")), "PST");
    EXPECT_EQ(la.abbreviation(at("2019-03-10T10:00:00Z")), "PDT");
    EXPECT_EQ(la.abbreviation(at("2019-11-03T08:59:59Z")), "PDT");
    EXPECT_EQ(la.abbreviation(at("2019-11-03T09:00:00Z")), "PST");
    EXPECT_EQ(seoul.abbreviation(at("2024-07-01T00:00Z")), "KST");
    EXPECT_EQ(ams.abbreviation(at("2016-10-30T00:59Z")), "CEST");
    EXPECT_EQ(ams.abbreviation(at("2016-10-30T01:00Z")), "CET");
    // After 2037, as utc_offset(): the rules of the same date 28 years earlier.
    EXPECT_EQ(ams.abbreviation(at("2040-07-01T12:00Z")), "CEST");
    EXPECT_EQ(ams.abbreviation(at("2040-01-01T12:00Z")), "CET");
    EXPECT_EQ(TimeZone("UTC").abbreviation(at("2024-07-01T00:00Z")), "UTC");
}

TEST(LocalTime, AmsterdamDstDays2016) {
    // 2016-03-27 02:00 CET -> 03:00 CEST at 01:00Z; 2016-10-30 03:00 CEST -> 02:00 CET at 01:00Z.
    const TimeZone ams("Europe/Amsterdam");
    expect_local(ams.to_local(at("2016-03-27T00:59Z")), 2016, 3, 27, 1, 59, 0);
    expect_local(ams.to_local(at("2016-03-27T01:00Z")), 2016, 3, 27, 3, 0, 0);
    expect_local(ams.to_local(at("2016-10-30T00:30Z")), 2016, 10, 30, 2, 30, 0);
    expect_local(ams.to_local(at("2016-10-30T01:30Z")), 2016, 10, 30, 2, 30, 0);
    EXPECT_EQ(ams.local_midnight(at("2016-03-27T12:00Z")), at("2016-03-26T23:00Z"));
    EXPECT_EQ(ams.local_midnight(at("2016-10-30T12:00Z")), at("2016-10-29T22:00Z"));
    // Far-future DST still follows the rules (not only the listed transitions).
    expect_local(ams.to_local(at("2040-07-01T12:00Z")), 2040, 7, 1, 14, 0, 0);
}

TEST(LocalTime, ToUtcNormalisesOverflowingFields) {
    const TimeZone seoul("Asia/Seoul");
    LocalDateTime l;
    l.year = 2023;
    l.month = 12;
    l.day = 32;  // = 2024-01-01
    EXPECT_EQ(seoul.to_utc(l), parse_time("2024-01-01", seoul));
    l.month = 13;
    l.day = 1;  // = 2024-01-01
    EXPECT_EQ(seoul.to_utc(l), parse_time("2024-01-01", seoul));
}

TEST(LocalTime, LocalMonthRollsDecemberIntoTheNextYear) {
    const TimeZone seoul("Asia/Seoul");                                       // UTC+9, no DST
    const TimeRange dec = seoul.local_month(at("2023-12-31T14:59:59.999Z"));  // 23:59:59.999 on Dec 31
    EXPECT_EQ(dec.start, at("2023-11-30T15:00Z"));
    EXPECT_EQ(dec.end, at("2023-12-31T15:00Z"));
    EXPECT_EQ(dec.end - dec.start, Duration::hours(31 * 24));
    // The next instant is in January of 2024, whose month starts where December's ended.
    const TimeRange jan = seoul.local_month(at("2023-12-31T15:00Z"));
    EXPECT_EQ(jan.start, dec.end);
    EXPECT_EQ(jan.end, parse_time("2024-02-01", seoul));
    // A UTC instant in the next year can still be December locally (west of Greenwich).
    const TimeZone la("America/Los_Angeles");
    const TimeRange la_dec = la.local_month(at("2025-01-01T05:00Z"));  // 21:00 on Dec 31 in LA
    EXPECT_EQ(la_dec.start, parse_time("2024-12-01", la));
    EXPECT_EQ(la_dec.end, parse_time("2025-01-01", la));
    EXPECT_EQ(la_dec.end, at("2025-01-01T08:00Z"));
}

TEST(LocalTime, LocalMonthWithADstChangeIsAnHourShortOrLong) {
    const TimeZone ams("Europe/Amsterdam");
    // March 2016: starts in CET (UTC+1), ends in CEST (UTC+2): 31 days less an hour.
    const TimeRange mar = ams.local_month(at("2016-03-27T12:00Z"));
    EXPECT_EQ(mar.start, at("2016-02-29T23:00Z"));
    EXPECT_EQ(mar.end, at("2016-03-31T22:00Z"));
    EXPECT_EQ(mar.end - mar.start, Duration::hours(31 * 24 - 1));
    // October 2016: back to CET, an hour longer.
    const TimeRange oct = ams.local_month(at("2016-10-01T00:00Z"));
    EXPECT_EQ(oct.start, at("2016-09-30T22:00Z"));
    EXPECT_EQ(oct.end - oct.start, Duration::hours(31 * 24 + 1));
    // Every instant of the month maps to the same month; the end belongs to the next one.
    for (Time t = mar.start; t < mar.end; t += Duration::hours(7)) {
        const TimeRange m = ams.local_month(t);
        EXPECT_EQ(m.start, mar.start) << format_utc(t);
        EXPECT_EQ(m.end, mar.end) << format_utc(t);
    }
    EXPECT_EQ(ams.local_month(mar.end).start, mar.end);
    EXPECT_EQ(ams.local_month(mar.end - Duration(1)).start, mar.start);
}

TEST(LocalTime, FormatUtc) {
    EXPECT_EQ(format_utc(at("2024-07-01T08:00:30.250Z")), "2024-07-01T08:00:30.250Z");
    EXPECT_EQ(format_utc(Time(0)), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_utc(Time(-1)), "1969-12-31T23:59:59.999Z");
    // Extreme values do not crash.
    EXPECT_FALSE(format_utc(Time::max()).empty());
    EXPECT_FALSE(format_utc(Time::min()).empty());
}

TEST(LocalTime, RoundTripsRandomInstants) {
    // Property: for random instants in 1990..2060, to_utc(to_local(t)) == t except in the repeated
    // hour, where it gives the earlier instant (exactly 1 h before); format/parse round-trips.
    const TimeZone zones[] = {TimeZone("America/Los_Angeles"), TimeZone("Europe/Amsterdam"),
                              TimeZone("Asia/Seoul"), TimeZone("Australia/Lord_Howe")};
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::int64_t> dist(631'152'000'000, 2'871'763'200'000);
    for (int i = 0; i < 20000; ++i) {
        const Time t(dist(rng));
        for (const auto& z : zones) {
            const Time back = z.to_utc(z.to_local(t));
            if (back != t) {
                EXPECT_LT(back, t);
                EXPECT_LE(t - back, Duration::hours(1)) << z.name() << " " << format_utc(t);
            }
            EXPECT_LE(z.local_midnight(t), t);
            EXPECT_GT(z.local_midnight(t) + Duration::hours(26), t);
        }
        EXPECT_EQ(parse_time(format_utc(t), utc()), t);
    }
}

TEST(LocalTime, OffsetsAreTheTzDatabasesFrom1900To2038) {
    // Property: the zone's offset table gives what the tz library gives, at random instants and on
    // both sides of every second around its transitions.
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<std::int64_t> dist(-2'208'988'800'000, 2'145'916'799'999);
    for (const char* name : {"America/Los_Angeles", "Europe/Amsterdam", "Australia/Lord_Howe", "Asia/Seoul",
                             "America/Santiago", "UTC"}) {
        const TimeZone zone(name);
        const date::time_zone* tz = date::locate_zone(name);
        const auto expected = [&](std::int64_t ms) {
            const auto s =
                date::sys_seconds{std::chrono::seconds{ms >= 0 ? ms / 1000 : -((999 - ms) / 1000)}};
            return tz->get_info(s).offset.count() * 1000;
        };
        for (int i = 0; i < 5000; ++i) {
            const std::int64_t ms = dist(rng);
            ASSERT_EQ(zone.utc_offset(Time(ms)).ms(), expected(ms)) << name << " " << ms;
        }
        int transitions = 0;
        for (auto info = tz->get_info(date::sys_seconds{std::chrono::seconds{-2'208'988'800}});
             info.end.time_since_epoch().count() < 2'145'916'800; info = tz->get_info(info.end)) {
            const std::int64_t edge = info.end.time_since_epoch().count() * 1000;
            for (std::int64_t ms : {edge - 1001, edge - 1, edge, edge + 999})
                ASSERT_EQ(zone.utc_offset(Time(ms)).ms(), expected(ms)) << name << " " << ms;
            ++transitions;
        }
        if (std::string(name) != "UTC") {
            EXPECT_GT(transitions, 10) << name;
        }
    }
}

TEST(LocalTime, LocalTimesMapAsTheTzDatabaseMapsThem) {
    // Property: to_utc() gives the tz library's instant for a local time (the earlier one in a
    // repeated hour, the jump in a gap), at random local times and around every transition, and the
    // abbreviation is the library's.
    std::mt19937_64 rng(13);
    std::uniform_int_distribution<std::int64_t> dist(-2'208'988'800, 2'145'830'400);  // 1900 .. 2037-12-31
    for (const char* name : {"America/Los_Angeles", "Europe/Amsterdam", "Australia/Lord_Howe", "Asia/Seoul",
                             "America/Santiago", "UTC"}) {
        const TimeZone zone(name);
        const date::time_zone* tz = date::locate_zone(name);
        const auto check = [&](std::int64_t local_s) {
            const auto info = tz->get_info(date::local_seconds{std::chrono::seconds{local_s}});
            const std::int64_t expected_s = info.result == date::local_info::nonexistent
                                                ? info.first.end.time_since_epoch().count()
                                                : local_s - info.first.offset.count();
            LocalDateTime l = utc().to_local(Time(local_s * 1000));
            ASSERT_EQ(zone.to_utc(l).ms(), expected_s * 1000) << name << " local " << local_s;
            const date::sys_seconds utc_s{std::chrono::seconds{expected_s}};
            ASSERT_EQ(zone.abbreviation(Time(expected_s * 1000)), tz->get_info(utc_s).abbrev) << name;
        };
        for (int i = 0; i < 5000; ++i) check(dist(rng));
        for (auto info = tz->get_info(date::sys_seconds{std::chrono::seconds{-2'208'988'800}});
             info.end.time_since_epoch().count() < 2'145'916'800; info = tz->get_info(info.end)) {
            const std::int64_t edge = info.end.time_since_epoch().count();
            for (const std::int64_t offset : {info.offset.count(), tz->get_info(info.end).offset.count()})
                for (const std::int64_t d : {-3601, -1, 0, 1, 1799, 3599, 3600}) check(edge + offset + d);
        }
    }
}

TEST(LocalTime, ZoneNamesAreNamesNotPaths) {
    for (const char* name : {"", "/etc/passwd", "../zoneinfo/UTC", "Europe/../UTC", "Europe/",
                             "Europe//Paris", "UTC\n", "Europe", "America/Los Angeles"}) {
        try {
            TimeZone z(name);
            ADD_FAILURE() << "accepted '" << name << "'";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("unknown time zone '" + std::string(name) + "'"),
                      std::string::npos)
                << e.what();
        }
    }
}

}  // namespace
}  // namespace evtwin
