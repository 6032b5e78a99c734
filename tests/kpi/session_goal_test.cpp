// A driver's goal in the results: the session's row keeps it (sessions.goal_kwh), and the KPIs count
// the session against it, since what was asked for beyond a goal is wanted only where it is worth its
// price (docs/results-schema.md, unmet_energy).
#include <evtwin/run.hpp>
#include <evtwin/scenario.hpp>

#include "record/reader/run_reader.hpp"

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace evtwin {
namespace {

// One 11 kW charger without losses; a vehicle from 08:00 to 12:00 asks for 20 kWh, `needs` added.
std::filesystem::path goal_site(const std::string& name, const std::string& needs) {
    const auto dir = test::temp_dir("session-goal-" + name);
    return test::write_file(
        dir / "site.lua",
        "scenario { name = \"goal\", timezone = \"Europe/Amsterdam\", start = \"2016-03-07\", duration = "
        "days(1) "
        "}\n"
        "grid { import_kw = 100 }\n"
        "charger { name = \"CP\", max_kw = 11, efficiency = 1 }\n"
        "tariff { prices_csv = data(\"prices/nl_day_ahead_2016.csv\"), timezone = \"Europe/Amsterdam\",\n"
        "         price_scale = 0.001, currency = \"EUR\" }\n"
        "session { arrival = \"2016-03-07T08:00\", departure = \"2016-03-07T12:00\", requested_kwh = 20,\n"
        "          capacity_kwh = 60, initial_soc = 0.2, max_ac_kw = 11, charge_efficiency = 1" +
            needs + " }\n");
}

std::map<std::string, double> kpis_of(const std::filesystem::path& scenario, const std::string& strategy) {
    RunOptions options;
    options.strategy = strategy;
    options.db = scenario.parent_path() / (strategy + ".db");
    const RunOutcome run = run_scenario(Scenario::load(scenario), options);
    std::map<std::string, double> out;
    for (const Kpi& k : run.kpis) out[k.name] = k.value;
    return out;
}

// A goal of 12 kWh by 10:00 worth nothing beyond: mpc buys the 12 kWh and no more. The session
// requires its goal alone: nothing unmet, fully served, though 8 of the 20 kWh asked for were not
// delivered (energy_served).
TEST(SessionGoal, TheKpisCountASessionAgainstItsGoal) {
    const auto with_goal = goal_site("given", ", goal_kwh = 12, goal_by = \"2016-03-07T10:00\"");
    const auto k = kpis_of(with_goal, "mpc");
    EXPECT_NEAR(k.at("energy_delivered"), 12.0, 1e-3);
    EXPECT_NEAR(k.at("energy_requested"), 20.0, 1e-9);
    EXPECT_NEAR(k.at("unmet_energy"), 0.0, 1e-3);
    EXPECT_NEAR(k.at("sessions_fully_served"), 100.0, 1e-9);
    EXPECT_NEAR(k.at("energy_served"), 60.0, 1e-2);

    const RunReader reader(with_goal.parent_path() / "mpc.db");
    const auto sessions = reader.sessions(reader.latest_run());
    ASSERT_EQ(sessions.size(), 1u);
    EXPECT_EQ(sessions[0].goal_kwh, 12.0);
    EXPECT_NEAR(sessions[0].required_kwh(), 12.0, 1e-12);

    // uncontrolled gives the vehicle all 20 kWh: 8 more than its goal leave nothing unmet, not -8.
    EXPECT_NEAR(kpis_of(with_goal, "uncontrolled").at("unmet_energy"), 0.0, 1e-3);
    // Without a goal the request is required whole, and the row says there is none.
    const auto without = goal_site("none", "");
    EXPECT_NEAR(kpis_of(without, "uncontrolled").at("unmet_energy"), 0.0, 1e-3);
    const RunReader none(without.parent_path() / "uncontrolled.db");
    EXPECT_LT(none.sessions(none.latest_run())[0].goal_kwh, 0.0);
}

}  // namespace
}  // namespace evtwin
