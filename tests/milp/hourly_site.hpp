#pragma once
// What the formulation's hand-worked sites share: one-hour periods from t = 0 whose exports are paid
// nothing, a grid connection of 100 kW each way, and stationary batteries given by their ratings.
#include <evtwin/observation.hpp>

#include <cstdint>
#include <vector>

namespace evtwin::milp::test {

inline NodeView grid_connection() {
    return {kNone, NodeKind::grid, 100.0, 100.0, 0.0};
}

inline Forecast hourly_forecast(std::vector<double> import_price) {
    Forecast f;
    f.start = Time(0);
    f.step = Duration::hours(1);
    f.export_price.assign(import_price.size(), 0.0);
    f.import_price = std::move(import_price);
    return f;
}

// At t = 0, on one-hour control periods, to the end of `forecast` (referred to: it must outlive
// the Observation).
inline Observation hourly_observation(const std::vector<NodeView>& nodes, const Forecast& forecast) {
    Observation obs;
    obs.now = obs.run_start = Time(0);
    obs.run_end = Time(0) + Duration::hours(static_cast<std::int64_t>(forecast.import_price.size()));
    obs.control_period = Duration::hours(1);
    obs.nodes = nodes;
    obs.forecast = &forecast;
    return obs;
}

// A battery at the grid connection, no losses, rated `charge_kw` and `discharge_kw`: what it can take
// or give now is its rating, none at or beyond the bound it would cross.
inline EssView battery(double capacity_kwh, double soc, double soc_min, double soc_max, double charge_kw,
                       double discharge_kw) {
    EssView e;
    e.node = 0;
    e.capacity_kwh = capacity_kwh;
    e.soc = soc;
    e.soc_min = soc_min;
    e.soc_max = soc_max;
    e.rated_charge_kw = charge_kw;
    e.rated_discharge_kw = discharge_kw;
    e.max_charge_kw = soc < soc_max ? charge_kw : 0.0;
    e.max_discharge_kw = soc > soc_min ? discharge_kw : 0.0;
    return e;
}

}  // namespace evtwin::milp::test
