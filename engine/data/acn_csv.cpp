// ACN-Data sessions as CSV, e.g. ../shared/data/sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz:
// arrival,departure,requested_energy (kWh),delivered_energy (kWh),station_id,session_id,
// estimated_departure,claimed — times ISO 8601 with their UTC offset ("2019-05-01 01:18:45-07:00").
#include "data/arrivals.hpp"
#include "data/csv.hpp"
#include "data/gzip_file.hpp"
#include "model/local_time.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace evtwin {
namespace {

bool absent(const std::string& text) {
    return text.empty() || text == "nan" || text == "NaN" || text == "None" || text == "NA";
}

std::optional<std::size_t> find_column(const CsvTable& csv, std::initializer_list<const char*> names) {
    for (const char* name : names) {
        const auto& h = csv.header();
        if (const auto it = std::find(h.begin(), h.end(), name); it != h.end()) return it - h.begin();
    }
    return std::nullopt;
}

}  // namespace

std::vector<SessionSpec> load_acn_csv(const std::filesystem::path& file, const AcnImportOptions& options) {
    if (!(options.initial_soc >= 0.0 && options.initial_soc < 1.0)) {
        throw DataError(file.string() + ": ACN import option initial_soc must be in [0, 1)");
    }
    if (!(options.default_capacity_kwh > 0.0) || !(options.default_max_kw > 0.0)) {
        throw DataError(file.string() +
                        ": ACN import options default_capacity_kwh and default_max_kw must be > 0");
    }
    const std::string text = read_maybe_gzip_file(file);
    const CsvTable csv = CsvTable::parse(file, text);
    const std::size_t arrival_col = csv.column("arrival");
    const std::size_t departure_col = csv.column("departure");
    const auto delivered_col = find_column(csv, {"delivered_energy (kWh)", "delivered_energy"});
    if (!delivered_col) csv.column("delivered_energy (kWh)");  // throws, listing the columns
    const std::size_t station_col = csv.column("station_id");
    const auto requested_col = find_column(csv, {"requested_energy (kWh)", "requested_energy"});
    const auto estimated_col = find_column(csv, {"estimated_departure"});

    const TimeZone utc("UTC");  // only for times without an offset
    const auto time_at = [&](std::size_t row, std::size_t col) {
        const std::string& value = csv.text(row, col);
        try {
            return parse_time(value, utc);
        } catch (const std::invalid_argument&) {
            csv.fail(row, "expected a time like 2019-05-01 01:18:45-07:00 in column '" + csv.header()[col] +
                              "', got '" + value + "'");
        }
    };
    const auto kwh_at = [&](std::size_t row, std::size_t col) {
        const double v = csv.number(row, col);
        if (v < 0.0 || v > kMostAcnSessionKwh)
            csv.fail(row, "expected kWh from 0 to 1000 in column '" + csv.header()[col] + "', got '" +
                              csv.text(row, col) + "'");
        return v;
    };

    std::vector<SessionSpec> sessions;
    sessions.reserve(csv.rows());
    for (std::size_t r = 0; r < csv.rows(); ++r) {
        const Time arrival = time_at(r, arrival_col);
        const Time departure = time_at(r, departure_col);
        if (departure <= arrival) csv.fail(r, "expected a departure after the arrival");
        const double delivered = kwh_at(r, *delivered_col);
        double requested = delivered;
        Time declared = departure;
        if (options.use_user_inputs) {
            if (requested_col && !absent(csv.text(r, *requested_col))) {
                const double asked = kwh_at(r, *requested_col);
                if (asked > 0.0) requested = asked;  // 0: the driver gave no request
            }
            if (estimated_col && !absent(csv.text(r, *estimated_col))) {
                // A departure declared before the car arrived is read as "leaving at once".
                declared = std::max(time_at(r, *estimated_col), arrival);
            }
        }
        if (arrival < options.start || arrival >= options.end) continue;

        sessions.push_back(acn_session(csv.text(r, station_col), arrival, departure, declared, requested,
                                       delivered, options));
    }
    sort_by_arrival_and_number(sessions);
    return sessions;
}

}  // namespace evtwin
