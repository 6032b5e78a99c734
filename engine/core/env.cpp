#include "core/env.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace evtwin {
namespace {

constexpr std::size_t kTimeFeatures = 3;       // sin, cos of the local time of day; weekend
constexpr std::size_t kConnectorFeatures = 6;  // see docs/rl.md

float clamp_unit(double x, double lo = 0.0) { return static_cast<float>(std::clamp(x, lo, 1.0)); }

bool limited(const NodeSpec& n) { return std::isfinite(n.import_limit_kw); }

}  // namespace

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
    base.price_scale = rl.price_scale.value_or(base.price_scale);
    base.power_scale_kw = rl.power_scale_kw.value_or(base.power_scale_kw);
    base.departure_scale = rl.departure_scale.value_or(base.departure_scale);
    return base;
}

Env::Env(ScenarioFactory factory) : Env(factory, factory ? env_config_of(factory(0)) : EnvConfig{}) {}

Env::Env(ScenarioFactory factory, EnvConfig config) : factory_(std::move(factory)), config_(config) {
    if (!factory_) throw std::invalid_argument("Env: no scenario factory");
    const ScenarioSpec layout = factory_(0);
    for (const ChargerSpec& ch : layout.chargers) {
        for (int k = 0; k < ch.connectors; ++k) {
            charger_kw_.push_back(ch.max_kw);
            efficiency_.push_back(ch.efficiency);
            action_low_.push_back(ch.v2g_capable ? -1.0f : 0.0f);
        }
    }
    connector_count_ = charger_kw_.size();
    action_low_.push_back(layout.ess ? -1.0f : 0.0f);
    for (std::size_t n = 0; n < layout.nodes.size(); ++n)
        if (limited(layout.nodes[n])) limited_nodes_.push_back(static_cast<NodeIndex>(n));
    obs_size_ = kTimeFeatures + kConnectorFeatures * connector_count_ + 3 * config_.window + 1 + limited_nodes_.size();

    power_scale_ = config_.power_scale_kw;
    if (!(power_scale_ > 0.0)) {
        power_scale_ = 0.0;
        for (const ChargerSpec& ch : layout.chargers) power_scale_ += ch.max_kw;
        if (layout.ess) power_scale_ += std::max(layout.ess->max_charge_kw, layout.ess->max_discharge_kw);
        if (!(power_scale_ > 0.0)) power_scale_ = 1.0;
    }
    price_scale_ = config_.price_scale;
    if (!(price_scale_ > 0.0)) {
        price_scale_ = 0.0;
        if (layout.tariff) {
            std::size_t samples = 0;
            for (Time t = layout.start; t < layout.end && samples < 100000; t += layout.control_period, ++samples)
                price_scale_ = std::max(price_scale_, std::abs(layout.tariff->import_price(t)));
        }
        if (!(price_scale_ > 0.0)) price_scale_ = 1.0;
    }
    ess_cycle_cost_ = config_.ess_cycle_cost_per_kwh >= 0.0 ? config_.ess_cycle_cost_per_kwh
                                                            : layout.economics.ess_degradation_per_kwh;
    if (config_.departure_scale.ms() <= 0) throw std::invalid_argument("Env: departure_scale must be positive");
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
    if (connectors != connector_count_ || spec_.nodes.size() < (limited_nodes_.empty() ? 0 : limited_nodes_.back() + 1))
        throw std::invalid_argument("Env::reset: the scenario of seed " + std::to_string(seed) +
                                    " has another site than the first one (" + std::to_string(connectors) +
                                    " connectors, expected " + std::to_string(connector_count_) + ")");
    if (!spec_.tariff) throw std::invalid_argument("Env::reset: the scenario has no tariff");
    if (!zone_ || zone_->name() != spec_.timezone) zone_.emplace(spec_.timezone);
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
    encode(obs);
}

float Env::step(std::span<const float> action, std::span<float> obs, bool& done) {
    if (done_) throw std::logic_error("Env::step: the episode is over; reset() first");
    if (action.size() != action_size()) throw std::invalid_argument("Env::step: action of the wrong size");
    if (obs.size() != obs_size_) throw std::invalid_argument("Env::step: observation buffer of the wrong size");
    const Observation& o = sim_->observation();
    Decision& d = sim_->decision();
    for (std::size_t c = 0; c < connector_count_; ++c) {
        const float a = std::isnan(action[c]) ? 0.0f : std::clamp(action[c], action_low_[c], 1.0f);
        d.connector_kw[c] = o.connectors[c].session == kNone ? 0.0 : a * charger_kw_[c];
    }
    const float e = std::isnan(action[connector_count_]) ? 0.0f : std::clamp(action[connector_count_], action_low_.back(), 1.0f);
    d.ess_kw = !o.ess.present ? 0.0 : e >= 0.0f ? e * spec_.ess->max_charge_kw : e * spec_.ess->max_discharge_kw;

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
    return static_cast<float>(reward_of(info_));
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

void Env::encode(std::span<float> obs) const {
    const Observation& o = sim_->observation();
    float* out = obs.data();
    const LocalDateTime local = zone_->to_local(o.now);
    const double day_fraction =
        (local.hour * 3600.0 + local.minute * 60.0 + local.second + local.millisecond / 1000.0) / 86400.0;
    *out++ = static_cast<float>(std::sin(2.0 * std::numbers::pi * day_fraction));
    *out++ = static_cast<float>(std::cos(2.0 * std::numbers::pi * day_fraction));
    *out++ = local.weekday == 0 || local.weekday == 6 ? 1.0f : 0.0f;

    const double departure_scale_ms = static_cast<double>(config_.departure_scale.ms());
    for (std::size_t c = 0; c < connector_count_; ++c) {
        const std::uint32_t i = o.connectors[c].session;
        if (i == kNone) {
            for (std::size_t k = 0; k < kConnectorFeatures; ++k) *out++ = 0.0f;
            continue;
        }
        const SessionView& s = o.sessions[i];
        *out++ = 1.0f;
        *out++ = s.capacity_kwh > 0.0 ? clamp_unit(s.remaining_kwh / s.capacity_kwh) : 0.0f;
        *out++ = clamp_unit(static_cast<double>((s.declared_departure - o.now).ms()) / departure_scale_ms);
        *out++ = clamp_unit(s.soc);
        *out++ = clamp_unit(s.max_charge_kw / charger_kw_[c]);
        *out++ = clamp_unit(s.max_discharge_kw / charger_kw_[c]);
    }

    const Forecast& f = *o.forecast;
    auto window = [&](const std::vector<double>& values, double scale, double lo) {
        for (std::size_t k = 0; k < config_.window; ++k) {
            const double v = values.empty() ? 0.0 : values[std::min(k, values.size() - 1)];
            *out++ = static_cast<float>(std::clamp(v / scale, lo, 1.0));
        }
    };
    window(f.import_price, price_scale_, -1.0);
    window(f.pv_kw, power_scale_, 0.0);
    window(f.base_load_kw, power_scale_, 0.0);

    *out++ = o.ess.present ? clamp_unit(o.ess.soc) : 0.0f;
    for (NodeIndex n : limited_nodes_) {
        const NodeView& v = o.nodes[n];
        *out++ = static_cast<float>(std::clamp((v.import_limit_kw - v.fixed_flow_kw) / power_scale_, -1.0, 1.0));
    }
}

}  // namespace evtwin
