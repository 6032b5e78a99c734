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
        known_from_ = known_to_ = 0;
        updated_ = false;
    }

private:
    // Makes [first, end) known: computes what the known range lacks, or starts a new range.
    void compute(std::size_t first, std::size_t end);

    const ScenarioSpec& spec_;
    std::size_t horizon_periods_;
    std::vector<NodeIndex> flow_nodes_;  // nodes with PV or load below them
    // Per period since the run's start, as far as computed (a copy into a Forecast is then a block copy).
    std::vector<double> import_price_, export_price_, pv_kw_, load_kw_;
    std::vector<std::vector<double>> node_flows_;  // per flow node, per period
    std::size_t known_from_ = 0, known_to_ = 0;    // the periods computed, [from, to)
    bool updated_ = false;  // update() filled its Forecast from period updated_first_, still valid
    std::size_t updated_first_ = 0;
};

}  // namespace evtwin
