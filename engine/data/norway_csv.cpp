// Residential charging sessions in Norwegian apartment garages
// (../shared/data/sessions/norway_residential_2018-12_2020-01.csv, Mendeley Data doi:10.17632/jbks2rcwyj):
// ';'-separated with decimal commas; session_ID;Garage_ID;User_ID;User_type;Shared_ID;Start_plugin;
// ...;End_plugout;...;El_kWh;Duration_hours;... with local "dd.mm.yyyy HH:MM" times.
// Times have minute resolution: a stay shorter than that (End_plugout equal to Start_plugin) lasts
// Duration_hours when given, else one minute. End_plugout "NA" (cars still plugged in when logging
// stopped) gets the assumed `unknown_stay`.
#include "data/arrivals.hpp"
#include "data/csv.hpp"
#include "model/local_time.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

namespace evtwin {
namespace {

bool is_na(const std::string& text) {
    return text.empty() || text == "NA";
}

std::optional<LocalDateTime> parse_norwegian_time(const std::string& text) {
    LocalDateTime l;
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%2d.%2d.%4d %2d:%2d%n", &l.day, &l.month, &l.year, &l.hour, &l.minute,
                    &consumed) != 5 ||
        static_cast<std::size_t>(consumed) != text.size()) {
        return std::nullopt;
    }
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (l.year % 4 == 0 && l.year % 100 != 0) || l.year % 400 == 0;
    if (l.year < 1970 || l.month < 1 || l.month > 12 || l.day < 1 ||
        l.day > (l.month == 2 && !leap ? 28 : kDays[l.month - 1]) || l.hour > 23 || l.minute > 59 ||
        l.hour < 0 || l.minute < 0) {
        return std::nullopt;
    }
    return l;
}

}  // namespace

std::vector<SessionSpec> load_norway_csv(const std::filesystem::path& file,
                                         const NorwayImportOptions& options) {
    if (!(options.initial_soc >= 0.0 && options.initial_soc < 1.0)) {
        throw DataError(file.string() + ": Norway import option initial_soc must be in [0, 1)");
    }
    if (!(options.capacity_kwh > 0.0) || !(options.max_kw > 0.0) || options.unknown_stay.ms() <= 0) {
        throw DataError(file.string() +
                        ": Norway import options capacity_kwh, max_kw and unknown_stay must be > 0");
    }
    std::optional<TimeZone> zone;
    try {
        zone.emplace(options.timezone);
    } catch (const std::invalid_argument& e) {
        throw DataError(file.string() + ": " + e.what());
    }
    CsvOptions csv_options;
    csv_options.delimiter = ';';
    csv_options.decimal_comma = true;
    const CsvTable csv = CsvTable::read(file, csv_options);
    const std::size_t garage_col = csv.column("Garage_ID");
    const std::size_t user_col = csv.column("User_ID");
    const std::size_t type_col = csv.column("User_type");
    const std::size_t shared_col = csv.column("Shared_ID");
    const std::size_t start_col = csv.column("Start_plugin");
    const std::size_t end_col = csv.column("End_plugout");
    const std::size_t energy_col = csv.column("El_kWh");
    const auto& header = csv.header();
    const bool has_duration = std::find(header.begin(), header.end(), "Duration_hours") != header.end();
    const std::size_t duration_col = has_duration ? csv.column("Duration_hours") : 0;

    const auto time_at = [&](std::size_t row, std::size_t col) {
        const std::string& text = csv.text(row, col);
        const auto local = parse_norwegian_time(text);
        if (!local) {
            csv.fail(row, "expected a local time dd.mm.yyyy HH:MM in column '" + header[col] + "', got '" +
                              text + "'");
        }
        return zone->to_utc(*local);
    };

    std::vector<SessionSpec> sessions;
    sessions.reserve(csv.rows());
    std::set<std::string> garages;
    for (std::size_t r = 0; r < csv.rows(); ++r) {
        const std::string& garage = csv.text(r, garage_col);
        garages.insert(garage);
        if (!options.garage.empty() && garage != options.garage) continue;
        const Time arrival = time_at(r, start_col);
        Time departure = arrival + options.unknown_stay;
        if (!is_na(csv.text(r, end_col))) {
            departure = time_at(r, end_col);
            if (departure < arrival) csv.fail(r, "expected End_plugout at or after Start_plugin");
            if (departure == arrival) {
                double hours = 0.0;
                if (has_duration && !is_na(csv.text(r, duration_col))) hours = csv.number(r, duration_col);
                const auto ms =
                    static_cast<std::int64_t>(std::llround(std::clamp(hours, 0.0, 1.0) * 3'600'000.0));
                departure = arrival + Duration(ms > 0 ? ms : 60'000);
            }
        }
        const double energy = csv.number(r, energy_col);
        if (energy < 0.0) csv.fail(r, "expected El_kWh >= 0, got '" + csv.text(r, energy_col) + "'");
        if (arrival < options.start || arrival >= options.end) continue;

        SessionSpec s;
        const std::string& shared = csv.text(r, shared_col);
        s.station = csv.text(r, type_col) == "Shared" && !is_na(shared) ? shared : csv.text(r, user_col);
        s.arrival = arrival;
        s.departure = departure;
        s.declared_departure = departure;
        s.vehicle_id = "norway-user-" + csv.text(r, user_col);
        s.initial_soc = options.initial_soc;
        s.requested_kwh = energy;
        s.vehicle.model = "Norway residential (unknown EV)";
        s.vehicle.max_ac_kw = options.max_kw;
        const double needed = energy * s.vehicle.charge_efficiency / (1.0 - options.initial_soc);
        s.vehicle.capacity_kwh = std::max(options.capacity_kwh, needed);
        sessions.push_back(std::move(s));
    }
    if (!options.garage.empty() && !garages.contains(options.garage)) {
        std::string known;
        for (const auto& g : garages) known += (known.empty() ? "" : ", ") + g;
        throw DataError(file.string() + ": no sessions of garage '" + options.garage +
                        "'; the Garage_IDs are " + known);
    }
    sort_by_arrival_and_number(sessions);
    return sessions;
}

}  // namespace evtwin
