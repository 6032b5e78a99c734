// `guarded` from the command line: listed as built in, run by name with options for its parts, and
// its decision to follow the inner recorded in the run.
#include "record/reader/run_reader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace evtwin {
namespace {

using test::run_command;

std::filesystem::path tiny(const std::string& name) {
    return test::write_file(test::temp_dir("guarded-" + name) / "tiny.lua",
                            R"(
scenario { name = "tiny", timezone = "UTC", start = "2024-07-01", duration = hours(6) }
grid { import_kw = 50, export_kw = 50 }
tariff { file = ")" + test::source_file("scenarios/tariffs").string() +
                                R"(/kepco_ev_self_consumption.json", variant = "low_voltage" }
charger { name = "CP1", max_kw = 11 }
charger { name = "CP2", max_kw = 11 }
session { arrival = "2024-07-01T01:00", departure = "2024-07-01T04:00", capacity_kwh = 40, requested_kwh = 10 }
session { arrival = "2024-07-01T01:30", departure = "2024-07-01T03:00", capacity_kwh = 40, requested_kwh = 12 }
)");
}

TEST(GuardedCli, IsListedAsBuiltIn) {
    const auto r = run_command(test::evtwin_command() + " plugins");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("guarded"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("(built in)"), std::string::npos) << r.output;
}

TEST(GuardedCli, RunsAnInnerWithoutExpectedCostAndSaysSoOnce) {
    const auto file = tiny("run");
    const auto db = file.parent_path() / "g.db";
    const auto r = run_command(test::evtwin_command() + " run " + file.string() +
                               " --strategy guarded --opt inner=llf --opt baseline=edf --db " + db.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const RunReader reader(db);
    const auto runs = reader.runs();
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].info.strategy_name, "guarded");
    EXPECT_EQ(runs[0].info.strategy_options, "baseline=edf;inner=llf");
    int told = 0;
    for (const auto& e : reader.events(runs[0].id))
        if (e.detail == "guard: inner llf gives no expected cost: following it") ++told;
    EXPECT_EQ(told, 1);
    EXPECT_TRUE(reader.violations(runs[0].id).empty());
}

TEST(GuardedCli, BadOptionsAreRefusedWithTheReason) {
    const auto file = tiny("bad");
    const auto r = run_command(test::evtwin_command() + " run " + file.string() +
                               " --strategy guarded --opt inner=edf --opt colour=red --db " +
                               (file.parent_path() / "g.db").string());
    EXPECT_EQ(r.exit_code, 4) << r.output;
    EXPECT_NE(r.output.find("strategy 'guarded' (built in): bad options: unknown option 'colour'"),
              std::string::npos)
        << r.output;
}

}  // namespace
}  // namespace evtwin
