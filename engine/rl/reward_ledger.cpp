#include "rl/reward_ledger.hpp"

#include "model/scenario_spec.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin {

RewardSink::RewardSink(const Tariff& tariff, std::vector<double> connector_efficiency, double unmet_sharpness,
                       double v2g_price_factor)
    : tariff_(tariff),
      efficiency_(std::move(connector_efficiency)),
      sharpness_(unmet_sharpness),
      v2g_price_factor_(v2g_price_factor),
      connector_kw_(efficiency_.size(), 0.0),
      demand_(tariff) {}

void RewardSink::accrue_until(Time t) {
    if (!started_ || t <= accrued_) return;
    if (grid_kw_ > 0.0)
        ledger_.energy_cost +=
            priced(accrued_, t, grid_kw_, [&](Time at) { return tariff_.import_price(at); });
    else if (grid_kw_ < 0.0)
        ledger_.energy_cost +=
            priced(accrued_, t, grid_kw_, [&](Time at) { return tariff_.export_price(at); });
    ledger_.demand_charge += demand_.accrue(accrued_, t, grid_kw_);
    const double hours = (t - accrued_).hours_f();
    double fed_kw = 0.0;  // grid side
    for (std::size_t c = 0; c < connector_kw_.size(); ++c) {
        const double kw = connector_kw_[c];
        if (kw != 0.0)
            ledger_.delivered_kwh += (kw > 0.0 ? kw * efficiency_[c] : kw / efficiency_[c]) * hours;
        if (kw < 0.0) fed_kw -= kw;
    }
    if (fed_kw > 0.0 && v2g_price_factor_ != 0.0)
        ledger_.v2g_payment += v2g_price_factor_ *
                               priced(accrued_, t, fed_kw, [&](Time at) { return tariff_.import_price(at); });
    ledger_.ess_throughput_kwh += std::abs(ess_kw_) * hours;
    ledger_.voltage_excursion_pu_h += excursion_sum_pu_ * hours;
    accrued_ = t;
}

template <class PriceAt>
double RewardSink::priced(Time a, Time b, double kw, PriceAt price_at) const {
    double sum = 0.0;
    for (Time t = a; t < b;) {
        const Time next = std::min(b, std::max(tariff_.next_change(t), t + Duration(1)));
        sum += kw * (next - t).hours_f() * price_at(t);
        t = next;
    }
    return sum;
}

void RewardSink::begin_run(const RunInfo&, const ScenarioSpec& spec) {
    if (!spec.feeder) return;
    for (std::size_t bus = 0; bus < spec.feeder->network.buses.size(); ++bus)
        bands_.push_back(band_of(*spec.feeder, static_cast<int>(bus)));
}

void RewardSink::bus_voltage(Time t, std::uint32_t bus, int phase, double v_pu) {
    accrue_until(t);
    const std::size_t key = std::size_t{bus} * 3 + static_cast<std::size_t>(phase - 1);
    if (key >= excursion_pu_.size()) excursion_pu_.resize(key + 1, 0.0);
    const BusBand& band = bands_.at(bus);
    const double excursion = std::max({0.0, band.v_min_pu - v_pu, v_pu - band.v_max_pu});
    excursion_sum_pu_ += excursion - excursion_pu_[key];
    excursion_pu_[key] = excursion;
}

void RewardSink::close_demand_interval() {
    ledger_.demand_charge += demand_.close_interval();
}

void RewardSink::site_sample(Time t, const SiteSample& s) {
    if (!started_) {
        started_ = true;
        accrued_ = t;
    }
    accrue_until(t);
    grid_kw_ = s.grid_kw;
    ess_kw_ = s.ess_kw;
}

void RewardSink::connector_sample(Time t, ConnectorIndex c, double grid_kw, double /*soc*/,
                                  PilotState /*state*/) {
    // Sent before the site sample of the same instant: settle what the old power delivered first.
    accrue_until(t);
    connector_kw_[c] = grid_kw;
}

void RewardSink::session_end(const SessionRecord& r) {
    const bool departed = r.departed && r.connector != kNone;
    if (departed) ++ledger_.departures;
    // A session plugged at no decision point that it stayed after was out of every action's reach.
    const auto decided = std::lower_bound(decisions_.begin(), decisions_.end(), r.arrival);
    if (departed && decided != decisions_.end() && *decided < r.departure) {
        const double satisfaction =
            r.requested_kwh > 0.0 ? std::clamp(r.delivered_kwh / r.requested_kwh, 0.0, 1.0) : 1.0;
        ledger_.satisfaction += satisfaction;
        ledger_.unmet_penalty += std::exp(-sharpness_ * satisfaction);
    }
    ledger_.wear_cost += (r.fade_calendar + r.fade_cycling) * r.value_per_fade;
    ledger_.ended_requested_kwh += r.requested_kwh;
    ledger_.ended_served_kwh += std::clamp(r.delivered_kwh, 0.0, r.requested_kwh);
}

void RewardSink::battery_health(const BatteryUsage& u) {
    if (is_ess_battery(u.battery)) ledger_.wear_cost += (u.calendar_fade + u.cycling_fade) * u.value_per_fade;
}

void RewardSink::end_run(Time end, bool) {
    accrue_until(end);
    close_demand_interval();
}

}  // namespace evtwin
