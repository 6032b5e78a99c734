// Every bad input gives a ScenarioError with the exact file:line and a message saying what is wrong.
#include "scenario_test_util.hpp"

#include "model/local_time.hpp"

#include <gmock/gmock.h>

#include <cstdio>

namespace evtwin::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ScenarioErrors, LuaSyntaxErrorNamesFileAndLine) {
    const auto file =
        write_scenario("syntax", std::string(kHeader) + "\ncharger { name = \"CP1\" max_kw = 11 }\n");
    const std::string message = load_error(file);
    EXPECT_THAT(message, StartsWith(at(file, 5)));
    EXPECT_THAT(message, HasSubstr("'}' expected near 'max_kw'"));
}

TEST(ScenarioErrors, LongPathsAreNotTruncated) {
    // Lua shortens chunk names to 60 characters; the loader must still show the whole path.
    auto dir = temp_dir("scenario-long-path") / "a_rather_long_folder_name_for_scenarios" /
               "and_another_level_below";
    const auto file = write_file(dir / "scenario_with_a_long_name.lua", "local x = nil + 1\n");
    EXPECT_THAT(load_error(file), StartsWith(at(file, 1) + "attempt to perform arithmetic on a nil value"));
}

TEST(ScenarioErrors, UnknownKeyListsTheAllowedKeys) {
    const auto file =
        write_scenario("unknown-key", std::string(kHeader) + "charger { name = \"CP1\", max_KW = 11 }\n");
    EXPECT_EQ(load_error(file),
              at(file, 4) +
                  "charger: unknown key 'max_KW' (did you mean 'max_kw'?); allowed keys: connectors, "
                  "dc, efficiency, max_kw, min_kw, name, parent, phase_deg, setpoints_kw, v2g, voltage_v");
}

TEST(ScenarioErrors, WrongType) {
    const auto file = write_scenario(
        "wrong-type", std::string(kHeader) + "transformer { name = \"T1\", limit_kw = \"150\" }\n");
    EXPECT_EQ(load_error(file), at(file, 4) + "transformer: 'limit_kw' must be a number, got string '150'");

    const auto dur =
        write_scenario("wrong-duration", "scenario { name = \"t\", start = \"2024-07-01\", duration = 7 }\n");
    EXPECT_EQ(load_error(dur), at(dur, 1) +
                                   "scenario: 'duration' must be a duration such as minutes(15), hours(24) "
                                   "or days(7), got number 7");
}

TEST(ScenarioErrors, NegativeCapacity) {
    const auto file = write_scenario(
        "negative-capacity",
        std::string(kHeader) + "ess { capacity_kwh = -5, max_charge_kw = 10, max_discharge_kw = 10 }\n");
    EXPECT_EQ(load_error(file), at(file, 4) + "ess: 'capacity_kwh' must be > 0, got -5");
}

