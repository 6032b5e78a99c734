#include "viewer/timeline/time_entry.hpp"
#include "model/local_time.hpp"

#include <gtest/gtest.h>

#include <random>

namespace evtwin::viewer {
namespace {

constexpr std::int64_t kT0 = 1'704'067'200'000;                // 2024-01-01T00:00:00Z
const Time kCursor(kT0 + 5 * 86'400'000LL + 3'600'000LL * 7);  // 2024-01-06 07:00
const TimeView kUtc;

Time at(const char* iso) {
    return parse_time(iso, TimeZone("UTC"));
}

// The message of the TimeEntryError that `text` gives; empty (and a failure) when it parses.
std::string error_of(const TimeView& view, const std::string& text, Time cursor = kCursor) {
    try {
        view.parse(text, cursor);
        ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const TimeEntryError& e) {
        return e.what();
    }
    return {};
}

TEST(TimeEntry, AbsoluteDatesAndTimesAreUtcInUtc) {
    EXPECT_EQ(kUtc.parse("2024-01-01", kCursor), Time(kT0));
    EXPECT_EQ(kUtc.parse("2024-01-01T08:30", kCursor), Time(kT0 + 8 * 3'600'000 + 30 * 60'000));
    EXPECT_EQ(kUtc.parse(" 2024-01-01 08:30:15Z ", kCursor),
              Time(kT0 + 8 * 3'600'000 + 30 * 60'000 + 15'000));
    EXPECT_EQ(kUtc.parse("2024-01-01T00:00:00.250", kCursor), Time(kT0 + 250));
    // 2024 is a leap year: 29 Feb exists, and 1 March is day 60.
    EXPECT_EQ(kUtc.parse("2024-03-01", kCursor), Time(kT0 + 60LL * 86'400'000));
    EXPECT_EQ(kUtc.parse("1970-01-01", kCursor), Time(0));
    // An explicit offset is that offset, whatever the view.
    EXPECT_EQ(kUtc.parse("2024-01-01 09:00 +09:00", kCursor), Time(kT0));
    EXPECT_EQ(kUtc.parse("2024-01-01T01:00+0100", kCursor), Time(kT0));
    EXPECT_EQ(kUtc.parse("2023-12-31 16:00 -08", kCursor), Time(kT0));
    EXPECT_EQ(kUtc.parse("2024-01-01 UTC", kCursor), Time(kT0));
}

TEST(TimeEntry, ClockTimeIsOnTheCursorsDay) {
    EXPECT_EQ(kUtc.parse("12:00", kCursor), Time(kT0 + 5 * 86'400'000LL + 12 * 3'600'000LL));
    EXPECT_EQ(kUtc.parse("00:00:01", kCursor), Time(kT0 + 5 * 86'400'000LL + 1000));
}

TEST(TimeEntry, RelativeToTheCursor) {
    EXPECT_EQ(kUtc.parse("+90m", kCursor), kCursor + Duration::minutes(90));
    EXPECT_EQ(kUtc.parse("-1h30m", kCursor), kCursor - Duration::minutes(90));
    EXPECT_EQ(kUtc.parse("+2d", kCursor), kCursor + Duration::days(2));
    EXPECT_EQ(kUtc.parse("+1s500ms", kCursor), kCursor + Duration(1500));
}

TEST(TimeEntry, BadInputNamesWhatWasTypedAndWhatIsExpected) {
    for (const char* bad : {"",
                            "   ",
                            "2024-13-01",
                            "2024-02-30",
                            "2023-02-29",
                            "2024-01-01X",
                            "25:00",
                            "12:60",
                            "+",
                            "+5",
                            "+5x",
                            "-h",
                            "yesterday",
                            "2024-01-01T8:30",
                            "+1234567890h",
                            "2024-01-01 08:30 +9",
                            "2024-01-01 08:30 +19:00",
                            "2024-01-01 08:30 KST",
                            "08:30 X",
                            "08:30 ABCDEFGH",
                            "2024-01-01 08:30 UTC x"}) {
        const std::string what = error_of(kUtc, bad);
        EXPECT_NE(what.find("expected"), std::string::npos) << bad << ": " << what;
        if (std::string(bad).find_first_not_of(' ') != std::string::npos) {
            EXPECT_NE(what.find(std::string("'") + bad), std::string::npos) << bad << ": " << what;
        }
    }
    EXPECT_NE(error_of(kUtc, "2024-13-01").find("bad month"), std::string::npos);
}

TEST(TimeEntry, FormatRoundTripsInUtc) {
    for (std::int64_t ms : {kT0, kT0 + 1, kT0 + 86'399'999, std::int64_t{0}, kT0 + 123'456'789'000}) {
        const std::string s = kUtc.format(Time(ms));
        EXPECT_EQ(kUtc.parse(s, kCursor), Time(ms)) << s;
    }
    EXPECT_EQ(kUtc.format(Time(kT0)), "2024-01-01 00:00:00 UTC");
    EXPECT_EQ(kUtc.format(Time(kT0 + 250)), "2024-01-01 00:00:00.250 UTC");
    EXPECT_EQ(format_duration(Duration::hours(27) + Duration::seconds(5)), "1d 03:00:05");
    EXPECT_EQ(format_duration(Duration(-350)), "-350 ms");
}

TEST(TimeEntry, SeoulTimesAreShownAndReadInKst) {
    const TimeView seoul("Asia/Seoul");
    ASSERT_TRUE(seoul.has_zone());
    EXPECT_FALSE(seoul.utc());
    EXPECT_TRUE(seoul.note().empty());
    EXPECT_EQ(seoul.label(), "Asia/Seoul");
    const Time t = at("2024-06-30T23:30Z");
    EXPECT_EQ(seoul.format(t), "2024-07-01 08:30:00 KST");
    EXPECT_EQ(seoul.format_other(t), "2024-06-30 23:30:00 UTC");
    EXPECT_EQ(seoul.parse("2024-07-01 08:30", t), t);
    EXPECT_EQ(seoul.parse("2024-07-01T08:30 KST", t), t);
    EXPECT_EQ(seoul.parse("2024-07-01T08:30:00+09:00", t), t);
    EXPECT_EQ(seoul.parse("2024-06-30T23:30Z", t), t);
    EXPECT_EQ(seoul.parse("2024-07-01", t), at("2024-06-30T15:00Z"));  // local midnight
    // A clock time is on the cursor's local day: 05:00 KST on 1 July is still 30 June in UTC.
    const Time early = at("2024-06-30T20:00Z");
    EXPECT_EQ(seoul.parse("08:30", early), t);
    EXPECT_EQ(seoul.parse("08:30Z", early), at("2024-06-30T08:30Z"));  // on the cursor's UTC day
    // The quickstart screenshot's --at +2d12h from the run's start (local midnight of 1 July).
    EXPECT_EQ(seoul.format(seoul.parse("+2d12h", seoul.parse("2024-07-01", t))), "2024-07-03 12:00:00 KST");
}

TEST(TimeEntry, UtcOnRequest) {
    TimeView seoul("Asia/Seoul");
    seoul.set_utc(true);
    EXPECT_TRUE(seoul.utc());
    EXPECT_TRUE(seoul.has_zone());
    EXPECT_EQ(seoul.label(), "UTC");
    const Time t = at("2024-06-30T23:30Z");
    EXPECT_EQ(seoul.format(t), "2024-06-30 23:30:00 UTC");
    EXPECT_EQ(seoul.format_other(t), "2024-07-01 08:30:00 KST");
    EXPECT_EQ(seoul.parse("2024-06-30 23:30", t), t);
    EXPECT_EQ(seoul.parse("23:30", at("2024-06-30T01:00Z")), t);
    // The zone's abbreviation still reads as site time.
    EXPECT_EQ(seoul.parse("2024-07-01 08:30 KST", t), t);
    seoul.set_utc(false);
    EXPECT_EQ(seoul.format(t), "2024-07-01 08:30:00 KST");
}

TEST(TimeEntry, RunWithoutATimeZoneFallsBackToUtcAndSaysSo) {
    TimeView none("");
    EXPECT_FALSE(none.has_zone());
    EXPECT_TRUE(none.utc());
    EXPECT_NE(none.note().find("no time zone"), std::string::npos) << none.note();
    none.set_utc(false);  // nothing else to show
    EXPECT_TRUE(none.utc());
    EXPECT_EQ(none.label(), "UTC");
    EXPECT_EQ(none.format(Time(kT0)), "2024-01-01 00:00:00 UTC");
    EXPECT_EQ(none.format_other(Time(kT0)), "2024-01-01 00:00:00 UTC");
    EXPECT_EQ(none.parse("2024-01-01", kCursor), Time(kT0));
    const std::string what = error_of(none, "2024-01-01 09:00 KST");
    EXPECT_NE(what.find("no time zone"), std::string::npos) << what;

    const TimeView unknown("Mars/Olympus_Mons");
    EXPECT_TRUE(unknown.utc());
    EXPECT_NE(unknown.note().find("Mars/Olympus_Mons"), std::string::npos) << unknown.note();
}

// The Caltech ACN month: on 10 March 2019 Los Angeles goes from 02:00 PST to 03:00 PDT (at 10:00Z).
TEST(TimeEntry, LosAngelesSpringForwardMarch2019) {
    const TimeView la("America/Los_Angeles");
    EXPECT_EQ(la.format(at("2019-03-10T09:59:59Z")), "2019-03-10 01:59:59 PST");
    EXPECT_EQ(la.format(at("2019-03-10T10:00:00Z")), "2019-03-10 03:00:00 PDT");
    EXPECT_EQ(la.parse("2019-03-10 01:59:59", Time(0)), at("2019-03-10T09:59:59Z"));
    EXPECT_EQ(la.parse("2019-03-10 03:00", Time(0)), at("2019-03-10T10:00Z"));
    EXPECT_EQ(la.parse("2019-03-10 12:00 PDT", Time(0)), at("2019-03-10T19:00Z"));
    // 02:30 does not exist that night: the instant the clocks jump (as the engine reads scenario times).
    EXPECT_EQ(la.parse("2019-03-10 02:30", Time(0)), at("2019-03-10T10:00Z"));
    const std::string what = error_of(la, "2019-03-10 02:30 PST");
    EXPECT_NE(what.find("does not exist in America/Los_Angeles"), std::string::npos) << what;
    // A clock time on the cursor's local day, and the local day is 23 hours long.
    const Time noon = at("2019-03-10T19:00Z");
    EXPECT_EQ(la.parse("00:00", noon), at("2019-03-10T08:00Z"));
    EXPECT_EQ(la.parse("23:00", noon) - la.parse("00:00", noon), Duration::hours(22));
    // A relative entry counts elapsed time: a day is 24 hours, so +1d crosses the change to 01:00.
    EXPECT_EQ(la.format(la.parse("+1d", la.parse("2019-03-10 00:00", Time(0)))), "2019-03-11 01:00:00 PDT");
}

// On 3 November 2019 Los Angeles falls back from 02:00 PDT to 01:00 PST (at 09:00Z): 01:30 happens twice.
TEST(TimeEntry, LosAngelesFallBackShowsWhichOfTheTwo0130s) {
    const TimeView la("America/Los_Angeles");
    const Time first = at("2019-11-03T08:30Z"), second = at("2019-11-03T09:30Z");
    EXPECT_EQ(la.format(first), "2019-11-03 01:30:00 PDT");
    EXPECT_EQ(la.format(second), "2019-11-03 01:30:00 PST");
    EXPECT_EQ(la.parse(la.format(first), Time(0)), first);
    EXPECT_EQ(la.parse(la.format(second), Time(0)), second);
    EXPECT_EQ(la.parse("2019-11-03 01:30", Time(0)), first);  // without abbreviation: the earlier
    EXPECT_EQ(la.parse("01:30 pst", second), second);         // abbreviations in any case
    const std::string what = error_of(la, "2019-11-03 01:30 CET");
    EXPECT_NE(what.find("'CET' is not what America/Los_Angeles calls that time"), std::string::npos) << what;
    EXPECT_NE(what.find("expected PDT or PST"), std::string::npos) << what;
    EXPECT_NE(error_of(la, "2019-07-01 12:00 PST").find("expected PDT,"), std::string::npos);
}

TEST(TimeEntry, AmsterdamDstChanges2019) {
    // 31 March 2019: 02:00 CET -> 03:00 CEST at 01:00Z; 27 October: 03:00 CEST -> 02:00 CET at 01:00Z.
    const TimeView ams("Europe/Amsterdam");
    EXPECT_EQ(ams.format(at("2019-03-31T00:59:59Z")), "2019-03-31 01:59:59 CET");
    EXPECT_EQ(ams.format(at("2019-03-31T01:00Z")), "2019-03-31 03:00:00 CEST");
    EXPECT_EQ(ams.format(at("2019-10-27T00:30Z")), "2019-10-27 02:30:00 CEST");
    EXPECT_EQ(ams.format(at("2019-10-27T01:30Z")), "2019-10-27 02:30:00 CET");
    EXPECT_EQ(ams.parse("2019-10-27 02:30 CET", Time(0)), at("2019-10-27T01:30Z"));
    EXPECT_EQ(ams.parse("2019-10-27 02:30", Time(0)), at("2019-10-27T00:30Z"));
    EXPECT_EQ(ams.parse("2019-07-01", Time(0)), at("2019-06-30T22:00Z"));
    EXPECT_EQ(ams.parse("2019-12-01", Time(0)), at("2019-11-30T23:00Z"));
}

// Property: what is shown reads back as the same instant, in each zone and in UTC, on the days
// clocks change and at random instants (milliseconds included).
TEST(TimeEntry, ShownTimesReadBackAsTheSameInstant) {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::int64_t> dist(at("2015-01-01T00:00Z").ms(),
                                                     at("2035-12-31T00:00Z").ms());
    for (const char* name : {"America/Los_Angeles", "Europe/Amsterdam", "Asia/Seoul", "Australia/Sydney",
                             "Australia/Lord_Howe", "Asia/Kolkata", "UTC"}) {
        for (const bool utc : {false, true}) {
            TimeView view(name);
            ASSERT_TRUE(view.has_zone()) << name;
            view.set_utc(utc);
            std::vector<std::int64_t> instants;
            for (int i = 0; i < 3000; ++i)
                instants.push_back(dist(rng) / (i % 2 ? 1 : 60'000) * (i % 2 ? 1 : 60'000));
            // Every quarter hour over the 2019 changes of LA and Amsterdam, and Lord Howe's half-hour one.
            for (const char* day : {"2019-03-10T00:00Z", "2019-11-03T00:00Z", "2019-03-30T12:00Z",
                                    "2019-10-26T12:00Z", "2019-04-06T00:00Z", "2019-10-05T00:00Z"})
                for (int q = 0; q < 24 * 4; ++q) instants.push_back(at(day).ms() + q * 900'000LL);
            for (const std::int64_t ms : instants) {
                const std::string shown = view.format(Time(ms));
                ASSERT_EQ(view.parse(shown, Time(0)), Time(ms)) << name << (utc ? " (UTC) " : " ") << shown;
                ASSERT_EQ(view.parse(view.format_other(Time(ms)), Time(0)), Time(ms))
                    << name << " " << view.format_other(Time(ms));
            }
        }
    }
}

// Property: random text never crashes; it parses or throws TimeEntryError. Mutations of valid
// entries stay in range when they parse.
TEST(TimeEntry, RandomInputParsesOrThrowsTimeEntryError) {
    std::mt19937_64 rng(42);
    const std::string alphabet = "0123456789-+:.TZ dhmsxKSTPUC";
    const std::vector<std::string> seeds{
        "2024-07-01T08:30:15.250Z", "+1h30m", "08:30", "2024-02-29", "2024-07-01 08:30 KST",
        "2024-07-01 08:30 +09:00"};
    const TimeView seoul("Asia/Seoul");
    for (int i = 0; i < 20000; ++i) {
        std::string s;
        if (i % 2 == 0) {
            const std::size_t n = rng() % 30;
            for (std::size_t k = 0; k < n; ++k) s += alphabet[rng() % alphabet.size()];
        } else {
            s = seeds[rng() % seeds.size()];
            const std::size_t edits = 1 + rng() % 3;
            for (std::size_t k = 0; k < edits && !s.empty(); ++k)
                s[rng() % s.size()] = alphabet[rng() % alphabet.size()];
        }
        for (const TimeView* view : {&kUtc, &seoul}) {
            try {
                const Time t = view->parse(s, kCursor);
                EXPECT_GT(t.ms(), -100'000'000'000'000LL) << s;
                EXPECT_LT(t.ms(), 300'000'000'000'000LL) << s;
            } catch (const TimeEntryError&) {
            }
        }
    }
}

}  // namespace
}  // namespace evtwin::viewer
