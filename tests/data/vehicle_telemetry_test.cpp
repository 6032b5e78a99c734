// The vehicle telemetry file of the battery health grade (docs/battery.md, section Health grade).
#include "data/vehicle_telemetry.hpp"

#include "support/mutation.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace evtwin {
namespace {

using test::error_of;
using test::write_file;
using ::testing::HasSubstr;

const std::filesystem::path& telemetry_dir() {
    static const auto d = test::temp_dir("vehicle_telemetry");
    return d;
}

const std::string kTelemetryHeader =
    "vehicle,model,year,km_per_kwh,temperature_c,cell_imbalance_mv,hard_events_per_100km\n";

std::string load_error(const std::string& name, const std::string& content) {
    const auto path = write_file(telemetry_dir() / name, content);
    return error_of<DataError>([&] { load_vehicle_telemetry(path); });
}

TEST(VehicleTelemetry, ReadsColumnsByNameInAnyOrderAndIgnoresOthers) {
    const auto path = write_file(telemetry_dir() / "valid.csv",
                                 "hard_events_per_100km,odometer_km,vehicle,year,model,cell_imbalance_mv,"
                                 "temperature_c,km_per_kwh\n"
                                 "3.5,41000,user-17,2019,Nissan Leaf,35,28.5,6.1\n"
                                 "\n"
                                 "12,90000,\"fleet 2\",2015,\"Tesla Model S, 85\",120,-3,4.2\n");
    const VehicleTelemetryTable table = load_vehicle_telemetry(path);
    ASSERT_EQ(table.rows.size(), 2u);
    EXPECT_EQ(table.lines, (std::vector<std::size_t>{2, 4}));
    const VehicleTelemetry& a = table.rows[0];
    EXPECT_EQ(a.vehicle, "user-17");
    EXPECT_EQ(a.model, "Nissan Leaf");
    EXPECT_EQ(a.year, 2019);
    EXPECT_DOUBLE_EQ(a.km_per_kwh, 6.1);
    EXPECT_DOUBLE_EQ(a.temperature_c, 28.5);
    EXPECT_DOUBLE_EQ(a.cell_imbalance_mv, 35.0);
    EXPECT_DOUBLE_EQ(a.hard_events_per_100km, 3.5);
    const VehicleTelemetry* b = table.find("fleet 2");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->model, "Tesla Model S, 85");
    EXPECT_DOUBLE_EQ(b->temperature_c, -3.0);
    EXPECT_EQ(table.find("nobody"), nullptr);
}

TEST(VehicleTelemetry, AMissingColumnNamesTheFileAndTheHeaderLine) {
    const std::string e = load_error("missing_column.csv",
                                     "vehicle,model,year,km_per_kwh,temperature_c,hard_events_per_100km\n"
                                     "v1,Leaf,2019,6.1,25,2\n");
    EXPECT_THAT(e, HasSubstr("missing_column.csv:1: expected a column 'cell_imbalance_mv' in the header"));
    // A file of another kind is refused for its header, not for its first row wider than that.
    EXPECT_THAT(
        load_error("passwd.csv", "root:x:0:0:root:/root:/bin/bash\nuser:x:1000:1000:A User,,,:/home/user\n"),
        HasSubstr("passwd.csv:1: expected a column 'vehicle' in the header"));
}

TEST(VehicleTelemetry, ARowWithAMissingFieldNamesTheFileAndLine) {
    const std::string short_row =
        load_error("short_row.csv", kTelemetryHeader + "v1,Leaf,2019,6.1,25,30,2\nv2,Leaf,2020,6.0,25\n");
    EXPECT_THAT(short_row,
                HasSubstr("short_row.csv:3: expected a number in column 'cell_imbalance_mv', got ''"));

    const std::string empty =
        load_error("empty_field.csv", kTelemetryHeader + "v1,Leaf,2019,6.1,25,30,2\nv2,,2020,6.0,25,30,2\n");
    EXPECT_THAT(empty, HasSubstr("empty_field.csv:3: expected a value in column 'model', got nothing"));

    const std::string no_id = load_error("empty_vehicle.csv", kTelemetryHeader + " ,Leaf,2019,6.1,25,30,2\n");
    EXPECT_THAT(no_id, HasSubstr("empty_vehicle.csv:2: expected a value in column 'vehicle'"));
}

