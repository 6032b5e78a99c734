#pragma once
// What a strategy sees at a decision point. Everything is a read-only view of engine state taken at
// `now`; all powers are on the grid side of the charger (what the site's electrical tree carries),
// all energies in kWh at the vehicle inlet (what the session meter counts).
#include <evtwin/charge_curve.hpp>
#include <evtwin/decision.hpp>
#include <evtwin/ids.hpp>
#include <evtwin/time.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

namespace evtwin {

inline constexpr double kUnlimited = std::numeric_limits<double>::infinity();

// One node of the site tree. Flow is positive towards the loads (import), negative towards the
// grid (export); the node holds while -export_limit_kw <= flow <= import_limit_kw.
struct NodeView {
    NodeIndex parent = kNone;  // kNone for the grid connection (the root)
    NodeKind kind = NodeKind::grid;
    double import_limit_kw = kUnlimited;
    double export_limit_kw = kUnlimited;
    // Flow through this node now from what no strategy sets: available PV (negative) and base
    // load. The EV and ESS power a strategy decides add to it.
    double fixed_flow_kw = 0.0;
};

struct ConnectorView {
    NodeIndex node = kNone;                // the connector's own node; its parent is the charger node
    NodeIndex charger = kNone;             // the charger node
    double max_kw = 0.0;                   // charger rating (grid side)
    double min_kw = 0.0;                   // smallest non-zero charging setpoint the charger can hold
    std::span<const double> setpoints_kw;  // allowed setpoints (the same through a run); empty: continuous
    bool v2g_capable = false;
    PilotState state = PilotState::A;
    std::uint32_t session = kNone;  // index into Observation::sessions, kNone when free
    double voltage_v = 230.0;       // the charger draws kw·1000/voltage_v amperes
    double efficiency = 1.0;        // inlet energy per grid energy (charger losses)
    bool dc = false;                // a DC charger: a vehicle takes its DC rating there, else its AC one
    // Held by a reservation (OCPP ReserveNow, a scenario's reservations{}) for a driver who has not
    // come yet: no other vehicle is plugged in here; it is free again at reserved_until (the
    // reservation's expiry) unless its holder comes first. Always false where a vehicle is plugged in.
    bool reserved = false;
    Time reserved_until{};

    // A vehicle is plugged in and the connector works (not free, not in error, not faulted).
    bool usable() const { return state != PilotState::A && state != PilotState::E && state != PilotState::F; }
};

// What using a battery costs in wear, linearised at its present state (docs/battery.md, section Wear
// prices), in the tariff's currency; zero where the scenario gives batteries no value.
struct BatteryWear {
    double per_kwh = 0.0;         // per kWh charged or discharged, at the battery (cycling fade)
    double per_kwh_h_high = 0.0;  // per kWh stored above kWearReferenceSoc, per hour (calendar fade)
};
inline constexpr double kWearReferenceSoc = 0.5;

// What a driver asks of a session besides its request (docs/strategy-sdk.md, "A driver's needs").
// A goal: goal_kwh at the inlet (counted from the arrival, as requested_kwh is) by goal_by, which may
// be before the departure; energy beyond it, up to requested_kwh, is wanted only where it is worth
// its price, value_per_kwh per inlet kWh (0: not at all). Without a goal (goal_by not after the
// arrival) requested_kwh is wanted by the departure. The engine does not force min_charge_kw: a
// strategy that honours it charges at least that much (grid side) while the vehicle is plugged in,
// unless the vehicle takes less (its curve, a full battery, its request met).
struct ChargingNeeds {
    double min_charge_kw = 0.0;  // 0: none
    Time goal_by{};
    double goal_kwh = 0.0;
    double value_per_kwh = 0.0;

