// Charging sessions grouped by driver, and the weeks and hours they are counted in.
#include "drivers/history.hpp"

#include <evtwin/errors.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

namespace evtwin::drivers {
namespace {

// 1970-01-05T00:00 was a Monday: weeks are counted from it.
constexpr std::int64_t kFirstMondayMs = 4 * kDayMs;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
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
        const LocalMs end = std::max(local, s.departure.ms() + zone.utc_offset(s.departure).ms());
        by_driver[s.vehicle_id].push_back({local, end, std::max(0.0, s.requested_kwh)});
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
