#pragma once
// A reinforcement-learning environment on the simulator (docs/rl.md): reset(seed) starts an
// episode of the scenario's run for that seed, step(action) applies one decision and runs the site
// to the next decision point. Observations and actions are fixed-size float vectors (the layout,
// evtwin/rl/layout.hpp); the engine's checks and limits clip an action as they clip any strategy's
// decision, and the clipped power is penalised in the reward. Nothing is recorded and no engine
// state is copied per step.
#include <evtwin/observation.hpp>
#include <evtwin/rl/layout.hpp>
#include <evtwin/scenario.hpp>
#include <evtwin/time.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>

namespace evtwin {

enum class RewardKind { cost, v2g_profit, peak };

// "cost", "v2g_profit" or "peak"; throws std::invalid_argument naming the known ones otherwise.
RewardKind reward_kind_from_name(const std::string& name);
const char* reward_kind_name(RewardKind r);

struct EnvConfig {
    RewardKind reward = RewardKind::cost;
    std::size_t window = 8;  // control periods of price, PV and load forecast in the observation
    // Reward weights (docs/rl.md). Money is in the tariff's currency.
    double satisfaction_bonus = 1.0;       // cost, peak: per departing EV, times its satisfaction
    double ess_cycle_cost_per_kwh = -1.0;  // < 0: the scenario's economics.ess_degradation_per_kwh
    double clip_penalty_per_kw = 0.01;     // per kW the engine clipped at the decision instant
    double unmet_weight = 100.0;           // v2g_profit: weight x sum exp(-sharpness x satisfaction)
    double unmet_sharpness = 10.0;
    // Potential-based shaping (docs/rl.md): the ESS's usable energy valued at this weight x the
    // dearest import price of the forecast ahead; 0: off. Leaves the best policy unchanged.
    double ess_value_weight = 0.0;
    // Observation scales; 0: derived from the scenario (docs/rl.md).
    double price_scale = 0.0;
    double power_scale_kw = 0.0;
    Duration departure_scale = Duration::hours(24);
    SafetyLayer safety = SafetyLayer::laxity;  // how actions map onto setpoints (docs/rl.md)
    Duration safety_margin{};                  // taken off declared departures by the layer
    bool site_cap = false;  // one more action entry: the site import cap (docs/rl.md); on in evtwin train
    bool cap_below_peak = true;  // the cap's range starts at 0, not at the peak so far (docs/rl.md)
    bool bill_clock = true;      // the observation shows the time left until the bill closes
    bool ev_demand = true;       // the observation shows the demand forecast's expected EV energy
    // Per per-unit hour a bus-phase of the distribution feeder spends outside its voltage band
    // (docs/rl.md); 0: off, and nothing to pay without a feeder.
    double voltage_penalty_per_pu_h = 0.0;
};

// `base` with what the scenario's rl{} block sets laid over it.
EnvConfig env_config_of(const Scenario& scenario, EnvConfig base = {});

// `base` with the environment's keys of `options` (docs/rl.md, "Options": reward, safety,
// safety_margin_h, site_cap, cap_below_peak, bill_clock, ev_demand, window, the reward weights and the
// scales) laid over it, and those keys taken out of `options`. Throws std::invalid_argument naming the key
// and the range it expects.
EnvConfig env_config_with(EnvConfig base, std::map<std::string, std::string>& options);

// What one step did, in physical units (the reward is computed from it).
struct StepInfo {
    Time now;                    // the new decision point (the end of the run when done)
    double energy_cost = 0.0;    // import cost minus export revenue over the step
    double demand_charge = 0.0;  // rise of the billing period's demand charge over the step
    double v2g_payment = 0.0;    // paid to the drivers for what their vehicles fed (v2g_price_factor)
    double delivered_kwh = 0.0;  // net energy at the inlets over the step
    double ess_throughput_kwh = 0.0;
    // Over the EVs that departed during the step and were plugged at a decision point (one that
    // came and went between two is out of every action's reach):
    double satisfaction = 0.0;     // sum of min(1, delivered / requested)
    double unmet_penalty = 0.0;    // sum of exp(-sharpness x satisfaction)
    std::uint32_t departures = 0;  // every EV that departed during the step
    // Sessions that ended during the step (departed, or still plugged in at the run's end): the
    // energy they asked for and the part of it they got, at the inlet.
    double ended_requested_kwh = 0.0;
    double ended_served_kwh = 0.0;
    double clipped_kw = 0.0;  // asked minus drawn, summed over connectors and the ESS
    // Modelled battery wear (docs/battery.md) that became known during the step: the fade of the
    // sessions that ended, and the ESS's over the run at its end, at what the batteries are worth.
    double wear_cost = 0.0;
    // The distribution feeder's voltages outside their band over the step: the sum over bus-phases of
    // the per-unit distance to the band times the hours spent there (0 without a feeder).
    double voltage_excursion_pu_h = 0.0;
};

class Env {
public:
    // The layout is fixed by the scenario's run at its own seed; every episode's run must have the
    // same site. Without a config, the scenario's rl{} block over EnvConfig's defaults. Throws
    // std::invalid_argument for a bad config or site.
    explicit Env(const Scenario& scenario);
    Env(const Scenario& scenario, const EnvConfig& config);
    ~Env();
    Env(const Env&) = delete;
    Env& operator=(const Env&) = delete;

    std::size_t observation_size() const;
    // Connectors, the ESS, then the site cap when on.
    std::size_t action_size() const;
    std::size_t connector_count() const;
    // Per action entry, its lower bound: -1 where discharge is possible (V2G charger, ESS), else 0.
    std::span<const float> action_low() const;
    // The vectors' layout (what a policy file stores).
    const ObsLayout& layout() const;
    const EnvConfig& config() const;

    // Starts an episode on the run of `seed`; writes its first observation into `obs`
    // (observation_size() floats). Throws what drawing the run throws (ScenarioError, DataError)
    // and std::invalid_argument when its site differs from the layout's.
    void reset(std::uint64_t seed, std::span<float> obs);
    // Applies `action` (action_size() floats, clamped to [action_low, 1]), runs to the next decision
    // point, writes its observation (all zero when done) and returns the reward.
    float step(std::span<const float> action, std::span<float> obs, bool& done);

    const StepInfo& info() const;
    bool done() const;
    std::size_t steps() const;  // decision points of the episode so far
    // What a strategy would see at the current decision point; valid until the next step or reset.
    const Observation& observation() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace evtwin
