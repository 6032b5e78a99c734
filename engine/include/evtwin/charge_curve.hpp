#pragma once
// A vehicle's charge curve: the most its battery takes at the inlet against its state of charge.

namespace evtwin {

// One point of a charge curve: at `soc` (0..1) the battery takes at most `fraction` (0..1) of the
// vehicle's rated power (its AC or DC rating, as its charger is). A curve is linear between its
// points, which are ordered by SoC; before the first point it holds the first fraction, after the
// last the last one. Typically flat (constant current), then tapering (constant voltage).
struct ChargeCurvePoint {
    double soc = 0.0;
    double fraction = 1.0;
};

}  // namespace evtwin
