#pragma once
// Hand-made driver histories for the drivers suite: sessions at local wall-clock times of a UTC site,
// so a local time is its instant.
#include "drivers/history.hpp"
#include "model/local_time.hpp"

#include <string>
#include <utility>
#include <vector>

namespace evtwin::drivers::drivers_test {

struct Charge {
    std::string driver;
    std::string start;  // "2021-06-01T08:30"
    double kwh = 10.0;
};

inline SessionSpec session_of(const Charge& c) {
    static const TimeZone utc("UTC");
    SessionSpec s;
    s.vehicle_id = c.driver;
    s.arrival = parse_time(c.start, utc);
    s.departure = s.arrival + Duration::hours(2);
    s.declared_departure = s.departure;
    s.requested_kwh = c.kwh;
    return s;
}

inline DriverHistory history_of(const std::vector<Charge>& charges) {
    std::vector<SessionSpec> sessions;
    for (const auto& c : charges) sessions.push_back(session_of(c));
    return history_from_sessions(sessions, TimeZone("UTC"), "test history");
}

}  // namespace evtwin::drivers::drivers_test
