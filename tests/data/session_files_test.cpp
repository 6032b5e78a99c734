// Real-session readers: ACN-Data CSV (.csv.gz), acnportal's serialised event queue, and the
// Norwegian residential CSV. Each import must reproduce its file's session count and energy exactly.
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
using test::write_file;
using ::testing::HasSubstr;

// ---- ACN-Data CSV -------------------------------------------------------------------------------

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

std::filesystem::path session_file(const std::string& name) {
    return test::data_file("sessions/" + name);
}

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

// ---- ACN-Sim event queue ---------------------------------------------------------------------------

const char* kAcnSim = "acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz";

// python3 -c "import gzip,json,math;d=json.loads(json.load(gzip.open('../shared/data/sessions/acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz')));c=d['context_dict'];e=[c[c[i]['attributes']['ev']]['attributes'] for t,i in c[d['id']]['attributes']['_queue'] if c[i]['class'].endswith('PluginEvent')];print(len(e),math.fsum(x['_requested_energy'] for x in e),sum(x['_arrival'] for x in e),sum(x['_departure'] for x in e),sum(x['_estimated_departure'] for x in e))"
// -> 954 8900.52210185185 4252352 4326813 4326813 (every battery: capacity = requested, init 0, 6.6 kW)
TEST(AcnSimEvents, ReproducesCountEnergyAndPeriods) {
    const auto sessions = load_acnsim_events(session_file(kAcnSim), {});
    ASSERT_EQ(sessions.size(), 954u);
    // Period 0 is local midnight of 2019-03-01 in Pasadena (PST, UTC-8): the session ids carry the
    // UTC plug-in time, e.g. 2019-03-01 14:24:58 for period 76 = 06:20 PST.
    const Time origin = parse_time("2019-03-01T08:00:00Z", TimeZone("UTC"));
    test::CompensatedSum requested;
    std::int64_t arrival = 0, departure = 0, declared = 0;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const auto& s = sessions[i];
        EXPECT_EQ(s.id, i);
        ASSERT_EQ(s.vehicle.curve.size(), 2u);  // acnportal's ideal Battery: flat to full
        EXPECT_EQ(s.vehicle.curve.back().fraction, 1.0);
        const auto period = [&](Time t) {
            EXPECT_EQ((t - origin).ms() % 300'000, 0);
            return (t - origin).ms() / 300'000;
        };
        arrival += period(s.arrival);
        departure += period(s.departure);
        declared += period(s.declared_departure);
        requested.add(s.requested_kwh);
        EXPECT_DOUBLE_EQ(s.vehicle.capacity_kwh, s.requested_kwh);
        EXPECT_EQ(s.initial_soc, 0.0);
        EXPECT_EQ(s.vehicle.max_ac_kw, 6.6);
        // Lossless as in acnportal: the request fills the battery exactly.
        EXPECT_LE(s.initial_soc * s.vehicle.capacity_kwh + s.requested_kwh * s.vehicle.charge_efficiency,
                  s.vehicle.capacity_kwh * (1 + 1e-12));
        EXPECT_FALSE(s.station.empty());
    }
    EXPECT_NEAR(requested.value(), 8900.52210185185, 1e-9);
    EXPECT_EQ(arrival, 4252352);
    EXPECT_EQ(departure, 4326813);
    EXPECT_EQ(declared, 4326813);
    EXPECT_EQ(sessions.front().station, "CA-315");
    EXPECT_EQ(format_utc(sessions.front().arrival), "2019-03-01T14:20:00.000Z");
    EXPECT_EQ(format_utc(sessions.front().departure), "2019-03-01T15:40:00.000Z");
    EXPECT_DOUBLE_EQ(sessions.front().requested_kwh, 4.216);

    // Another origin and period shift and stretch every time.
    AcnSimOptions other;
    other.start_local = "2019-03-02T00:00";
    other.timezone = "UTC";
    other.period = Duration::minutes(1);
    const auto shifted = load_acnsim_events(session_file(kAcnSim), other);
    ASSERT_EQ(shifted.size(), 954u);
    EXPECT_EQ(format_utc(shifted.front().arrival), "2019-03-02T01:16:00.000Z");
}

std::string acnsim_document(const std::string& ev_attributes, const std::string& battery_attributes,
                            const std::string& event_attributes = R"({"timestamp": 10, "ev": "2"})") {
    const std::string inner =
        R"({"id": "1", "context_dict": {)"
        R"("1": {"class": "acnportal.acnsim.events.event_queue.EventQueue", "attributes": {"_queue": [[10, "4"]]}},)"
        R"("4": {"class": "acnportal.acnsim.events.event.PluginEvent", "attributes": )" +
        event_attributes + "}," + R"("2": {"class": "acnportal.acnsim.models.ev.EV", "attributes": )" +
        ev_attributes + "}," + R"("3": {"class": "acnportal.acnsim.models.battery.Battery", "attributes": )" +
        battery_attributes + "}}}";
    return nlohmann::json(inner).dump();  // a JSON string holding the JSON, as acnportal writes it
}

