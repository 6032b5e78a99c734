#pragma once
// The live suites' sites. The main one: four 11 kW chargers under a 30 kW feeder under a 40 kW grid
// connection, one more charger (CP5, two connectors) straight under the grid. CP-A maps CP1 and CP2
// as its connectors 1 and 2, CP-B maps CP3, CP-C maps CP5.
#include "scenario/scenario_impl.hpp"
#include "support/test_support.hpp"

#include <evtwin/scenario.hpp>

#include <fstream>
#include <string>

namespace evtwin::serve::live_test {

inline constexpr const char* kSite = R"(
scenario { name = "live-site", start = "2024-07-01", duration = days(1), control_period = minutes(5) }
grid { import_kw = 40 }
local f = feeder { name = "F", limit_kw = 30 }
for i = 1, 4 do charger { name = "CP" .. i, parent = f, max_kw = 11, efficiency = 1.0 } end
charger { name = "CP5", max_kw = 22, connectors = 2, efficiency = 1.0 }
TARIFF
live { charge_points = { ["CP-A"] = { "CP1", "CP2" }, ["CP-B"] = "CP3", ["CP-C"] = "CP5" }, energy_kwh = 30, stay = hours(4) }
)";

// A 10 kW feeder holding an 11 kW charger and a battery 0.5 kWh above its floor; 15-minute periods.
// CP maps CP1.
inline constexpr const char* kFeederBatterySite = R"(
scenario { name = "feeder-battery", start = "2024-07-01", duration = days(1), control_period = minutes(15) }
grid { import_kw = 40 }
local f = feeder { name = "F", limit_kw = 10 }
charger { name = "CP1", parent = f, max_kw = 11, efficiency = 1.0 }
ess { name = "battery", parent = f, capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5,
      charge_efficiency = 1.0, discharge_efficiency = 1.0, soc_min = 0.1, soc_max = 0.9, soc_initial = 0.15 }
TARIFF
live { charge_points = { ["CP"] = "CP1" }, energy_kwh = 30, stay = hours(4) }
)";

// `text` with TARIFF (if it has one) replaced by a flat tariff, loaded from a file of its own.
inline ScenarioSpec load_site(std::string text) {
    const std::string tariff =
        "tariff { file = \"" +
        evtwin::test::source_file("scenarios/tariffs/norway_household_flat_illustrative.json").string() +
        "\" }";
    if (const auto at = text.find("TARIFF"); at != std::string::npos) text.replace(at, 6, tariff);
    const auto file = evtwin::test::temp_dir("live_site") / "site.lua";
    std::ofstream(file) << text;
    return Scenario::load(file).impl().loaded;
}

}  // namespace evtwin::serve::live_test