    bool has_goal(Time arrival) const { return goal_by > arrival; }
    bool operator==(const ChargingNeeds&) const = default;
};

struct SessionView {
    SessionId id = 0;
    ConnectorIndex connector = kNone;
    Time arrival;
    Time declared_departure;  // what the driver said; the true departure may differ
    // When the scenario's demand forecaster expects it to leave (its true departure under
    // `perfect`); shown to a strategy with foresight (Strategy::foresight), else declared_departure.
    Time expected_departure;
    double requested_kwh = 0.0;  // energy the driver asked for, at the inlet
    double delivered_kwh = 0.0;  // net energy delivered so far, at the inlet
    double remaining_kwh = 0.0;  // max(0, requested - delivered)
    double soc = 0.0;            // 0..1
    double capacity_kwh = 0.0;
    double min_soc = 0.0;  // discharge never goes below this
    // Grid side, now: charger rating and vehicle charge curve (in decision periods, the period's
    // average). Under RunMode::acnsim what ACN-Sim tells an algorithm instead: the charger rating, and
    // no more than the rest of the request in one period; the vehicle's own limit is not known.
    double max_charge_kw = 0.0;
    double max_discharge_kw = 0.0;  // grid side, >= 0; 0 unless V2G is allowed and possible
    // Grid side, at most the charger rating, whether or not its request is met or it is at its
    // minimum SoC: the most the vehicle's charge curve takes at or below its SoC (what it takes again
    // once it has given energy back), and its discharge rating (0 unless V2G is allowed and
    // possible). Under RunMode::acnsim the charge curve is not known: the charger rating.
    double recharge_kw = 0.0;
    double rated_discharge_kw = 0.0;
    double charge_efficiency = 1.0;  // inlet energy per grid energy (charger losses)
    bool v2g_allowed = false;
    double soh = 1.0;  // the battery's state of health: capacity_kwh is its nominal capacity × soh
    BatteryWear wear{};
    // The battery's own losses: battery kWh per inlet kWh charged, and inlet kWh per battery kWh
    // discharged (so it holds (1 − soc)·capacity_kwh / battery_charge_efficiency more inlet kWh).
    double battery_charge_efficiency = 1.0;
    double battery_discharge_efficiency = 1.0;
    // The vehicle's charge curve (evtwin/charge_curve.hpp), where it takes less than its rating at
    // some SoC: at SoC s its battery takes at most curve_rated_kw × the curve's fraction at s at the
    // inlet. Empty where the vehicle takes its rating at any SoC or its curve is not known
    // (ACN-compatible mode; a live vehicle). Valid while the session is plugged in, as the other views.
    std::span<const ChargeCurvePoint> charge_curve;
    double curve_rated_kw = 0.0;
    ChargingNeeds needs{};
};

// A stationary battery.
struct EssView {
    NodeIndex node = kNone;
    double capacity_kwh = 0.0;
    double soc = 0.0;
    double soc_min = 0.0;
    double soc_max = 1.0;
    double max_charge_kw = 0.0;     // grid side, now (0 at soc_max)
    double max_discharge_kw = 0.0;  // grid side, >= 0, now (0 at soc_min)
    // Grid side, its ratings, the same through a run whatever its SoC: what it takes and gives again
    // once it is off its SoC bounds. A plan over later periods bounds each direction by its own.
    double rated_charge_kw = 0.0;
    double rated_discharge_kw = 0.0;
    double charge_efficiency = 1.0;
    double discharge_efficiency = 1.0;
    double soh = 1.0;  // capacity_kwh is its nominal capacity × soh
    BatteryWear wear{};
    // What the site wants of it when the run ends (a scenario's end, a plan's horizon): each kWh it
    // then stores above soc_min is worth end_value_per_kwh (what it will save later), and where
    // end_soc is a number it should then store at least end_soc × capacity_kwh (a shortfall is
    // missed as a vehicle's undelivered energy is). Set by the site (the scenario's ess{}, a plan's
    // site.ess); neither changes what the battery does.
    double end_value_per_kwh = 0.0;
    double end_soc = std::numeric_limits<double>::quiet_NaN();
    // Whether it may charge from the grid: without, it charges only while the site exports (from a
    // PV surplus), as much as the site would export without it. Whether it may give to the grid:
    // without, it discharges only while the site imports, as much as the site would import without it.
    // The engine holds it to both at every instant, sharing a surplus or an import among the
    // batteries so held in `priority` order (higher first, then the scenario's order); a plan gives
    // the work to the battery of higher priority where two could do it at the same cost.
    bool grid_charge = true;
    bool grid_discharge = true;
    int priority = 0;
};

// One connector's part in a phase constraint. Drawing `kw` (grid side, negative: discharge) at the
// connector adds the current phasor coefficient · kw · amps_per_kw · (cos_phase + j·sin_phase) amperes
// to the constraint's sum. A charger with several connectors gives each of them the same term, so
// the charger's current is that of its connectors' summed power.
struct ConnectorTerm {
    ConnectorIndex connector = kNone;
    double coefficient = 1.0;
    double amps_per_kw = 1000.0 / 230.0;  // 1000 / the charger's voltage
    double cos_phase = 1.0;               // of the charger's phase angle
    double sin_phase = 0.0;
};

// A three-phase (ACN-style) limit: the magnitude of the sum of the terms' current phasors must not
// exceed `limit_a` amperes. The terms are the same through a run.
struct PhaseConstraintView {
    std::span<const ConnectorTerm> terms;
    double limit_a = kUnlimited;
};

// The phase constraints by connector: connector c's terms are terms[first[c] .. first[c + 1]), each
// (constraint, index in its terms). They never change during a run, so the engine builds them once.
struct PhaseTermIndex {
    std::vector<std::uint32_t> first;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> terms;

