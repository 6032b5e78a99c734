// `evtwin battery report` end to end: a run whose vehicles return, graded from its results database,
// with and without telemetry; and bad telemetry.
#include "kpi/battery_grade.hpp"
#include "record/reader/run_reader.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>

#include <string>

namespace evtwin {
namespace {

using test::run_command;
using ::testing::HasSubstr;

constexpr const char* kScenario = R"(
scenario { name = "fleet", timezone = "Europe/Amsterdam", start = "2016-03-07", duration = days(14), seed = 3 }
grid { import_kw = 200, export_kw = 200 }
tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), timezone = "Europe/Amsterdam", price_scale = 0.001, currency = "EUR" }
for i = 1, 6 do charger { name = "CP" .. i, max_kw = 11 } end
ess { capacity_kwh = 100, max_charge_kw = 40, max_discharge_kw = 40 }
arrivals.elaadnl { site_type = "workplace", per_weekday = 8, per_weekend_day = 1 }
battery { fleet_vehicles = 5, model_years = {2015, 2023}, ev_cost_per_kwh = 150, ess_cost_per_kwh = 250 }
)";

struct FleetRun {
    std::filesystem::path dir;
    std::filesystem::path db;
};

const FleetRun& fleet_run() {
    static const FleetRun run = [] {
        FleetRun r;
        r.dir = test::temp_dir("battery-report");
        const auto scenario = test::write_file(r.dir / "fleet.lua", kScenario);
        r.db = r.dir / "fleet.db";
        const auto out = run_command(test::evtwin_binary().string() + " run " + scenario.string() +
                                     " --strategy edf --data-dir " + test::data_file("").string() + " --db " +
                                     r.db.string());
        EXPECT_EQ(out.exit_code, 0) << out.output;
        return r;
    }();
    return run;
}

TEST(BatteryReport, GradesEveryVehicleAndTheEss) {
    const FleetRun& run = fleet_run();
    const RunReader reader(run.db);
    const auto batteries = reader.battery_health(1);
    ASSERT_EQ(batteries.size(), 6u);  // five fleet vehicles and the ESS
    const auto r =
        run_command(test::evtwin_binary().string() + " battery report " + run.db.string() + " --details");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const BatteryUsage& b : batteries) {
        EXPECT_THAT(r.output, HasSubstr(b.battery)) << r.output;
        EXPECT_GT(b.sessions, 0) << b.battery;
        EXPECT_LT(b.soh_end, b.soh_start) << b.battery;
        if (!is_ess_battery(b.battery)) {  // edf leaves the ESS idle: calendar fade only
            EXPECT_GT(b.efc, 0.0) << b.battery;
        }
    }
    EXPECT_THAT(r.output, HasSubstr("6 batteries:"));
    EXPECT_THAT(r.output, HasSubstr("charging_pattern"));
    // The run stored each battery's grade and its two sub-scores (SoH, charging pattern).
    EXPECT_EQ(reader.table("battery_scores", RunId{1}).rows, 12u);
}

TEST(BatteryReport, TelemetryJoinsTheScore) {
    const FleetRun& run = fleet_run();
    const auto telemetry = test::write_file(run.dir / "telemetry.csv",
                                            "vehicle,model,year,km_per_kwh,temperature_c,cell_imbalance_mv,"
                                            "hard_events_per_100km\nfleet-1,Model X,2019,6.5,25,15,1\n");
    const auto csv = run.dir / "report.csv";
    const auto r = run_command(test::evtwin_binary().string() + " battery report " + run.db.string() +
                               " --details --telemetry " + telemetry.string() + " --csv " + csv.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("ev:fleet-1"));
    EXPECT_THAT(r.output, HasSubstr("(telemetry)"));
    EXPECT_THAT(r.output, HasSubstr("cell_balance"));
    const std::string written = test::read_file(csv);
    EXPECT_THAT(written, HasSubstr("battery,vehicle,model"));
    EXPECT_THAT(written, HasSubstr("ev:fleet-1,fleet-1"));
}

TEST(BatteryReport, BadTelemetryNamesFileAndLine) {
    const FleetRun& run = fleet_run();
    const auto unknown =
        test::write_file(run.dir / "unknown.csv",
                         "vehicle,model,year,km_per_kwh,temperature_c,cell_imbalance_mv,"
                         "hard_events_per_100km\nfleet-1,M,2019,6,25,15,1\nnobody,M,2019,6,25,15,1\n");
    auto r = run_command(test::evtwin_binary().string() + " battery report " + run.db.string() +
                         " --telemetry " + unknown.string());
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_THAT(r.output, HasSubstr(unknown.string() + ":3:"));
    EXPECT_THAT(r.output, HasSubstr("nobody"));

    const auto missing = test::write_file(run.dir / "missing.csv", "vehicle,model,year\nfleet-1,M,2019\n");
    r = run_command(test::evtwin_binary().string() + " battery report " + run.db.string() + " --telemetry " +
                    missing.string());
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_THAT(r.output, HasSubstr(missing.string() + ":1:"));

    r = run_command(test::evtwin_binary().string() + " battery report " + (run.dir / "none.db").string());
    EXPECT_EQ(r.exit_code, 3) << r.output;

    for (const std::string id : {"x", "1x", "0", "99999999999999999999999"}) {
        r = run_command(test::evtwin_binary().string() + " battery report " + run.db.string() + " --run " +
                        id);
        EXPECT_EQ(r.exit_code, 2) << id << ": " << r.output;
        EXPECT_THAT(r.output, HasSubstr("--run expects a whole number from 1 to 9223372036854775807, got '" +
                                        id + "'"));
    }
    r = run_command(test::evtwin_binary().string() + " battery report " + run.db.string() + " --run 9");
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_THAT(r.output, HasSubstr("no run with id 9"));
}

}  // namespace
}  // namespace evtwin
