// What a solved charging model plans (formulation/charging_model.hpp): each row's and connector's
// power, the energy still needed, the ESS's power, and the plan's expected cost.
#include "plugins/milp/formulation/charging_model.hpp"

#include <algorithm>
#include <limits>

namespace evtwin::milp {

int ChargingModel::period_at(Time t) const {
    return static_cast<int>(std::upper_bound(bounds.begin(), bounds.end(), t) - bounds.begin()) - 1;
}

double ChargingModel::row_kw(const Solution& solution, std::size_t row, int t) const {
    const PlannedSession& ps = planned[row];
    const int k = t - ps.first;
    if (!solution.has_values() || k < 0 || k >= static_cast<int>(ps.charge.size())) return 0.0;
    double kw = solution.value(ps.charge[k]);
    if (!ps.discharge.empty()) kw -= solution.value(ps.discharge[k]);
    return kw;
}

std::vector<double> ChargingModel::planned_kw(const Solution& solution, int t,
                                              std::size_t connector_count) const {
    std::vector<double> kw(connector_count, 0.0);
    for (std::size_t row = 0; row < planned.size(); ++row)
        if (planned[row].connector < connector_count) kw[planned[row].connector] += row_kw(solution, row, t);
    return kw;
}

double ChargingModel::planned_need(const Solution& solution, std::size_t row, int t) const {
    const PlannedSession& ps = planned[row];
    double need = ps.need_kwh;
    if (!solution.has_values()) return need;
    for (int k = 0; k < static_cast<int>(ps.charge.size()) && ps.first + k < t; ++k) {
        const double h = ps.hours[static_cast<std::size_t>(k)];  // the part of the period it is here
        need -= solution.value(ps.charge[k]) * h * ps.efficiency;
        if (!ps.discharge.empty()) need += solution.value(ps.discharge[k]) * h / ps.efficiency;
    }
    return std::max(0.0, need);
}

double ChargingModel::ess_kw(const Solution& solution, std::size_t b, int t) const {
    if (!solution.has_values() || b >= ess_charge.size() || t < 0 ||
        t >= static_cast<int>(ess_charge[b].size()))
        return 0.0;
    return solution.value(ess_charge[b][t]) - solution.value(ess_discharge[b][t]);
}

std::vector<double> ChargingModel::metered_net_kwh(const Solution& solution) const {
    std::vector<double> net(static_cast<std::size_t>(periods), 0.0);
    for (int t = 0; t < periods; ++t)
        net[t] = (solution.value(grid_import[t]) - solution.value(grid_export[t])) * hours[t];
    return net;
}

double ChargingModel::metered_demand_rise(const std::vector<double>& net_kwh) const {
    if (demand_rate <= 0.0) return 0.0;
    std::vector<double> import_kw(net_kwh.size());
    for (std::size_t t = 0; t < net_kwh.size(); ++t) import_kw[t] = std::max(0.0, net_kwh[t]) / hours[t];
    const double peak_kw = demand_intervals ? peak_of_intervals_kw(*demand_intervals, bounds, import_kw)
                                            : *std::max_element(import_kw.begin(), import_kw.end());
    return demand_rate * std::max(0.0, peak_kw - peak_so_far);
}

double ChargingModel::pv_limit_kw(const Solution& solution, int t) const {
    constexpr double kUnlimitedKw = std::numeric_limits<double>::infinity();
    constexpr double kQuietKw = 1e-6;
    if (t < 0 || t >= periods || !curtail[t] || !solution.has_values()) return kUnlimitedKw;
    const double curtailed = solution.value(*curtail[t]);
    if (curtailed <= kQuietKw || solution.value(grid_export[t]) >= export_limit_kw - kQuietKw)
        return kUnlimitedKw;
    return std::max(0.0, pv_kw[t] - curtailed);
}

double ChargingModel::expected_cost(const Solution& solution, int from) const {
    if (!solution.has_values()) return std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> net_kwh = metered_net_kwh(solution);
    double cost = metered_demand_rise(net_kwh);
    for (int t = std::max(0, from); t < periods; ++t) {
        cost += import_price[t] * std::max(0.0, net_kwh[t]) - export_price[t] * std::max(0.0, -net_kwh[t]);
        for (std::size_t b = 0; b < ess_charge.size(); ++b)
            cost += ess_degradation *
                    (solution.value(ess_charge[b][t]) + solution.value(ess_discharge[b][t])) * hours[t];
        if (static_cast<std::size_t>(t) < wear.size()) cost += solution.value(wear[t]);
        if (curtail[t]) cost += curtailment_cost * solution.value(*curtail[t]) * hours[t];
    }
    cost += solution.value(needs_penalty) + solution.value(ess_end);
    for (const PlannedSession& ps : planned) {
        cost += unmet_penalty * solution.value(ps.slack);
        for (std::size_t k = 0; k < ps.discharge.size(); ++k)
            if (const int t = ps.first + static_cast<int>(k); t >= from)
                cost += (degradation / ps.efficiency + v2g_payment_factor * import_price[t]) *
                        solution.value(ps.discharge[k]) * ps.hours[k];
    }
    return cost;
}

}  // namespace evtwin::milp
