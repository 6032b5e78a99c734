#include "ocpi/format/power_periods.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin::ocpi {

void ConnectorPower::add(Time t, double kw) {
    last_row_ = t;
    if (!stretches_.empty() && stretches_.back().to == Time::max()) stretches_.back().to = t;
    if (!stretches_.empty() && stretches_.back().kw == kw) {
        stretches_.back().to = Time::max();
        return;
    }
    stretches_.push_back({t, Time::max(), kw});
}

std::vector<PowerStretch> ConnectorPower::during(Time from, Time to) const {
    std::vector<PowerStretch> out;
    auto it = std::upper_bound(stretches_.begin(), stretches_.end(), from,
                               [](Time t, const PowerStretch& s) { return t < s.to; });
    for (; it != stretches_.end() && it->from < to; ++it)
        out.push_back({std::max(it->from, from), std::min(it->to, to), it->kw});
    if (out.empty() || out.front().from > from)
        out.insert(out.begin(), {from, out.empty() ? to : out.front().from, 0.0});
    return out;
}

void ConnectorPower::forget_before(Time t) {
    const auto first_kept =
        std::find_if(stretches_.begin(), stretches_.end(), [t](const PowerStretch& s) { return s.to > t; });
    stretches_.erase(stretches_.begin(), first_kept);
}

Time ConnectorPower::last_row() const {
    return last_row_;
}

double inlet_kw(double grid_kw, double efficiency) {
    if (!(efficiency > 0)) return grid_kw;
    return grid_kw >= 0 ? grid_kw * efficiency : grid_kw / efficiency;
}

std::vector<ChargingPeriod> charging_periods(const std::vector<PowerStretch>& stretches, double efficiency,
                                             const std::string& tariff_id) {
    std::vector<ChargingPeriod> periods;
    for (const PowerStretch& s : stretches) {
        if (s.to <= s.from) continue;
        const double hours = (s.to - s.from).hours_f();
        const double kw = inlet_kw(s.kw, efficiency);
        ChargingPeriod p;
        p.start_date_time = s.from;
        p.dimensions.push_back({"ENERGY", kw * hours});
        p.dimensions.push_back({std::fabs(kw) > 1e-9 ? "TIME" : "PARKING_TIME", hours});
        p.dimensions.push_back({"MAX_POWER", kw});
        p.dimensions.push_back({"MIN_POWER", kw});
        p.tariff_id = tariff_id;
        periods.push_back(std::move(p));
    }
    return periods;
}

}  // namespace evtwin::ocpi