TEST(ScenarioErrors, OutOfRangeValues) {
    const std::pair<std::string, std::string> cases[] = {
        {"charger { name = \"c\", max_kw = 11, min_kw = 12 }", "charger: 'min_kw' must not exceed 'max_kw'"},
        {"charger { name = \"c\", max_kw = 11, efficiency = 1.2 }",
         "charger: 'efficiency' must be in (0, 1], got 1.2"},
        {"charger { name = \"c\", max_kw = 11, connectors = 0 }",
         "charger: 'connectors' must be >= 1, got 0"},
        {"charger { name = \"c\", max_kw = 11, setpoints_kw = {0, -3} }",
         "charger: negative setpoints (discharge) need v2g = true"},
        {"ess { capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5, soc_initial = 1.5 }",
         "ess: 'soc_initial' must be between 0 and 1, got 1.5"},
        {"ess { capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5, end_soc = 0.95 }",
         "ess: 'end_soc' must be within 'soc_min' and 'soc_max'"},
        {"ess { capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5, end_value_per_kwh = -1 }",
         "ess: 'end_value_per_kwh' must be >= 0, got -1"},
        {"ess { capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5, grid_charge = 0 }",
         "ess: 'grid_charge' must be true or false, got number 0"},
        {"ess { capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5, priority = 1.5 }",
         "ess: 'priority' must be an integer, got number 1.5"},
        {"ess { capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5, priority = 2000000 }",
         "ess: 'priority' must be a whole number from 0 to 1000000"},
        {"ess { capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5 } "
         "ess { capacity_kwh = 5, max_charge_kw = 2, max_discharge_kw = 2 }",
         "ess: name 'ess' is already used by a ess; names must be unique"},
        {"session { arrival = \"2016-03-07T08:00\", departure = \"2016-03-07T17:00\", initial_soc = 1.5, "
         "target_soc = 1 }",
         "session: 'initial_soc' must be between 0 and 1, got 1.5"},
        {"session { arrival = \"2016-03-07T08:00\", departure = \"2016-03-07T17:00\" }",
         "session: give exactly one of 'requested_kwh' (energy at the inlet) and 'target_soc'"},
        {"session { arrival = \"2016-03-07T08:00\", departure = \"2016-03-07T07:00\", requested_kwh = 5 }",
         "session: departure must come after arrival"},
        {"session { arrival = \"2016-04-07T08:00\", departure = \"2016-04-07T09:00\", requested_kwh = 5 }",
         "session: arrival 2016-04-07T08:00 is outside the scenario period"},
        {"load { kw = 3, profile = \"x.csv\" }",
         "load: give exactly one of 'kw' (a constant load) and 'profile'"},
        {"economics { charging_price_per_kwh = -1 }",
         "economics: 'charging_price_per_kwh' must be >= 0, got -1"},
        {"battery { fleet_vehicles = 1e12 }", "battery: 'fleet_vehicles' must be at most 1000000"},
        {"arrivals.elaadnl { per_weekday = 1e12 }",
         "arrivals.elaadnl: 'per_weekday' must be at most 100000 arrivals a day, got 1e+12"},
        {"arrivals.elaadnl { declared_departure_noise_h = 1e12 }",
         "arrivals.elaadnl: 'declared_departure_noise_h' must be at most 8784 hours (a year)"},
        {"arrivals.elaadnl { site_type = \"office\" }",
         "arrivals.elaadnl: 'site_type' must be \"private\", \"public\" or \"workplace\", got 'office'"},
        {"charger { name = \"c\", max_kw = 11, connectors = 65 }",
         "charger: 'connectors' must be at most 64"},
        {"charger { name = \"c\", max_kw = 11, connectors = 4294967297 }",  // 1 when cut to 32 bits
         "charger: 'connectors' must be at most 64"},
        {"charger { name = \"c\", max_kw = 1e300 }",
         "charger: 'max_kw' must be a finite number within +-1e15, got 1e+300"},
        {"charger { name = \"c\", max_kw = 0/0 }",
         "charger: 'max_kw' must be a finite number within +-1e15, got "},
        {"charger { name = \"c\", max_kw = 11, setpoints_kw = {0, -1e16} }",
         "charger: 'setpoints_kw' entry 2 must be a number within +-1e15, got "},
        {"charger \"CP1\"", "charger: expects a table of settings"},
        {"charger { \"CP1\" }", "charger: keys must be names, got number 1 (a list entry?)"},
        {"local x = param(\"n\")", "param 'n' has no default; give it on the command line: -D n=value"},
        {"session { arrival = \"2016-03-07T08:00\", departure = \"2016-03-07T09:00\", requested_kwh = 5, "
         "station = \"X\" }",
         "session: station 'X' is not a charger"},
    };
    for (const auto& [line, expected] : cases) {
        const auto file = write_scenario("range", std::string(kHeader) + line + "\n");
        EXPECT_THAT(load_error(file), StartsWith(at(file, 4) + expected)) << line;
    }
}

