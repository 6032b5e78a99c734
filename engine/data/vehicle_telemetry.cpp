#include "data/vehicle_telemetry.hpp"

#include "data/csv.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>

namespace evtwin {
namespace {

constexpr int kFirstYear = 1990;
constexpr int kLastYear = 2100;
constexpr const char* kColumns =
    "vehicle,model,year,km_per_kwh,temperature_c,cell_imbalance_mv,hard_events_per_100km in any order";

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

const VehicleTelemetry* VehicleTelemetryTable::find(const std::string& vehicle) const {
    const auto it =
        std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.vehicle == vehicle; });
    return it == rows.end() ? nullptr : &*it;
}

void VehicleTelemetryTable::check_known(const std::vector<std::string>& known) const {
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (std::find(known.begin(), known.end(), rows[i].vehicle) == known.end()) {
            throw DataError(file.string() + ":" + std::to_string(lines[i]) + ": vehicle '" + rows[i].vehicle +
                            "' is not in the run (expected one of the run's " + std::to_string(known.size()) +
                            " vehicles)");
        }
    }
}

VehicleTelemetryTable load_vehicle_telemetry(const std::filesystem::path& file) {
    const CsvTable csv = CsvTable::read(file);
    const auto column = [&](const std::string& name) {
        const auto& header = csv.header();
        const auto it = std::find(header.begin(), header.end(), name);
        if (it != header.end()) return static_cast<std::size_t>(it - header.begin());
        throw DataError(file.string() + ":" + std::to_string(csv.header_line()) + ": expected a column '" +
                        name + "' in the header (" + kColumns + ")");
    };
    const std::size_t vehicle_col = column("vehicle");
    const std::size_t model_col = column("model");
    const std::size_t year_col = column("year");
    const std::size_t efficiency_col = column("km_per_kwh");
    const std::size_t temperature_col = column("temperature_c");
    const std::size_t imbalance_col = column("cell_imbalance_mv");
    const std::size_t events_col = column("hard_events_per_100km");

    const auto text_at = [&](std::size_t row, std::size_t col) {
        const std::string& text = csv.text(row, col);
        if (is_blank(text))
            csv.fail(row, "expected a value in column '" + csv.header()[col] + "', got nothing");
        return trimmed(text);
    };
    // A number in [low, high]; `what` says the range in words.
    const auto number_at = [&](std::size_t row, std::size_t col, double low, double high,
                               const std::string& what) {
        const double value = csv.number(row, col);
        if (value < low || value > high) {
            csv.fail(row, "expected " + what + " in column '" + csv.header()[col] + "', got '" +
                              csv.text(row, col) + "'");
        }
        return value;
    };

    VehicleTelemetryTable table;
    table.file = file;
    std::map<std::string, std::size_t> line_of;
    for (std::size_t r = 0; r < csv.rows(); ++r) {
        VehicleTelemetry t;
        t.vehicle = text_at(r, vehicle_col);
        if (const auto [it, fresh] = line_of.emplace(t.vehicle, csv.line(r)); !fresh) {
            csv.fail(r, "vehicle '" + t.vehicle + "' is listed twice (first on line " +
                            std::to_string(it->second) + "); expected one row per vehicle");
        }
        t.model = text_at(r, model_col);
        const double year =
            number_at(r, year_col, kFirstYear, kLastYear,
                      "a model year from " + std::to_string(kFirstYear) + " to " + std::to_string(kLastYear));
        if (year != std::floor(year)) {
            csv.fail(r, "expected a whole model year in column 'year', got '" + csv.text(r, year_col) + "'");
        }
        t.year = static_cast<int>(year);
        t.km_per_kwh = number_at(r, efficiency_col, 0.5, 20.0, "km per kWh from 0.5 to 20");
        t.temperature_c = number_at(r, temperature_col, -50.0, 90.0, "a temperature from -50 to 90 \u00b0C");
        t.cell_imbalance_mv = number_at(r, imbalance_col, 0.0, 5000.0, "a cell imbalance from 0 to 5000 mV");
        t.hard_events_per_100km =
            number_at(r, events_col, 0.0, 10000.0, "a count per 100 km from 0 to 10000");
        table.rows.push_back(std::move(t));
        table.lines.push_back(csv.line(r));
    }
    return table;
}

}  // namespace evtwin
