#include <evtwin/rl/env.hpp>

#include "core/simulator.hpp"
#include "rl/obs_layout_of.hpp"
#include "rl/reward_ledger.hpp"
#include "scenario/scenario_impl.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evtwin {

struct Env::Impl {
    Impl(const Scenario& scenario, const EnvConfig& config);

    void encode(std::span<float> obs) const { codec.encode(sim->observation(), obs); }
    double reward_of(const StepInfo& s) const;
    double ess_potential() const;

    Scenario scenario;
    EnvConfig config;
    ObsCodec codec;
    std::vector<double> efficiency;  // per connector
    double ess_cycle_cost = 0.0;

    ScenarioSpec spec;
    std::unique_ptr<RewardSink> ledger;
    std::unique_ptr<Simulator> sim;  // after the ledger and spec: destroyed first
    RewardLedger before;
    std::vector<double> asked;
    double potential = 0.0;  // ess_potential() at the decision point the step starts from
    StepInfo info;
    bool done = true;
    std::size_t steps = 0;
};

namespace {

ObsLayout layout_of(const ScenarioSpec& site, const EnvConfig& config) {
    ObsLayout layout = make_obs_layout(site, config.window, config.price_scale, config.power_scale_kw,
                                       config.departure_scale);
    layout.safety = config.safety;
    layout.safety_margin = config.safety_margin;
    set_site_cap(layout, config.site_cap);
    layout.cap_below_peak = config.site_cap && config.cap_below_peak;
    layout.bill_clock = config.bill_clock;
    layout.ev_demand = config.ev_demand;
    return layout;
}

std::size_t connectors_of(const ScenarioSpec& site) {
    std::size_t n = 0;
    for (const ChargerSpec& ch : site.chargers) n += static_cast<std::size_t>(std::max(ch.connectors, 0));
    return n;
}

}  // namespace

Env::Impl::Impl(const Scenario& s, const EnvConfig& c)
    : scenario(s), config(c), codec(layout_of(s.impl().loaded, c)) {
    const ScenarioSpec& site = s.impl().loaded;
    for (const ChargerSpec& ch : site.chargers)
        for (int k = 0; k < ch.connectors; ++k) efficiency.push_back(ch.efficiency);
    ess_cycle_cost = config.ess_cycle_cost_per_kwh >= 0.0 ? config.ess_cycle_cost_per_kwh
                                                          : site.economics.ess_degradation_per_kwh;
}

Env::Env(const Scenario& scenario) : Env(scenario, env_config_of(scenario)) {}

Env::Env(const Scenario& scenario, const EnvConfig& config)
    : impl_(std::make_unique<Impl>(scenario, config)) {}

Env::~Env() = default;

std::size_t Env::observation_size() const {
    return impl_->codec.layout().observation_size();
}
std::size_t Env::action_size() const {
    return impl_->codec.layout().action_size();
}
std::size_t Env::connector_count() const {
    return impl_->codec.layout().connectors();
}
std::span<const float> Env::action_low() const {
    return impl_->codec.layout().action_low;
}
const ObsLayout& Env::layout() const {
    return impl_->codec.layout();
}
const EnvConfig& Env::config() const {
    return impl_->config;
}
const StepInfo& Env::info() const {
    return impl_->info;
}
bool Env::done() const {
    return impl_->done;
}
std::size_t Env::steps() const {
    return impl_->steps;
}

const Observation& Env::observation() const {
    if (!impl_->sim || impl_->done)
        throw std::logic_error("Env::observation: no decision point; reset() first");
    return impl_->sim->observation();
}

void Env::reset(std::uint64_t seed, std::span<float> obs) {
    Impl& m = *impl_;
    if (obs.size() != observation_size())
        throw std::invalid_argument("Env::reset: observation buffer of the wrong size");
    m.sim.reset();
    m.ledger.reset();
    m.spec = draw_scenario(m.scenario, seed);
    const std::vector<NodeIndex>& limited = layout().limited_nodes;
    const std::size_t connectors = connectors_of(m.spec);
    if (connectors != connector_count() || (!limited.empty() && m.spec.nodes.size() <= limited.back()))
        throw std::invalid_argument("Env::reset: the scenario of seed " + std::to_string(seed) +
                                    " has another site than the layout's (" + std::to_string(connectors) +
                                    " connectors, expected " + std::to_string(connector_count()) + ")");
    if (!m.spec.tariff) throw std::invalid_argument("Env::reset: the scenario has no tariff");
    m.ledger = std::make_unique<RewardSink>(*m.spec.tariff, m.efficiency, m.config.unmet_sharpness,
                                            m.spec.economics.v2g_price_factor);
    m.sim = std::make_unique<Simulator>(m.spec, *m.ledger);
    RunInfo run_info;
    run_info.scenario_name = m.spec.name;
    run_info.scenario_file = m.spec.source_file;
    run_info.strategy_name = "env";
    run_info.seed = seed;
    m.sim->start(run_info);
    m.steps = 0;
    m.info = StepInfo{};
    m.done = !m.sim->advance();
    if (m.done)
        throw std::logic_error("Env::reset: the scenario of seed " + std::to_string(seed) +
                               " has no decision point");
    m.ledger->accrue_until(m.sim->now());
    m.before = m.ledger->ledger();
    m.info.now = m.sim->now();
    m.potential = m.ess_potential();
    m.encode(obs);
}

