#pragma once
// What the live-mode benches share: the 200-charger site they run (4 feeders of 50 11 kW chargers
// under 1,200 kW, the KEPCO tariff) and a sink that keeps nothing.
#include "core/run_sink.hpp"
#include "model/scenario_spec.hpp"
#include "scenario/scenario_impl.hpp"

#include <evtwin/scenario.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace evtwin::bench {

class NoSink final : public RunSink {
public:
    void begin_run(const RunInfo&, const ScenarioSpec&) override {}
    void site_sample(Time, const SiteSample&) override {}
    void node_sample(Time, NodeIndex, double) override {}
    void connector_sample(Time, ConnectorIndex, double, double, PilotState) override {}
    void session_end(const SessionRecord&) override {}
    void event(Time, EventKind, ConnectorIndex, SessionId, std::string_view) override {}
    void violation(Time, const Violation&) override {}
    void decision_time(Time, double) override {}
    void end_run(Time, bool) override {}
};

// The site, named `name`, written to a folder of its own under the temporary directory.
inline ScenarioSpec site_of_200_chargers(const std::string& name) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("evtwin_" + name + "_bench");
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "site.lua")
        << "scenario { name = \"" << name
        << R"(", start = "2026-07-01", timezone = "Asia/Seoul", duration = days(1), control_period = minutes(15) }
grid { import_kw = 1200 }
for f = 1, 4 do
  local feeder_node = feeder { name = "F" .. f, limit_kw = 400 }
  for i = 1, 50 do charger { name = "CP" .. f .. "-" .. i, parent = feeder_node, max_kw = 11 } end
end
tariff { file = ")"
        << EVTWIN_SOURCE_DIR
        << R"(/scenarios/tariffs/kepco_ev_charging_service.json", variant = "low_voltage_II" }
)";
    return Scenario::load(dir / "site.lua").impl().loaded;
}

}  // namespace evtwin::bench
