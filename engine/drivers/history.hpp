#pragma once
// Charging sessions grouped by driver: what the next-charge predictions learn from and are scored
// against (docs/drivers.md). A driver is whatever key the source gives a returning driver: ACN-Data's
// userID, the Norwegian data set's User_ID, a run's vehicle_id (an OCPP idTag in a run imported from
// a log or recorded live), an OCPI token's uid. Sessions without a key are left out (counted).
#include <evtwin/time.hpp>
#include "model/local_time.hpp"
#include "model/vehicle_spec.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::drivers {

// Instants as the site's wall clock shows them, in ms from 1970-01-01T00:00 local: hour slots and
// weeks are counted on the wall clock, so every local week has 168 slots (a DST gap's hour holds no
// session, an overlap's two hours share one slot).
using LocalMs = std::int64_t;

inline constexpr std::int64_t kHourMs = 3'600'000;
inline constexpr std::int64_t kDayMs = 24 * kHourMs;
inline constexpr std::int64_t kWeekMs = 7 * kDayMs;
inline constexpr int kSlots = 168;  // the hours of a week, Monday 00:00 first

// The week index of a local instant, weeks starting Monday 00:00 (1970-01-05 was a Monday).
std::int64_t week_of(LocalMs t);
LocalMs week_start(std::int64_t week);
int hour_of_week(LocalMs t);  // 0..167, Monday 00:00 to 01:00 is 0

struct DriverSession {
    LocalMs start = 0;
    LocalMs end = 0;  // the unplugging; at an origin, only whether it was still to come is used
    double kwh = 0.0;
};

struct Driver {
    std::string id;
    std::vector<DriverSession> sessions;  // by start
};

struct DriverHistory {
    std::string source;                // the file, as named in messages
    std::string timezone;              // the site's zone
    std::vector<Driver> drivers;       // by id
    std::size_t unkeyed_sessions = 0;  // sessions without a driver id, left out
    LocalMs first = 0, last = 0;       // the earliest and latest session start

    const Driver* find(const std::string& id) const;
    std::size_t session_count() const;
};

// Groups sessions by SessionSpec::vehicle_id (the readers' driver key) with energy requested_kwh,
// start = arrival on the zone's wall clock. Throws DataError naming `source` when no session has a
// driver id.
DriverHistory history_from_sessions(const std::vector<SessionSpec>& sessions, const TimeZone& zone,
                                    const std::string& source);

enum class HistoryFormat { acn_json, norway_csv, ocpi, run_db };

struct HistorySource {
    std::filesystem::path file;
    std::optional<HistoryFormat> format;  // empty: from the file's name (.json ACN, .csv Norway, .db run)
    std::string timezone;                 // empty: the source's own (ACN and Norway files, a run's site)
    std::optional<long> run;              // a run database's run; empty: its latest
};

// "acn_json", "norway_csv", "ocpi", "run_db"; throws std::invalid_argument listing them.
HistoryFormat parse_history_format(const std::string& text);

// Reads the sessions of a history source by the engine's readers (data/, ocpi/format/,
// record/reader/). Throws DataError (or ResultsError for a run database) naming the file, and the
// line and field where the reader knows them; an ACN-Data CSV export is refused because it carries
// no driver id.
DriverHistory load_history(const HistorySource& source);

// The history with only the sessions that started before `before`: what a prediction at that
// origin may see. Drivers left without a session are dropped.
DriverHistory history_before(const DriverHistory& history, LocalMs before);

}  // namespace evtwin::drivers
