#include "milp/run_check.hpp"

#include "golden/invariants.hpp"
#include "record/reader/run_reader.hpp"
#include "scenario/scenario_loader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin::test {

std::map<std::string, double> run_and_check(const std::string& scenario, const std::string& strategy,
                                            const std::string& options, const std::string& tag) {
    const auto file = source_file("scenarios/" + scenario);
    const auto db = temp_dir("milp-run-" + tag) / "run.db";
    const auto r = run_command(evtwin_binary().string() + " run " + file.string() + " --strategy " +
                               strategy + " " + options + " --db " + db.string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    if (r.exit_code != 0) return {};
    const RunReader reader(db);
    const RunId id = reader.latest_run();
    EXPECT_EQ(reader.run(id).status, RunStatus::complete);
    expect_session_energy_matches_series(reader, id);
    expect_node_limits_hold(reader, id);
    expect_soc_within_bounds(reader, id);
    expect_grid_permissions_hold(reader, id);
    expect_bill_matches_series(reader, id, *load_scenario(file).tariff);
    EXPECT_TRUE(reader.violations(id).empty()) << strategy << " " << options << " recorded violations";
    std::map<std::string, double> kpis;
    for (const Kpi& k : reader.kpis(id)) kpis[k.name] = k.value;
    return kpis;
}

}  // namespace evtwin::test
