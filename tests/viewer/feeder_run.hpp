#pragma once
// A run on a small branching feeder, for the Feeder tab's tests: a 0.4 kV substation s, a cable to
// b1 and on to b2, where the site's one 30 kW charger is, and a branch to b3. One vehicle charges at
// 30 kW from 10:00 to 12:00 (2016-03-07, UTC), which leaves b2 below the 0.99 per unit the DSO holds
// it to (bands) and b1 above 0.9 (the feeder's band).
#include <evtwin/run.hpp>
#include <evtwin/scenario.hpp>

#include "support/test_support.hpp"

#include <filesystem>
#include <string>

namespace evtwin::test {

inline std::filesystem::path write_feeder_run(const std::filesystem::path& dir) {
    const auto scenario = write_file(
        dir / "branching.lua",
        "scenario { name = \"branching\", timezone = \"UTC\", start = \"2016-03-07\", duration = days(1) }\n"
        "grid {}\n"
        "local t = transformer { name = \"T\" }\n"
        "charger { name = \"CP\", parent = t, max_kw = 30, efficiency = 1 }\n"
        "distribution_feeder {\n"
        "  name = \"branching\",\n"
        "  source = { bus1 = \"s\", basekv = 0.4, pu = 1 },\n"
        "  lines = {\n"
        "    { name = \"l1\", bus1 = \"s\", bus2 = \"b1\", r1 = 0.05, x1 = 0, r0 = 0.05, x0 = 0, c1 = 0, c0 "
        "= 0, "
        "length = 1, units = \"none\" },\n"
        "    { name = \"l2\", bus1 = \"b1\", bus2 = \"b2\", r1 = 0.05, x1 = 0, r0 = 0.05, x0 = 0, c1 = 0, c0 "
        "= 0, "
        "length = 1, units = \"none\" },\n"
        "    { name = \"l3\", bus1 = \"s\", bus2 = \"b3\", r1 = 0.05, x1 = 0, r0 = 0.05, x0 = 0, c1 = 0, c0 "
        "= 0, "
        "length = 1, units = \"none\" },\n"
        "  },\n"
        "  sites = { { node = t, bus = \"b2\" } },\n"
        "  bands = { { bus = \"b2\", v_min_pu = 0.99 } },\n"
        "}\n"
        "tariff { prices_csv = data(\"prices/nl_day_ahead_2016.csv\"), timezone = \"Europe/Amsterdam\", "
        "price_scale = 0.001 }\n"
        "session { arrival = \"2016-03-07T10:00\", departure = \"2016-03-07T12:00\", requested_kwh = 200,\n"
        "          capacity_kwh = 200, initial_soc = 0.1, max_ac_kw = 40 }\n");
    RunOptions options;
    options.strategy = "uncontrolled";
    options.db = dir / "branching.db";
    return run_scenario(Scenario::load(scenario), options).db;
}

}  // namespace evtwin::test
