#include "core/feeder_coupling.hpp"

#include "grid/nodal_admittance.hpp"
#include "grid/regulator_relay.hpp"
#include "grid/supply_path.hpp"
#include "grid/tap_control.hpp"

#include <evtwin/errors.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numbers>

namespace evtwin {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double on_step(double value, double step) {
    return std::round(value / step) * step;
}

bool same(double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

}  // namespace

std::vector<std::vector<std::size_t>> feeder_site_paths(const FeederSpec& spec) {
    std::vector<std::vector<std::size_t>> paths;
    for (const FeederSite& site : spec.sites) paths.push_back(grid::supply_path(spec.network, site.bus));
    return paths;
}

FeederCoupling::FeederCoupling(const FeederSpec& spec, RunSink& sink)
    : spec_(spec), sink_(sink), network_(std::make_unique<grid::Network>(spec.network)) {
    grid::Network& network = *network_;
    first_site_load_ = network.loads.size();
    for (const FeederSite& site : spec.sites) {
        grid::Load load;
        load.name = "site:" + std::to_string(site.node);
        load.terminal = grid::Terminal{site.bus, site.conductors};
        load.phases = static_cast<int>(site.conductors.size());
        load.connection = grid::Connection::wye;
        load.model = grid::LoadModel::constant_power;
        const double base_kv_ln = spec.bus_base_kv_ln[static_cast<std::size_t>(site.bus)];
        load.kv = load.phases == 1 ? base_kv_ln : base_kv_ln * std::numbers::sqrt3;
        load.kw = 0.0;
        load.kvar = 0.0;
        network.loads.push_back(std::move(load));
        const double pf = site.power_factor;
        site_kvar_ratio_.push_back(pf >= 1.0 ? 0.0 : std::sqrt(1.0 - pf * pf) / pf);
    }
    site_kw_.assign(spec.sites.size(), kNaN);
    scales_.assign(spec.load_scales.size(), kNaN);
    if (spec.tap_control)
        for (const grid::RegulatorControl& regulator : network.regulators) {
            std::size_t t = 0;
            while (t < network.transformers.size() && network.transformers[t].name != regulator.transformer)
                ++t;
            if (t == network.transformers.size() || regulator.winding < 1 ||
                static_cast<std::size_t>(regulator.winding) > network.transformers[t].windings.size())
                throw DataError("RegControl." + regulator.name + ": no Transformer named '" +
                                regulator.transformer + "' with winding " +
                                std::to_string(regulator.winding));
            regulated_.push_back(t);
        }
    flow_ = std::make_unique<grid::PowerFlow>(network);
    const grid::NodeIndex nodes = grid::index_nodes(network);
    for (std::size_t bus = 0; bus < network.buses.size(); ++bus)
        for (int phase = 1; phase <= 3; ++phase)
            if (nodes.of_bus[bus][phase] >= 0)
                bus_phases_.push_back(BusPhase{static_cast<std::uint32_t>(bus), phase,
                                               spec.bus_base_kv_ln[bus] * 1000.0, kNaN, 0,
                                               band_of(spec, static_cast<int>(bus))});
    for (const FeederSite& site : spec.sites)
        for (const int phase : site.conductors)
            for (std::size_t i = 0; i < bus_phases_.size(); ++i)
                if (bus_phases_[i].bus == static_cast<std::uint32_t>(site.bus) &&
                    bus_phases_[i].phase == phase)
                    site_bus_phases_.push_back(i);
    site_voltages_.assign(site_bus_phases_.size(), 1.0);
    for (const auto& path : feeder_site_paths(spec))
        site_branches_.insert(site_branches_.end(), path.begin(), path.end());
    site_loadings_.assign(site_branches_.size(), 0.0);
    const std::size_t branches = network.lines.size() + network.transformers.size();
    loading_recorded_.assign(branches, kNaN);
    over_.assign(branches, false);
}

int FeederCoupling::profile_of(std::size_t load) const {
    return load < spec_.load_scale_of.size() ? spec_.load_scale_of[load] : -1;
}

void FeederCoupling::set_load_scale(std::size_t profile, double scale) {
    if (same(scale, scales_[profile])) return;
    scales_[profile] = scale;
    ++loads_set_;
    for (std::size_t i = 0; i < first_site_load_; ++i) {
        if (profile_of(i) != static_cast<int>(profile)) continue;
        const grid::Load& load = spec_.network.loads[i];
        flow_->set_load_power(i, load.kw * scale, load.kvar * scale);
    }
    changed_ = true;
}

void FeederCoupling::update(Time t, std::span<const double> node_flows) {
    for (std::size_t s = 0; s < spec_.sites.size(); ++s) {
        const double kw = node_flows[spec_.sites[s].node];
        if (same(kw, site_kw_[s])) continue;
        site_kw_[s] = kw;
        flow_->set_load_power(first_site_load_ + s, kw, kw * site_kvar_ratio_[s]);
        changed_ = true;
    }
    if (!changed_) return;
    changed_ = false;
    solve_and_record(t);
}

void FeederCoupling::solve_and_record(Time t) {
    ++solves_;
    ++loads_set_;
    auto solution = std::make_unique<grid::PowerFlowSolution>(flow_->solve());
    for (int pass = 0;
         pass < kMaxControlPasses && !spec_.tap_delays && solution->converged && control_taps(*solution);
         ++pass) {
        ++solves_;
        *solution = flow_->solve();
    }
    if (!solution->converged) {
        // The records keep the last solution's values; the failure is on the record once.
        if (!diverged_) {
            FeederViolation v;
            v.kind = "not_converged";
            v.value = solution->last_change_pu;
            sink_.feeder_violation(t, v);
        }
        diverged_ = true;
        return;
    }
    diverged_ = false;
    solution_ = std::move(solution);
    record(t);
    if (spec_.tap_delays) arm_taps(t);
}

std::span<const double> FeederCoupling::v_pu_now() const {
    return now().v_pu;
}

std::span<const double> FeederCoupling::dv_pu_per_kw() const {
    return now().dv_pu_per_kw;
}

std::span<const double> FeederCoupling::loading_now() const {
    return now().loading;
}

std::span<const double> FeederCoupling::dloading_per_kw() const {
    return now().dloading_per_kw;
}

const FeederCoupling::Linearised& FeederCoupling::now() const {
    if (!solution_ || sensitivity_of_ == loads_set_) return now_;
    sensitivity_of_ = loads_set_;
    now_ = linearise(scales_, site_kw_, true);
    if (!now_.converged) {
        now_.v_pu = site_voltages_;
        now_.dv_pu_per_kw.assign(site_voltages_.size() * spec_.sites.size(), 0.0);
        now_.loading = site_loadings_;
        now_.dloading_per_kw.assign(site_loadings_.size() * spec_.sites.size(), 0.0);
    }
    return now_;
}

bool FeederCoupling::voltages_at(Time at, std::span<const double> site_kw, std::vector<double>& v_pu,
                                 std::vector<double>* dv_pu_per_kw) const {
    const Linearised* known = answer(at, site_kw, dv_pu_per_kw != nullptr);
    if (known == nullptr) return false;
    v_pu = known->v_pu;
    if (dv_pu_per_kw != nullptr) *dv_pu_per_kw = known->dv_pu_per_kw;
    return true;
}

bool FeederCoupling::loadings_at(Time at, std::span<const double> site_kw, std::vector<double>& loading,
                                 std::vector<double>* dloading_per_kw) const {
    const Linearised* known = answer(at, site_kw, dloading_per_kw != nullptr);
    if (known == nullptr) return false;
    loading = known->loading;
    if (dloading_per_kw != nullptr) *dloading_per_kw = known->dloading_per_kw;
    return true;
}

const FeederCoupling::Linearised* FeederCoupling::answer(Time at, std::span<const double> site_kw,
                                                         bool slopes) const {
    if (!solution_ || site_kw.size() != spec_.sites.size()) return nullptr;
    if (answered_of_ != loads_set_) {
        answered_.clear();
        answered_of_ = loads_set_;
    }
    std::vector<double> key;
    for (const StepSeries& scale : spec_.load_scales) key.push_back(scale.value_at(at));
    const std::size_t profiles = key.size();
    key.insert(key.end(), site_kw.begin(), site_kw.end());
    key.push_back(slopes ? 1.0 : 0.0);
    auto known = answered_.find(key);
    if (known == answered_.end()) {
        Linearised solved = linearise(std::span<const double>(key).first(profiles), site_kw, slopes);
        known = answered_.emplace(std::move(key), std::move(solved)).first;
    }
    return known->second.converged ? &known->second : nullptr;
}

FeederCoupling::Linearised FeederCoupling::linearise(std::span<const double> scales,
                                                     std::span<const double> site_kw, bool slopes) const {
    // The slopes are differences of two solves, so both are iterated far below the recorded step.
    constexpr double kStepKw = 1.0;
    constexpr grid::PowerFlowOptions kTight{1e-12, 500};
    const std::size_t sites = spec_.sites.size();
    std::vector<grid::PowerFlow::LoadPower> loads;
    for (std::size_t i = 0; i < first_site_load_; ++i) {
        const int profile = profile_of(i);
        if (profile < 0) continue;
        const double scale = scales[static_cast<std::size_t>(profile)];
        if (same(scale, scales_[static_cast<std::size_t>(profile)])) continue;  // as set now
        const grid::Load& load = spec_.network.loads[i];
        loads.push_back({i, load.kw * scale, load.kvar * scale});
    }
    const std::size_t first_site = loads.size();
    for (std::size_t s = 0; s < sites; ++s)
        loads.push_back({first_site_load_ + s, site_kw[s], site_kw[s] * site_kvar_ratio_[s]});
    const auto magnitudes = [&](const std::vector<grid::Complex>& v) {
        std::vector<double> out;
        for (const std::size_t i : site_bus_phases_) {
            const BusPhase& bp = bus_phases_[i];
            out.push_back(std::abs(v[static_cast<std::size_t>(solution_->node_of_bus[bp.bus][bp.phase])]) /
                          bp.base_v);
        }
        return out;
    };
    const auto loadings = [&](const std::vector<grid::Complex>& v) {
        std::vector<double> out;
        for (const std::size_t branch : site_branches_) out.push_back(flow_->branch_loading(branch, v));
        return out;
    };
    Linearised result;
    const auto solved = flow_->volts_with_load_powers(loads, kTight);
    if (!solved) return result;
    result.converged = true;
    result.v_pu = magnitudes(*solved);
    result.loading = loadings(*solved);
    if (!slopes) return result;
    result.dv_pu_per_kw.assign(result.v_pu.size() * sites, 0.0);
    result.dloading_per_kw.assign(result.loading.size() * sites, 0.0);
    for (std::size_t s = 0; s < sites; ++s) {
        grid::PowerFlow::LoadPower& site = loads[first_site + s];
        const grid::PowerFlow::LoadPower present = site;
        site.kw += kStepKw;
        site.kvar = site.kw * site_kvar_ratio_[s];
        const auto moved = flow_->volts_with_load_powers(loads, kTight);
        site = present;
        if (!moved) continue;
        const std::vector<double> moved_pu = magnitudes(*moved);
        for (std::size_t i = 0; i < result.v_pu.size(); ++i)
            result.dv_pu_per_kw[i * sites + s] = (moved_pu[i] - result.v_pu[i]) / kStepKw;
        const std::vector<double> moved_loading = loadings(*moved);
        for (std::size_t i = 0; i < result.loading.size(); ++i)
            result.dloading_per_kw[i * sites + s] = (moved_loading[i] - result.loading[i]) / kStepKw;
    }
    return result;
}

int FeederCoupling::steps_wanted(std::size_t r) const {
    const grid::RegulatorControl& regulator = network_->regulators[r];
    const double relay = std::abs(grid::regulator_relay_volts(*network_, *solution_, regulator));
    const int steps = grid::tap_steps_into_band(regulator, relay);
    const double tap = network_->transformers[regulated_[r]].windings[regulator.winding - 1].tap;
    const double half_step = regulator.tap_step / 2.0;
    if ((steps > 0 && tap + half_step > regulator.max_tap) ||
        (steps < 0 && tap - half_step < regulator.min_tap))
        return 0;
    return steps;
}

void FeederCoupling::arm_taps(Time t) {
    tap_due_.resize(regulated_.size(), Time::max());
    for (std::size_t r = 0; r < regulated_.size(); ++r) {
        if (steps_wanted(r) == 0)
            tap_due_[r] = Time::max();
        else if (tap_due_[r] == Time::max())
            tap_due_[r] = t + Duration(std::llround(network_->regulators[r].delay_s * 1000.0));
    }
}

Time FeederCoupling::next_tap_change() const {
    Time next = Time::max();
    for (const Time due : tap_due_) next = std::min(next, due);
    return next;
}

void FeederCoupling::change_taps(Time t) {
    if (!solution_) return;
    bool moved = false;
    for (std::size_t r = 0; r < tap_due_.size(); ++r) {
        if (tap_due_[r] > t) continue;
        const int steps = steps_wanted(r);
        if (steps == 0) {
            tap_due_[r] = Time::max();
            continue;
        }
        const grid::RegulatorControl& regulator = network_->regulators[r];
        double& tap = network_->transformers[regulated_[r]].windings[regulator.winding - 1].tap;
        tap =
            1.0 + (std::round((tap - 1.0) / regulator.tap_step) + (steps > 0 ? 1 : -1)) * regulator.tap_step;
        ++tap_moves_;
        moved = true;
        tap_due_[r] = t + Duration(std::llround(regulator.tap_delay_s * 1000.0));
    }
    if (!moved) return;
    rebuild_flow();
    solve_and_record(t);
}

bool FeederCoupling::control_taps(const grid::PowerFlowSolution& solution) {
    if (regulated_.empty()) return false;
    // Every regulator decides on the same solution, as OpenDSS's control pass does.
    std::vector<double> taps;
    taps.reserve(regulated_.size());
    for (std::size_t r = 0; r < regulated_.size(); ++r) {
        const grid::RegulatorControl& regulator = network_->regulators[r];
        const double relay = std::abs(grid::regulator_relay_volts(*network_, solution, regulator));
        const double tap = network_->transformers[regulated_[r]].windings[regulator.winding - 1].tap;
        const double moved = tap + grid::tap_steps_into_band(regulator, relay) * regulator.tap_step;
        const double steps = std::round((moved - 1.0) / regulator.tap_step);
        taps.push_back(std::clamp(1.0 + steps * regulator.tap_step, regulator.min_tap, regulator.max_tap));
    }
    bool moved = false;
    for (std::size_t r = 0; r < regulated_.size(); ++r) {
        const grid::RegulatorControl& regulator = network_->regulators[r];
        double& tap = network_->transformers[regulated_[r]].windings[regulator.winding - 1].tap;
        if (taps[r] == tap) continue;
        tap = taps[r];
        moved = true;
        ++tap_moves_;
    }
    if (moved) rebuild_flow();
    return moved;
}

void FeederCoupling::rebuild_flow() {
    flow_ = std::make_unique<grid::PowerFlow>(*network_);
    for (std::size_t i = 0; i < first_site_load_; ++i) {
        const int profile = profile_of(i);
        if (profile < 0 || std::isnan(scales_[static_cast<std::size_t>(profile)])) continue;
        const double scale = scales_[static_cast<std::size_t>(profile)];
        const grid::Load& load = spec_.network.loads[i];
        flow_->set_load_power(i, load.kw * scale, load.kvar * scale);
    }
    for (std::size_t s = 0; s < site_kw_.size(); ++s)
        if (!std::isnan(site_kw_[s]))
            flow_->set_load_power(first_site_load_ + s, site_kw_[s], site_kw_[s] * site_kvar_ratio_[s]);
}

void FeederCoupling::record(Time t) {
    const grid::PowerFlowSolution& s = *solution_;
    FeederSample sample;
    sample.source_kw = s.source_power_kva.real();
    sample.source_kvar = s.source_power_kva.imag();
    sample.load_kw = s.load_power_kva.real();
    sample.loss_kw = s.loss_kw;
    sink_.feeder_sample(t, sample);
    for (BusPhase& bp : bus_phases_) {
        const int node = s.node_of_bus[bp.bus][bp.phase];
        const double v_pu =
            on_step(std::abs(s.node_volts[static_cast<std::size_t>(node)]) / bp.base_v, kVoltageStep);
        if (same(v_pu, bp.recorded)) continue;
        bp.recorded = v_pu;
        sink_.bus_voltage(t, bp.bus, bp.phase, v_pu);
        const int state = v_pu < bp.band.v_min_pu ? -1 : v_pu > bp.band.v_max_pu ? 1 : 0;
        if (state != 0 && state != bp.state) {
            FeederViolation v;
            v.kind = state < 0 ? "voltage_low" : "voltage_high";
            v.bus = bp.bus;
            v.phase = bp.phase;
            v.value = v_pu;
            v.limit = state < 0 ? bp.band.v_min_pu : bp.band.v_max_pu;
            sink_.feeder_violation(t, v);
        }
        bp.state = state;
    }
    for (std::size_t i = 0; i < site_bus_phases_.size(); ++i)
        site_voltages_[i] = bus_phases_[site_bus_phases_[i]].recorded;
    const std::size_t lines = s.lines.size();
    for (std::size_t b = 0; b < loading_recorded_.size(); ++b) {
        const double raw = b < lines ? s.lines[b].loading : s.transformers[b - lines].loading;
        const double loading = on_step(raw, kLoadingStep);
        if (same(loading, loading_recorded_[b])) continue;
        loading_recorded_[b] = loading;
        sink_.branch_loading(t, static_cast<std::uint32_t>(b), loading);
        const bool over = loading > spec_.max_loading;
        if (over && !over_[b]) {
            FeederViolation v;
            v.kind = b < lines ? "line_overload" : "transformer_overload";
            v.branch = static_cast<std::int64_t>(b);
            v.value = loading;
            v.limit = spec_.max_loading;
            sink_.feeder_violation(t, v);
        }
        over_[b] = over;
    }
    for (std::size_t i = 0; i < site_branches_.size(); ++i)
        site_loadings_[i] = loading_recorded_[site_branches_[i]];
}

}  // namespace evtwin
