// The NASA PCoE capacity files: the shared cells read back, and bad rows named by file and line.
#include "data/nasa_battery.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

const std::string kNasaHeader = "discharge,voltage,temperature,time,capacity,soh\n";

TEST(NasaBattery, ReadsTheSharedCells) {
    const auto files = nasa_capacity_files(test::data_file("battery"));
    ASSERT_EQ(files.size(), 4u);
    EXPECT_EQ(nasa_cell_name(files[0]), "B0005");
    const CapacityCurve b5 = read_nasa_capacity(files[0]);
    EXPECT_EQ(b5.cell, "B0005");
    EXPECT_EQ(b5.capacity_ah.size(), 168u);
    EXPECT_EQ(b5.discharge.front(), 1);
    EXPECT_NEAR(b5.capacity_ah.front(), 1.8565, 1e-4);
}

TEST(NasaBattery, BadRowsNameFileAndLine) {
    const auto dir = test::temp_dir("nasa-bad");
    struct Case {
        std::string rows;
        std::string message;
    };
    const Case cases[] = {
        {"1,3.2,38,3690,1.85,100\n2,3.3,39,3672,abc,99\n",
         ":3: expected a number in column 'capacity', got 'abc'"},
        {"1,3.2,38,3690,1.85,100\n2,3.3,39,3672,-1.0,99\n", ":3: expected a capacity > 0"},
        {"1,3.2,38,3690,1.85,100\n1,3.3,39,3672,1.84,99\n", ":3: discharge 1 does not follow discharge 1"},
        {"1.5,3.2,38,3690,1.85,100\n", ":2: expected a discharge number"},
        {"1,3.2,38,3690,1.85,100,7\n", ":2: expected at most 6 fields"},
        {"", ": no discharge rows"},
    };
    for (const Case& c : cases) {
        const auto file = test::write_file(dir / "nasa_B0099.csv", kNasaHeader + c.rows);
        const std::string m = test::error_of<DataError>([&] { read_nasa_capacity(file); });
        EXPECT_NE(m.find(file.string() + c.message), std::string::npos) << m;
    }
    const auto no_column = test::write_file(dir / "nasa_B0098.csv", "discharge,cap\n1,1.8\n");
    const std::string m = test::error_of<DataError>([&] { read_nasa_capacity(no_column); });
    EXPECT_NE(m.find("no column 'capacity'"), std::string::npos) << m;
}

}  // namespace
}  // namespace evtwin