const std::string kEv =
    R"({"_arrival": 10, "_departure": 20, "_estimated_departure": 18, "_requested_energy": 5, "_station_id": "S1", "_battery": "3"})";
const std::string kBattery = R"({"_capacity": 50, "_init_charge": 10, "_max_power": 7.2})";

TEST(AcnSimEvents, SmallDocumentAndItsErrors) {
    const auto dir = test::temp_dir("acnsim");
    AcnSimOptions o;
    o.start_local = "2024-01-01T00:00:00Z";
    const auto good = load_acnsim_events(write_file(dir / "good.json", acnsim_document(kEv, kBattery)), o);
    ASSERT_EQ(good.size(), 1u);
    EXPECT_EQ(format_utc(good[0].arrival), "2024-01-01T00:50:00.000Z");
    EXPECT_EQ(format_utc(good[0].departure), "2024-01-01T01:40:00.000Z");
    EXPECT_EQ(format_utc(good[0].declared_departure), "2024-01-01T01:30:00.000Z");
    EXPECT_DOUBLE_EQ(good[0].initial_soc, 0.2);
    EXPECT_DOUBLE_EQ(good[0].vehicle.capacity_kwh, 50.0);
    EXPECT_DOUBLE_EQ(good[0].vehicle.max_ac_kw, 7.2);
    EXPECT_EQ(good[0].station, "S1");

    const auto error = [&](const std::string& name, const std::string& content) {
        return error_of<DataError>([&] { load_acnsim_events(write_file(dir / name, content), o); });
    };
    EXPECT_THAT(error("json.json", "\"{\\\"id\\\": "), HasSubstr("json.json: invalid JSON"));
    EXPECT_THAT(error("shape.json", "[1, 2]"),
                HasSubstr("shape.json: $: expected acnportal's serialised object"));
    EXPECT_THAT(
        error(
            "arrival.json",
            acnsim_document(
                R"({"_arrival": 1.5, "_departure": 20, "_requested_energy": 5, "_station_id": "S1", "_battery": "3"})",
                kBattery)),
        HasSubstr("arrival.json: $._queue[0] (PluginEvent).ev._arrival: expected a period index (an integer "
                  ">= 0), got 1.5"));
    EXPECT_THAT(
        error(
            "order.json",
            acnsim_document(
                R"({"_arrival": 10, "_departure": 10, "_requested_energy": 5, "_station_id": "S1", "_battery": "3"})",
                kBattery)),
        HasSubstr("order.json: $._queue[0] (PluginEvent).ev._departure: expected a period after _arrival"));
    EXPECT_THAT(error("battery.json", acnsim_document(kEv, R"({"_capacity": 50, "_init_charge": 60})")),
                HasSubstr("battery.json: $._queue[0] (PluginEvent).ev._battery._init_charge: expected at "
                          "most the capacity"));
    EXPECT_THAT(error("energy.json", acnsim_document(kEv, R"({"_capacity": "big", "_init_charge": 0})")),
                HasSubstr("energy.json: $._queue[0] (PluginEvent).ev._battery._capacity: expected a number "
                          "from 0 to 1e15, got \"big\""));
    EXPECT_THAT(error("huge.json", acnsim_document(kEv, R"({"_capacity": 1e300, "_init_charge": 0})")),
                HasSubstr("huge.json: $._queue[0] (PluginEvent).ev._battery._capacity: expected a number "
                          "from 0 to 1e15, got 1e+300"));
    EXPECT_THAT(error("ref.json", acnsim_document(kEv, kBattery, R"({"timestamp": 10, "ev": "99"})")),
                HasSubstr("ref.json: $._queue[0] (PluginEvent).ev: no object with id 99 in $.context_dict"));
    EXPECT_THAT(
        error("ts.json", acnsim_document(kEv, kBattery, R"({"timestamp": 11, "ev": "2"})")),
        HasSubstr("ts.json: $._queue[0] (PluginEvent).timestamp: expected the EV's _arrival (10), got 11"));
    EXPECT_THAT(error("class.json", acnsim_document(kEv, kBattery, R"({"timestamp": 10, "ev": "3"})")),
                HasSubstr("class.json: $.context_dict[\"3\"]: expected a EV (referred to by $._queue[0] "
                          "(PluginEvent).ev), got class"));
    const std::string gz = test::read_file(session_file(kAcnSim));
    EXPECT_THAT(error("cut.json.gz", gz.substr(0, 1000)), HasSubstr("cut.json.gz: truncated gzip data"));
    AcnSimOptions bad_zone;
    bad_zone.timezone = "Mars/Olympus";
    EXPECT_THAT(error_of<DataError>([&] { load_acnsim_events(dir / "good.json", bad_zone); }),
                HasSubstr("good.json: ACN-Sim option start/timezone"));
}

