// Driver histories from the engine's session readers (docs/drivers.md, section Data): kept apart
// from the grouping (history.cpp) so that what only groups sessions does not reach the readers.
#include "drivers/history.hpp"

#include <evtwin/errors.hpp>
#include "data/arrivals.hpp"
#include "ocpi/format/recorded_charges.hpp"
#include "record/reader/run_reader.hpp"

#include <stdexcept>
#include <string>

namespace evtwin::drivers {
namespace {

bool ends_with(const std::string& text, const std::string& tail) {
    return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

HistoryFormat format_by_name(const std::filesystem::path& file) {
    const std::string name = file.filename().string();
    if (ends_with(name, ".csv.gz"))
        throw DataError(
            file.string() +
            ": an ACN-Data CSV export has no driver id (arrival, departure, energies, station_id, "
            "session_id, estimated_departure, claimed); use the ACN-Data JSON export, which has "
            "userID");
    if (ends_with(name, ".json")) return HistoryFormat::acn_json;
    if (ends_with(name, ".csv")) return HistoryFormat::norway_csv;
    if (ends_with(name, ".db")) return HistoryFormat::run_db;
    throw DataError(file.string() +
                    ": cannot tell the history's format from its name; give it (acn_json, norway_csv, ocpi, "
                    "run_db)");
}

}  // namespace

HistoryFormat parse_history_format(const std::string& text) {
    if (text == "acn_json") return HistoryFormat::acn_json;
    if (text == "norway_csv") return HistoryFormat::norway_csv;
    if (text == "ocpi") return HistoryFormat::ocpi;
    if (text == "run_db") return HistoryFormat::run_db;
    throw std::invalid_argument("unknown history format '" + text +
                                "': expected acn_json, norway_csv, ocpi or run_db");
}

DriverHistory load_history(const HistorySource& source) {
    const HistoryFormat format = source.format ? *source.format : format_by_name(source.file);
    const std::string name = source.file.string();
    const auto zone_or = [&](const char* fallback) {
        return source.timezone.empty() ? fallback : source.timezone;
    };
    switch (format) {
        case HistoryFormat::acn_json: {
            AcnImportOptions options;
            options.use_user_inputs = false;  // the energy a session took: kWhDelivered
            // ACN-Data's sites are in California; its export's times are GMT.
            return history_from_sessions(load_acn_json(source.file, options),
                                         TimeZone(zone_or("America/Los_Angeles")), name);
        }
        case HistoryFormat::norway_csv: {
            NorwayImportOptions options;
            options.timezone = zone_or("Europe/Oslo");
            return history_from_sessions(load_norway_csv(source.file, options), TimeZone(options.timezone),
                                         name);
        }
        case HistoryFormat::ocpi: {
            // OCPI's times are UTC and its CDRs need not name the location's zone: the site's is given.
            return history_from_sessions(ocpi::load_ocpi_sessions(source.file, {}), TimeZone(zone_or("UTC")),
                                         name);
        }
        case HistoryFormat::run_db: {
            RunReader reader(source.file);
            const RunId id = source.run ? static_cast<RunId>(*source.run) : reader.latest_run();
            const RunRecord run = reader.run(id);
            std::vector<SessionSpec> sessions;
            reader.for_each_session(id, [&](const SessionRecord& r) {
                SessionSpec s;
                s.id = r.id;
                s.vehicle_id = r.vehicle_id;
                s.arrival = r.arrival;
                s.departure = r.departure;
                s.requested_kwh = r.delivered_kwh;
                sessions.push_back(std::move(s));
            });
            const std::string zone =
                source.timezone.empty() ? (run.timezone.empty() ? "UTC" : run.timezone) : source.timezone;
            return history_from_sessions(sessions, TimeZone(zone),
                                         name + " (run " + std::to_string(id) + ")");
        }
    }
    throw DataError(name + ": unknown history format");
}

}  // namespace evtwin::drivers
