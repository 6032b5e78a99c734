#include "timeline/time_entry.hpp"

#include <gtest/gtest.h>

#include <random>

namespace evtwin::viewer {
namespace {

constexpr std::int64_t kT0 = 1'704'067'200'000;                // 2024-01-01T00:00:00Z
const Time kCursor(kT0 + 5 * 86'400'000LL + 3'600'000LL * 7);  // 2024-01-06 07:00

TEST(TimeEntry, AbsoluteDatesAndTimesAreUtc) {
    EXPECT_EQ(parse_time_entry("2024-01-01", kCursor), Time(kT0));
    EXPECT_EQ(parse_time_entry("2024-01-01T08:30", kCursor), Time(kT0 + 8 * 3'600'000 + 30 * 60'000));
    EXPECT_EQ(parse_time_entry(" 2024-01-01 08:30:15Z ", kCursor),
              Time(kT0 + 8 * 3'600'000 + 30 * 60'000 + 15'000));
    EXPECT_EQ(parse_time_entry("2024-01-01T00:00:00.250", kCursor), Time(kT0 + 250));
    // 2024 is a leap year: 29 Feb exists, and 1 March is day 60.
    EXPECT_EQ(parse_time_entry("2024-03-01", kCursor), Time(kT0 + 60LL * 86'400'000));
    EXPECT_EQ(parse_time_entry("1970-01-01", kCursor), Time(0));
}

TEST(TimeEntry, ClockTimeIsOnTheCursorsDay) {
    EXPECT_EQ(parse_time_entry("12:00", kCursor), Time(kT0 + 5 * 86'400'000LL + 12 * 3'600'000LL));
    EXPECT_EQ(parse_time_entry("00:00:01", kCursor), Time(kT0 + 5 * 86'400'000LL + 1000));
}

TEST(TimeEntry, RelativeToTheCursor) {
    EXPECT_EQ(parse_time_entry("+90m", kCursor), kCursor + Duration::minutes(90));
    EXPECT_EQ(parse_time_entry("-1h30m", kCursor), kCursor - Duration::minutes(90));
    EXPECT_EQ(parse_time_entry("+2d", kCursor), kCursor + Duration::days(2));
    EXPECT_EQ(parse_time_entry("+1s500ms", kCursor), kCursor + Duration(1500));
}

TEST(TimeEntry, BadInputNamesWhatWasTypedAndWhatIsExpected) {
    for (const char* bad :
         {"", "   ", "2024-13-01", "2024-02-30", "2023-02-29", "2024-01-01X", "25:00", "12:60", "+", "+5",
          "+5x", "-h", "yesterday", "2024-01-01T8:30", "+1234567890h"}) {
        try {
            parse_time_entry(bad, kCursor);
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const TimeEntryError& e) {
            EXPECT_NE(std::string(e.what()).find("expected"), std::string::npos) << e.what();
        }
    }
}

TEST(TimeEntry, FormatRoundTrips) {
    for (std::int64_t ms : {kT0, kT0 + 1, kT0 + 86'399'999, std::int64_t{0}, kT0 + 123'456'789'000}) {
        const std::string s = format_time(Time(ms));
        EXPECT_EQ(parse_time_entry(s, kCursor), Time(ms)) << s;
    }
    EXPECT_EQ(format_time(Time(kT0)), "2024-01-01 00:00:00");
    EXPECT_EQ(format_duration(Duration::hours(27) + Duration::seconds(5)), "1d 03:00:05");
    EXPECT_EQ(format_duration(Duration(-350)), "-350 ms");
}

// Property: random text never crashes; it parses or throws TimeEntryError. Mutations of valid
// entries stay in range when they parse.
TEST(TimeEntry, RandomInputParsesOrThrowsTimeEntryError) {
    std::mt19937_64 rng(42);
    const std::string alphabet = "0123456789-+:.TZ dhmsx";
    const std::vector<std::string> seeds{"2024-07-01T08:30:15.250Z", "+1h30m", "08:30", "2024-02-29"};
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
        try {
            const Time t = parse_time_entry(s, kCursor);
            EXPECT_GT(t.ms(), -100'000'000'000'000LL) << s;
            EXPECT_LT(t.ms(), 300'000'000'000'000LL) << s;
        } catch (const TimeEntryError&) {
        }
    }
}

}  // namespace
}  // namespace evtwin::viewer
