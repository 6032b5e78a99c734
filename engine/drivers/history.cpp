// Driver histories from the engine's session readers (docs/drivers.md, section Data).
#include "drivers/history.hpp"

#include <evtwin/errors.hpp>
#include "data/arrivals.hpp"
#include "ocpi/format/recorded_charges.hpp"
#include "record/reader/run_reader.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

namespace evtwin::drivers {
namespace {

// 1970-01-05T00:00 was a Monday: weeks are counted from it.
constexpr std::int64_t kFirstMondayMs = 4 * 24 * kHourMs;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

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

std::int64_t week_of(LocalMs t) {
    return floor_div(t - kFirstMondayMs, kWeekMs);
}

LocalMs week_start(std::int64_t week) {
    return kFirstMondayMs + week * kWeekMs;
}

int hour_of_week(LocalMs t) {
    return static_cast<int>((t - week_start(week_of(t))) / kHourMs);
}

const Driver* DriverHistory::find(const std::string& id) const {
    const auto it = std::lower_bound(drivers.begin(), drivers.end(), id,
                                     [](const Driver& d, const std::string& key) { return d.id < key; });
    return it != drivers.end() && it->id == id ? &*it : nullptr;
}

std::size_t DriverHistory::session_count() const {
    std::size_t n = 0;
    for (const auto& d : drivers) n += d.sessions.size();
    return n;
}

DriverHistory history_from_sessions(const std::vector<SessionSpec>& sessions, const TimeZone& zone,
                                    const std::string& source) {
    DriverHistory history;
    history.source = source;
    history.timezone = zone.name();
    std::map<std::string, std::vector<DriverSession>> by_driver;
    for (const auto& s : sessions) {
        if (s.vehicle_id.empty()) {
            ++history.unkeyed_sessions;
            continue;
        }
        const LocalMs local = s.arrival.ms() + zone.utc_offset(s.arrival).ms();
        by_driver[s.vehicle_id].push_back({local, std::max(0.0, s.requested_kwh)});
    }
    if (by_driver.empty())
        throw DataError(source + ": no session has a driver id (of " + std::to_string(sessions.size()) +
                        " sessions)");
    bool any = false;
    for (auto& [id, list] : by_driver) {
        std::stable_sort(list.begin(), list.end(),
                         [](const DriverSession& a, const DriverSession& b) { return a.start < b.start; });
        if (!any || list.front().start < history.first) history.first = list.front().start;
        if (!any || list.back().start > history.last) history.last = list.back().start;
        any = true;
        history.drivers.push_back({id, std::move(list)});
    }
    return history;
}

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

DriverHistory history_before(const DriverHistory& history, LocalMs before) {
    DriverHistory out;
    out.source = history.source;
    out.timezone = history.timezone;
    out.unkeyed_sessions = history.unkeyed_sessions;
    bool any = false;
    for (const auto& d : history.drivers) {
        Driver kept{d.id, {}};
        for (const auto& s : d.sessions)
            if (s.start < before) kept.sessions.push_back(s);
        if (kept.sessions.empty()) continue;
        if (!any || kept.sessions.front().start < out.first) out.first = kept.sessions.front().start;
        if (!any || kept.sessions.back().start > out.last) out.last = kept.sessions.back().start;
        any = true;
        out.drivers.push_back(std::move(kept));
    }
    return out;
}

}  // namespace evtwin::drivers
