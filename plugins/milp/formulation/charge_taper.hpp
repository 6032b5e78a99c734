#pragma once
// A vehicle's charge curve in a linear model (docs/milp.md, "Charge curves"). Its battery takes at
// most f(s) kW at the inlet at SoC s. Over a line above the curve, f(s) <= a + b·s with b < 0, a
// battery charged as fast as it takes from SoC s0 rises as ds/dt = k·(a + b·s) (k: SoC per inlet
// kWh), so that in h hours it takes at most
//     (a + b·s0) · (e^{b·k·h} − 1) / (b·k)
// inlet kWh: affine in s0, and never less than what the vehicle really takes (a slower battery
// rises no faster). The lines of the curve's concave upper hull that fall with SoC so bound each
// period's energy by the SoC at its start, exactly where one line is the curve all period long.
#include <evtwin/charge_curve.hpp>

#include <span>
#include <vector>

namespace evtwin::milp {

// Inlet kW = a_kw + b_kw_per_soc · SoC, with b_kw_per_soc < 0.
struct TaperLine {
    double a_kw = 0.0;
    double b_kw_per_soc = 0.0;
};

// The curve's fraction at `soc`: linear between its points, the first before them and the last after
// (evtwin/charge_curve.hpp); 1 for an empty curve.
double curve_fraction(std::span<const ChargeCurvePoint> curve, double soc);

// The most the curve gives at any SoC: `rated_kw` times its highest fraction.
double curve_top_kw(std::span<const ChargeCurvePoint> curve, double rated_kw);

// The falling lines of the concave upper hull of `curve` (as evtwin/charge_curve.hpp reads it,
// from SoC 0 to 1) times `rated_kw`; empty for a curve that never falls.
std::vector<TaperLine> taper_lines(std::span<const ChargeCurvePoint> curve, double rated_kw);

// The inlet kWh a battery takes in `hours` from SoC `soc` charged as fast as it takes, at
// min(cap_kw, every line) kW, and their derivative with respect to `soc` (<= 0). The rows of the
// lines bound each alone; together with the charger's cap they are looser where the period starts
// on the flat part of the curve and ends on a falling line. The energy is concave in `soc` (the
// rate falls as the battery fills), so its tangent at any SoC bounds it from above everywhere:
// ChargingModel::add_taper_cuts adds those tangents where a plan asks more than this.
struct TaperEnergy {
    double kwh = 0.0;
    double per_soc = 0.0;
};
TaperEnergy taper_energy(std::span<const TaperLine> lines, double cap_kw, double soc_per_kwh, double soc,
                         double hours);

// The factor of (a + b·s0) that bounds the inlet energy of `hours` of charging along `line`, with
// `soc_per_kwh` the SoC each inlet kWh adds: (e^{b·k·h} − 1) / (b·k), which is `hours` as b·k -> 0.
double taper_hours(const TaperLine& line, double soc_per_kwh, double hours);

}  // namespace evtwin::milp
