#pragma once
// What a strategy's plan costs over the horizon ahead, by rolling the strategy out from one
// Observation alone: the vehicles plugged in now, the forecast prices, PV and base load, with the
// same accounting as the MILP planners' expected cost (plugins/milp/formulation/charging_model.hpp):
//   energy bought − energy sold (the site's net flow, base load and PV included; sold at most at
//   the import price)
//   + demand-charge rise over the billing period's peak so far (by demand interval, the one in
//     progress with what it has imported, each period's energy to the intervals it overlaps)
//   + unmet-energy penalty per kWh still wanted at the end of each session's stay (its goal's energy
//     where its driver set a goal), and per kWh its driver's needs lack: a goal short by its time, a
//     minimum power not held while the vehicle takes energy
//   + the batteries' modelled wear at the prices the engine gives (SessionView::wear, EssView::wear)
//   + the PV curtailed beyond the grid connection's export limit, at its cost (not sold)
//   − the value of the energy the ESS stores by the run's end beyond what it stores now, + the
//     penalty per kWh it is then short of the SoC wanted (EssView::end_value_per_kwh, end_soc),
//     where the roll-out reaches the run's end.
// A stay ends when the observation says the vehicle leaves: its expected_departure (the demand
// forecaster's, with foresight; else the declared departure), or a period from now for one still
// here after it, as the MILP planners plan it.
// `guarded` compares a baseline's roll-out with its inner strategy's Decision::expected_cost.
#include <evtwin/strategy.hpp>

namespace evtwin {

struct RolloutOptions {
    // < 0: the MILP planners' default, max(10, 20 x the dearest import price over the horizon).
    double unmet_penalty_per_kwh = -1.0;
    Duration max_horizon = Duration::hours(48);  // the MILP planners' cap
};

struct RolloutCost {
    double total =
        0.0;  // energy + demand_rise + (unmet_kwh + needs_kwh) · penalty + wear + curtailment + ess_end
    double energy = 0.0;       // bought − sold
    double demand_rise = 0.0;  // rate · max(0, planned peak − peak so far)
    double unmet_kwh = 0.0;    // at the inlet, summed over the sessions
    double needs_kwh = 0.0;    // at the inlet: goals short by their time, minimum powers not held
    double wear = 0.0;         // per kWh through each battery and per kWh·h above the reference SoC
    double curtailment = 0.0;  // EconomicsView::pv_curtailment_cost_per_kwh × the PV curtailed
    double ess_end = 0.0;  // per battery: −value of its energy gained + penalty · its shortfall of end_soc
    double delivered_kwh = 0.0;  // at the inlet, over the horizon
    double import_kwh = 0.0;
    double export_kwh = 0.0;
    int periods = 0;
};

// Steps `strategy` through one synthetic Observation per control period from obs.now up to the
// last departure of a vehicle still wanting energy, and with an ESS to the forecast's end, as the
// MILP planners plan (at most max_horizon and the run's end, at least one period): vehicles take what it sets
// within their power bounds and stop at their request (or their minimum SoC when discharging), the ESS within
// its SoC bounds, the fixed flow follows the forecast. Vehicles yet to arrive (obs.upcoming, with foresight)
// arrive at their time on the connector the engine would give them (the named charger's first free one, else
// the first free one, a connector being busy until its vehicle leaves: UpcomingSession::departure when the
// observation gives it, else the declared departure) and charge through its losses. The strategy object sees
// the synthetic observations: pass one that serves no real run (a stateful one would be disturbed).
RolloutCost rollout_cost(const Observation& obs, Strategy& strategy, const RolloutOptions& options = {});

}  // namespace evtwin
