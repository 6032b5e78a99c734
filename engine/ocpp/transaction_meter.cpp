#include "ocpp/transaction_meter.hpp"

#include <iterator>
#include <utility>

namespace evtwin::ocpp {

namespace {

// A register's value at t: linear between its readings, constant outside them; 0 without readings.
double register_at(const std::map<std::int64_t, double>& readings, std::int64_t t) {
    if (readings.empty()) return 0.0;
    const auto after = readings.lower_bound(t);
    if (after == readings.end()) return std::prev(after)->second;
    if (after->first == t || after == readings.begin()) return after->second;
    const auto before = std::prev(after);
    const double share =
        static_cast<double>(t - before->first) / static_cast<double>(after->first - before->first);
    return before->second + (after->second - before->second) * share;
}

}  // namespace

std::map<std::int64_t, double> samples_of(const Import& im, const Transaction& tx, std::string_view measurand,
                                          std::string_view unit) {
    std::map<std::int64_t, std::pair<std::optional<double>, double>>
        by_t;  // t -> (phase-less, sum of phases)
    for (const MeterValue& v : im.site.meter_values) {
        if (v.cs != tx.cs || v.transaction_id != tx.id || v.measurand != measurand || v.unit != unit)
            continue;
        auto& slot = by_t[v.ts_ms];
        if (v.phase.empty())
            slot.first = v.value;
        else
            slot.second += v.value;
    }
    std::map<std::int64_t, double> out;
    for (const auto& [t, slot] : by_t) out[t] = slot.first.value_or(slot.second);
    return out;
}

std::vector<std::pair<std::int64_t, double>> net_register_points(const Import& im, const Transaction& tx) {
    std::map<std::int64_t, double> imported = samples_of(im, tx, "Energy.Active.Import.Register", "kWh");
    if (tx.meter_start_wh) imported[tx.start_ms] = *tx.meter_start_wh / 1000.0;
    if (tx.meter_stop_wh && tx.stop_ms) imported[*tx.stop_ms] = *tx.meter_stop_wh / 1000.0;
    const std::map<std::int64_t, double> exported =
        samples_of(im, tx, "Energy.Active.Export.Register", "kWh");
    std::map<std::int64_t, double> net;
    const auto within = [&](std::int64_t t) { return t >= tx.start_ms && (!tx.stop_ms || t <= *tx.stop_ms); };
    for (const std::map<std::int64_t, double>* readings : {&std::as_const(imported), &exported})
        for (const auto& [t, kwh] : *readings)
            if (within(t)) net[t] = register_at(imported, t) - register_at(exported, t);
    return {net.begin(), net.end()};
}

std::vector<PowerStep> net_inlet_power(const std::vector<std::pair<std::int64_t, double>>& points) {
    std::vector<PowerStep> out;
    for (std::size_t i = 1; i < points.size(); ++i) {
        const auto [t0, e0] = points[i - 1];
        const auto [t1, e1] = points[i];
        if (t1 > t0) out.push_back({Time(t0), (e1 - e0) / (static_cast<double>(t1 - t0) / 3'600'000.0)});
    }
    if (!points.empty()) out.push_back({Time(points.back().first), 0.0});
    return out;
}

}  // namespace evtwin::ocpp
