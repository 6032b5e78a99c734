#pragma once
// The charging formulation shared by the optimisation strategies: from an Observation, a model of
// the vehicles plugged in now (and, with foresight, those to come) over the horizon ahead, one step
// per control period. Powers are grid side, energies at the vehicle inlet (as the SDK has them).
//
//   p[s][t]  charging power of session s in period t, 0 <= p <= min(vehicle, charger), only while
//            the session is (declared) present; a period cut by arrival or departure counts its part
//   d[s][t]  discharge power where V2G is allowed (vehicle and charger): the inlet gives d/η
//   e[s][t]  net inlet energy since now: e[t] = e[t-1] + (η·p − d/η)·h, −(soc − min_soc)·cap <= e
//            <= what is still requested (the vehicle stops there); without discharge one row
//   slack[s] energy requested but not delivered: e[last] + slack >= remaining, penalised per kWh;
//            with a driver's goal (docs/milp.md, "A driver's needs"): e[last] + slack − beyond >= goal,
//            beyond <= remaining − goal earning its value, and e(goal time) + missed >= goal, penalised
//   p[s][t] + under[s][t] + min·full[s][t] >= min (the driver's minimum power), under penalised;
//            full (binary) only where e at the period's start leaves less room than a period at min
//   fixed_n(t) + Σ_{below n} (p + ess_c) <= import_limit_n, Σ_{below n} (d + ess_d) − fixed_n(t) <=
//            export_limit_n: charging never counts on a discharge, which may fall short (follow_plan
//            grants each direction so)
//   over_n[t] where fixed_n(t) alone is over import_limit_n (and only there): Σ_{below n} (d + ess_d)
//            + over_n[t] >= fixed_n(t) − import_limit_n, 0 <= over, penalised per kWh
//   |Σ terms| <= limit_a for every phase constraint, the charging and the discharging apart (as
//            follow_plan grants them): exactly, by tangent cuts to the circle added where a
//            solution breaks it (exact_phase), or as a regular polygon inside the circle (a
//            constraint whose phasors are all aligned is one exact row per direction)
//   with hold_voltage, for each voltage v_i at a site's bus on the feeder (FeederView) and period t:
//            v_min_i + m <= v_i(t) + Σ_j dv_ij·(flow_j(t) − flow_j at the last solve) + low − high
//            <= v_max_i − m, v_i(t) the voltage with the feeder's other customers as they will be in
//            period t, m the margin, and in cut rounds the same linearised at the plan's flows where
//            the feeder solved there is out of the band,
//            flow_j the attached node's planned import, low and high >= 0 penalised above unmet energy
//   with hold_loading, the same for each loading l_b of a branch on the site's supply path:
//            l_b(t) + Σ_j dl_bj·(flow_j(t) − flow_j at the last solve) − high <= max_loading − m
//   each ESS: ec, ed, E[t] = E[t-1] + (η_c·ec − ed/η_d)·h within [soc_min, soc_max]·cap; without
//            grid charge ec <= rated·z, imp <= M·(1 − z), without grid discharge the same of ed and
//            exp (z binary per period)
//   imp[t] − exp[t] − curtail[t] = fixed_root(t) + Σ (a·p − b·d) + ec − ed, a the part of the period
//            from the vehicle's arrival to its end, b the part it is planned here (one that stays
//            past its planned departure draws p until the next decision), 0 <= exp <= export limit,
//            curtail <= PV surplus (so export is bounded by what PV and discharge give), priced per
//            kWh (the economics' pv_curtailment_cost_per_kwh) and, in a tie, less preferred than export
//   peak >= demand of each demand interval (imported kWh / interval, with what the interval in
//            progress has already imported), peak >= peak of the billing period so far
//   binaries only where physics needs them: on/off where a charger has a minimum power; one of a
//   finite set of setpoints; no simultaneous charge and discharge (V2G, ESS) where prices could make
//   it pay (a negative price), or everywhere / nowhere by option.
// minimise Σ_t (import_price·imp − export_price·exp)·h + demand_rate·peak + penalty·Σ slack
//          + overshoot_penalty·Σ over·h + curtailment_cost·Σ curtail·h
//          + degradation·discharge throughput − revenue·delivered + tie-break preferences (docs/milp.md)
//          + wear: per kWh through each battery, and per kWh·h stored above the reference SoC
//            (high[t] >= stored[t] − reference, high >= 0)
//          − end_value·(E[last] − E now) + penalty·short, E[last] + short >= end_soc·cap, where the
//            horizon reaches the run's end (EssView::end_value_per_kwh, end_soc).
#include "plugins/milp/formulation/charge_taper.hpp"
#include "plugins/milp/model/solver.hpp"

