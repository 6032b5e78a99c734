#pragma once
// The NASA PCoE battery ageing cells (B0005, B0006, B0007, B0018) as prepared in
// ../shared/data/battery/nasa_<cell>.csv: one row per discharge cycle, columns
// discharge,voltage,temperature,time,capacity,soh (capacity in A h).
#include <evtwin/errors.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace evtwin {

struct CapacityCurve {
    std::string cell;  // e.g. "B0005"
    std::filesystem::path file;
    std::vector<int> discharge;       // the discharge cycle's number, 1, 2, ...
    std::vector<double> capacity_ah;  // the capacity that discharge measured
};

// Throws DataError "file:line: ..." for a missing column, a value that is not a number, a capacity that
// is not > 0, or discharge numbers that do not increase; "file: ..." when it has no rows.
CapacityCurve read_nasa_capacity(const std::filesystem::path& file);

// The cell files of a folder (nasa_*.csv), sorted by name; empty when there are none.
std::vector<std::filesystem::path> nasa_capacity_files(const std::filesystem::path& dir);

// "B0005" for .../nasa_B0005.csv.
std::string nasa_cell_name(const std::filesystem::path& file);

}  // namespace evtwin
