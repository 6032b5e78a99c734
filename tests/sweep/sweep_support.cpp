#include "sweep/sweep_support.hpp"

#include "record/reader/run_reader.hpp"
#include "support/test_support.hpp"

namespace evtwin::test {

std::filesystem::path write_small_site(const std::filesystem::path& dir) {
    return write_file(
        dir / "small_site.lua",
        R"(scenario { name = "small_site", timezone = "UTC", start = "2024-07-01", duration = hours(8) }
local cap_kw = param("cap_kw", 20)
local fail = param("fail", 0)
grid { import_kw = cap_kw, export_kw = cap_kw }
tariff { file = ")" +
            source_file("scenarios/tariffs").string() +
            R"(/kepco_ev_self_consumption.json", variant = "low_voltage" }
for i = 1, 3 do charger { name = "CP" .. i, max_kw = 11 } end
for i = 1, 4 do
  local arrive = math.random(0, 3)
  session { arrival = string.format("2024-07-01T%02d:%02d", arrive, math.random(0, 59)),
            departure = string.format("2024-07-01T%02d:00", arrive + math.random(2, 4)),
            capacity_kwh = 60, requested_kwh = math.random(5, 25) }
end
at("2024-07-01T02:00", function(site)
  if fail == 1 then error("fail = 1 makes this run fail") end
end)
)");
}

std::string compare_with_serial_runs(const sweep::Campaign& campaign, const std::filesystem::path& merged_db,
                                     const std::filesystem::path& serial_db) {
    std::filesystem::remove(serial_db);
    for (const auto& run : campaign.runs()) {
        if (!run.in_sweep || campaign.status(run.index).state != sweep::RunState::done) continue;
        const auto line = run_command_line(campaign, run, serial_db);
        const auto r =
            run_command(evtwin_binary().string() + line.substr(std::string("evtwin").size()) + " --quiet");
        if (r.exit_code != 0) return "serial run failed: " + line + "\n" + r.output;
    }
    const RunReader merged(merged_db), serial(serial_db);
    const auto a = merged.runs(), b = serial.runs();
    if (a.size() != b.size())
        return "merged " + std::to_string(a.size()) + " runs, serial " + std::to_string(b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        if (merged.results_dump(a[i].id) != serial.results_dump(b[i].id))
            return "run " + std::to_string(a[i].id) + " differs";
    return "";
}

}  // namespace evtwin::test
