#pragma once
// Prices, PV and load over the horizon ahead, on the control-period grid from the run's start. Each
// period's values are computed once and reused by every later decision that looks at them.
#include "model/scenario_spec.hpp"

#include <evtwin/observation.hpp>

#include <vector>

namespace evtwin {

class ForecastCache {
public:
    explicit ForecastCache(const ScenarioSpec& spec);
    // Fills `out` for the horizon starting at the period that contains `now`. Values are those at
    // each period's start (perfect foresight).
    void fill(Time now, Forecast& out);
    // fill() for a caller that passes the same Forecast every time and never changes it: does
    // nothing while `now` is in the period it was last filled from and nothing was invalidated
    // since (the decision points within one control period). True when it filled `out`.
    bool update(Time now, Forecast& out);
    // Looks at least this far ahead (a strategy's foresight); never less than the scenario's
    // forecast horizon, never more than the run.
    void extend_horizon(Duration horizon);
    // Forgets every value computed so far: the tariff changed (a price spike was announced).
    void invalidate() {
        known_.assign(known_.size(), false);
        updated_ = false;
    }

private:
    struct Values {
        double import_price, export_price, pv_kw, load_kw;
    };
    const Values& at(std::size_t period);

    const ScenarioSpec& spec_;
    std::size_t horizon_periods_;
    std::vector<NodeIndex> flow_nodes_;  // nodes with PV or load below them
    std::vector<Values> values_;
    std::vector<double> node_flows_;     // flow_nodes_.size() per period
    std::vector<bool> known_;
    bool updated_ = false;  // update() filled its Forecast from period updated_first_, still valid
    std::size_t updated_first_ = 0;
};

}  // namespace evtwin
