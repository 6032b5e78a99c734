#pragma once
// Everything a run needs, as plain data. The Lua loader (engine/scenario) fills it; the simulator
// builds its state from it. Sessions are already generated: random arrivals are drawn at load time
// from the scenario's seed, so a spec fully determines a run.
#include <evtwin/forecaster.hpp>
#include <evtwin/ids.hpp>
#include <evtwin/observation.hpp>
#include <evtwin/strategy.hpp>
#include <evtwin/time.hpp>

#include "model/price_event_tariff.hpp"
#include "model/scenario_script.hpp"
#include "model/step_series.hpp"
#include "model/tariff.hpp"
#include "model/vehicle_spec.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace evtwin {

struct FeederSpec;  // model/feeder_spec.hpp

struct NodeSpec {
    std::string name;
    NodeKind kind = NodeKind::feeder;
    NodeIndex parent = kNone;  // kNone only for the grid connection, which is node 0
    double import_limit_kw = kUnlimited;
    double export_limit_kw = kUnlimited;
};

struct ChargerSpec {
    std::string name;
    NodeIndex parent = kNone;          // node the charger hangs from
    double max_kw = 11.0;              // grid side
    double min_kw = 0.0;               // smallest non-zero setpoint
    std::vector<double> setpoints_kw;  // finite set of allowed setpoints; empty = continuous
    double efficiency = 0.97;          // inlet energy per grid energy
    bool dc = false;
    bool v2g_capable = false;
    int connectors = 1;  // connectors share the charger's max_kw
    // For phase constraints: the current drawn is P·1000/voltage_v amperes, at this phase angle.
    double voltage_v = 230.0;
    double phase_deg = 0.0;
};

// One charger's part in a phase constraint.
struct PhaseTermSpec {
    std::size_t charger = 0;  // index into ScenarioSpec::chargers
    double coefficient = 1.0;
};

// ACN-style three-phase limit: |Σ coefficient · I_charger · e^{j·phase}| <= limit_a, where a
// charger's current I is its connectors' summed grid power · 1000 / voltage_v.
struct PhaseConstraintSpec {
    std::string name;
    std::vector<PhaseTermSpec> terms;
    double limit_a = kUnlimited;
};

struct PvSpec {
    std::string name;
    NodeIndex node = 0;
    double kwp = 0.0;
    StepSeries profile;  // kW per kWp, 0..1
};

// A stationary battery's ratings and limits, with their defaults: what a results file stores of it
// (EssRecord, engine/record/records.hpp).
struct EssRating {
    std::string name;
    NodeIndex node = 0;
    double capacity_kwh = 0.0;
    double max_charge_kw = 0.0;
    double max_discharge_kw = 0.0;
    double charge_efficiency = 0.95;     // stored per grid energy
    double discharge_efficiency = 0.95;  // grid energy per stored energy
    double soc_min = 0.1;
    double soc_max = 0.9;
    double soc_initial = 0.5;
    // What the site wants of it at the run's end (EssView::end_value_per_kwh, end_soc).
    double end_value_per_kwh = 0.0;
    std::optional<double> end_soc;
    // Whether it may charge from the grid and give to it (EssView::grid_charge, grid_discharge), and
    // its place among the batteries (EssView::priority: higher first).
    bool grid_charge = true;
    bool grid_discharge = true;
    int priority = 0;
    bool operator==(const EssRating&) const = default;
};
inline constexpr int kMaxEssPriority = 1'000'000;

struct EssSpec : EssRating {
    double soh = 1.0;  // capacity / nominal at the start of the run
    bool operator==(const EssSpec&) const = default;
};

struct LoadSpec {
    std::string name;
    NodeIndex node = 0;
    StepSeries kw;  // non-EV load of the site
};