TEST(AcnSimEvents, MutatedDocumentsLoadOrThrowDataError) {
    const auto dir = test::temp_dir("acnsim-fuzz");
    Rng rng = Rng::stream(5, "acnsim-fuzz");
    const std::string doc = nlohmann::json::parse(acnsim_document(kEv, kBattery)).get<std::string>();
    const std::string_view alphabet = "{}[]\":,0123456789.-ex\\ ";
    int loaded = 0, rejected = 0;
    for (int i = 0; i < 400; ++i) {
        std::string input = doc;
        mutate(input, rng, alphabet, 3, 4);
        try {
            for (const auto& s : load_acnsim_events(write_file(dir / "f.json", input), {})) {
                ASSERT_GT(s.departure, s.arrival);
                ASSERT_GE(s.initial_soc, 0.0);
                ASSERT_LE(s.initial_soc, 1.0);
            }
            ++loaded;
        } catch (const DataError& e) {
            ASSERT_THAT(e.what(), HasSubstr("f.json")) << e.what();
            ++rejected;
        }
    }
    EXPECT_GT(loaded, 10);
    EXPECT_GT(rejected, 10);
}

// ---- Norway residential CSV --------------------------------------------------------------------------

const char* kNorway = "norway_residential_2018-12_2020-01.csv";

// python3 -c "import csv,math,datetime as d;from zoneinfo import ZoneInfo as Z;r=list(csv.DictReader(open('../shared/data/sessions/norway_residential_2018-12_2020-01.csv',encoding='utf-8-sig'),delimiter=';'));P=lambda s:int(d.datetime.strptime(s,'%d.%m.%Y %H:%M').replace(tzinfo=Z('Europe/Oslo')).timestamp());print(len(r),math.fsum(float(x['El_kWh'].replace(',','.')) for x in r),sum(P(x['Start_plugin']) for x in r));o=[x for x in r if x['End_plugout'] not in ('NA',x['Start_plugin'])];print(len(o),sum(P(x['End_plugout'])-P(x['Start_plugin']) for x in o))"
// -> 6878 87493.28 10797943336140 / 6827 283465920 (34 End_plugout NA, 17 End_plugout = Start_plugin)
TEST(NorwayCsv, ReproducesCountEnergyAndTimes) {
    NorwayImportOptions options;
    options.unknown_stay = Duration(12 * 3'600'000 + 1);  // a stay no minute-resolution row can have
    const auto sessions = load_norway_csv(session_file(kNorway), options);
    ASSERT_EQ(sessions.size(), 6878u);
    test::CompensatedSum energy;
    std::int64_t arrival_s = 0, stay_s = 0;
    int open = 0, short_stays = 0;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const auto& s = sessions[i];
        EXPECT_EQ(s.id, i);
        EXPECT_GT(s.departure, s.arrival);
        EXPECT_EQ(s.declared_departure, s.departure);
        EXPECT_FALSE(s.station.empty());
        EXPECT_LE(s.initial_soc * s.vehicle.capacity_kwh + s.requested_kwh * s.vehicle.charge_efficiency,
                  s.vehicle.capacity_kwh * (1 + 1e-12));
        energy.add(s.requested_kwh);
        arrival_s += s.arrival.ms() / 1000;
        const auto stay = s.departure - s.arrival;
        if (stay == options.unknown_stay) {
            ++open;  // End_plugout NA: the assumed stay
        } else if (stay < Duration::minutes(1)) {
            ++short_stays;  // shorter than the minute resolution: Duration_hours
        } else {
            stay_s += stay.ms() / 1000;
        }
    }
    EXPECT_NEAR(energy.value(), 87493.28, 1e-9);
    EXPECT_EQ(arrival_s, 10797943336140);
    EXPECT_EQ(open, 34);
    EXPECT_EQ(short_stays, 17);
    EXPECT_EQ(stay_s, 283465920);

    // Row 2: 1;AdO3;AdO3-4;Private;NA;21.12.2018 10:20;10;21.12.2018 10:23;10;0,3;...
    const auto& first = sessions.front();
    EXPECT_EQ(first.station, "AdO3-4");
    EXPECT_EQ(format_utc(first.arrival), "2018-12-21T09:20:00.000Z");
    EXPECT_EQ(format_utc(first.departure), "2018-12-21T09:23:00.000Z");
    EXPECT_DOUBLE_EQ(first.requested_kwh, 0.3);

    NorwayImportOptions garage;
    garage.garage = "AdO3";
    const auto ado3 = load_norway_csv(session_file(kNorway), garage);
    ASSERT_EQ(ado3.size(), 379u);
    test::CompensatedSum ado3_energy;
    for (const auto& s : ado3) ado3_energy.add(s.requested_kwh);
    EXPECT_NEAR(ado3_energy.value(), 5239.22, 1e-9);  // python3: same filter on Garage_ID
    // Shared users charge at their garage's shared point.
    bool shared_seen = false;
    for (const auto& s : sessions) shared_seen = shared_seen || s.station.rfind("Shared-", 0) == 0;
    EXPECT_TRUE(shared_seen);
}