// The run's periods: a forecast holds a value per control period of its horizon.
TEST(ScenarioErrors, PeriodsOutOfRange) {
    const std::pair<std::string, std::string> cases[] = {
        {"control_period = minutes(0)", "scenario: 'control_period' must be longer than zero"},
        {"forecast_horizon = hours(-1)", "scenario: 'forecast_horizon' must not be negative"},
        {"forecast_horizon = days(1e6)",
         "scenario: 'forecast_horizon' must be at most 100000 control periods, got 96000000"},
    };
    for (const auto& [setting, expected] : cases) {
        const auto file = write_scenario(
            "periods",
            "scenario { name = \"t\", start = \"2016-03-07\", duration = days(2), " + setting + " }\n");
        EXPECT_THAT(load_error(file), StartsWith(at(file, 1) + expected)) << setting;
    }
    const auto file = write_scenario(
        "periods", "scenario { name = \"t\", start = \"1009-03-01\", stop = \"2019-04-01\" }\n");
    EXPECT_THAT(load_error(file),
                StartsWith(at(file, 1) +
                           "scenario: the period must be at most 100 years (36525 days), got 368926 days"));
}

// A run on prices the tariff does not have would use made-up ones and fail at its bill.
TEST(ScenarioErrors, ATariffWithoutPricesForThePeriod) {
    const auto file =
        write_scenario("tariff-period",
                       "scenario { name = \"t\", start = \"2024-01-01\", duration = days(2) }\n"
                       "grid { import_kw = 100 }\n"
                       "tariff { prices_csv = data(\"prices/nl_day_ahead_2016.csv\"), timezone = "
                       "\"Europe/Amsterdam\", price_scale = 0.001, currency = \"EUR\" }\n");
    EXPECT_EQ(load_error(file), at(file, 3) +
                                    "tariff: it has prices from 2015-12-31T23:00:00.000Z to "
                                    "2016-12-31T23:00:00.000Z, not for the scenario's period "
                                    "2024-01-01T00:00:00.000Z to 2024-01-03T00:00:00.000Z");
}

TEST(ScenarioErrors, MissingDataFile) {
    const auto file =
        write_scenario("missing-data", std::string(kHeader) +
                                           "\n\npv { kwp = 50, profile = data(\"pv/no_such_file.csv\") }\n");
    ScenarioLoadOptions options;
    options.data_dir = data_file("");
    EXPECT_THAT(load_error(file, options),
                StartsWith(at(file, 6) + "data: no file 'pv/no_such_file.csv' in the data folder "));

    const auto relative =
        write_scenario("missing-relative", std::string(kHeader) + "pv { kwp = 5, profile = \"nope.csv\" }\n");
    EXPECT_THAT(load_error(relative), StartsWith(at(relative, 4) + "pv: 'profile': no such file "));
}

// A PV output below zero would be a consumption: the profile's file and line are named. A load may
// read the same file.
TEST(ScenarioErrors, ANegativePvOutput) {
    std::string profile = "time,electricity\n";
    const TimeZone utc("UTC");
    const Time first = parse_time("2016-01-01", utc);
    for (int h = 0; h < 366 * 24; ++h) {
        const LocalDateTime t = utc.to_local(first + Duration::hours(h));
        char row[40];
        std::snprintf(row, sizeof row, "%04d-%02d-%02d %02d:00,%s\n", t.year, t.month, t.day, t.hour,
                      h == 3 ? "-0.5" : "0");
        profile += row;
    }
    const auto dir = temp_dir("scenario-negative-pv");
    write_file(dir / "night.csv", profile);
    const auto pv =
        write_file(dir / "pv.lua", std::string(kHeader) + "pv { kwp = 5, profile = \"night.csv\" }\n");
    EXPECT_THAT(load_error(pv), StartsWith(at(pv, 4) + "pv: " + (dir / "night.csv").string() +
                                           ":5: expected an output >= 0 in column 'electricity', got -0.5"));
    const auto load =
        write_file(dir / "load.lua", std::string(kHeader) + "load { profile = \"night.csv\" }\n");
    EXPECT_NO_THROW(load_scenario(load));
}