// Money that is not on the grid bill: what drivers pay, what V2G earns them, battery wear.
struct Economics {
    double charging_price_per_kwh = 0.0;   // paid by drivers per kWh delivered at the inlet
    double v2g_price_factor = 1.0;         // V2G energy is paid at this factor x import price
    double ev_degradation_per_kwh = 0.0;   // wear cost per kWh of V2G discharge throughput
    double ess_degradation_per_kwh = 0.0;  // wear cost per kWh of ESS throughput (charge + discharge)
    // What drivers pay, when given: an OCPI 2.2.1 Tariff object as JSON, each session priced under it
    // as a CDR is (charging_revenue); charging_price_per_kwh is then only what strategies see.
    std::string charging_tariff;
    double pv_curtailment_cost_per_kwh = 0.0;  // per kWh of PV curtailed (EconomicsView)
};

// A synthetic fleet for sessions without a vehicle id (ElaadNL arrivals, explicit sessions): each
// session is given one of `vehicles` vehicles, drawn among those not plugged in at its arrival.
struct FleetSpec {
    std::size_t vehicles = 0;
};

// Battery ageing (docs/battery.md): the site's ambient temperature, chemistries, what a battery is
// worth (for degradation costs), and the vehicles' model years.
struct BatterySpec {
    StepSeries ambient_c{{}, {}, 20.0};  // cell temperature, °C: `before` alone for a constant
    Chemistry ess_chemistry = Chemistry::lfp;
    double ev_cost_per_kwh = 0.0;  // replacement cost per kWh of nominal capacity, tariff currency
    double ess_cost_per_kwh = 0.0;
    double end_of_life_soh = 0.8;  // the battery is worth nothing at this SoH
    // Model years of vehicles that have none, drawn uniformly per vehicle id in [min, max]; 0: unknown.
    int model_year_min = 0;
    int model_year_max = 0;
    std::optional<FleetSpec> fleet;
};

// The reinforcement-learning environment's settings a scenario may give (rl{}, docs/rl.md). An Env
// made without an explicit EnvConfig takes them; what is unset keeps EnvConfig's default.
struct RlSpec {
    std::string reward;  // "cost", "v2g_profit" or "peak"; empty: the default
    std::optional<std::size_t> window;
    std::optional<double> satisfaction_bonus;
    std::optional<double> ess_cycle_cost_per_kwh;
    std::optional<double> clip_penalty_per_kw;
    std::optional<double> unmet_weight;
    std::optional<double> unmet_sharpness;
    std::optional<double> ess_value_weight;
    std::optional<double> price_scale;
    std::optional<double> power_scale_kw;
    std::optional<Duration> departure_scale;
    std::string safety;  // "laxity" or "none"; empty: the default
    std::optional<Duration> safety_margin;
    std::optional<bool> site_cap;
    std::optional<double> voltage_penalty_per_pu_h;
};

// A forecaster named for one target: `perfect` (the run's own data) and `noisy` (the data with
// seeded error) are the engine's; any other name is a forecaster plugin (docs/forecasting.md).
struct ForecasterChoice {
    std::string name = "perfect";
    ForecasterOptions options;
};

// The forecast{} block: who forecasts what, and the past they are given.
struct ForecastSpec {
    ForecasterChoice pv, load, demand;
    std::string holidays = "none";  // HolidayCalendar name, for the forecasters' calendar features
    Duration history;               // sessions this long before the run's start are loaded as the past
    // Arriving in [start - history, start), sorted, never simulated.
    std::vector<SessionSpec> history_sessions;
    ForecasterChoice& choice(ForecastTarget t) {
        return t == ForecastTarget::pv ? pv : t == ForecastTarget::load ? load : demand;
    }
    const ForecasterChoice& choice(ForecastTarget t) const {
        return t == ForecastTarget::pv ? pv : t == ForecastTarget::load ? load : demand;
    }
};

// The live{} block: how `evtwin serve`'s central system maps charge points onto the site's chargers,
// and what it assumes of a vehicle that tells nothing of itself (docs/live.md).
struct LiveChargePoint {
    std::string id;  // the charge point's identity, the last segment of its URL
    // Indices into ScenarioSpec::chargers. One charger: its connectors are the charge point's
    // connectors (EVSEs) 1..n. Several: connector (EVSE) k is the k-th charger, of one connector.
    std::vector<std::size_t> chargers;
    char unit = 'A';  // the unit its charging profiles are sent in first: 'A' or 'W'
};