float Env::step(std::span<const float> action, std::span<float> obs, bool& done) {
    Impl& m = *impl_;
    if (m.done) throw std::logic_error("Env::step: the episode is over; reset() first");
    if (action.size() != action_size()) throw std::invalid_argument("Env::step: action of the wrong size");
    if (obs.size() != observation_size())
        throw std::invalid_argument("Env::step: observation buffer of the wrong size");
    Decision& d = m.sim->decision();
    m.codec.decode(action, m.sim->observation(), d);

    // apply() swaps the buffer away: keep what was asked.
    m.asked.assign(d.connector_kw.begin(), d.connector_kw.end());
    const double asked_ess = d.ess_kw.empty() ? 0.0 : d.ess_kw[0];  // the layout's one battery
    m.sim->apply(d);
    double clipped = 0.0;
    const std::span<const double> drawn = m.sim->connector_kw();
    for (std::size_t c = 0; c < m.asked.size(); ++c) clipped += std::abs(m.asked[c] - drawn[c]);
    if (!m.spec.ess.empty()) clipped += std::abs(asked_ess - m.sim->ess_kw(0));

    m.done = !m.sim->advance();
    ++m.steps;
    if (!m.done) m.ledger->accrue_until(m.sim->now());  // at the end, end_run() accrued and closed it all
    const RewardLedger& now = m.ledger->ledger();
    StepInfo& info = m.info;
    info.now = m.sim->now();
    info.energy_cost = now.energy_cost - m.before.energy_cost;
    info.demand_charge = now.demand_charge - m.before.demand_charge;
    info.v2g_payment = now.v2g_payment - m.before.v2g_payment;
    info.delivered_kwh = now.delivered_kwh - m.before.delivered_kwh;
    info.ess_throughput_kwh = now.ess_throughput_kwh - m.before.ess_throughput_kwh;
    info.satisfaction = now.satisfaction - m.before.satisfaction;
    info.unmet_penalty = now.unmet_penalty - m.before.unmet_penalty;
    info.departures = now.departures - m.before.departures;
    info.ended_requested_kwh = now.ended_requested_kwh - m.before.ended_requested_kwh;
    info.ended_served_kwh = now.ended_served_kwh - m.before.ended_served_kwh;
    info.clipped_kw = clipped;
    info.wear_cost = now.wear_cost - m.before.wear_cost;
    info.voltage_excursion_pu_h = now.voltage_excursion_pu_h - m.before.voltage_excursion_pu_h;
    m.before = now;
    done = m.done;
    if (m.done)
        std::fill(obs.begin(), obs.end(), 0.0f);
    else
        m.encode(obs);
    // The episode ends at potential 0: over an episode the shaping sums to -potential at its start.
    const double potential = m.done ? 0.0 : m.ess_potential();
    const double shaping = potential - m.potential;
    m.potential = potential;
    return static_cast<float>(m.reward_of(info) + shaping);
}

double Env::Impl::ess_potential() const {
    if (config.ess_value_weight == 0.0) return 0.0;
    const Observation& o = sim->observation();
    if (o.ess.empty() || !o.forecast || o.forecast->import_price.empty()) return 0.0;
    const EssView& ess = o.ess[0];  // the layout's one battery
    const double usable_kwh = std::max(0.0, ess.soc - ess.soc_min) * ess.capacity_kwh;
    const double dearest =
        *std::max_element(o.forecast->import_price.begin(), o.forecast->import_price.end());
    return config.ess_value_weight * usable_kwh * ess.discharge_efficiency * dearest;
}

double Env::Impl::reward_of(const StepInfo& s) const {
    // The engine's clipping and the feeder's voltages outside their band cost in every reward.
    const double clip = config.clip_penalty_per_kw * s.clipped_kw +
                        config.voltage_penalty_per_pu_h * s.voltage_excursion_pu_h;
    const double ess_wear = ess_cycle_cost * s.ess_throughput_kwh + s.wear_cost;
    switch (config.reward) {
        case RewardKind::cost:
            return -s.energy_cost + config.satisfaction_bonus * s.satisfaction - ess_wear - clip;
        case RewardKind::peak:
            return -s.energy_cost - s.demand_charge + config.satisfaction_bonus * s.satisfaction - ess_wear -
                   clip;
        case RewardKind::v2g_profit: {
            const double profit = spec.economics.charging_price_per_kwh * s.delivered_kwh - s.energy_cost -
                                  s.demand_charge - s.v2g_payment - ess_wear;
            return profit - config.unmet_weight * s.unmet_penalty - clip;
        }
    }
    return 0.0;
}

}  // namespace evtwin
