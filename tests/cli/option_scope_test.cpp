// --opt STRATEGY.KEY=VALUE: an option scoped to one strategy of the run reaches that strategy alone,
// without its prefix; a prefix naming another strategy is refused; any other prefix is part of the key.
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace evtwin {
namespace {

using test::run_command;

std::filesystem::path tiny_scenario() {
    static const std::filesystem::path file = [] {
        const auto f = test::temp_dir("cli-option-scope") / "tiny.lua";
        std::ofstream(f)
            << R"(scenario { name = "tiny", timezone = "UTC", start = "2024-07-01", duration = hours(6) }
grid { import_kw = 50, export_kw = 50 }
tariff { file = ")" +
                   test::source_file("scenarios/tariffs").string() +
                   R"(/kepco_ev_self_consumption.json", variant = "low_voltage" }
charger { name = "CP1", max_kw = 11 }
session { arrival = "2024-07-01T01:00", departure = "2024-07-01T04:00", capacity_kwh = 40, requested_kwh = 10 }
)";
        return f;
    }();
    return file;
}

// Whether `output` has the host's report that `strategy` does not take the option `key`.
bool refused(const std::string& output, const std::string& strategy, const std::string& key) {
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);)
        if (line.find("strategy '" + strategy + "' (") != std::string::npos &&
            line.find("bad options: unknown option '" + key + "'") != std::string::npos)
            return true;
    return false;
}

std::string db(const std::string& name) {
    return (tiny_scenario().parent_path() / (name + ".db")).string();
}

TEST(OptionScope, ARunGivesItsStrategyTheKeyWithoutThePrefix) {
    const auto r = run_command(test::evtwin_command() + " run " + tiny_scenario().string() +
                               " --strategy edf --opt edf.bogus=1 --db " + db("run-scoped"));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(refused(r.output, "edf", "bogus")) << r.output;
}

TEST(OptionScope, APrefixNamingNoStrategyIsPartOfTheKey) {
    const auto r = run_command(test::evtwin_command() + " run " + tiny_scenario().string() +
                               " --strategy edf --opt inner.bogus=1 --db " + db("run-foreign"));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(refused(r.output, "edf", "inner.bogus")) << r.output;
}

TEST(OptionScope, APrefixNamingAnotherStrategyIsRefused) {
    const auto r = run_command(test::evtwin_command() + " run " + tiny_scenario().string() +
                               " --strategy edf --opt llf.bogus=1 --db " + db("run-other"));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("--opt llf.bogus: llf is not among the strategies run here (edf)"),
              std::string::npos)
        << r.output;

    const auto host =
        run_command(test::evtwin_command() + " compare " + tiny_scenario().string() +
                    " --strategies edf,uncontrolled --opt guarded.baseline=edf --db " + db("compare-other"));
    EXPECT_EQ(host.exit_code, 2) << host.output;
    EXPECT_NE(host.output.find("--opt guarded.baseline: guarded is not among the strategies run here "
                               "(edf, uncontrolled)"),
              std::string::npos)
        << host.output;
}

TEST(OptionScope, CompareGivesAScopedOptionToThatStrategyOnly) {
    // edf is loaded first and takes no options: it must not see uncontrolled's.
    const auto r =
        run_command(test::evtwin_command() + " compare " + tiny_scenario().string() +
                    " --strategies edf,uncontrolled --opt uncontrolled.bogus=1 --db " + db("compare-scoped"));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(refused(r.output, "uncontrolled", "bogus")) << r.output;
    EXPECT_EQ(r.output.find("strategy 'edf'"), std::string::npos) << r.output;

    const auto both =
        run_command(test::evtwin_command() + " compare " + tiny_scenario().string() +
                    " --strategies edf,uncontrolled --opt bogus=1 --db " + db("compare-unscoped"));
    EXPECT_NE(both.exit_code, 0);
    EXPECT_TRUE(refused(both.output, "edf", "bogus")) << both.output;

    const auto none = run_command(test::evtwin_command() + " compare " + tiny_scenario().string() +
                                  " --strategies edf,uncontrolled --db " + db("compare-none"));
    EXPECT_EQ(none.exit_code, 0) << none.output;
}

}  // namespace
}  // namespace evtwin
