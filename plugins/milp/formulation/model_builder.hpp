#pragma once
// Inside build_charging_model (charging_model.cpp for the vehicles and the whole, site_limits.cpp for
// the ESS, the node and phase limits and the grid exchange, feeder_limits.cpp for the feeder's
// voltages and loadings): the builder that adds the model's sections in the order that fixes its
// columns and rows.
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/formulation/vehicle_jobs.hpp"

#include <optional>
#include <string>
#include <vector>

namespace evtwin::milp {

// The forecast value in force at time t: the step containing it, the last one past the end,
// `fallback` without a series.
double forecast_at(const Forecast* forecast, const std::vector<double>& series, Time t, double fallback);

// A vehicle's power as its charger lets it be set.
struct ChargerRange {
    double max_kw = 0.0;            // the largest setpoint within the vehicle's bound
    std::vector<double> setpoints;  // the charger's setpoints it chooses from (with setpoint binaries)
    // A charger that cannot go below a minimum (or between setpoints) may be set above what is
    // still wanted: the vehicle stops at its request, so one period's worth may overshoot.
    double overshoot_kwh = 0.0;
};

// The model's sections in the order that fixes its columns and rows: the vehicles, the ESS, the
// node limits, the phase limits, the feeder's limits, the grid exchange with the demand charge;
// each adds its costs.
class ModelBuilder {
public:
    ModelBuilder(const Observation& obs, const ChargingOptions& options, double revenue, ChargingModel& cm)
        : obs_(obs),
          options_(options),
          revenue_(revenue),
          cm_(cm),
          model_(cm.model),
          forecast_(obs.forecast),
          node_takes_(obs.nodes.size(), std::vector<LinExpr>(cm.periods)),
          node_gives_(obs.nodes.size(), std::vector<LinExpr>(cm.periods)),
          metered_flow_(cm.periods) {
        cm_.phase_active.assign(obs.phase_constraints.empty() ? 0 : cm.periods, {});
        if (forecast_ != nullptr && forecast_->step.ms() > 0 && !forecast_->node_fixed_flow.empty()) {
            node_series_.assign(obs.nodes.size(), nullptr);
            for (const NodeFlowForecast& flow : forecast_->node_fixed_flow)
                if (flow.node < obs.nodes.size()) node_series_[flow.node] = &flow.kw;
        }
    }

    void add_vehicle(const VehicleJob& job);
    // Battery b of Observation::ess.
    void add_ess(std::size_t b, bool reaches_run_end);
    void add_node_limits();
    void add_phase_limits();
    // The feeder's voltages at the site's buses within their bands and the loadings of its supply
    // branches within their rating, as the options hold them (feeder_limits.cpp).
    void add_feeder_limits();
    void add_grid_exchange();
    void minimise() { model_.minimise(cost_); }

private:
    // Binaries only in the periods that start within the integer horizon.
    bool integral(int t) const { return cm_.bounds[t] - obs_.now < options_.integer_horizon; }
    bool exclusive_in(int t) const;
    // Adds one period of a vehicle's power (and the binaries its charger needs) to the model, and
    // returns its net inlet energy in the period: `hours` the vehicle is here, `to_end_h` from its
    // arrival (or the period's start) to the period's end. Variables are named tag + kind + when:
    // s12.p.t3.
    LinExpr add_vehicle_period(const VehicleJob& job, const ChargerRange& range, bool v2g, int t,
                               double hours, double to_end_h, const std::string& tag, const std::string& when,
                               PlannedSession& planned);
    // The driver's minimum power in one period (`min_kw` there): held while the vehicle is not full
    // (with `until_full`; `before` its net inlet energy by the period's start), any shortfall priced.
    void add_min_power(const VehicleJob& job, double min_kw, Var charge, const LinExpr& before,
                       bool until_full, int t, double hours, const std::string& tag, const std::string& when);
    // Where its charge curve falls (formulation/charge_taper.hpp): a period's charging within what the
    // battery takes from the SoC that `before` (its net inlet energy by the period's start; none in
    // its first period) leaves.
    // The period is kept for the cut rounds (ChargingModel::taper_periods), its curve at `curve`.
    void add_taper_rows(const VehicleJob& job, std::size_t curve, Var charge, std::optional<Var> before,
                        double hours);
    // A vehicle's net inlet energy since now by the end of a period (`step` after `before`), priced
    // above the wear reference SoC.
    Var add_vehicle_state(const VehicleJob& job, double overshoot_kwh, const LinExpr& step,
                          std::optional<Var> before, int t, double hours, const std::string& tag,
                          const std::string& when);
    // A tie-break preference (docs/milp.md, "Ties"): in the objective, and in ChargingModel::preference.
    void prefer(Var v, double weight) {
        cost_.add(v, weight);
        cm_.preference.add(v, weight);
    }
    // Battery wear in period t: in the objective, and in ChargingModel::wear for the expected cost.
    void add_wear(int t, Var v, double cost) {
        if (cost == 0.0) return;  // wear-blind, or a battery of no value: most columns of a large model
        cost_.add(v, cost);
        cm_.wear[static_cast<std::size_t>(t)].add(v, cost);
    }
    // The batteries' grid permissions in period t (EssView::grid_charge, grid_discharge): a battery
    // without one charges only while the site imports nothing, discharges only while it exports
    // nothing; a binary per battery, period and direction so held.
    void add_grid_permissions(int t, Var bought, Var sold);
    // A charging power (and a discharging one, where given) below `node`, in period t.
    void add_flow_through(NodeIndex node, int t, Var take, const Var* give);
    void add_import_overshoot(NodeIndex node, int t, double excess_kw);
    // The ESS's energy stored by the end of a period, brought back within its SoC bounds first.
    void add_ess_return(Var stored, const EssView& ess, const std::string& name);
    // The fixed flow of PV and base load through a node: what it carries now for the period in
    // progress, the per-node forecast after (a node the forecast does not list carries none).
    double fixed_flow_kw(NodeIndex node, int t) const;

    const Observation& obs_;
    const ChargingOptions& options_;
    const double revenue_;
    ChargingModel& cm_;
    Model& model_;
    const Forecast* forecast_;
    LinExpr cost_;
    // Per node and period: the charging and the discharging power below it that the plan sets. The
    // limits hold each on its own, as follow_plan grants them: a vehicle may give less than its
    // setpoint, so charging never counts on another's discharge.
    std::vector<std::vector<LinExpr>> node_takes_;
    std::vector<std::vector<LinExpr>> node_gives_;
    // Per node: its fixed flow forecast (null where none); empty without per-node forecasts.
    std::vector<const std::vector<double>*> node_series_;
    // Per period: the site's planned net power averaged over the period, as the meter counts it (see
    // add_vehicle_period; the node limits hold a vehicle's power while it is here).
    std::vector<LinExpr> metered_flow_;
};

}  // namespace evtwin::milp