#include <evtwin/observation.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace evtwin::milp {

enum class Exclusivity : std::uint8_t { auto_, always, never };

// What decides among the plans as cheap as the cheapest (docs/milp.md, "Ties"): the objective's own
// preferences alone, or first the lowest import peak, the lowest export peak, or the least energy
// exported (charging before exporting).
enum class TieBreak : std::uint8_t { preferences, level_import, level_export, charge_before_export };

struct ChargingOptions {
    // The "user satisfaction" weight per kWh not delivered; < 0: max(10, 20 × the dearest import
    // price of the horizon), so that it stays above any energy price in any currency.
    double unmet_penalty_per_kwh = -1.0;
    double demand_charge_per_kw = -1.0;  // < 0: the tariff's, from Observation::demand
    double peak_so_far_kw = -1.0;        // < 0: the billing period's, from Observation::demand
    Duration max_horizon = Duration::hours(48);
    bool min_power_binaries = true;              // on/off binaries where a charger has a minimum power
    bool setpoint_binaries = true;               // choose one of a charger's finite setpoints
    Exclusivity exclusive = Exclusivity::auto_;  // no simultaneous charge and discharge
    // Binaries only in the periods that start within this much of now; later ones are relaxed (a
    // receding-horizon planner applies only the first period, so the rest needs only to be close).
    Duration integer_horizon = Duration(std::numeric_limits<std::int64_t>::max() / 4);
    bool v2g = true;           // discharge variables where V2G is allowed
    bool ess = true;           // the stationary battery, where there is one
    bool use_upcoming = true;  // plan the vehicles of Observation::upcoming (or `upcoming`)
    // Hold the feeder's voltages at the site's buses in their bands, linearised by the engine's
    // sensitivities (FeederView::sensitivity) and checked on the feeder in the cut rounds.
    bool hold_voltage = false;
    double voltage_margin_pu = 1e-3;  // within the band by this much, for what the linearisation misses
    // Hold the loadings of the branches that supply the site (FeederView::loadings) at or below
    // FeederView::max_loading less a margin, the same way.
    bool hold_loading = false;
    double loading_margin = 1e-3;  // a fraction of the branch's rating
    // Three-phase limits held exactly: no rows up front, and outer tangent cuts to each limit's
    // circle where a solution breaks it by more than `phase_tolerance` (ChargingModel::add_phase_cuts);
    // false: the polygon inside the circle.
    bool exact_phase = false;
    double phase_tolerance = 1e-3;
    int phase_polygon_sides = 16;  // linearisation of each three-phase limit
    bool lazy_phase_rows = false;  // leave the polygon rows to ChargingModel::add_phase_rows
    // Energy first, then cost (as adacharge's offline optimum and MPC): make_plan solves for the
    // least energy left undelivered, then for the least cost that delivers as much.
    bool energy_first = false;
    double early_preference = 1e-6;  // per kWh and period of delay: ties (docs/milp.md, "Ties")
    TieBreak tie_break = TieBreak::preferences;
    // The operator's money besides the grid bill, as the cpo_profit KPI counts it; < 0: the site's
    // (Observation::economics).
    double degradation_per_kwh = -1.0;       // EV discharge, per kWh at the inlet
    double ess_degradation_per_kwh = -1.0;   // ESS, per kWh charged or discharged (grid side)
    double revenue_per_kwh = 0.0;            // what drivers pay per kWh delivered (profit objective)
    double curtailment_cost_per_kwh = -1.0;  // per kWh of PV curtailed
    double v2g_payment_factor = -1.0;  // drivers are paid this x import price per kWh discharged (grid side)
    // Battery wear at the prices the engine gives (SessionView::wear, EssView::wear; docs/battery.md):
    // per kWh through a battery, and per kWh·h stored above kWearReferenceSoc; vehicles to come at
    // UpcomingSession::wear; each price times `wear_weight` (0: wear-blind, 1: the modelled cost).
    double wear_weight = 1.0;
    // ESS energy at the horizon's end >= now, unless the horizon reaches the run's end.
    bool ess_keep_energy = true;
    // Plan every vehicle to be served this long before its declared departure (drivers leave
    // early); it may still charge up to the declared departure in the plan's last period.
    Duration departure_margin = Duration(0);
    // Periods cut also at every planned arrival, departure and goal time within the horizon, so that
    // no period holds a vehicle for part of it: the meter nets import against export only within a
    // period, and a period a vehicle leaves halfway through would net what it imports before against
    // what the site exports after. Exact for a plan with foresight; more periods to solve.
    bool event_periods = false;
    // Plan with the departures the demand forecast expects: of the vehicles to come
    // (UpcomingSession::departure) and of the sessions present (SessionView::expected_departure).
    bool true_departures = false;
    // Charger efficiency for vehicles to come; <= 0: that of the connector each is planned on.
    double upcoming_efficiency = 0.0;
};

