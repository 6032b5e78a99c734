#pragma once
// A reinforcement-learning environment on the simulator (see docs/rl.md): reset(seed) starts an
// episode of a scenario drawn for that seed, step(action) applies one decision and runs the site to
// the next decision point. Observations and actions are fixed-size float vectors; the engine's
// checks and limits clip an action as they clip any strategy's decision, and the clipped power is
// penalised in the reward. Nothing is recorded unless a sink is given; no engine state is copied.
#include "core/env_reward.hpp"
#include "core/obs_codec.hpp"
#include "core/simulator.hpp"
#include "model/scenario_spec.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace evtwin {

// Draws the scenario of one episode (its arrivals) from a seed.
using ScenarioFactory = std::function<ScenarioSpec(std::uint64_t seed)>;

enum class RewardKind { cost, v2g_profit, peak };

// "cost", "v2g_profit" or "peak"; throws std::invalid_argument naming the known ones otherwise.
RewardKind reward_kind_from_name(const std::string& name);

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
    // Observation scales; 0: derived from the first scenario (docs/rl.md).
    double price_scale = 0.0;
    double power_scale_kw = 0.0;
    Duration departure_scale = Duration::hours(24);
    SafetyLayer safety = SafetyLayer::laxity;  // how actions map onto setpoints (docs/rl.md)
    Duration safety_margin{};                  // taken off declared departures by the layer
    bool site_cap = false;  // one more action entry: the site import cap (docs/rl.md); on in evtwin train
    bool cap_below_peak = true;  // the cap's range starts at 0, not at the peak so far (docs/rl.md)
    bool bill_clock = true;      // the observation shows the time left until the bill closes
    RunSink* sink = nullptr;  // records every episode when set
};

// `base` with what the scenario's rl{} block sets laid over it; throws std::invalid_argument for an
// unknown reward name.
EnvConfig env_config_of(const ScenarioSpec& spec, EnvConfig base = {});

// What one step did, in physical units (the reward is computed from it).
struct StepInfo {
    Time now;                    // the new decision point (the end of the run when done)
    double energy_cost = 0.0;    // import cost minus export revenue over the step
    double demand_charge = 0.0;  // rise of the billing period's demand charge over the step
    double delivered_kwh = 0.0;  // net energy at the inlets over the step
    double ess_throughput_kwh = 0.0;
    double satisfaction = 0.0;   // sum over EVs that departed during the step
    double unmet_penalty = 0.0;  // sum of exp(-sharpness x satisfaction) over them
    std::uint32_t departures = 0;
    double clipped_kw = 0.0;     // asked minus drawn, summed over connectors and the ESS
};

class Env {
public:
    // Draws the scenario of seed 0 once to fix the layout (connectors, limited nodes); every
    // episode's scenario must have the same site. Throws what the factory or the site throws.
    // Without a config, the scenario's rl{} block (of seed 0, drawn once more for it) over
    // EnvConfig's defaults; with one, that config alone.
    explicit Env(ScenarioFactory factory);
    Env(ScenarioFactory factory, EnvConfig config);
    ~Env();
    Env(const Env&) = delete;
    Env& operator=(const Env&) = delete;

    std::size_t observation_size() const { return obs_size_; }
    // Connectors, the ESS, then the site cap when on.
    std::size_t action_size() const { return codec_->layout().action_size(); }
    std::size_t connector_count() const { return connector_count_; }
    // Per action entry, its lower bound: -1 where discharge is possible (V2G charger, ESS), else 0.
    std::span<const float> action_low() const { return codec_->layout().action_low; }
    // The vectors' layout, fixed by the first scenario (what a policy file stores).
    const ObsLayout& layout() const { return codec_->layout(); }

    // Starts an episode; writes its first observation into `obs` (observation_size() floats).
    void reset(std::uint64_t seed, std::span<float> obs);
    // Applies `action` (action_size() floats, clamped to [action_low, 1]), runs to the next decision
    // point, writes its observation (all zero when done) and returns the reward.
    float step(std::span<const float> action, std::span<float> obs, bool& done);

    const StepInfo& info() const { return info_; }
    bool done() const { return done_; }
    std::size_t steps() const { return steps_; }  // decision points of the episode so far
    const Simulator& simulator() const { return *sim_; }

private:
    void encode(std::span<float> obs) const;
    double reward_of(const StepInfo& s) const;
    double ess_potential() const;

    ScenarioFactory factory_;
    EnvConfig config_;
    std::size_t connector_count_ = 0;
    std::vector<double> efficiency_;   // per connector
    std::unique_ptr<ObsCodec> codec_;  // the observation and action layout
    std::size_t obs_size_ = 0;
    double ess_cycle_cost_ = 0.0;

    ScenarioSpec spec_;
    std::unique_ptr<RewardSink> ledger_;
    std::unique_ptr<Simulator> sim_;  // after the ledger and spec: destroyed first
    RewardLedger before_;
    std::vector<double> asked_;
    double potential_ = 0.0;  // ess_potential() at the decision point the step starts from
    StepInfo info_;
    bool done_ = true;
    std::size_t steps_ = 0;
};

}  // namespace evtwin
