// `evtwin compare` as a user meets it: every run in one database, a table of mean ± sample std per
// strategy whose numbers agree with the KPIs stored for the runs, differences from the first
// strategy, sorting, and clear usage errors (Ctrl-C: sigint_test.cpp).
#include "kpi/kpis.hpp"
#include "record/reader/run_reader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace evtwin {
namespace {

using test::run_command;

std::string quickstart() {
    return test::source_file("scenarios/quickstart.lua").string();
}

// A tiny site whose one session is written out: nothing in it depends on the seed.
std::filesystem::path tiny_scenario(const std::string& name) {
    const auto file = test::temp_dir("compare-" + name) / "tiny.lua";
    std::ofstream(file)
        << R"(scenario { name = "tiny", timezone = "UTC", start = "2024-07-01", duration = hours(6) }
grid { import_kw = 50, export_kw = 50 }
tariff { file = ")" +
               test::source_file("scenarios/tariffs").string() +
               R"(/kepco_ev_self_consumption.json", variant = "low_voltage" }
charger { name = "CP1", max_kw = 11 }
session { arrival = "2024-07-01T01:00", departure = "2024-07-01T04:00", capacity_kwh = 40, requested_kwh = 10 }
)";
    return file;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
}

std::vector<std::string> words_of(const std::string& line) {
    std::vector<std::string> words;
    std::istringstream in(line);
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

// One strategy's row of the printed table: per column the mean and std text, and the diff text.
struct PrintedRow {
    std::string label;
    std::vector<std::string> mean, std, diff, diff_pct;
};

// Parses the table (a single block: the output is not a terminal) for the given column count.
// Rows are in printed order.
std::vector<PrintedRow> parse_table(const std::string& output, std::size_t columns, bool with_std) {
    const auto lines = lines_of(output);
    std::size_t i = 0;
    while (i < lines.size() && lines[i].rfind("strategy ", 0) != 0) ++i;
    i += 3;  // names, units, rule
    std::vector<PrintedRow> rows;
    for (; i + 1 < lines.size() && !lines[i].empty() && lines[i][0] != ' '; i += 2) {
        PrintedRow r;
        const auto values = words_of(lines[i]);
        const auto diffs = words_of(lines[i + 1]);
        const std::size_t per = with_std ? 3 : 1;
        if (values.size() != 1 + per * columns || diffs.size() < 1 + columns || diffs[0] != "diff") {
            ADD_FAILURE() << "unexpected table rows:\n" << lines[i] << "\n" << lines[i + 1];
            return rows;
        }
        r.label = values[0];
        for (std::size_t c = 0; c < columns; ++c) {
            r.mean.push_back(values[1 + per * c]);
            if (with_std) {
                EXPECT_EQ(values[2 + per * c], "±");
                r.std.push_back(values[3 + per * c]);
            }
        }
        // "-12 (-4.1 %)" or "0 (0.0 %)": three words per column.
        for (std::size_t w = 1; w < diffs.size(); w += 3) {
            r.diff.push_back(diffs[w]);
            if (w + 1 < diffs.size()) r.diff_pct.push_back(diffs[w + 1]);
        }
        rows.push_back(r);
    }
    return rows;
}

// Half a unit in the last printed decimal: how far a printed number may be from the exact one.
double rounding_of(const std::string& printed) {
    const auto dot = printed.find('.');
    const int decimals = dot == std::string::npos ? 0 : static_cast<int>(printed.size() - dot - 1);
    return 0.5 * std::pow(10.0, -decimals) * (1 + 1e-9) + 1e-9;
}

struct Stats {
    double mean, std;
};

Stats mean_and_sample_std(const std::vector<double>& v) {
    double sum = 0.0;
    for (double x : v) sum += x;
    const double mean = sum / static_cast<double>(v.size());
    double sq = 0.0;
    for (double x : v) sq += (x - mean) * (x - mean);
    return {mean, std::sqrt(sq / static_cast<double>(v.size() - 1))};
}

const std::vector<std::string> kColumns = {"energy_cost", "peak_import", "energy_served", "cpo_profit"};

// One comparison of the quickstart, shared by the tests that read it.
struct QuickstartComparison {
    std::filesystem::path db;
    test::CommandResult result;
};

const QuickstartComparison& quickstart_comparison() {
    static const QuickstartComparison c = [] {
        QuickstartComparison q;
        q.db = test::temp_dir("compare-quickstart") / "q.db";
        q.result = run_command(test::evtwin_command() + " compare " + quickstart() +
                               " --strategies uncontrolled,edf --seeds 3 --kpis "
                               "energy_cost,peak_import,energy_served,cpo_profit --db " +
                               q.db.string());
        return q;
    }();
    return c;
}

TEST(Compare, HasHelpAndIsListed) {
    const auto r = run_command(test::evtwin_command() + " compare --help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.output.find("usage: evtwin compare"), std::string::npos) << r.output;
    EXPECT_NE(run_command(test::evtwin_command() + " --help").output.find("compare SCENARIO.lua"),
              std::string::npos);
}

TEST(Compare, StoresEveryRunInOneDatabase) {
    const auto& q = quickstart_comparison();
    ASSERT_EQ(q.result.exit_code, 0) << q.result.output;
    const RunReader reader(q.db);
    const auto runs = reader.runs();
    ASSERT_EQ(runs.size(), 6u);
    std::map<std::string, std::set<std::uint64_t>> seeds;
    for (const auto& run : runs) {
        EXPECT_EQ(run.status, RunStatus::complete) << run.id;
        seeds[run.info.strategy_name].insert(run.info.seed);
        // Every KPI compute_kpis knows is stored, in its order (reproducible first, then timing).
        std::vector<std::string> names;
        for (const auto& k : reader.kpis(run.id)) names.push_back(k.name);
        EXPECT_EQ(names, kpi_names()) << run.id;
    }
    const std::set<std::uint64_t> one_two_three = {1, 2, 3};
    EXPECT_EQ(seeds["uncontrolled"], one_two_three);
    EXPECT_EQ(seeds["edf"], one_two_three);
    // The same seed gives the same sessions whatever the strategy: arrivals come from the seed.
    EXPECT_EQ(reader.sessions(runs[0].id).size(), reader.sessions(runs[1].id).size());
}

TEST(Compare, TableHoldsMeanAndSampleStdOfTheStoredKpis) {
    const auto& q = quickstart_comparison();
    ASSERT_EQ(q.result.exit_code, 0) << q.result.output;
    const RunReader reader(q.db);
    std::map<std::string, std::map<std::string, std::vector<double>>> stored;  // strategy -> kpi -> values
    for (const auto& run : reader.runs())
        for (const auto& k : reader.kpis(run.id)) stored[run.info.strategy_name][k.name].push_back(k.value);

    const auto rows = parse_table(q.result.output, kColumns.size(), true);
    ASSERT_EQ(rows.size(), 2u) << q.result.output;
    std::set<std::string> labels;
    for (const auto& r : rows) {
        labels.insert(r.label);
        ASSERT_EQ(r.mean.size(), kColumns.size());
        ASSERT_EQ(r.diff.size(), kColumns.size()) << q.result.output;
        for (std::size_t c = 0; c < kColumns.size(); ++c) {
            const auto& values = stored[r.label][kColumns[c]];
            ASSERT_EQ(values.size(), 3u);
            const Stats s = mean_and_sample_std(values);
            EXPECT_NEAR(std::stod(r.mean[c]), s.mean, rounding_of(r.mean[c]))
                << r.label << " " << kColumns[c];
            EXPECT_NEAR(std::stod(r.std[c]), s.std, rounding_of(r.std[c])) << r.label << " " << kColumns[c];
            // The difference from the first strategy given (uncontrolled), absolute and in %.
            const Stats ref = mean_and_sample_std(stored["uncontrolled"][kColumns[c]]);
            EXPECT_NEAR(std::stod(r.diff[c]), s.mean - ref.mean, rounding_of(r.diff[c]))
                << r.label << " " << kColumns[c];
            const std::string pct = r.diff_pct[c].substr(1);  // "(-4.1" -> "-4.1"
            EXPECT_NEAR(std::stod(pct), 100.0 * (s.mean - ref.mean) / std::fabs(ref.mean), rounding_of(pct))
                << r.label << " " << kColumns[c];
            if (r.label == "uncontrolled") {
                EXPECT_EQ(std::stod(r.diff[c]), 0.0) << r.diff[c];
                EXPECT_EQ(r.diff[c].find_first_of("+-"), std::string::npos) << r.diff[c];
                EXPECT_EQ(r.diff_pct[c], "(0.0");
            }
        }
    }
    EXPECT_EQ(labels, (std::set<std::string>{"uncontrolled", "edf"}));
    EXPECT_NE(q.result.output.find("diff: difference from uncontrolled"), std::string::npos)
        << q.result.output;
}

TEST(Compare, SortsByEnergyCostAscendingByDefault) {
    const auto& q = quickstart_comparison();
    ASSERT_EQ(q.result.exit_code, 0) << q.result.output;
    const auto rows = parse_table(q.result.output, kColumns.size(), true);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_LE(std::stod(rows[0].mean[0]), std::stod(rows[1].mean[0])) << q.result.output;
}

TEST(Compare, SortsByTheChosenKpiAndDirection) {
    const auto dir = test::temp_dir("compare-sort");
    for (const std::string direction : {"asc", "desc"}) {
        const auto r = run_command(
            test::evtwin_command() + " compare " + quickstart() +
            " --strategies uncontrolled,round_robin,edf --seed-list 4 --kpis energy_cost,cpo_profit"
            " --sort cpo_profit:" +
            direction + " --quiet --db " + (dir / (direction + ".db")).string());
        ASSERT_EQ(r.exit_code, 0) << r.output;
        const auto rows = parse_table(r.output, 2, false);
        ASSERT_EQ(rows.size(), 3u) << r.output;
        for (std::size_t i = 1; i < rows.size(); ++i) {
            const double before = std::stod(rows[i - 1].mean[1]), after = std::stod(rows[i].mean[1]);
            if (direction == "asc") {
                EXPECT_LE(before, after) << r.output;
            } else {
                EXPECT_GE(before, after) << r.output;
            }
        }
        // One seed: no "±" in the cells.
        EXPECT_EQ(r.output.find("±"), std::string::npos) << r.output;
        const RunReader reader(dir / (direction + ".db"));
        for (const auto& run : reader.runs()) EXPECT_EQ(run.info.seed, 4u);
    }
}

TEST(Compare, ScenarioParametersReachEveryRun) {
    const auto db = test::temp_dir("compare-params") / "p.db";
    const auto r = run_command(test::evtwin_command() + " compare " + quickstart() +
                               " --strategies uncontrolled,edf --seeds 2 -D transformer_kw=60 --quiet --db " +
                               db.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const RunReader reader(db);
    ASSERT_EQ(reader.runs().size(), 4u);
    for (const auto& run : reader.runs())
        for (const auto& k : reader.kpis(run.id))
            if (k.name == "peak_import") {
                EXPECT_LE(k.value, 60.0 + 1e-6) << run.id;
            }
}

TEST(Compare, RunsASeedIndependentScenarioOncePerStrategy) {
    const auto file = tiny_scenario("fixed");
    const auto db = file.parent_path() / "tiny.db";
    const auto r = run_command(test::evtwin_command() + " compare " + file.string() +
                               " --strategies edf,uncontrolled --db " + db.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("do not change with the seed"), std::string::npos) << r.output;
    EXPECT_EQ(RunReader(db).runs().size(), 2u);
}

TEST(Compare, DefaultDatabaseIsNamedAfterTheScenario) {
    const auto file = tiny_scenario("default-db");
    const auto r = run_command("cd " + file.parent_path().string() + " && " + test::evtwin_command() +
                               " compare tiny.lua --strategies edf --seeds 2 --quiet");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(RunReader(file.parent_path() / "tiny-compare.db").runs().size(), 2u);
}

struct BadCall {
    const char* name;
    std::string arguments;
    int exit_code;
    const char* message;
};

class CompareBadCall : public ::testing::TestWithParam<BadCall> {};

TEST_P(CompareBadCall, ExitsWithTheDocumentedCodeNamingTheProblem) {
    const BadCall& c = GetParam();
    const auto file = tiny_scenario(std::string("bad-") + c.name);
    const auto db = file.parent_path() / "x.db";
    const auto r = run_command(test::evtwin_command() + " compare " + file.string() + " " + c.arguments +
                               " --db " + db.string());
    EXPECT_EQ(r.exit_code, c.exit_code) << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(db)) << "nothing should be written before the runs can start";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CompareBadCall,
    ::testing::Values(
        BadCall{"unknown_strategy", "--strategies edf,no_such_strategy", 4, "no_such_strategy"},
        BadCall{"option_refused", "--strategies edf --opt bogus=1", 4, "bogus"},
        BadCall{"no_strategies", "--seeds 2", 2, "--strategies is required"},
        BadCall{"empty_item", "--strategies edf,,llf", 2, "without empty items"},
        BadCall{"twice", "--strategies edf,edf", 2, "'edf' twice"},
        BadCall{"seeds_zero", "--strategies edf --seeds 0", 2, "--seeds"},
        BadCall{"seeds_word", "--strategies edf --seeds many", 2, "--seeds"},
        BadCall{"seeds_negative", "--strategies edf --seeds -3", 2, "--seeds"},
        BadCall{"seed_list_bad", "--strategies edf --seed-list 1,x", 2, "--seed-list"},
        BadCall{"both_seed_options", "--strategies edf --seeds 2 --seed-list 1", 2, "not both"},
        BadCall{"unknown_kpi", "--strategies edf --kpis energy_cost,happiness", 2, "unknown KPI 'happiness'"},
        BadCall{"bad_sort", "--strategies edf --sort energy_cost:sideways", 2, "--sort"},
        BadCall{"unknown_option", "--strategies edf --frobnicate", 2, "unknown option --frobnicate"}),
    [](const ::testing::TestParamInfo<BadCall>& info) { return std::string(info.param.name); });

TEST(Compare, BadScenarioIsExitThreeWithFileAndLine) {
    const auto file = test::temp_dir("compare-bad-scenario") / "broken.lua";
    std::ofstream(file)
        << "scenario { name = \"x\", start = \"2024-07-01\", duration = hours(1) }\ncharger { max_kw = }\n";
    const auto r = run_command(test::evtwin_command() + " compare " + file.string() +
                               " --strategies edf --db " + (file.parent_path() / "x.db").string());
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_NE(r.output.find("broken.lua:2:"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace evtwin

namespace evtwin {
namespace {

// With the optimum among the strategies, the table shows each one's net-cost gap to it, run by
// run on the same arrivals. `--optimum` names a stand-in here, so the test needs no MILP solver.
TEST(Compare, ShowsTheGapToTheOptimumOnTheSameArrivals) {
    const auto db = test::temp_dir("compare-gap") / "gap.db";
    const auto r = run_command(test::evtwin_command() + " compare " + quickstart() +
                               " --strategies uncontrolled,edf --seed-list 1 --optimum edf"
                               " --kpis energy_cost,demand_charge,export_revenue --db " +
                               db.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(
        r.output.find(
            "gap_to_optimum: net cost (energy_cost + demand_charge - export_revenue + pv_curtailment_cost - "
            "ess_end_value) minus edf's"),
        std::string::npos)
        << r.output;
    const RunReader reader(db);
    std::map<std::string, double> net;
    for (const auto& run : reader.runs()) {
        std::map<std::string, double> k;
        for (const auto& kpi : reader.kpis(run.id)) k[kpi.name] = kpi.value;
        net[run.info.strategy_name] = k["energy_cost"] + k["demand_charge"] - k["export_revenue"];
    }
    ASSERT_EQ(net.size(), 2u);
    const auto rows = parse_table(r.output, 5, false);
    ASSERT_EQ(rows.size(), 2u) << r.output;
    for (const auto& row : rows) {
        const double gap = net[row.label] - net["edf"];
        EXPECT_NEAR(std::stod(row.mean[3]), gap, rounding_of(row.mean[3])) << row.label << "\n" << r.output;
        const double pct = 100.0 * gap / std::fabs(net["edf"]);
        EXPECT_NEAR(std::stod(row.mean[4]), pct, rounding_of(row.mean[4])) << row.label << "\n" << r.output;
    }
}

TEST(Compare, NoGapColumnsWithoutTheOptimumAndDecisionTimesByDefault) {
    const auto file = tiny_scenario("no-gap");
    const auto r =
        run_command(test::evtwin_command() + " compare " + file.string() +
                    " --strategies edf,uncontrolled --db " + (file.parent_path() / "c.db").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output.find("gap_to_optimum"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("decision_time_mean"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("decision_time_max"), std::string::npos) << r.output;
}

TEST(Compare, AnOptimumNotAmongTheStrategiesIsAUsageError) {
    const auto file = tiny_scenario("bad-optimum");
    const auto r =
        run_command(test::evtwin_command() + " compare " + file.string() +
                    " --strategies edf --optimum llf --db " + (file.parent_path() / "c.db").string());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("--optimum llf is not among --strategies"), std::string::npos) << r.output;
}

// Each strategy gets the scenario's flat options, then its own table: edf (no options) and guarded
// run side by side, and each run records what it was given.
TEST(Compare, GivesEachStrategyItsOwnOptionsFromTheScenario) {
    const auto file = tiny_scenario("per-strategy");
    std::string text = test::read_file(file);
    text.replace(
        text.find("duration = hours(6) }"), 21,
        "duration = hours(6), strategy_options = { guarded = { inner = \"llf\", margin = 1 }, llf = {} } }");
    test::write_file(file, text);
    const auto db = file.parent_path() / "c.db";
    const auto r = run_command(test::evtwin_command() + " compare " + file.string() +
                               " --strategies edf,guarded --db " + db.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const RunReader reader(db);
    std::map<std::string, std::string> options;
    for (const auto& run : reader.runs()) options[run.info.strategy_name] = run.info.strategy_options;
    EXPECT_EQ(options["edf"], "");
    EXPECT_EQ(options["guarded"], "inner=llf;margin=1");
}

}  // namespace
}  // namespace evtwin
