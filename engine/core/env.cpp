#include "core/env.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evtwin {

RewardKind reward_kind_from_name(const std::string& name) {
    if (name == "cost") return RewardKind::cost;
    if (name == "v2g_profit") return RewardKind::v2g_profit;
    if (name == "peak") return RewardKind::peak;
    throw std::invalid_argument("reward '" + name + "': expected one of cost, v2g_profit, peak");
}

EnvConfig env_config_of(const ScenarioSpec& spec, EnvConfig base) {
    if (!spec.rl) return base;
    const RlSpec& rl = *spec.rl;
    if (!rl.reward.empty()) base.reward = reward_kind_from_name(rl.reward);
    base.window = rl.window.value_or(base.window);
    base.satisfaction_bonus = rl.satisfaction_bonus.value_or(base.satisfaction_bonus);
    base.ess_cycle_cost_per_kwh = rl.ess_cycle_cost_per_kwh.value_or(base.ess_cycle_cost_per_kwh);
    base.clip_penalty_per_kw = rl.clip_penalty_per_kw.value_or(base.clip_penalty_per_kw);
    base.unmet_weight = rl.unmet_weight.value_or(base.unmet_weight);
    base.unmet_sharpness = rl.unmet_sharpness.value_or(base.unmet_sharpness);
    base.ess_value_weight = rl.ess_value_weight.value_or(base.ess_value_weight);
    base.price_scale = rl.price_scale.value_or(base.price_scale);
    base.power_scale_kw = rl.power_scale_kw.value_or(base.power_scale_kw);
    base.departure_scale = rl.departure_scale.value_or(base.departure_scale);
    if (!rl.safety.empty()) base.safety = safety_layer_from_name(rl.safety);
    base.safety_margin = rl.safety_margin.value_or(base.safety_margin);
    base.site_cap = rl.site_cap.value_or(base.site_cap);
    return base;
}

Env::Env(ScenarioFactory factory) : Env(factory, factory ? env_config_of(factory(0)) : EnvConfig{}) {}

Env::Env(ScenarioFactory factory, EnvConfig config) : factory_(std::move(factory)), config_(config) {
    if (!factory_) throw std::invalid_argument("Env: no scenario factory");
    const ScenarioSpec layout = factory_(0);
    ObsLayout obs_layout =
        make_obs_layout(layout, config_.window, config_.price_scale, config_.power_scale_kw, config_.departure_scale);
    obs_layout.safety = config_.safety;
    obs_layout.safety_margin = config_.safety_margin;
    set_site_cap(obs_layout, config_.site_cap);
    obs_layout.cap_below_peak = config_.site_cap && config_.cap_below_peak;
    obs_layout.bill_clock = config_.bill_clock;
    codec_ = std::make_unique<ObsCodec>(std::move(obs_layout));
    for (const ChargerSpec& ch : layout.chargers)
        for (int k = 0; k < ch.connectors; ++k) efficiency_.push_back(ch.efficiency);
    connector_count_ = codec_->layout().connectors();
    obs_size_ = codec_->layout().observation_size();
    ess_cycle_cost_ = config_.ess_cycle_cost_per_kwh >= 0.0 ? config_.ess_cycle_cost_per_kwh
                                                            : layout.economics.ess_degradation_per_kwh;
}

Env::~Env() = default;

void Env::reset(std::uint64_t seed, std::span<float> obs) {
    if (obs.size() != obs_size_) throw std::invalid_argument("Env::reset: observation buffer of the wrong size");
    if (sim_ && !done_ && config_.sink) sim_->finish();  // an episode cut short is recorded as interrupted
    sim_.reset();
    ledger_.reset();
    spec_ = factory_(seed);
    std::size_t connectors = 0;
    for (const ChargerSpec& ch : spec_.chargers) connectors += static_cast<std::size_t>(std::max(ch.connectors, 0));
    if (connectors != connector_count_ || spec_.nodes.size() < (layout().limited_nodes.empty() ? 0 : layout().limited_nodes.back() + 1))
        throw std::invalid_argument("Env::reset: the scenario of seed " + std::to_string(seed) +
                                    " has another site than the first one (" + std::to_string(connectors) +
                                    " connectors, expected " + std::to_string(connector_count_) + ")");
    if (!spec_.tariff) throw std::invalid_argument("Env::reset: the scenario has no tariff");
    ledger_ = std::make_unique<RewardSink>(*spec_.tariff, efficiency_, config_.unmet_sharpness, config_.sink);
    sim_ = std::make_unique<Simulator>(spec_, *ledger_);
    RunInfo run_info;
    run_info.scenario_name = spec_.name;
    run_info.scenario_file = spec_.source_file;
    run_info.strategy_name = "env";
    run_info.seed = seed;
    sim_->start(run_info);
    steps_ = 0;
    info_ = StepInfo{};
    done_ = !sim_->advance();
    if (done_) throw std::logic_error("Env::reset: the scenario of seed " + std::to_string(seed) + " has no decision point");
    ledger_->accrue_until(sim_->now());
    before_ = ledger_->ledger();
    info_.now = sim_->now();
    potential_ = ess_potential();
    encode(obs);
}