    PhaseTermIndex() = default;
    PhaseTermIndex(std::span<const PhaseConstraintView> phases, std::size_t connectors)
        : first(connectors + 1, 0) {
        for (const PhaseConstraintView& k : phases)
            for (const ConnectorTerm& t : k.terms)
                if (t.connector < connectors) ++first[t.connector + 1];
        for (std::size_t c = 0; c < connectors; ++c) first[c + 1] += first[c];
        terms.resize(first.back());
        std::vector<std::uint32_t> next(first.begin(), first.end() - 1);
        for (std::uint32_t k = 0; k < phases.size(); ++k)
            for (std::uint32_t i = 0; i < phases[k].terms.size(); ++i) {
                const ConnectorIndex c = phases[k].terms[i].connector;
                if (c < connectors) terms[next[c]++] = {k, i};
            }
    }
};

// The flow through one node from PV and base load alone (as NodeView::fixed_flow_kw), per step.
struct NodeFlowForecast {
    NodeIndex node = kNone;
    std::vector<double> kw;
};

struct Quantiles {
    std::vector<double> p10, p50, p90;
};

// The vehicles expected to arrive in each step: how many, the energy they will ask for (kWh at the
// inlet, summed) and their mean stay (hours; 0 where none is expected).
struct DemandForecast {
    Quantiles arrivals, energy_kwh, stay_h;
};

// Values over the horizon ahead, one per step, starting at `start` (the start of the control period
// that contains now). PV, base load and demand are the scenario's forecasters' (the run's own data
// under the `perfect` forecaster); prices are the tariff's, known ahead.
struct Forecast {
    Time start;
    Duration step;
    std::vector<double> import_price;          // per kWh imported
    std::vector<double> export_price;          // per kWh exported
    std::vector<double> pv_kw;                 // available PV, before curtailment: the median forecast
    std::vector<double> base_load_kw;          // non-EV load of the site: the median forecast
    std::vector<double> pv_kw_p10, pv_kw_p90;  // the forecast's 10 % and 90 % quantiles
    std::vector<double> base_load_kw_p10, base_load_kw_p90;
    DemandForecast demand;
    // Every node with PV or base load below it (its share of pv_kw and base_load_kw); a node that
    // is not listed carries none.
    std::vector<NodeFlowForecast> node_fixed_flow;
};

// A vehicle that has not arrived yet. Shown only to a strategy that asks for foresight
// (Strategy::foresight). Under the `perfect` demand forecaster it is what the run's session data
// says; under any other, an expected vehicle made from the demand forecast (id >= kExpectedSessionIds,
// no charger, departure = declared_departure).
inline constexpr SessionId kExpectedSessionIds = 0x60000000u;

struct UpcomingSession {
    SessionId id = 0;
    Time arrival;
    Time declared_departure;
    double requested_kwh = 0.0;  // at the inlet
    double initial_soc = 0.0;
    double capacity_kwh = 0.0;  // what its battery will hold on arrival (nominal × expected SoH)
    double min_soc = 0.0;
    double max_ac_kw = 0.0;         // the vehicle's own limits at the inlet; the charger's rating
    double max_dc_kw = 0.0;         // and efficiency apply on top, once a connector is known
    double max_discharge_kw = 0.0;  // at the inlet; 0 unless V2G is allowed
    bool v2g_allowed = false;
    NodeIndex charger = kNone;  // the charger the data names; kNone: the first free connector
    Time departure;             // when the vehicle will really leave (the data's; perfect foresight)
    BatteryWear wear{};         // its battery's wear prices on arrival
    // Its battery's losses and charge curve as SessionView has them, the curve of max_ac_kw or
    // max_dc_kw as its charger is (empty: it takes its rating at any SoC); valid through the run.
    double battery_charge_efficiency = 1.0;
    double battery_discharge_efficiency = 1.0;
    std::span<const ChargeCurvePoint> charge_curve;
    ChargingNeeds needs{};  // as SessionView's
};

// The demand charge as the tariff bills it: rate x the billing period's peak demand, where demand
// is the average import over one demand interval.
struct DemandView {
    double rate_per_kw = 0.0;   // the billing period's (the bill's); 0 when the tariff has no demand charge
    Duration interval;          // 0 when the tariff has no demand intervals
    double peak_kw = 0.0;       // highest demand of the billing period's closed intervals
    Time interval_start;        // the interval in progress
    double interval_kwh = 0.0;  // imported so far in the interval in progress
    Time period_end;            // end of the billing period (Time::max() when unbounded)
};

// Calls part(k, hours) for each demand interval that [from, to) overlaps within the billing period:
// k counts intervals from the one in progress (0), hours is the overlap. A span's energy at constant
// power goes to each interval in proportion. Needs demand.interval > 0.
template <class Part>
void for_each_interval_part(const DemandView& demand, Time from, Time to, Part part) {
    to = std::min(to, demand.period_end);  // the next billing period's peak is its own
    while (from < to) {
        const std::int64_t k = std::max<std::int64_t>(0, (from - demand.interval_start) / demand.interval);
        const Time end = std::min(to, demand.interval_start + demand.interval * (k + 1));
        part(static_cast<std::size_t>(k), (end - from).hours_f());
        from = end;
    }
}

// The highest average demand of the intervals that imports of import_kw[t] in periods
// [bounds[t], bounds[t + 1]) reach, the interval in progress with what it has imported. Needs
// demand.interval > 0 and a bound more than import_kw has values.
inline double peak_of_intervals_kw(const DemandView& demand, std::span<const Time> bounds,
                                   std::span<const double> import_kw) {
    std::vector<double> interval_kwh;
    for (std::size_t t = 0; t < import_kw.size(); ++t) {
        for_each_interval_part(demand, bounds[t], bounds[t + 1], [&](std::size_t k, double hours) {
            if (interval_kwh.size() <= k) interval_kwh.resize(k + 1, 0.0);
            interval_kwh[k] += import_kw[t] * hours;
        });
    }
    double peak_kw = 0.0;
    for (std::size_t k = 0; k < interval_kwh.size(); ++k)
        peak_kw = std::max(
            peak_kw, (interval_kwh[k] + (k == 0 ? demand.interval_kwh : 0.0)) / demand.interval.hours_f());
    return peak_kw;
}

// What the operator earns and pays besides the grid bill (the scenario's economics block), in
// the tariff's currency.
struct EconomicsView {
    double charging_price_per_kwh = 0.0;   // paid by drivers per kWh delivered at the inlet
    double v2g_price_factor = 1.0;         // V2G energy (grid side) is paid to drivers at this x import price
    double ev_degradation_per_kwh = 0.0;   // wear per kWh of V2G discharge at the inlet
    double ess_degradation_per_kwh = 0.0;  // wear per kWh of ESS throughput (charge + discharge)
    // What a kWh of PV curtailed costs the site (a feed-in premium or a contract it forgoes), whether
    // a decision (Decision::pv_limit_kw) or an export limit curtailed it.
    double pv_curtailment_cost_per_kwh = 0.0;
};

// How the engine runs the scenario (docs/engine.md): events as they come; decisions at every control
// period only, powers held for the period; or as ACN-Sim does it (decision periods, what ACN-Sim's
// interface shows an algorithm, and its rules: see "ACN-compatible mode"), where the baseline
// strategies follow acnportal's algorithms.
enum class RunMode : std::uint8_t { event, decision_period, acnsim };

// The voltage of a phase of a distribution feeder's bus where a node of the site is attached
// (distribution_feeder{}, docs/grid.md), as the feeder's last solve left it.
struct BusVoltageView {
    NodeIndex node = kNone;  // the node of the site at the bus
    std::uint8_t phase = 0;  // the bus's conductor, 1..3
    double v_pu = 1.0;       // |V| over the bus's base, rounded to 1e-4 (as recorded)
    // The band the bus is held to: a distribution system operator's for it, else the feeder's.
    double v_min_pu = 0.9;
    double v_max_pu = 1.1;
};

// The loading of a line or transformer that carries a node's supply from the substation, as the
// feeder's last solve left it: a line's highest phase current over its normal rating, a
// transformer's kVA over its rating.
struct BranchLoadingView {
    NodeIndex node = kNone;    // the node of the site whose supply it carries
    std::uint32_t branch = 0;  // the feeder's lines, then its transformers (as the results number them)
    double loading = 0.0;      // rounded to 1e-4 (as recorded)
};

// A node of the site attached to the feeder, with what it imported at the feeder's last solve (kW,
// negative when it exported): the point FeederSensitivity's slopes are taken around.
struct AttachedNodeView {
    NodeIndex node = kNone;
    double import_kw = 0.0;
};

// How the feeder's voltages at the site's buses and the loadings of the branches that supply it move
// with what the site imports, around the feeder's last solve (docs/grid.md, "Voltage
// sensitivities"). The engine works it out when first asked after a solve (a power flow, and one
// more per attached node), so a strategy that never asks costs nothing.
class FeederSensitivity {
public:
    // Each of FeederView::voltages (per unit, not rounded) with the attached nodes importing what
    // FeederView::attached says and the feeder's other customers as they are now: a load profile may
    // have stepped since the last solve, which the powers decided now are solved with.
    virtual std::span<const double> v_pu_now() const = 0;
    // Row-major, FeederView::voltages × FeederView::attached: the change of voltages[i] per kW more
    // imported at attached[j] (its reactive power at the feeder's power factor for that node, the
    // regulators' taps as they are), around v_pu_now(). Negative where importing lowers the voltage.
    virtual std::span<const double> dv_pu_per_kw() const = 0;
    // The same at another time and imports, for a strategy that plans ahead and checks its plan
    // against the feeder: the voltages were the attached nodes to import `import_kw` (kW, one per
    // FeederView::attached) at `at`, the feeder's other customers as the scenario's load profiles
    // have them then, and with `dv_pu_per_kw` not null their slopes there. False, the outputs
    // untouched, where the power flow does not converge.
    virtual bool voltages_at(Time at, std::span<const double> import_kw, std::vector<double>& v_pu,
                             std::vector<double>* dv_pu_per_kw) const = 0;
    // The same three for FeederView::loadings (fractions of each branch's rating, not rounded): a
    // branch's loading is its largest phase current over its rating (a transformer's larger of the
    // power in and out over its kVA), so its slope is the loaded phase's.
    virtual std::span<const double> loading_now() const = 0;
    virtual std::span<const double> dloading_per_kw() const = 0;
    virtual bool loadings_at(Time at, std::span<const double> import_kw, std::vector<double>& loading,
                             std::vector<double>* dloading_per_kw) const = 0;

protected:
    ~FeederSensitivity() = default;
};

// The distribution feeder behind the site: the voltages at the site's buses, the loadings of the
// branches between them and the substation, and the limits the run holds the feeder to. Not present
// on a site without one, in live operation, or in the Observation of a subtree decided alone.
struct FeederView {
    bool present = false;
    double v_min_pu = 0.0;
    double v_max_pu = 0.0;
    std::span<const BusVoltageView> voltages;  // by attached node in the scenario's order, then phase
    // By attached node in the scenario's order, then along its supply path from the substation.
    std::span<const BranchLoadingView> loadings{};
    double max_loading = 0.0;                      // a branch above it is overloaded
    std::span<const AttachedNodeView> attached{};  // in the scenario's order
    const FeederSensitivity* sensitivity = nullptr;
};

struct Observation {
    Time now;
    Duration control_period;
    RunMode mode = RunMode::event;
    std::span<const NodeView> nodes;            // indexed by NodeIndex; nodes[0] is the grid connection
    std::span<const ConnectorView> connectors;  // indexed by ConnectorIndex
    std::span<const SessionView> sessions;      // vehicles plugged in now
    std::span<const EssView> ess;               // the site's stationary batteries, in its order

