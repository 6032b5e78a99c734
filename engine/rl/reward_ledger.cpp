#include "rl/reward_ledger.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin {

RewardSink::RewardSink(const Tariff& tariff, std::vector<double> connector_efficiency, double unmet_sharpness)
    : tariff_(tariff),
      efficiency_(std::move(connector_efficiency)),
      sharpness_(unmet_sharpness),
      connector_kw_(efficiency_.size(), 0.0),
      demand_(tariff) {}

void RewardSink::accrue_until(Time t) {
    if (!started_ || t <= accrued_) return;
    accrue_grid(accrued_, t);
    ledger_.demand_charge += demand_.accrue(accrued_, t, grid_kw_);
    const double hours = (t - accrued_).hours_f();
    for (std::size_t c = 0; c < connector_kw_.size(); ++c) {
        const double kw = connector_kw_[c];
        if (kw != 0.0)
            ledger_.delivered_kwh += (kw > 0.0 ? kw * efficiency_[c] : kw / efficiency_[c]) * hours;
    }
    ledger_.ess_throughput_kwh += std::abs(ess_kw_) * hours;
    accrued_ = t;
}

void RewardSink::accrue_grid(Time a, Time b) {
    if (grid_kw_ == 0.0) return;
    for (Time t = a; t < b;) {
        const Time next = std::min(b, std::max(tariff_.next_change(t), t + Duration(1)));
        const double kwh = grid_kw_ * (next - t).hours_f();
        ledger_.energy_cost += kwh > 0.0 ? kwh * tariff_.import_price(t) : kwh * tariff_.export_price(t);
        t = next;
    }
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
    if (u.battery == "ess") ledger_.wear_cost += (u.calendar_fade + u.cycling_fade) * u.value_per_fade;
}

void RewardSink::end_run(Time end, bool) {
    accrue_until(end);
    close_demand_interval();
}

}  // namespace evtwin
