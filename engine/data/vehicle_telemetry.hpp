#pragma once
// Vehicle telemetry for the battery health grade (--telemetry FILE; schema in docs/battery.md,
// section Health grade): one row per vehicle with the columns vehicle, model, year, km_per_kwh,
// temperature_c, cell_imbalance_mv, hard_events_per_100km, found by name in any order; other
// columns are ignored.
#include <evtwin/errors.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace evtwin {

// A vehicle's row.
struct VehicleTelemetry {
    std::string vehicle;
    std::string model;
    int year = 0;
    double km_per_kwh = 0.0;
    double temperature_c = 0.0;          // typical battery temperature
    double cell_imbalance_mv = 0.0;      // max - min cell voltage
    double hard_events_per_100km = 0.0;  // hard accelerations and brakes
};

struct VehicleTelemetryTable {
    std::filesystem::path file;
    std::vector<VehicleTelemetry> rows;  // in file order
    std::vector<std::size_t> lines;      // the line of each row in the file

    // The row of a vehicle, or nullptr.
    const VehicleTelemetry* find(const std::string& vehicle) const;
    // Throws DataError "file:line: ..." at the first row whose vehicle is not among `known` (the
    // vehicles of the run).
    void check_known(const std::vector<std::string>& known) const;
};

// Throws DataError naming the file, the line and what was expected: a missing column, an empty or
// non-numeric field, a year that is not a whole number in 1990..2100, a value out of its range, a
// vehicle listed twice.
VehicleTelemetryTable load_vehicle_telemetry(const std::filesystem::path& file);

}  // namespace evtwin