TEST(ScenarioErrors, MissingScenarioAndGridAreNamedAtTheEnd) {
    const auto file = write_scenario("missing",
                                     "-- a scenario that forgot two things\n"
                                     "tariff { prices_csv = data(\"prices/nl_day_ahead_2016.csv\") }\n"
                                     "\n"
                                     "economics { charging_price_per_kwh = 0.3 }\n");
    EXPECT_EQ(load_error(file),
              at(file, 4) +
                  "the scenario is incomplete: missing scenario { name = ..., start = ..., duration = "
                  "... }, grid { import_kw = ..., export_kw = ... }");

    const auto no_tariff = write_scenario(
        "missing-tariff", "scenario { name = \"t\", start = \"2016-03-07\", duration = days(1) }\ngrid {}\n");
    EXPECT_EQ(load_error(no_tariff),
              at(no_tariff, 2) +
                  "the scenario is incomplete: missing tariff { file = ... } or tariff { prices_csv = ... }");
}

TEST(ScenarioErrors, NodesNeedTheGridFirst) {
    const auto file =
        write_scenario("grid-first", "transformer { name = \"T1\", limit_kw = 100 }\ngrid {}\n");
    EXPECT_EQ(load_error(file),
              at(file, 1) +
                  "transformer: grid{} must come before transformer{}: the grid connection is the root "
                  "of the site tree");
}

TEST(ScenarioErrors, DuplicateNodeName) {
    const auto file =
        write_scenario("duplicate", std::string(kHeader) +
                                        "local t1 = transformer { name = \"T1\", limit_kw = 150 }\n"
                                        "feeder { name = \"T1\", parent = t1, limit_kw = 60 }\n");
    EXPECT_EQ(load_error(file),
              at(file, 5) + "feeder: name 'T1' is already used by a transformer; names must be unique");
}

TEST(ScenarioErrors, UnknownParent) {
    const auto file =
        write_scenario("unknown-parent", std::string(kHeader) +
                                             "transformer { name = \"T1\", limit_kw = 150 }\n"
                                             "charger { name = \"CP1\", parent = \"F9\", max_kw = 11 }\n");
    EXPECT_EQ(load_error(file),
              at(file, 5) + "charger: unknown parent 'F9'; the nodes declared so far are: grid, T1");

    const auto not_node =
        write_scenario("charger-parent", std::string(kHeader) +
                                             "local c = charger { name = \"CP1\", max_kw = 11 }\n"
                                             "charger { name = \"CP2\", parent = c, max_kw = 11 }\n");
    EXPECT_EQ(load_error(not_node), at(not_node, 5) +
                                        "charger: parent 'CP1' is a charger; a parent must be the grid, a "
                                        "transformer or a feeder");
}

TEST(ScenarioErrors, MultiLineCallReportsTheLineOfTheConstructor) {
    const auto file = write_scenario("multi-line", std::string(kHeader) +
                                                       "charger {\n"
                                                       "  name = \"CP1\",\n"
                                                       "  max_kw = -11,\n"
                                                       "}\n");
    EXPECT_EQ(load_error(file), at(file, 4) + "charger: 'max_kw' must be > 0, got -11");
}

TEST(ScenarioErrors, ErrorInsideALibraryFunctionPointsAtTheLibrary) {
    const auto dir = temp_dir("scenario-lib-error");
    write_file(dir / "lib" / "site.lua",
               "local M = {}\nfunction M.bad()\n  return charger { name = 1 }\nend\nreturn M\n");
    const auto file =
        write_file(dir / "main.lua", std::string(kHeader) + "local site = require(\"site\")\nsite.bad()\n");
    EXPECT_EQ(load_error(file),
              at(dir / "lib" / "site.lua", 3) + "charger: 'name' must be a string, got number 1");
}