struct LiveSpec {
    // Empty: every charger is a charge point named as the charger, in amperes ('W' for DC).
    std::vector<LiveChargePoint> charge_points;
    Duration stay = Duration::hours(8);  // a vehicle's declared stay when nobody declares one
    double energy_kwh = 20.0;            // and the energy it asks for
    double capacity_kwh = 60.0;          // its battery, when the charger reports no SoC
    double soc = 0.3;                    // its SoC on arrival, when the charger reports none
    int phases = 3;                      // an AC charger's phases, for limits in amperes
};

// A reservation (reservations{}, docs/scenario-dsl.md): a connector held for a driver's token over
// [from, to). A drawn one is its session's (session_token), or a driver who never comes.
struct ReservationSpec {
    std::string id_tag;
    std::string station;  // the charger to hold a connector of; empty: any free connector
    Time from;
    Time to;
};

// The token a session's vehicle shows a charger (its idTag in OCPP terms): its vehicle id, or
// "session-<id>" for a vehicle seen only in this session.
inline std::string session_token(const SessionSpec& s) {
    return s.vehicle_id.empty() ? "session-" + std::to_string(s.id) : s.vehicle_id;
}

struct ScenarioSpec {
    std::string name;
    std::string source_file;  // the scenario file, for messages and the runs table
    std::string timezone = "UTC";
    Time start;
    Time end;
    Duration control_period = Duration::minutes(15);
    // ACN-Sim's discrete-time semantics: the strategy decides at every control period only;
    // arrivals and departures take effect at the next period boundary; each vehicle's power is the
    // period's average along its charge curve, held for the period (see docs/engine.md).
    bool decision_period_mode = false;
    // ACN-compatible mode (mode = "acnsim", docs/engine.md): decision periods as above, plus
    // ACN-Sim's rules: arrivals and departures in the period they fall in, the observation shows
    // what its interface shows an algorithm, phase constraints are checked on the pilots and not
    // enforced, the run goes on until the last vehicle has left, and a TOU tariff is read on the
    // start's UTC offset. Implies decision_period_mode.
    bool acn_compatible = false;
    Duration forecast_horizon = Duration::hours(24);
    ForecastSpec forecast;
    std::uint64_t seed = 1;

    std::vector<NodeSpec> nodes;  // nodes[0] is the grid connection
    std::vector<ChargerSpec> chargers;
    std::vector<PhaseConstraintSpec> phase_constraints;
    std::shared_ptr<const Tariff> tariff;
    std::vector<PvSpec> pv;
    std::vector<EssSpec> ess;  // stationary batteries, in the scenario's order
    std::vector<LoadSpec> loads;
    std::vector<SessionSpec> sessions;  // sorted by arrival
    // Sorted by `from` (ties: as drawn or listed).
    std::vector<ReservationSpec> reservations;
    Economics economics;
    BatterySpec battery;
    std::optional<RlSpec> rl;  // the rl{} block, when the scenario has one
    LiveSpec live;
    // The distribution feeder the site's nodes are attached to (distribution_feeder{}), when any.
    std::shared_ptr<const FeederSpec> feeder;

    // The script's hooks (at, every, on), when it registered any; then `tariff` is `price_events`,
    // which the simulator adds the hooks' price spikes to.
    std::shared_ptr<const ScenarioScript> script;
    std::shared_ptr<PriceEventTariff> price_events;

    std::string strategy = "uncontrolled";  // default strategy, overridable on the command line
    StrategyOptions strategy_options;       // flat keys: given to every strategy run on this scenario
    // strategy_options = { mpc = { k = v } }: given only to the strategy of that name, over the flat keys.
    std::map<std::string, StrategyOptions> strategy_options_by_name;
};

}  // namespace evtwin
