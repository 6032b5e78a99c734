#include "scenario/fleet.hpp"

#include "util/rng.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

namespace evtwin {

namespace {

// A vehicle that leaves is away at least this long before it can come back.
constexpr Duration kMinimumAway = Duration::hours(1);

struct FleetVehicle {
    Time busy_until = Time::min();
    bool seen = false;
    VehicleSpec vehicle;
};

std::string fleet_id(std::size_t k, std::size_t n) {
    const int digits = static_cast<int>(std::to_string(n).size());
    char buf[32];
    std::snprintf(buf, sizeof buf, "fleet-%0*zu", digits, k + 1);
    return buf;
}

void assign_fleet(std::vector<SessionSpec>& sessions, std::size_t n, std::uint64_t seed) {
    std::vector<FleetVehicle> fleet(n);
    Rng rng = Rng::stream(seed, "fleet");
    std::vector<std::size_t> free;
    for (SessionSpec& s : sessions) {
        if (!s.vehicle_id.empty()) continue;
        free.clear();
        for (std::size_t k = 0; k < n; ++k)
            if (fleet[k].busy_until <= s.arrival) free.push_back(k);
        if (free.empty()) continue;
        const std::size_t k = free[rng.below(free.size())];
        FleetVehicle& v = fleet[k];
        if (!v.seen) {
            v.vehicle = s.vehicle;
            v.seen = true;
        } else {
            s.vehicle = v.vehicle;
            if (s.requested_kwh >= 0.0) {
                const double room =
                    s.vehicle.capacity_kwh * (1.0 - s.initial_soc) / s.vehicle.charge_efficiency;
                s.requested_kwh = std::min(s.requested_kwh, room);
            }
        }
        v.busy_until = s.departure + kMinimumAway;
        s.vehicle_id = fleet_id(k, n);
    }
}

}  // namespace

void assign_vehicles(std::vector<SessionSpec>& sessions, const BatterySpec& battery, std::uint64_t seed) {
    if (battery.fleet && battery.fleet->vehicles > 0) assign_fleet(sessions, battery.fleet->vehicles, seed);
    if (battery.model_year_min <= 0) return;
    const auto span = static_cast<std::uint64_t>(battery.model_year_max - battery.model_year_min + 1);
    std::map<std::string, int> years;
    for (SessionSpec& s : sessions) {
        if (s.vehicle.model_year > 0) continue;
        const std::string who = s.vehicle_id.empty() ? "session " + std::to_string(s.id) : s.vehicle_id;
        auto [it, first] = years.try_emplace(who, 0);
        if (first)
            it->second =
                battery.model_year_min + static_cast<int>(Rng::stream(seed, "model year " + who).below(span));
        s.vehicle.model_year = it->second;
    }
}

}  // namespace evtwin
