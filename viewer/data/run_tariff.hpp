#pragma once
// The results database stores the tariff's name, not its prices: the viewer reloads the tariff from
// the run's scenario file (runs.scenario_file) when it can find it.
#include "model/tariff.hpp"
#include "record/records.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace evtwin::viewer {

struct RunTariff {
    std::shared_ptr<const Tariff> tariff;  // empty when it could not be loaded
    std::string message;                   // why not, or where it came from
};

// Tries the scenario file as stored (relative to the working directory), then relative to the
// database's folder, then to the source tree. Never throws.
RunTariff load_run_tariff(const RunRecord& run, const std::filesystem::path& db_file);

}  // namespace evtwin::viewer