TEST(VehicleTelemetry, ANonNumericFieldNamesTheFileLineAndColumn) {
    const std::string e = load_error("non_numeric.csv", kTelemetryHeader + "v1,Leaf,2019,six,25,30,2\n");
    EXPECT_THAT(e, HasSubstr("non_numeric.csv:2: expected a number in column 'km_per_kwh', got 'six'"));
}

TEST(VehicleTelemetry, ADuplicateVehicleNamesBothLines) {
    const std::string e = load_error(
        "duplicate.csv",
        kTelemetryHeader + "v1,Leaf,2019,6.1,25,30,2\nv2,Zoe,2020,6.5,22,15,1\nv1,Leaf,2019,6.0,25,30,2\n");
    EXPECT_THAT(e, HasSubstr("duplicate.csv:4: vehicle 'v1' is listed twice (first on line 2)"));
}

TEST(VehicleTelemetry, AYearOrValueOutOfRangeNamesTheFileAndLine) {
    EXPECT_THAT(
        load_error("old_year.csv", kTelemetryHeader + "v1,Leaf,1889,6.1,25,30,2\n"),
        HasSubstr("old_year.csv:2: expected a model year from 1990 to 2100 in column 'year', got '1889'"));
    EXPECT_THAT(load_error("half_year.csv", kTelemetryHeader + "v1,Leaf,2019.5,6.1,25,30,2\n"),
                HasSubstr("half_year.csv:2: expected a whole model year in column 'year', got '2019.5'"));
    EXPECT_THAT(
        load_error("negative.csv", kTelemetryHeader + "v1,Leaf,2019,6.1,25,-4,2\n"),
        HasSubstr(
            "negative.csv:2: expected a cell imbalance from 0 to 5000 mV in column 'cell_imbalance_mv'"));
}

TEST(VehicleTelemetry, AVehicleTheRunDoesNotKnowNamesTheFileAndLine) {
    const auto path = write_file(telemetry_dir() / "unknown.csv",
                                 kTelemetryHeader + "v1,Leaf,2019,6.1,25,30,2\nv9,Zoe,2020,6.5,22,15,1\n");
    const VehicleTelemetryTable table = load_vehicle_telemetry(path);
    EXPECT_NO_THROW(table.check_known({"v1", "v9", "v3"}));
    const std::string e = error_of<DataError>([&] { table.check_known({"v1", "v2"}); });
    EXPECT_THAT(e, HasSubstr("unknown.csv:3: vehicle 'v9' is not in the run"));
}

// A user's file, edited at random: it loads with every value in its documented range, or is refused
// with a DataError naming it.
TEST(VehicleTelemetry, MutatedFilesLoadInRangeOrNameTheFile) {
    Rng rng = Rng::stream(5, "telemetry-fuzz");
    const std::string text = kTelemetryHeader +
                             "v1,Leaf,2019,6.1,25,30,2\n\"v 2\",\"Zoe, R110\",2020,6.5,-3.5,15,1\n"
                             "v3,Ioniq,2022,7.25,31,0,12.5\n";
    const std::string_view alphabet = ",\n\"-.0123456789 e+\r";
    int loaded = 0, refused = 0;
    for (int i = 0; i < 500; ++i) {
        std::string input = text;
        test::mutate(input, rng, alphabet, 4, 5);
        const auto path = write_file(telemetry_dir() / "mutated.csv", input);
        try {
            for (const VehicleTelemetry& v : load_vehicle_telemetry(path).rows) {
                ASSERT_FALSE(v.vehicle.empty()) << input;
                ASSERT_TRUE(v.year >= 1990 && v.year <= 2100) << input;
                ASSERT_TRUE(v.km_per_kwh >= 0.5 && v.km_per_kwh <= 20.0) << input;
                ASSERT_TRUE(v.temperature_c >= -50.0 && v.temperature_c <= 90.0) << input;
                ASSERT_TRUE(v.cell_imbalance_mv >= 0.0 && v.cell_imbalance_mv <= 5000.0) << input;
                ASSERT_TRUE(v.hard_events_per_100km >= 0.0 && v.hard_events_per_100km <= 10000.0) << input;
            }
            ++loaded;
        } catch (const DataError& e) {
            ASSERT_THAT(e.what(), HasSubstr("mutated.csv")) << e.what();
            ++refused;
        }
    }
    EXPECT_GT(loaded, 20);
    EXPECT_GT(refused, 20);
}

}  // namespace
}  // namespace evtwin
