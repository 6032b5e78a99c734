#include "data/nasa_battery.hpp"

#include "data/csv.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin {

CapacityCurve read_nasa_capacity(const std::filesystem::path& file) {
    const CsvTable csv = CsvTable::read(file);
    const std::size_t discharge = csv.column("discharge");
    const std::size_t capacity = csv.column("capacity");
    CapacityCurve curve;
    curve.cell = nasa_cell_name(file);
    curve.file = file;
    for (std::size_t row = 0; row < csv.rows(); ++row) {
        const double n = csv.number(row, discharge);
        if (n < 1.0 || n != std::floor(n) || n > 1e9)
            csv.fail(row, "expected a discharge number 1, 2, ... in column 'discharge', got '" +
                              csv.text(row, discharge) + "'");
        if (!curve.discharge.empty() && n <= curve.discharge.back())
            csv.fail(row, "discharge " + csv.text(row, discharge) + " does not follow discharge " +
                              std::to_string(curve.discharge.back()));
        const double ah = csv.number(row, capacity);
        if (!(ah > 0.0))
            csv.fail(row, "expected a capacity > 0 (A h) in column 'capacity', got '" +
                              csv.text(row, capacity) + "'");
        curve.discharge.push_back(static_cast<int>(n));
        curve.capacity_ah.push_back(ah);
    }
    if (curve.capacity_ah.empty()) throw DataError(file.string() + ": no discharge rows");
    return curve;
}

std::vector<std::filesystem::path> nasa_capacity_files(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && name.rfind("nasa_", 0) == 0 && entry.path().extension() == ".csv")
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string nasa_cell_name(const std::filesystem::path& file) {
    std::string stem = file.stem().string();
    if (stem.rfind("nasa_", 0) == 0) stem.erase(0, 5);
    return stem;
}

}  // namespace evtwin
