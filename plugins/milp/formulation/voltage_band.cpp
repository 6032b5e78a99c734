// The feeder's voltages held in their bands (ChargingOptions::hold_voltage; docs/milp.md, "Voltages
// on a feeder"): each voltage at a site's bus, linearised by the engine's sensitivities around the
// site's imports at the feeder's last solve, with the feeder's other customers as they will be in
// each period, kept within its band (less a margin); then, in cut rounds, the plan's imports solved
// on the feeder and the linearisation there added where the plan leaves the band. What cannot be
// held is priced.
#include "plugins/milp/formulation/model_builder.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace evtwin::milp {
namespace {

// Slopes below this (per unit per kW) move no voltage the band can see: the site does not reach it.
constexpr double kNoSlope = 1e-12;

}  // namespace

void ModelBuilder::add_voltage_band() {
    const FeederView& feeder = obs_.feeder;
    if (!options_.hold_voltage || !feeder.present || feeder.sensitivity == nullptr) return;
    const std::span<const double> slopes = feeder.sensitivity->dv_pu_per_kw();
    const std::span<const double> v_now = feeder.sensitivity->v_pu_now();
    const std::size_t attached = feeder.attached.size();
    const std::size_t voltages = feeder.voltages.size();
    if (attached == 0 || slopes.size() != voltages * attached || v_now.size() != voltages) return;
    VoltageBand& band = cm_.voltage;
    band.feeder = feeder.sensitivity;
    std::vector<double> per_pu_h;  // per voltage: the price of a per unit out of band for an hour
    for (std::size_t i = 0; i < voltages; ++i) {
        const BusVoltageView& bus = feeder.voltages[i];
        band.v_min.push_back(bus.v_min_pu + options_.voltage_margin_pu);
        band.v_max.push_back(bus.v_max_pu - options_.voltage_margin_pu);
        double steepest = 0.0;
        for (std::size_t j = 0; j < attached; ++j)
            steepest = std::max(steepest, std::abs(slopes[i * attached + j]));
        // Per unit out of band is priced as the kW that would bring it back at the steepest slope,
        // each kW above what leaving a vehicle's kWh short costs: the band comes before the energy,
        // as a grid limit does.
        per_pu_h.push_back(steepest > kNoSlope ? 2.0 * cm_.unmet_penalty / steepest : 0.0);
    }
    std::vector<double> around, v_at;
    for (const AttachedNodeView& node : feeder.attached) around.push_back(node.import_kw);
    band.flow.assign(cm_.periods, std::vector<LinExpr>(attached));
    band.held.assign(cm_.periods, 0);
    band.low.assign(static_cast<std::size_t>(cm_.periods) * voltages, std::nullopt);
    band.high = band.low;
    for (int t = 0; t < cm_.periods; ++t) {
        const std::string when = ".t" + std::to_string(t);
        for (std::size_t j = 0; j < attached; ++j) {
            const NodeIndex node = feeder.attached[j].node;
            if (node >= obs_.nodes.size()) continue;
            const LinExpr decided = node_takes_[node][t] - node_gives_[node][t];
            if (decided.terms().empty()) {
                band.flow[t][j] = LinExpr(fixed_flow_kw(node, t));
                continue;
            }
            // A column per node and period: each voltage's rows then name the nodes' imports, not
            // every vehicle below them again.
            const Var flow =
                model_.add_continuous(-kInf, kInf, std::string("f").append(std::to_string(j)).append(when));
            model_.add_eq(LinExpr(flow) - decided, fixed_flow_kw(node, t));
            band.flow[t][j] = LinExpr(flow);
            band.held[t] = 1;
        }
        if (!band.held[t]) continue;  // nothing the plan decides moves the voltages
        // The voltages the period starts from: the feeder's other customers as they will be then.
        if (!feeder.sensitivity->voltages_at(cm_.bounds[t], around, v_at, nullptr))
            v_at.assign(v_now.begin(), v_now.end());
        for (std::size_t i = 0; i < voltages; ++i) {
            if (per_pu_h[i] == 0.0) continue;
            const std::string name = std::string("v").append(std::to_string(i)).append(when);
            const std::size_t k = static_cast<std::size_t>(t) * voltages + i;
            band.low[k] = model_.add_continuous(0.0, kInf, name + ".low");
            band.high[k] = model_.add_continuous(0.0, kInf, name + ".high");
            cost_.add(*band.low[k], per_pu_h[i] * cm_.hours[t]);
            cost_.add(*band.high[k], per_pu_h[i] * cm_.hours[t]);
            cm_.add_voltage_row(t, i, v_at, slopes, around, true, true);
        }
    }
}

bool ChargingModel::add_voltage_row(int t, std::size_t i, std::span<const double> v_at,
                                    std::span<const double> slopes, std::span<const double> around,
                                    bool floor, bool ceiling) {
    const VoltageBand& band = voltage;
    const std::size_t attached = around.size();
    const std::size_t k = static_cast<std::size_t>(t) * band.v_min.size() + i;
    if (!band.low[k]) return false;
    // v_at + Σ_j slope_j · (flow_j(t) − around_j), its constant moved to the right-hand side.
    LinExpr moved;
    double rhs_shift = v_at[i];
    for (std::size_t j = 0; j < attached; ++j) {
        const double slope = slopes[i * attached + j];
        if (std::abs(slope) < kNoSlope) continue;
        moved += band.flow[t][j] * slope;
        rhs_shift -= slope * around[j];
    }
    if (moved.terms().empty()) return false;
    if (floor) model.add_ge(moved + *band.low[k], band.v_min[i] - rhs_shift);
    if (ceiling) model.add_le(moved - *band.high[k], band.v_max[i] - rhs_shift);
    return true;
}

int ChargingModel::add_voltage_cuts(const Solution& solution) {
    const VoltageBand& band = voltage;
    if (band.feeder == nullptr || !solution.has_values()) return 0;
    const std::size_t voltages = band.v_min.size();
    int added = 0;
    std::vector<double> around, v_at, slopes;
    for (int t = 0; t < periods; ++t) {
        if (!band.held[t]) continue;
        around.clear();
        for (const LinExpr& flow : band.flow[t]) around.push_back(solution.value(flow));
        if (!band.feeder->voltages_at(bounds[t], around, v_at, nullptr)) continue;
        // Out of the band by more than the plan already pays for.
        std::vector<std::pair<bool, bool>> out(voltages, {false, false});
        bool any = false;
        for (std::size_t i = 0; i < voltages; ++i) {
            const std::size_t k = static_cast<std::size_t>(t) * voltages + i;
            if (!band.low[k]) continue;
            const double paid_low = solution.value(*band.low[k]);
            const double paid_high = solution.value(*band.high[k]);
            out[i].first = v_at[i] < band.v_min[i] - paid_low - kVoltageTolerance_pu;
            out[i].second = v_at[i] > band.v_max[i] + paid_high + kVoltageTolerance_pu;
            any = any || out[i].first || out[i].second;
        }
        if (!any || !band.feeder->voltages_at(bounds[t], around, v_at, &slopes)) continue;
        for (std::size_t i = 0; i < voltages; ++i)
            if ((out[i].first || out[i].second) &&
                add_voltage_row(t, i, v_at, slopes, around, out[i].first, out[i].second))
                ++added;
    }
    return added;
}

}  // namespace evtwin::milp
