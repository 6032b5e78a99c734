#pragma once
// A distribution feeder behind the site (docs/grid.md, "Feeders in a run"): the network the power
// flow solves, the site's nodes attached to its buses, the other customers' loads scaled over time,
// and the limits a run holds the feeder to. The scenario loader fills it (distribution_feeder{});
// the simulator's feeder coupling (core/feeder_coupling.hpp) solves it as the site's powers change.
#include <evtwin/ids.hpp>
#include <evtwin/time.hpp>

#include "grid/network.hpp"
#include "model/step_series.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace evtwin {

// A node of the site tree whose flow (everything below it: chargers, ESS, loads, less PV) is a
// constant-power load at a bus of the feeder, split evenly over the bus conductors given.
struct FeederSite {
    NodeIndex node = 0;
    int bus = -1;                 // index into the network's buses
    std::vector<int> conductors;  // 1..3, one per phase of the load (wye)
    double power_factor = 1.0;    // of the site's import; export at the same factor
};

// A distribution system operator's flexibility request (docs/grid.md): over [from, to) the site's
// nodes attached at `bus` import and export at most these (infinite: not capped).
struct FlexibilityRequest {
    int bus = -1;
    Time from, to;
    double import_kw = std::numeric_limits<double>::infinity();
    double export_kw = std::numeric_limits<double>::infinity();
};

// A distribution system operator's voltage band for one bus (distribution_feeder{}'s `bands`),
// in place of the feeder's.
struct BusBand {
    int bus = -1;
    double v_min_pu = 0.9;
    double v_max_pu = 1.1;
};

struct FeederSpec {
    std::string name;
    std::string source;  // "file:line: " of the distribution_feeder{} statement, for messages
    // The network with the regulators' taps as the run uses them (set once by the loader's tap
    // control, when asked). Its loads are the other customers, at their nominal powers.
    grid::Network network;
    std::vector<FeederSite> sites;
    // The other customers' profiles: load k of the network takes its nominal kW and kvar times
    // load_scales[load_scale_of[k]] over time, or keeps them where load_scale_of[k] is -1.
    std::vector<StepSeries> load_scales;
    std::vector<int> load_scale_of;  // per load of the network
    double v_min_pu = 0.9;           // the voltage band a bus-phase is held to, but at bands' buses
    double v_max_pu = 1.1;
    std::vector<BusBand> bands;  // at most one per bus
    double max_loading = 1.0;    // a line's current over its normamps, a transformer's kVA over its rating
    // The regulators act at every solve of the run (OpenDSS's static control mode); else their taps
    // stay as the network has them.
    bool tap_control = true;
    // With tap control: each regulator whose relay leaves its band steps one tap after its delay, then
    // one every tap delay while it stays out (OpenDSS's time-driven control mode), not at once.
    bool tap_delays = false;
    // Per bus: the line-to-neutral base (kV) its per-unit voltages are of; never 0 (a bus the
    // network's voltage bases do not cover takes its no-load voltage as its base).
    std::vector<double> bus_base_kv_ln;
    std::vector<std::string> bus_phases;          // per bus: its phases as digits, e.g. "123", "2"
    std::vector<FlexibilityRequest> flexibility;  // by start
};

// The band bus `bus` is held to: its own in `feeder.bands`, else the feeder's.
inline BusBand band_of(const FeederSpec& feeder, int bus) {
    for (const BusBand& b : feeder.bands)
        if (b.bus == bus) return b;
    return BusBand{bus, feeder.v_min_pu, feeder.v_max_pu};
}

// A bus-phase's voltage (per unit, as recorded) or a branch's loading out of its limit.
struct FeederViolation {
    std::string kind;       // voltage_low, voltage_high, line_overload, transformer_overload, not_converged
    std::int64_t bus = -1;  // index into the network's buses, -1 for a branch
    int phase = 0;          // 1..3 for a bus
    std::int64_t branch = -1;  // lines first, then transformers; -1 for a bus
    double value = 0.0;        // per unit, or loading as a fraction of the rating
    double limit = 0.0;
};

// The feeder's totals at one solve.
struct FeederSample {
    double source_kw = 0.0;  // what the substation gives
    double source_kvar = 0.0;
    double load_kw = 0.0;  // what every load takes, the sites' included (negative: export)
    double loss_kw = 0.0;  // source - loads: the lines' and transformers' losses
};

}  // namespace evtwin
