#include "core/simulator_impl.hpp"

namespace evtwin {

// The batteries' lives: each vehicle's and the ESS's state of health, advanced along the SoC trace
// the engine integrates (record_and_reschedule gives it a point at every change of power).

BatteryLife& Simulator::Impl::plug_battery(ConnectorIndex c, const SessionSpec& s, bool dc) {
    const Time now = queue.now();
    ConnectorState& cs = vehicles[c];
    cs.battery = &fleet.plug(s, now, dc, cs.own_battery);
    cs.wear = fleet.wear_of(*cs.battery, spec.battery.ev_cost_per_kwh, charger_of(c)->max_kw, now);
    return *cs.battery;
}

void Simulator::Impl::unplug_battery(ConnectorIndex c, SessionRecord& r) {
    ConnectorState& cs = vehicles[c];
    fleet.unplug(*cs.battery, queue.now(), cs.vehicle->soc(), r);
    cs.battery = nullptr;
    cs.own_battery.reset();
}

void Simulator::Impl::start_batteries() {
    if (ess) fleet.start_ess(spec, ess->soc(), views.ess());
}

void Simulator::Impl::finish_batteries(Time end) {
    fleet.finish(end, ess ? ess->soc() : 0.0, sink);
}

}  // namespace evtwin
