#pragma once
// The vehicles a charging model plans (formulation/charging_model.hpp): those plugged in now, then
// those to come, each with its connector, its planned stay and what it can take or give.
#include "plugins/milp/formulation/charge_taper.hpp"
#include "plugins/milp/formulation/charging_model.hpp"

#include <evtwin/observation.hpp>

#include <vector>

namespace evtwin::milp {

// Power and energy below this count as none.
inline constexpr double kPlanningEps = 1e-9;

// What one session row of the model needs before its variables are made.
struct VehicleJob {
    SessionId id = 0;
    std::uint32_t session = kNone;  // index into Observation::sessions; kNone for one to come
    ConnectorIndex connector = kNone;
    Time arrival, departure;
    double need_kwh = 0.0;   // inlet energy still requested
    double room_kwh = 0.0;   // most net inlet energy it can take (request, capacity)
    double floor_kwh = 0.0;  // most net inlet energy it can give (down to min_soc)
    double charge_kw = 0.0;  // grid side
    double charge_kw_later = 0.0;
    double discharge_kw = 0.0;  // grid side; 0: no V2G
    double discharge_kw_later = 0.0;
    double efficiency = 1.0;
    BatteryWear wear;
    double high_kwh = 0.0;  // stored energy above the wear reference SoC now (negative: below it)
    // Its charge curve where it falls (formulation/charge_taper.hpp), its SoC at `arrival` and the
    // SoC each net inlet kWh adds.
    std::vector<TaperLine> taper;
    double taper_cap_kw = 0.0;  // inlet: the most its charger and the flat of its curve give
    double soc = 0.0;
    double soc_per_kwh = 0.0;
    // Its driver's needs (SessionView::needs, docs/milp.md "A driver's needs"): at least min_kw (grid
    // side) while it is here and not full; goal_kwh of net inlet energy from now required by goal_by
    // (need_kwh by the departure without a goal), the rest of need_kwh worth value_per_kwh.
    double min_kw = 0.0;
    Time goal_by;
    double goal_kwh = 0.0;
    double value_per_kwh = 0.0;
};

// The sessions present that still want energy or can give some, then (with use_upcoming) the
// vehicles to come that find a free connector; `upcoming` replaces Observation::upcoming when given.
std::vector<VehicleJob> vehicle_jobs(const Observation& obs, const ChargingOptions& options,
                                     const std::vector<UpcomingSession>* upcoming);

}  // namespace evtwin::milp