TEST(ScenarioErrors, RunawayLoopIsStopped) {
    ScenarioLoadOptions options;
    options.instruction_limit = 2'000'000;
    const auto file =
        write_scenario("runaway", std::string(kHeader) + "local n = 0\nwhile true do\n  n = n + 1\nend\n");
    const std::string message = load_error(file, options);
    EXPECT_THAT(message, StartsWith(file.lexically_normal().string() + ":"));
    EXPECT_THAT(
        message,
        HasSubstr("the script ran more than 2000000 Lua instructions and was stopped (an endless loop?)"));

    // pcall cannot swallow the stop.
    const auto sneaky =
        write_scenario("runaway-pcall", "while true do pcall(function() while true do end end) end\n");
    EXPECT_THAT(load_error(sneaky, options), HasSubstr("Lua instructions and was stopped"));
}

TEST(ScenarioErrors, MemoryIsCapped) {
    ScenarioLoadOptions options;
    options.memory_limit_bytes = std::size_t{16} << 20;
    const auto file =
        write_scenario("memory", "local t = {}\nfor i = 1, 1e8 do t[i] = string.rep('x', 64) .. i end\n");
    EXPECT_EQ(load_error(file, options), file.lexically_normal().string() +
                                             ": the script used more than 16 MiB of memory and was stopped");
}

TEST(ScenarioErrors, BadTimeString) {
    const auto file =
        write_scenario("bad-time", std::string(kHeader) +
                                       "session { arrival = \"2016-03-07 8 o'clock\", departure = "
                                       "\"2016-03-07T17:00\", requested_kwh = 5 }\n");
    EXPECT_THAT(load_error(file),
                StartsWith(at(file, 4) + "session: 'arrival': cannot parse time '2016-03-07 8 o'clock'"));

    const auto start =
        write_scenario("bad-start", "scenario { name = \"t\", start = \"July 1st\", duration = days(1) }\n");
    EXPECT_THAT(load_error(start),
                StartsWith(at(start, 1) + "scenario: start: cannot parse time 'July 1st'"));

    const auto zone = write_scenario(
        "bad-zone",
        "scenario { name = \"t\", timezone = \"Asia/Seul\", start = \"2024-07-01\", duration = days(1) }\n");
    EXPECT_THAT(load_error(zone),
                StartsWith(at(zone, 1) + "scenario: timezone: unknown time zone 'Asia/Seul'"));
}

TEST(ScenarioErrors, ErrorCalledByTheScriptKeepsItsLocation) {
    const auto file = write_scenario("user-error", "\nerror(\"my own check failed\")\n");
    EXPECT_EQ(load_error(file), at(file, 2) + "my own check failed");
    const auto level0 = write_scenario("user-error-0", "error(\"no position\", 0)\n");
    EXPECT_EQ(load_error(level0), level0.lexically_normal().string() + ": no position");
    const auto table = write_scenario("user-error-table", "error({})\n");
    EXPECT_EQ(load_error(table), table.lexically_normal().string() + ": error with a table value");
}

TEST(ScenarioErrors, MissingScenarioFile) {
    EXPECT_THAT(load_error(temp_dir("scenario-none") / "nope.lua"),
                HasSubstr("nope.lua: no such scenario file"));
}

TEST(ScenarioErrors, UnusedCommandLineParam) {
    const auto file =
        write_scenario("unused-param", std::string(kHeader) + "local kw = param(\"transformer_kw\", 150)\n");
    ScenarioLoadOptions options;
    options.params["transfomer_kw"] = "200";
    EXPECT_EQ(load_error(file, options),
              file.lexically_normal().string() +
                  ": -D transfomer_kw: the scenario has no such param(); it reads: transformer_kw");
    options.params = {{"transformer_kw", "lots"}};
    EXPECT_EQ(
        load_error(file, options),
        at(file, 4) +
            "param 'transformer_kw': -D transformer_kw=lots is not a number (the default is number 150)");
}

}  // namespace
}  // namespace evtwin::test