TEST(NorwayCsv, MalformedInputNamesFileLineAndExpectation) {
    const auto dir = test::temp_dir("norway-bad");
    const std::string header =
        "session_ID;Garage_ID;User_ID;User_type;Shared_ID;Start_plugin;Start_plugin_hour;End_plugout;End_"
        "plugout_hour;"
        "El_kWh;Duration_hours\n";
    const std::string row = "1;AdO3;AdO3-4;Private;NA;21.12.2018 10:20;10;21.12.2018 10:23;10;0,3;0,05\n";
    const auto error = [&](const std::string& name, const std::string& content, NorwayImportOptions o = {}) {
        return error_of<DataError>([&] { load_norway_csv(write_file(dir / name, content), o); });
    };
    EXPECT_THAT(error("date.csv", header + row + "2;AdO3;AdO3-4;Private;NA;31.02.2019 10:20;10;NA;NA;1;NA\n"),
                HasSubstr("date.csv:3: expected a local time dd.mm.yyyy HH:MM in column 'Start_plugin', got "
                          "'31.02.2019 10:20'"));
    EXPECT_THAT(error("iso.csv", header + "2;AdO3;AdO3-4;Private;NA;2019-02-01 10:20;10;NA;NA;1;NA\n"),
                HasSubstr("iso.csv:2: expected a local time dd.mm.yyyy HH:MM"));
    EXPECT_THAT(error("kwh.csv", header + "2;AdO3;AdO3-4;Private;NA;01.02.2019 10:20;10;NA;NA;1.5.3;NA\n"),
                HasSubstr("kwh.csv:2: expected a number in column 'El_kWh', got '1.5.3'"));
    EXPECT_THAT(
        error("back.csv", header + "2;AdO3;AdO3-4;Private;NA;01.02.2019 10:20;10;01.02.2019 10:19;10;1;0\n"),
        HasSubstr("back.csv:2: expected End_plugout at or after Start_plugin"));
    EXPECT_THAT(
        error("column.csv", "session_ID;Garage_ID;User_ID\n"),
        HasSubstr("column.csv: no column 'User_type'; the columns are 'session_ID', 'Garage_ID', 'User_ID'"));
    NorwayImportOptions unknown;
    unknown.garage = "XYZ";
    EXPECT_THAT(error("garage.csv", header + row, unknown),
                HasSubstr("garage.csv: no sessions of garage 'XYZ'; the Garage_IDs are AdO3"));
}

TEST(NorwayCsv, MutatedInputsLoadOrThrowDataError) {
    const auto dir = test::temp_dir("norway-fuzz");
    Rng rng = Rng::stream(3, "norway-fuzz");
    const std::string text =
        "session_ID;Garage_ID;User_ID;User_type;Shared_ID;Start_plugin;Start_plugin_hour;End_plugout;End_"
        "plugout_hour;"
        "El_kWh;Duration_hours\r\n"
        "1;AdO3;AdO3-4;Private;NA;21.12.2018 10:20;10;21.12.2018 10:23;10;0,3;0,05\r\n"
        "2;UT9;Share-12;Shared;Shared-12;23.04.2019 18:54;18;23.04.2019 18:54;18;0,02;0,008888889\r\n"
        "3;MS22;MS22-1;Private;NA;16.12.2019 15:18;15;NA;NA;22,73;NA\r\n";
    const std::string_view alphabet = ";\n.,:0123456789 NA\"";
    int loaded = 0, rejected = 0;
    for (int i = 0; i < 300; ++i) {
        std::string input = text;
        mutate(input, rng, alphabet, 3, 4);
        try {
            for (const auto& s : load_norway_csv(write_file(dir / "f.csv", input), {})) {
                ASSERT_GT(s.departure, s.arrival);
                ASSERT_GE(s.requested_kwh, 0.0);
            }
            ++loaded;
        } catch (const DataError& e) {
            ASSERT_THAT(e.what(), HasSubstr("f.csv")) << e.what();
            ++rejected;
        }
    }
    EXPECT_GT(loaded, 10);
    EXPECT_GT(rejected, 10);
}

}  // namespace
}  // namespace evtwin
