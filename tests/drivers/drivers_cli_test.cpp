// `evtwin drivers eval|predict` end to end: the table of the baselines (and of a model file), the
// driver's slots, and bad input as exit code 3 or 2 with the reason.
#include "drivers/model.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin::drivers {
namespace {

constexpr const char* kCliNorwayHeader =
    "session_ID;Garage_ID;User_ID;User_type;Shared_ID;Start_plugin;Start_plugin_hour;End_plugout;"
    "End_plugout_hour;El_kWh;Duration_hours;month_plugin;weekdays_plugin\n";

std::filesystem::path cli_history() {
    std::string text = kCliNorwayHeader;
    // Driver G-1 on the Tuesdays of June and July 2021 at 08:00, 10 kWh each.
    for (int day : {1, 8, 15, 22, 29})
        text += "1;G;G-1;Private;NA;" + std::string(day < 10 ? "0" : "") + std::to_string(day) +
                ".06.2021 08:00;8;01.07.2021 09:00;9;10;1;Jun;Tuesday\n";
    for (int day : {6, 13, 20, 27})
        text += "1;G;G-1;Private;NA;" + std::string(day < 10 ? "0" : "") + std::to_string(day) +
                ".07.2021 08:00;8;28.07.2021 09:00;9;10;1;Jul;Tuesday\n";
    return test::write_file(test::temp_dir("drivers-cli") / "sessions.csv", text);
}

TEST(DriversCli, EvalPrintsTheBaselinesTable) {
    const auto r = test::run_command(test::evtwin_command() + " drivers eval --history " +
                                     cli_history().string() + " --from 2021-07-01");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("| last_week | 0.00000 |"), std::string::npos)
        << r.output;  // same slot every week
    EXPECT_NE(r.output.find("| frequency | 0.00000 |"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("3 origins"), std::string::npos)
        << r.output;  // July 5, 12, 19 (26: past the data)
}

TEST(DriversCli, EvalWithCeilingAddsTheClairvoyantRow) {
    const auto r = test::run_command(test::evtwin_command() + " drivers eval --history " +
                                     cli_history().string() + " --from 2021-07-01 --ceiling");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // Every Tuesday at 08:00: knowing the days and the hours, nothing is left to miss.
    EXPECT_NE(r.output.find("| clairvoyant_days | 0.00000 |"), std::string::npos) << r.output;
}

TEST(DriversCli, PredictNamesTheMostLikelySlot) {
    const auto dir = test::temp_dir("drivers-cli-model");
    DriverModelParams p;
    p.hidden = 1;
    p.mean.assign(kSlotFeatures, 0.0);
    p.scale.assign(kSlotFeatures, 1.0);
    p.w1.assign(kSlotFeatures, 0.0);
    p.w1[0] = 1.0;
    p.b1 = {0.0};
    p.w2 = {4.0};
    p.b2 = -2.0;
    p.energy_w = {1.0, 0.0, 0.0, 0.0};
    write_model(dir / "model.json", p);
    const std::string base = test::evtwin_command() + " drivers predict --history " + cli_history().string() +
                             " --model " + (dir / "model.json").string();
    const auto r = test::run_command(base + " --driver norway-user-G-1 --from 2021-08-02");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("most likely 2021-08-03 08:00"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("32,2021-08-03 08:00,"), std::string::npos) << r.output;
    const auto unknown = test::run_command(base + " --driver nobody");
    EXPECT_EQ(unknown.exit_code, 3);
    EXPECT_NE(unknown.output.find("no driver 'nobody'"), std::string::npos) << unknown.output;
    const auto bad_from = test::run_command(base + " --driver norway-user-G-1 --from soon");
    EXPECT_EQ(bad_from.exit_code, 2);
    EXPECT_NE(bad_from.output.find("--from"), std::string::npos) << bad_from.output;
}

TEST(DriversCli, AnExportWithoutDriverIdIsRefused) {
    const auto r = test::run_command(test::evtwin_command() + " drivers eval --from 2019-06-01 --history " +
                                     EVTWIN_TEST_DATA_DIR "/sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.output.find("no driver id"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace evtwin::drivers
