#include "core/session_table.hpp"

#include <algorithm>

namespace evtwin {

SessionTable::SessionTable(const ScenarioSpec& spec, std::size_t connectors)
    : spec_(spec), plugged_(connectors), view_of_(connectors), stale_(connectors, kRemake) {}

std::uint32_t SessionTable::next_arrival() {
    while (next_ < spec_.sessions.size() && spec_.sessions[next_].arrival < spec_.start) ++next_;
    return static_cast<std::uint32_t>(next_);
}

std::span<const UpcomingSession> SessionTable::upcoming() const {
    return std::span<const UpcomingSession>(upcoming_).subspan(std::min(next_, upcoming_.size()));
}

Vehicle& SessionTable::plug(ConnectorIndex c, std::uint32_t index, const SessionSpec& as_plugged,
                            const ChargerSpec& ch, BatteryLife& battery, BatteryWear wear) {
    Plugged& p = plugged_[c];
    p.battery = &battery;
    p.wear = wear;
    p.session = index;
    return p.vehicle.emplace(as_plugged, ch.efficiency, ch.dc);
}

void SessionTable::unplug(ConnectorIndex c) {
    Plugged& p = plugged_[c];
    p.vehicle.reset();
    p.battery = nullptr;
    p.own_battery.reset();
}

PluggedVehicle SessionTable::plugged_vehicle(ConnectorIndex c, const ChargerSpec& ch, bool faulted) const {
    const Plugged& p = plugged_[c];
    const SessionSpec& s = spec_.sessions[p.session];
    PluggedVehicle v;
    v.id = s.id;
    v.connector = c;
    v.arrival = s.arrival;
    v.declared_departure = s.declared_departure;
    v.vehicle = &*p.vehicle;
    v.charger = &ch;
    v.soh = p.battery->soh();
    v.wear = p.wear;
    v.faulted = faulted;
    v.needs = s.needs;
    return v;
}

const SessionView& SessionTable::view(ConnectorIndex c, const ChargerSpec& ch, bool faulted,
                                      const ViewMode& mode) {
    if (stale_[c] & kRemake)
        view_of_[c] = session_view(plugged_vehicle(c, ch, faulted), mode);
    else if (stale_[c])
        update_session_view(view_of_[c], plugged_vehicle(c, ch, faulted), mode);
    stale_[c] = 0;
    return view_of_[c];
}

}  // namespace evtwin
