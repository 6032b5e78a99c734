// ACN-Data CSV exports (.csv.gz) and their gzip reading: each import must reproduce its file's
// session count and energy exactly; bad input names the file, line and expectation.
#include "data/arrivals.hpp"
#include "data/gzip_file.hpp"
#include "data_checks.hpp"
#include "model/local_time.hpp"
#include "support/mutation.hpp"
#include "support/test_support.hpp"
#include "util/rng.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>

namespace evtwin {
namespace {

using test::error_of;
using test::mutate;
using test::session_file;
using test::write_file;
using ::testing::HasSubstr;

struct AcnCsvFile {
    const char* name;
    std::size_t sessions;
    double delivered_kwh;     // math.fsum(delivered_energy)
    double requested_kwh;     // math.fsum(requested_energy if > 0 else delivered_energy)
    std::int64_t arrival_s;   // sum of arrivals, Unix seconds
    std::int64_t declared_s;  // sum of max(estimated_departure, arrival), Unix seconds
};

// Computed once with python3 (gzip, csv, math.fsum, datetime.fromisoformat), e.g.
// python3 -c "import gzip,csv,math,datetime as d,sys;r=list(csv.DictReader(gzip.open(sys.argv[1],'rt')));P=lambda s:int(d.datetime.fromisoformat(s).timestamp());print(len(r),math.fsum(float(x['delivered_energy (kWh)']) for x in r),math.fsum(float(x['requested_energy (kWh)']) if float(x['requested_energy (kWh)'])>0 else float(x['delivered_energy (kWh)']) for x in r),sum(P(x['arrival']) for x in r),sum(max(P(x['estimated_departure']),P(x['arrival'])) for x in r))" FILE
const AcnCsvFile kAcnCsvFiles[] = {
    {"acn_caltech_2019-05-01_2019-08-31.csv.gz", 3527, 29532.77167127836, 55292.61295354539, 5508708603030,
     5508765342554},
    {"acn_caltech_2019-09-01_2019-12-31.csv.gz", 3177, 27974.333886287313, 52595.548729330934, 4994803368428,
     4994853843805},
    {"acn_caltech_2021-05-01_2021-08-31.csv.gz", 1829, 22783.627071908602, 53971.25587579749, 2973503173318,
     2973546135191},
    {"acn_jpl_2019-05-01_2019-08-31.csv.gz", 6026, 86060.43992138888, 153988.26990083334, 9412267600619,
     9412405882847},
    {"acn_jpl_2019-09-01_2019-12-31.csv.gz", 5804, 85732.42939833333, 150098.37746138888, 9126155191196,
     9126283109769},
    {"acn_jpl_2021-05-01_2021-08-31.csv.gz", 3086, 40473.40693388889, 84735.4563175, 5016272246625,
     5016343919105},
};

TEST(AcnCsv, EveryFileReproducesCountEnergyAndTimes) {
    for (const auto& f : kAcnCsvFiles) {
        SCOPED_TRACE(f.name);
        AcnImportOptions replay;
        replay.use_user_inputs = false;
        const auto replayed = load_acn_csv(session_file(f.name), replay);
        ASSERT_EQ(replayed.size(), f.sessions);
        test::CompensatedSum delivered;
        std::int64_t arrival_s = 0;
        for (std::size_t i = 0; i < replayed.size(); ++i) {
            const auto& s = replayed[i];
            EXPECT_EQ(s.id, i);
            if (i > 0) {
                EXPECT_LE(replayed[i - 1].arrival, s.arrival);
            }
            EXPECT_GT(s.departure, s.arrival);
            EXPECT_EQ(s.declared_departure, s.departure);
            EXPECT_FALSE(s.station.empty());
            EXPECT_LE(s.initial_soc * s.vehicle.capacity_kwh + s.requested_kwh * s.vehicle.charge_efficiency,
                      s.vehicle.capacity_kwh * (1 + 1e-12));
            delivered.add(s.requested_kwh);
            EXPECT_EQ(s.arrival.ms() % 1000, 0);
            arrival_s += s.arrival.ms() / 1000;
        }
        EXPECT_NEAR(delivered.value(), f.delivered_kwh, 1e-9 * f.delivered_kwh);
        EXPECT_EQ(arrival_s, f.arrival_s);

        const auto asked = load_acn_csv(session_file(f.name), {});
        ASSERT_EQ(asked.size(), f.sessions);
        test::CompensatedSum requested;
        std::int64_t declared_s = 0;
        for (const auto& s : asked) {
            requested.add(s.requested_kwh);
            declared_s += s.declared_departure.ms() / 1000;
            EXPECT_GE(s.declared_departure, s.arrival);
        }
        EXPECT_NEAR(requested.value(), f.requested_kwh, 1e-9 * f.requested_kwh);
        EXPECT_EQ(declared_s, f.declared_s);
    }
}

TEST(AcnCsv, FirstRowAndWindow) {
    const auto sessions = load_acn_csv(session_file(kAcnCsvFiles[0].name), {});
    const auto& first = sessions.front();
    // 2019-05-01 01:18:45-07:00,2019-05-01 15:52:36-07:00,60.0,44.069,CA-305,...,2019-05-01 09:20:45-07:00
    EXPECT_EQ(first.station, "CA-305");
    EXPECT_EQ(format_utc(first.arrival), "2019-05-01T08:18:45.000Z");
    EXPECT_EQ(format_utc(first.departure), "2019-05-01T22:52:36.000Z");
    EXPECT_EQ(format_utc(first.declared_departure), "2019-05-01T16:20:45.000Z");
    EXPECT_DOUBLE_EQ(first.requested_kwh, 60.0);
    EXPECT_DOUBLE_EQ(first.vehicle.capacity_kwh, 60.0 * 0.95 / 0.8);  // enlarged to hold the request

    AcnImportOptions may;
    const TimeZone la("America/Los_Angeles");
    may.start = parse_time("2019-05-01", la);
    may.end = parse_time("2019-06-01", la);
    const auto in_may = load_acn_csv(session_file(kAcnCsvFiles[0].name), may);
    ASSERT_FALSE(in_may.empty());
    EXPECT_LT(in_may.size(), sessions.size());
    EXPECT_EQ(in_may.front().id, 0u);
    for (const auto& s : in_may) {
        EXPECT_GE(s.arrival, may.start);
        EXPECT_LT(s.arrival, may.end);
    }
}

const std::string kAcnHeader =
    "arrival,departure,requested_energy (kWh),delivered_energy "
    "(kWh),station_id,session_id,estimated_departure,claimed\n";
const std::string kAcnRow =
    "2019-05-01 01:18:45-07:00,2019-05-01 15:52:36-07:00,60.0,44.069,CA-305,x,2019-05-01 "
    "09:20:45-07:00,True\n";

TEST(AcnCsv, MalformedInputNamesFileLineAndExpectation) {
    const auto dir = test::temp_dir("acn-csv-bad");
    const auto error = [&](const std::string& name, const std::string& content) {
        const auto file = write_file(dir / name, content);
        return error_of<DataError>([&] { load_acn_csv(file, {}); });
    };
    EXPECT_THAT(
        error("date.csv", kAcnHeader + kAcnRow +
                              "2019-05-32 01:00:00-07:00,2019-05-01 15:52:36-07:00,1,1,CA-1,x,,True\n"),
        HasSubstr("date.csv:3: expected a time like 2019-05-01 01:18:45-07:00 in column 'arrival', got "
                  "'2019-05-32 01:00:00-07:00'"));
    EXPECT_THAT(
        error("energy.csv",
              kAcnHeader + "2019-05-01 01:00:00-07:00,2019-05-01 02:00:00-07:00,1,n/a,CA-1,x,,True\n"),
        HasSubstr("energy.csv:2: expected a number in column 'delivered_energy (kWh)', got 'n/a'"));
    EXPECT_THAT(
        error("negative.csv",
              kAcnHeader + "2019-05-01 01:00:00-07:00,2019-05-01 02:00:00-07:00,1,-2,CA-1,x,,True\n"),
        HasSubstr(
            "negative.csv:2: expected kWh from 0 to 1000 in column 'delivered_energy (kWh)', got '-2'"));
    // A request larger than any battery: a typing error, which would make the vehicle's battery that large.
    EXPECT_THAT(
        error("huge.csv",
              kAcnHeader + "2019-05-01 01:00:00-07:00,2019-05-01 02:00:00-07:00,1e9,2,CA-1,x,,True\n"),
        HasSubstr("huge.csv:2: expected kWh from 0 to 1000 in column 'requested_energy (kWh)', got '1e9'"));
    EXPECT_THAT(error("order.csv",
                      kAcnHeader + "2019-05-01 03:00:00-07:00,2019-05-01 02:00:00-07:00,1,2,CA-1,x,,True\n"),
                HasSubstr("order.csv:2: expected a departure after the arrival"));
    EXPECT_THAT(error("column.csv", "arrival,departure,delivered_energy (kWh)\n"),
                HasSubstr("column.csv: no column 'station_id'; the columns are 'arrival', 'departure'"));

    // A gzip file cut short, and one with a damaged byte.
    const std::string gz = test::read_file(session_file(kAcnCsvFiles[0].name));
    EXPECT_THAT(error("cut.csv.gz", gz.substr(0, gz.size() / 2)),
                HasSubstr("cut.csv.gz: truncated gzip data (expected more compressed bytes)"));
    EXPECT_THAT(error("cut_trailer.csv.gz", gz.substr(0, gz.size() - 3)),
                HasSubstr("cut_trailer.csv.gz: truncated gzip data"));
    std::string damaged = gz;
    damaged[damaged.size() - 6] ^= 0x5a;  // inside the CRC-32 of the trailer
    EXPECT_THAT(error("crc.csv.gz", damaged),
                HasSubstr("crc.csv.gz: corrupt gzip data (incorrect data check)"));
    // A trailer whose size lies (4 GiB): read no further than its data, then refused by zlib's check.
    std::string forged = gz;
    forged.replace(forged.size() - 4, 4, "\xff\xff\xff\xff");
    EXPECT_THAT(error("size.csv.gz", forged),
                HasSubstr("size.csv.gz: corrupt gzip data (incorrect length check)"));
    EXPECT_THAT(error("garbage.csv.gz", gz + "xyz"),
                HasSubstr("garbage.csv.gz: corrupt gzip data (unexpected bytes"));
    EXPECT_THAT(error_of<DataError>([&] { load_acn_csv(dir / "missing.csv.gz", {}); }),
                HasSubstr("missing.csv.gz: cannot open the file for reading"));
    // A device that never ends and a folder: refused before reading.
    EXPECT_THAT(error_of<DataError>([&] { load_acn_csv("/dev/zero", {}); }),
                HasSubstr("/dev/zero: not a file (a folder or a device)"));
    EXPECT_THAT(error_of<DataError>([&] { load_acn_csv(dir, {}); }),
                HasSubstr(": not a file (a folder or a device)"));
}

TEST(Gzip, ConcatenatedMembersAndPlainText) {
    const auto dir = test::temp_dir("gzip");
    const std::string gz = test::read_file(session_file(kAcnCsvFiles[2].name));
    const std::string once = read_maybe_gzip_file(write_file(dir / "one.gz", gz));
    EXPECT_EQ(read_maybe_gzip_file(write_file(dir / "two.gz", gz + gz)), once + once);
    EXPECT_EQ(read_maybe_gzip_file(write_file(dir / "padded.gz", gz + gz + std::string(512, '\0'))),
              once + once);
    EXPECT_EQ(read_maybe_gzip_file(write_file(dir / "plain.csv", "a,b\n")), "a,b\n");
    EXPECT_EQ(once.substr(0, 8), "arrival,");
}

// Both decoders inflate good data alike, libdeflate's too where the trailer's size (that of the
// last member) is far below the first member's; libdeflate refuses bad data that zlib names.
TEST(Gzip, BothDecodersAgreeAndOnlyZlibExplains) {
    const std::string small = test::read_file(session_file(kAcnCsvFiles[2].name));
    const std::string large = test::read_file(session_file(kAcnCsvFiles[3].name));
    const std::string first = gunzip_stream(large, "large.gz");
    const std::string last = gunzip_stream(small, "small.gz");
    ASSERT_GT(first.size(), 2 * std::max<std::size_t>(last.size(), 1 << 16));  // room doubles at least once
    const std::string both = first + last;
    for (const std::string& data : {large + small, large + small + std::string(512, '\0')}) {
        const auto whole = gunzip_whole_members(data);
        ASSERT_TRUE(whole.has_value());
        EXPECT_EQ(*whole, both);
        EXPECT_EQ(gunzip_stream(data, "x.gz"), both);
    }
    std::string damaged = small;
    damaged[damaged.size() - 6] ^= 0x5a;
    for (const std::string& bad : {small.substr(0, small.size() / 2), damaged, small + "xyz"}) {
        EXPECT_FALSE(gunzip_whole_members(bad).has_value());
        EXPECT_THROW(gunzip_stream(bad, "bad.gz"), DataError);
    }
}

// Mutated inputs either load or throw DataError, never anything else (or crash).
TEST(AcnCsv, MutatedInputsLoadOrThrowDataError) {
    const auto dir = test::temp_dir("acn-csv-fuzz");
    Rng rng = Rng::stream(11, "acn-csv-fuzz");
    const std::string text =
        kAcnHeader + kAcnRow + "2019-11-03 01:30:00-08:00,2019-11-03 09:00:00-08:00,,5.5,CA-1,y,nan,False\n";
    const std::string gz = test::read_file(session_file(kAcnCsvFiles[2].name));
    const std::string_view alphabet = ",\n\"-:.0123456789 eT+\r\x1f\x8b";
    int loaded = 0, rejected = 0;
    for (int i = 0; i < 300; ++i) {
        std::string input = i % 3 == 0 ? gz.substr(0, 4000 + rng.below(4000)) : text;
        mutate(input, rng, alphabet, 4, 6);
        const auto file = write_file(dir / "f.csv.gz", input);
        try {
            const auto sessions = load_acn_csv(file, {});
            for (const auto& s : sessions) {
                ASSERT_GT(s.departure, s.arrival);
                ASSERT_GE(s.requested_kwh, 0.0);
            }
            ++loaded;
        } catch (const DataError& e) {
            ASSERT_THAT(e.what(), HasSubstr("f.csv.gz")) << e.what();
            ++rejected;
        }
    }
    EXPECT_GT(loaded, 10);
    EXPECT_GT(rejected, 10);
}

}  // namespace
}  // namespace evtwin