float Env::step(std::span<const float> action, std::span<float> obs, bool& done) {
    if (done_) throw std::logic_error("Env::step: the episode is over; reset() first");
    if (action.size() != action_size()) throw std::invalid_argument("Env::step: action of the wrong size");
    if (obs.size() != obs_size_) throw std::invalid_argument("Env::step: observation buffer of the wrong size");
    Decision& d = sim_->decision();
    codec_->decode(action, sim_->observation(), d);

    // apply() swaps the buffer away: keep what was asked.
    asked_.assign(d.connector_kw.begin(), d.connector_kw.end());
    const double asked_ess = d.ess_kw;
    sim_->apply(d);
    double clipped = 0.0;
    const std::span<const double> drawn = sim_->connector_kw();
    for (std::size_t c = 0; c < connector_count_; ++c) clipped += std::abs(asked_[c] - drawn[c]);
    clipped += std::abs(asked_ess - sim_->ess_kw());

    done_ = !sim_->advance();
    ++steps_;
    if (!done_) ledger_->accrue_until(sim_->now());  // at the end, end_run() accrued and closed it all
    const RewardLedger& now = ledger_->ledger();
    info_.now = sim_->now();
    info_.energy_cost = now.energy_cost - before_.energy_cost;
    info_.demand_charge = now.demand_charge - before_.demand_charge;
    info_.delivered_kwh = now.delivered_kwh - before_.delivered_kwh;
    info_.ess_throughput_kwh = now.ess_throughput_kwh - before_.ess_throughput_kwh;
    info_.satisfaction = now.satisfaction - before_.satisfaction;
    info_.unmet_penalty = now.unmet_penalty - before_.unmet_penalty;
    info_.departures = now.departures - before_.departures;
    info_.clipped_kw = clipped;
    before_ = now;
    done = done_;
    if (done_) std::fill(obs.begin(), obs.end(), 0.0f);
    else encode(obs);
    // The episode ends at potential 0: over an episode the shaping sums to -potential at its start.
    const double potential = done_ ? 0.0 : ess_potential();
    const double shaping = potential - potential_;
    potential_ = potential;
    return static_cast<float>(reward_of(info_) + shaping);
}

double Env::ess_potential() const {
    if (config_.ess_value_weight == 0.0) return 0.0;
    const Observation& o = sim_->observation();
    if (!o.ess.present || !o.forecast || o.forecast->import_price.empty()) return 0.0;
    const double usable_kwh = std::max(0.0, o.ess.soc - o.ess.soc_min) * o.ess.capacity_kwh;
    const double dearest = *std::max_element(o.forecast->import_price.begin(), o.forecast->import_price.end());
    return config_.ess_value_weight * usable_kwh * o.ess.discharge_efficiency * dearest;
}

double Env::reward_of(const StepInfo& s) const {
    const double clip = config_.clip_penalty_per_kw * s.clipped_kw;
    const double ess_wear = ess_cycle_cost_ * s.ess_throughput_kwh;
    switch (config_.reward) {
        case RewardKind::cost: return -s.energy_cost + config_.satisfaction_bonus * s.satisfaction - ess_wear - clip;
        case RewardKind::peak:
            return -s.energy_cost - s.demand_charge + config_.satisfaction_bonus * s.satisfaction - ess_wear - clip;
        case RewardKind::v2g_profit: {
            const double profit = spec_.economics.charging_price_per_kwh * s.delivered_kwh - s.energy_cost - ess_wear;
            return profit - config_.unmet_weight * s.unmet_penalty - clip;
        }
    }
    return 0.0;
}

void Env::encode(std::span<float> obs) const { codec_->encode(sim_->observation(), obs); }

}  // namespace evtwin