// One planned session: plugged in now, or to come.
// A battery's wear prices times `weight` (ChargingOptions::wear_weight).
inline BatteryWear weighted(const BatteryWear& w, double weight) {
    return {w.per_kwh * weight, w.per_kwh_h_high * weight};
}

struct PlannedSession {
    SessionId id = 0;
    std::uint32_t session = kNone;  // index into Observation::sessions; kNone for one to come
    ConnectorIndex connector = kNone;
    int first = 0;          // period of power[0]
    double need_kwh = 0.0;  // inlet energy still requested at the start of the plan
    // Inlet energy it can still take (its request, within its battery's room) and give (down to its
    // minimum SoC) from the start of the plan.
    double room_kwh = 0.0, floor_kwh = 0.0;
    double efficiency = 1.0;
    std::vector<Var> charge;     // per period from `first`
    std::vector<Var> discharge;  // same length, or empty without V2G
    std::vector<double> hours;   // same length: the hours of each period the vehicle is here
    Var slack;
};

// A vehicle's charging in one period where its charge curve falls, after its first (whose SoC is
// known, and its bound a number): what ChargingModel::add_taper_cuts needs to hold the period's
// energy within what the battery takes from the SoC the plan starts it at.
struct TaperPeriod {
    Var charge;
    Var before;          // net inlet energy since now (its arrival, for one to come) by the period's start
    double hours = 0.0;  // of the period the vehicle is here
    double efficiency = 1.0;  // inlet kWh per grid kWh
    double soc = 0.0;         // at the plan's start (or its arrival)
    double soc_per_kwh = 0.0;
    double cap_kw = 0.0;    // inlet: the most its charger and the flat of its curve give
    std::size_t curve = 0;  // ChargingModel::taper_curves
};

// The direction of the power a phase row holds: a limit holds each on its own.
enum class PhaseFlow { charge = 0, discharge = 1 };

// A node's import overshoot in one period where its fixed flow alone is over its limit: the
// kW over it that the plan's discharging below the node does not give back.
struct Overshoot {
    NodeIndex node = 0;
    int period = 0;
    Var kw;
};

// A connector's power variables in one period, for the phase constraints.
struct PhaseActive {
    ConnectorIndex connector;
    Var charge;
    Var discharge;
    bool has_discharge;
};

// A tangent cut of a three-phase limit's circle (ChargingModel::add_phase_cuts): in period `period`,
// the projection of the phasor sum of `flow` on the unit direction (cr, ci) stays within the limit.
struct PhaseCut {
    std::size_t limit = 0;
    int period = 0;
    PhaseFlow flow = PhaseFlow::charge;
    double cr = 1.0, ci = 0.0;
};

// One three-phase limit: its current phasor per kW of each connector, and the periods where its
// polygons apply (`slots`) with the polygon rows already in the model (`added`, period × side ×
// direction).
struct PhaseLimit {
    double limit_a = 0.0;
    std::vector<double> re, im;
    std::vector<char> in;
    std::vector<int> slots;
    std::vector<char> added;
};

// The feeder's voltages at the site's buses held in their bands (ChargingOptions::hold_voltage) and
// the loadings of the branches that supply it below their limit (hold_loading): what the cut rounds
// need to check a plan against the feeder and tighten its rows. The quantities held are the
// voltages (FeederView::voltages), then the loadings (FeederView::loadings), each as held.
struct FeederLimits {
    const FeederSensitivity* feeder = nullptr;  // the Observation's: valid while the plan is made
    std::size_t voltages = 0;                   // quantities [0, voltages) are voltages, the rest loadings
    std::vector<double> floor, ceiling;         // per quantity, the margin taken in; -inf: no floor
    std::vector<std::vector<LinExpr>> flow;     // [t][j]: attached node j's planned import in period t
    std::vector<char> held;                     // [t]: some flow of the period is the plan's to decide
    // [t · quantities + i]: the miss below and above its limits, where period t is held (no miss
    // below where there is no floor).
    std::vector<std::optional<Var>> low, high;

