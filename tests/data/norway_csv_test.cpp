// The Norwegian residential CSV: the import reproduces its sessions exactly; bad input names the
// file, line and expectation.
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
