// A strategy that answers what is not a number (a setpoint, the battery's, the PV limit) has each
// recorded as a violation and not applied, and its run completes into the results database: bad
// output of a plugin never ends a run.
#include "core/simulator.hpp"
#include "kpi/kpis.hpp"
#include "record/reader/run_reader.hpp"
#include "record/writer/sqlite_run_writer.hpp"
#include "support/test_site.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

namespace evtwin {
namespace {

TEST(InvalidDecision, NotANumberIsRecordedAndTheRunCompletes) {
    ScenarioSpec spec = test::small_site(2, 11.0, 100.0);
    spec.sessions = {test::session(0, 8.0, 12.0, 10.0), test::session(1, 8.0, 12.0, 10.0)};
    EssSpec ess;
    ess.node = 1;
    ess.capacity_kwh = 20.0;
    ess.max_charge_kw = ess.max_discharge_kw = 10.0;
    spec.ess = {ess};
    test::FunctionStrategy strategy([](const Observation&, Decision& d) {
        d.connector_kw = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()};
        d.ess_kw = {std::numeric_limits<double>::quiet_NaN()};
        d.pv_limit_kw = std::numeric_limits<double>::quiet_NaN();
    });
    const auto db = test::temp_dir("invalid_decision") / "run.db";
    std::filesystem::remove(db);
    {
        SqliteRunWriter writer(db);
        Simulator sim(spec, strategy, writer);
        RunInfo info;
        info.scenario_name = spec.name;
        info.strategy_name = "not-a-number";
        sim.run(info);
    }
    const RunReader reader(db);
    const RunId id = reader.latest_run();
    EXPECT_EQ(reader.run(id).status, RunStatus::complete);
    std::map<std::string, int> kinds;
    for (const ViolationRow& row : reader.violations(id)) {
        const Violation& v = row.v;
        ++kinds[v.kind];
        EXPECT_TRUE(std::isfinite(v.requested_kw)) << v.kind;
        EXPECT_EQ(v.requested_kw, v.applied_kw) << v.kind;
    }
    EXPECT_GT(kinds["invalid_setpoint"], 0);
    EXPECT_GT(kinds["invalid_pv_limit"], 0);
    std::map<std::string, double> kpis;
    for (const Kpi& k : compute_kpis(reader, id, *spec.tariff, spec.economics)) kpis[k.name] = k.value;
    EXPECT_EQ(kpis.at("clipped_energy"), 0.0);  // no power was clipped: none was asked
    EXPECT_EQ(kpis.at("limit_violations"), static_cast<double>(reader.violations(id).size()));
    for (const SessionRecord& s : reader.sessions(id)) EXPECT_EQ(s.delivered_kwh, 0.0);
}

}  // namespace
}  // namespace evtwin