    // The quantities with the attached nodes importing `around` at `at` (and with `slopes`, row-major
    // quantities × attached, their slopes there); false where the feeder's flow does not converge.
    bool evaluate(Time at, std::span<const double> around, std::vector<double>& values,
                  std::vector<double>* slopes) const;
};

struct ChargingModel {
    Model model;
    Time start;
    Duration period;
    int periods = 0;
    // Period t is [bounds[t], bounds[t + 1]): the first from now to the next boundary of the run's
    // control periods (Observation::run_start), the others whole control periods, each cut at the
    // planned arrivals, departures and goal times within it with ChargingOptions::event_periods. A
    // plan made between two boundaries so keeps the periods of the one made at the first, and what
    // that one planned stays possible.
    std::vector<Time> bounds;
    std::vector<double> hours;            // hours of each period
    std::vector<PlannedSession> planned;  // one per session row
    // Views kept for the simple cases: per row, the session index, connector, power, slack.
    std::vector<std::uint32_t> sessions;
    std::vector<ConnectorIndex> connectors;
    std::vector<std::vector<Var>> power;
    std::vector<Var> slack;
    std::vector<Var> grid_import, grid_export;  // per period
    // Per battery (Observation::ess), per period; empty where the plan has no batteries.
    std::vector<std::vector<Var>> ess_charge, ess_discharge;
    // Per period: the PV curtailed (kW), where PV alone would export (none elsewhere), and the PV the
    // forecast gives there.
    std::vector<std::optional<Var>> curtail;
    std::vector<double> pv_kw;
    double export_limit_kw = 0.0;  // the grid connection's
    Var peak;
    double demand_rate = 0.0, peak_so_far = 0.0;
    std::optional<DemandView> demand_intervals;      // the demand charge's intervals, when it is by interval
    std::vector<double> import_price, export_price;  // per period, as used in the objective
    double unmet_penalty = 0.0, degradation = 0.0, ess_degradation = 0.0, v2g_payment_factor = 0.0;
    double curtailment_cost = 0.0;  // per kWh of PV curtailed
    // Per kWh over an import limit that the fixed flow alone breaks: ten times the dearest import
    // price of the horizon, at least 5; above any price, below the usual unmet penalty (a vehicle
    // is not left short to shave an overshoot that the site's own load makes).
    double overshoot_penalty = 0.0;
    std::vector<Overshoot> overshoots;  // in the order added; empty where no fixed flow breaks a limit
    std::vector<LinExpr> wear;          // per period: the modelled battery wear the objective prices
    LinExpr preference;                 // the objective's tie-break preferences, which cost nothing
    LinExpr needs_penalty;              // drivers' goals missed by their time, minimum powers not held
    // Where the plan reaches the run's end: each battery's energy stored by then at
    // EssView::end_value_per_kwh (less than now: a cost), and its shortfall of EssView::end_soc at the
    // unmet penalty.
    LinExpr ess_end;
    int binaries = 0;

    int phase_sides = 16;
    bool exact_phase = false;
    double phase_tolerance = 1e-3;
    std::vector<PhaseLimit> phase_limits;
    std::vector<std::vector<PhaseActive>> phase_active;  // per period
    std::vector<PhaseCut> phase_cuts;                    // the exact cuts in the model, in the order added
    FeederLimits feeder;                                 // empty without hold_voltage and hold_loading
    std::vector<std::vector<TaperLine>> taper_curves;    // per vehicle whose curve falls
    std::vector<TaperPeriod> taper_periods;
    // Inlet kWh a period's charging may exceed what its battery takes before a cut is added.
    static constexpr double kTaperTolerance = 1e-5;

    // The period that `t` falls in (0 before the plan, `periods` from its end).
    int period_at(Time t) const;

