#pragma once
// One possible future of a site over an outlook's window, drawn from its forecast: PV, base load
// and the vehicles to come (docs/live.md, "The outlook"). The median future takes every quantity at
// its forecast median; a drawn one takes PV, base load and the vehicles' energy each at one random
// quantile level for the whole window (a sunny day stays sunny), and each step's arrivals at a
// level of their own.
#include "model/vehicle_spec.hpp"
#include "util/rng.hpp"

#include <evtwin/observation.hpp>

#include <vector>

namespace evtwin::serve {

struct FutureDraw {
    std::vector<double> pv_kw;  // per step of the forecast, from its start
    std::vector<double> load_kw;
    std::vector<SessionSpec> arrivals;  // in [from, until), sorted, ids from kExpectedSessionIds
};

// The vehicle an expected arrival is: its battery and limits, and its SoC on arrival.
struct TypicalVehicle {
    VehicleSpec vehicle;
    double soc = 0.3;
};

// A forecast quantity at quantile `level` in (0, 1): on the line through its 10 %, 50 % and 90 %
// quantiles, past them on the nearer segment's slope, never below 0. The median where the
// forecast gives no quantiles (`p10` or `p90` empty).
double at_level(const Quantiles& q, std::size_t k, double level);

// The median future when `rng` is null, else one drawn from it. Arrivals follow the forecast's
// counts as Forecast's expected vehicles do (one at each step where the running sum of the step's
// arrivals passes a whole number), each asking its step's energy per vehicle and staying its step's
// median stay (at least 15 minutes).
FutureDraw draw_future(const Forecast& f, Time from, Time until, const TypicalVehicle& typical, Rng* rng);

}  // namespace evtwin::serve