    const Forecast* forecast = nullptr;
    const Decision* previous = nullptr;  // what was decided last time (all zero at the start)
    std::span<const PhaseConstraintView> phase_constraints;  // empty on a site without any
    const PhaseTermIndex* phase_terms = nullptr;  // phase_constraints by connector (null: not given)
    // The run's first instant: the control periods are [run_start + k·control_period, + control_period),
    // and a decision between two boundaries falls within one (at an event).
    Time run_start;
    Time run_end;
    DemandView demand;
    // Vehicles arriving after now within the strategy's foresight horizon, by arrival; empty
    // without foresight.
    std::span<const UpcomingSession> upcoming;
    EconomicsView economics;
    FeederView feeder;
};

// When an arrival or departure at `t` takes effect in the engine: at once in event mode; in
// decision-period mode at the first control-period boundary at or after it; in ACN-compatible mode
// at the boundary before it (ACN-Sim floors both to a period index). Needs control_period > 0.
inline Time takes_effect(RunMode mode, Time run_start, Duration control_period, Time t) {
    if (mode == RunMode::event || t <= run_start) return t;
    const std::int64_t period = control_period.ms();
    const std::int64_t round_up = mode == RunMode::acnsim ? 0 : period - 1;
    return run_start + Duration(((t - run_start).ms() + round_up) / period * period);
}
inline Time takes_effect(const Observation& obs, Time t) {
    return takes_effect(obs.mode, obs.run_start, obs.control_period, t);
}

// The periods of a plan from now until at least `end`, at least one: [now, the next boundary of the
// run's control periods), then whole control periods. Period t is [bounds[t], bounds[t + 1]). Needs
// control_period > 0.
inline std::vector<Time> period_bounds(const Observation& obs, Time end) {
    const Duration period = obs.control_period;
    const Duration into =
        obs.now > obs.run_start ? Duration((obs.now - obs.run_start).ms() % period.ms()) : Duration(0);
    std::vector<Time> bounds{obs.now, obs.now + (period - into)};
    while (bounds.back() < end) bounds.push_back(bounds.back() + period);
    return bounds;
}

}  // namespace evtwin