    // Adds the polygon rows that `solution` breaks (and their neighbours); returns how many. Used
    // with lazy_phase_rows: solve, add, solve again until none is added.
    int add_phase_rows(const Solution& solution);
    // With exact_phase: adds, per limit, period and direction whose phasor sum in `solution` is over
    // the limit by more than phase_tolerance, the tangent to the limit's circle in that sum's
    // direction; returns how many. Solve, add, solve again until none is added.
    int add_phase_cuts(const Solution& solution);
    // With exact_phase: adds the cuts of `earlier`, a plan of the same site made before this one, that
    // its `solution` holds at the limit, in the periods of this plan they overlap; returns how many.
    // A cut keeps every point of its circle, so it changes no optimum: where one plan follows another
    // on the same limits it spares the rounds that would find the same cuts again.
    int carry_phase_cuts(const ChargingModel& earlier, const Solution& solution);
    // add_phase_cuts or add_phase_rows, as the model holds its phase limits; 0 without lazy rows.
    int add_broken_phase_rows(const Solution& solution) {
        return exact_phase ? add_phase_cuts(solution) : add_phase_rows(solution);
    }
    // Adds, for each period where `solution` asks a vehicle more energy than its battery takes from
    // the planned SoC at the period's start (taper_energy, by more than kTaperTolerance), the tangent
    // of that energy at that SoC; returns how many. Solve, add, solve again until none is added.
    int add_taper_cuts(const Solution& solution);
    // With hold_voltage or hold_loading: solves the feeder at each period's planned imports and,
    // where a quantity held is beyond its limits by more than kFeederTolerance, adds its
    // linearisation there (the tangent at the plan's point, feeder_limits.cpp); returns how many
    // rows. Solve, add, solve again.
    int add_feeder_cuts(const Solution& solution);
    static constexpr double kFeederTolerance = 1e-4;  // the recorded voltages' and loadings' step
    // Quantity i in period t linearised at the attached nodes' imports `around` (its value `at` there
    // and its slopes, row-major quantities × attached), held above its floor and (or) below its
    // ceiling with the period's misses; false where nothing the plan decides moves it.
    bool add_feeder_row(int t, std::size_t i, std::span<const double> at, std::span<const double> slopes,
                        std::span<const double> around, bool floor, bool ceiling);
    // The phasor sum (A) of the connectors' charging, or of their discharging, in period t.
    std::pair<double, double> phasor_sum(const PhaseLimit& limit, int t, PhaseFlow flow,
                                         const Solution& solution) const;
    void add_phase_row(PhaseLimit& limit, int t, int side, PhaseFlow flow);
    // Adds the cut's row (none where no connector of its limit is planned in its period) and keeps it.
    bool add_phase_cut(const PhaseCut& cut);
    // The projection on (cr, ci) of the phasor sum of the connectors' charging, or of their
    // discharging, in period t.
    LinExpr phase_projection(const PhaseLimit& limit, int t, double cr, double ci, PhaseFlow flow) const;

    // Net planned power (charge − discharge) of every connector in period t (0 where no session).
    std::vector<double> planned_kw(const Solution& solution, int t, std::size_t connector_count) const;
    // Net planned power of the row in period t (0 outside its window).
    double row_kw(const Solution& solution, std::size_t row, int t) const;
    // Inlet energy the row still needs at the start of period t, by the plan.
    double planned_need(const Solution& solution, std::size_t row, int t) const;
    // Battery b's planned power in period t (0 where the plan has none).
    double ess_kw(const Solution& solution, std::size_t b, int t) const;
    // The PV limit that carries out the plan's curtailment in period t (Decision::pv_limit_kw): the
    // forecast PV less what the plan curtails, where it curtails while it could still export;
    // infinity where it does not, or where the export limit alone curtails (the engine does that).
    double pv_limit_kw(const Solution& solution, int t) const;
    // The plan's cost over its horizon: energy bought − sold + demand charge rise + unmet penalty
    // + V2G payments + degradation + PV curtailed (no revenue, no early preference), from period `from` on
    // (the demand charge rise and the unmet penalty count whole) + the modelled battery wear (`wear`). Not
    // the overshoot penalty: what the site's own load breaks is no cost a baseline's would count.
    // With the batteries' end terms (ess_end).
    double expected_cost(const Solution& solution, int from = 0) const;
    // The planned import overshoot of `node` in period t (kW, 0 where the fixed flow keeps the limit).
    double overshoot_kw(const Solution& solution, NodeIndex node, int t) const {
        for (const Overshoot& over : overshoots)
            if (over.node == node && over.period == t) return solution.value(over.kw);
        return 0.0;
    }
    // Each period's net energy at the grid connection (import > 0) as the meter counts it.
    std::vector<double> metered_net_kwh(const Solution& solution) const;
    // The demand charge's rise over the peak so far on those energies, by interval or by period.
    double metered_demand_rise(const std::vector<double>& net_kwh) const;
};

// Throws std::invalid_argument on an observation that cannot be modelled (no control period).
// `upcoming` replaces Observation::upcoming when given (a strategy's own forecast of arrivals).
// `horizon_end`: plan at least until then (e.g. the run's end), within max_horizon.
ChargingModel build_charging_model(const Observation& obs, const ChargingOptions& options,
                                   const std::vector<UpcomingSession>* upcoming = nullptr,
                                   Time horizon_end = Time::min());

}  // namespace evtwin::milp
