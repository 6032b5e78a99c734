#pragma once
// What a strategy sees of one plugged-in vehicle (evtwin::SessionView), made in one place for every
// Observation builder: the simulator's and the live twin's. The vehicle's own model (its charge
// curve, SoC bounds, efficiencies, V2G permission) and the charger's rating give the power bounds;
// the run's mode says how: as the vehicle takes it now (event mode), as a control period's average
// along its curve (decision periods), or as ACN-Sim's interface shows it (the charger's rating and
// the rest of the request, the vehicle's own limit unknown).
#include "model/scenario_spec.hpp"
#include "model/vehicle.hpp"

#include <evtwin/observation.hpp>

namespace evtwin {

// A plugged-in vehicle, as its builder needs it.
struct PluggedVehicle {
    SessionId id = 0;
    ConnectorIndex connector = kNone;
    Time arrival;
    Time declared_departure;
    const Vehicle* vehicle = nullptr;
    const ChargerSpec* charger = nullptr;
    double soh = 1.0;      // its battery's state of health
    BatteryWear wear{};    // its battery's wear prices
    bool faulted = false;  // plugged into a faulted charger: it can neither charge nor discharge
    ChargingNeeds needs{};
};

// How the run shows power bounds.
struct ViewMode {
    RunMode mode = RunMode::event;
    Duration control_period;
};

// The view of `v`, whole (expected_departure is the declared one).
SessionView session_view(const PluggedVehicle& v, const ViewMode& mode);
// What changes as the vehicle charges or its battery ages, in a view session_view() made of it.
void update_session_view(SessionView& view, const PluggedVehicle& v, const ViewMode& mode);

}  // namespace evtwin
