#pragma once
// Vehicles behind the sessions (docs/battery.md, section Vehicles that persist): a synthetic fleet for
// sessions that name no vehicle, and model years for vehicles that have none.
#include "model/scenario_spec.hpp"

#include <cstdint>
#include <vector>

namespace evtwin {

// `sessions` sorted by arrival. With battery.fleet, each session without a vehicle id gets one of
// its vehicles, drawn among those away for at least an hour at its arrival (one that finds none
// keeps a vehicle of its own); a fleet vehicle is the vehicle of its first session, and later
// sessions ask for no more than its battery holds. With battery.model_year_min, each vehicle
// without a model year gets one, drawn per vehicle id.
void assign_vehicles(std::vector<SessionSpec>& sessions, const BatterySpec& battery, std::uint64_t seed);

}  // namespace evtwin
