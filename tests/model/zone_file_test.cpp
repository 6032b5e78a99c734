#include "model/zone_file.hpp"

#include "model/local_time.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace evtwin {
namespace {

struct TimeType {
    std::int32_t offset_s;
    std::string abbrev;
};
struct Change {
    std::int64_t at_s;
    std::uint8_t type;
};

void big_endian(std::string& out, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

void header(std::string& out, std::size_t changes, std::size_t types, std::size_t chars) {
    out += "TZif2";
    out += std::string(15, '\0');
    for (std::size_t count : {std::size_t{0}, std::size_t{0}, std::size_t{0}, changes, types, chars})
        big_endian(out, count, 4);
}

// A version 2 TZif file: an empty 32-bit block, then the changes, types and footer given.
std::string tzif(const std::vector<Change>& changes, const std::vector<TimeType>& types,
                 const std::string& footer) {
    std::string chars;
    std::vector<std::size_t> abbrev_at;
    for (const TimeType& t : types) {
        abbrev_at.push_back(chars.size());
        chars += t.abbrev + '\0';
    }
    std::string out;
    header(out, 0, 1, 4);
    big_endian(out, 0, 4);
    out += std::string("\0\0UTC\0", 6);
    header(out, changes.size(), types.size(), chars.size());
    for (const Change& c : changes) big_endian(out, static_cast<std::uint64_t>(c.at_s), 8);
    for (const Change& c : changes) out += static_cast<char>(c.type);
    for (std::size_t i = 0; i < types.size(); ++i) {
        big_endian(out, static_cast<std::uint32_t>(types[i].offset_s), 4);
        out += '\0';
        out += static_cast<char>(abbrev_at[i]);
    }
    return out + chars + "\n" + footer + "\n";
}

// TZDIR for the scope of one test.
class ZoneDir {
public:
    explicit ZoneDir(const std::filesystem::path& dir) { ::setenv("TZDIR", dir.c_str(), 1); }
    ~ZoneDir() { ::unsetenv("TZDIR"); }
};

constexpr std::int64_t k2007 = 1'173'578'400;  // 2007-03-11T10:00Z, a Los Angeles change
constexpr std::int64_t k2037 = 2'140'668'000;  // 2037-11-01T09:00Z, its last in a fat file

TEST(ZoneFile, ReadsChangesTypesAndFooter) {
    const ZoneHistory z = parse_zone_file(
        tzif({{k2007, 1}, {k2037, 0}}, {{-8 * 3600, "PST"}, {-7 * 3600, "PDT"}}, "PST8PDT,M3.2.0,M11.1.0"),
        "la");
    ASSERT_EQ(z.start_ms.size(), 3u);
    EXPECT_EQ(z.start_ms[1], k2007 * 1000);
    EXPECT_EQ(z.offset_ms[0], -8 * 3'600'000);  // before the first change: the first type
    EXPECT_EQ(z.offset_ms[1], -7 * 3'600'000);
    EXPECT_EQ(z.abbrev[1], "PDT");
    EXPECT_EQ(z.abbrev[2], "PST");
    EXPECT_TRUE(z.dst_continues);
    EXPECT_FALSE(parse_zone_file(tzif({}, {{9 * 3600, "KST"}}, "KST-9"), "seoul").dst_continues);
}

TEST(ZoneFile, EveryCutShortFileIsRefusedNamingIt) {
    const std::string whole =
        tzif({{k2007, 1}, {k2037, 0}}, {{-8 * 3600, "PST"}, {-7 * 3600, "PDT"}}, "PST8PDT,M3.2.0,M11.1.0");
    for (std::size_t n = 0; n < whole.size(); ++n) {
        const std::string what =
            test::error_of<std::invalid_argument>([&] { parse_zone_file(whole.substr(0, n), "cut.tzif"); });
        EXPECT_NE(what.find("cut.tzif: not a valid TZif file"), std::string::npos) << n << ": " << what;
    }
}

TEST(ZoneFile, AnOffsetBeyondADayIsRefused) {
    const std::string what = test::error_of<std::invalid_argument>([] {
        parse_zone_file(tzif({}, {{26 * 3600, "X"}}, "X"), "far.tzif");
    });
    EXPECT_NE(what.find("far.tzif: not a valid TZif file (a UTC offset of 93600 s)"), std::string::npos)
        << what;
}

TEST(ZoneFile, DamagedFilesAreRefusedOrReadNeverOverrun) {
    // Property: a real zone's file with random bytes changed is read or refused with a message; under
    // AddressSanitizer, no read goes past the bytes.
    const std::string whole = test::read_file("/usr/share/zoneinfo/America/Los_Angeles");
    std::mt19937_64 rng(5);
    for (int i = 0; i < 3000; ++i) {
        std::string bytes = whole;
        for (int k = 0; k < 3; ++k) bytes[rng() % bytes.size()] = static_cast<char>(rng() % 256);
        try {
            const ZoneHistory z = parse_zone_file(bytes, "damaged");
            EXPECT_EQ(z.start_ms.size(), z.offset_ms.size());
            EXPECT_EQ(z.start_ms.size(), z.abbrev.size());
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("damaged: not a valid TZif file"), std::string::npos)
                << e.what();
        }
    }
}

TEST(ZoneFile, TzdirIsWhereZonesAreRead) {
    const auto dir = test::temp_dir("zone_file_tzdir");
    test::write_file(dir / "Test" / "Plus3", tzif({}, {{3 * 3600, "+03"}}, "<+03>-3"));
    const ZoneDir scope(dir);
    const TimeZone zone("Test/Plus3");
    EXPECT_EQ(zone.utc_offset(Time(0)), Duration::hours(3));
    EXPECT_EQ(zone.abbreviation(Time(0)), "+03");
}

TEST(ZoneFile, ASlimFileIsRefusedRatherThanMisread) {
    // Its changes stop in 2007; the footer's rule would give the rest, which the reader does not apply.
    const auto dir = test::temp_dir("zone_file_slim");
    test::write_file(dir / "Test" / "Slim",
                     tzif({{k2007, 1}}, {{-8 * 3600, "PST"}, {-7 * 3600, "PDT"}}, "PST8PDT,M3.2.0,M11.1.0"));
    const ZoneDir scope(dir);
    const std::string what = test::error_of<std::invalid_argument>([] { TimeZone zone("Test/Slim"); });
    EXPECT_NE(what.find("time zone 'Test/Slim'"), std::string::npos) << what;
    EXPECT_NE(what.find("'slim' TZif file"), std::string::npos) << what;
}

}  // namespace
}  // namespace evtwin
