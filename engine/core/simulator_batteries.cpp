#include "core/simulator_impl.hpp"

namespace evtwin {

// The batteries' lives: each vehicle's and each ESS's state of health, advanced along the SoC trace
// the engine integrates (record_and_reschedule gives it a point at every change of power).

const Vehicle& Simulator::Impl::plug_vehicle(ConnectorIndex c, std::uint32_t index, const ChargerSpec& ch) {
    const Time now = queue.now();
    const SessionSpec& s = spec.sessions[index];
    BatteryLife& battery = fleet.plug(s, now, ch.dc, sessions.own_battery(c));
    const BatteryWear wear = fleet.wear_of(battery, spec.battery.ev_cost_per_kwh, ch.max_kw, now);
    const double usable_kwh = held_capacity_kwh(battery, s.vehicle);
    if (usable_kwh == s.vehicle.capacity_kwh) return sessions.plug(c, index, s, ch, battery, wear);
    SessionSpec aged = s;
    aged.vehicle.capacity_kwh = usable_kwh;
    return sessions.plug(c, index, aged, ch, battery, wear);
}

void Simulator::Impl::unplug_battery(ConnectorIndex c, SessionRecord& r) {
    fleet.unplug(sessions.battery(c), queue.now(), sessions.vehicle(c).soc(), r);
}

void Simulator::Impl::start_batteries() {
    for (std::size_t b = 0; b < ess.size(); ++b) {
        fleet.add_ess(spec.ess[b], spec.start, views.ess(b));
        sink.ess_sample(spec.start, static_cast<std::uint32_t>(b), 0.0, ess[b].battery.soc());
    }
}

void Simulator::Impl::finish_batteries(Time end) {
    std::vector<double> ess_soc;
    for (const EssUnit& unit : ess) ess_soc.push_back(unit.battery.soc());
    fleet.finish(end, ess_soc, sink);
}

}  // namespace evtwin
