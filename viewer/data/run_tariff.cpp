#include "data/run_tariff.hpp"

#include "scenario/scenario_loader.hpp"

#include <exception>
#include <vector>

namespace evtwin::viewer {

RunTariff load_run_tariff(const RunRecord& run, const std::filesystem::path& db_file) {
    const std::filesystem::path stored = run.info.scenario_file;
    if (stored.empty()) return {nullptr, "the run names no scenario file"};
    std::vector<std::filesystem::path> candidates{stored};
    if (stored.is_relative()) {
        candidates.push_back(db_file.parent_path() / stored);
        candidates.push_back(std::filesystem::path(EVTWIN_SOURCE_DIR) / stored);
    }
    for (const auto& c : candidates) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(c, ec)) continue;
        try {
            ScenarioLoadOptions options;
            options.seed = run.info.seed;
            ScenarioSpec spec = load_scenario(c, options);
            if (!spec.tariff) return {nullptr, c.string() + " has no tariff"};
            return {spec.tariff, "tariff '" + spec.tariff->name() + "' from " + c.string()};
        } catch (const std::exception& e) {
            return {nullptr, std::string("tariff not loaded: ") + e.what()};
        }
    }
    return {nullptr, "scenario file " + stored.string() + " not found: no tariff bands or cost"};
}

}  // namespace evtwin::viewer
