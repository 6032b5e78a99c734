#pragma once
// The OpenDSS elements as a script describes them, property by property (New sets some, Edit and
// "~" lines set more), before they become the network's elements (grid/dss_build.cpp).
#include "grid/dss_values.hpp"
#include "grid/network.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::grid::dss {

using Matrix = std::vector<std::vector<double>>;

// Sequence impedances (ohms per unit length) and capacitances (nF per unit length).
struct Sequence {
    double r1 = 0.058, x1 = 0.1206, r0 = 0.1784, x0 = 0.4047, c1 = 3.4, c0 = 1.6;
};

struct Impedances {
    std::optional<Matrix> r, x, c;  // per unit length; c in nF
    Sequence sequence;
    std::string units = "none";
};

// A line's current ratings (normamps, emergamps), where the script sets them.
struct Ratings {
    std::optional<double> normal_amps, emergency_amps;
};

struct LineCodeSpec {
    std::string name;
    int phases = 3;
    Impedances z;
    Ratings ratings;
};

struct LineSpec {
    std::string name;
    Where where;
    std::string bus1, bus2, linecode;
    std::optional<int> phases;
    double length = 1.0;
    std::string length_units = "none";
    bool own_impedances = false;  // the line sets r1.. or matrices itself
    Impedances z;
    bool is_switch = false;
    Ratings ratings;
};

struct WindingSpec {
    std::string bus;
    Connection connection = Connection::wye;
    double kv = 12.47, kva = 1000.0, percent_r = 0.2, tap = 1.0;
};

struct TransformerSpec {
    std::string name;
    Where where;
    int phases = 3;
    int active_winding = 0;
    std::array<WindingSpec, 2> windings;
    double percent_x = 7.0;
    double antifloat_ppm = 1.0;
};

struct LoadSpec {
    std::string name;
    Where where;
    Load load;
    std::string bus;
    std::optional<double> pf;
    bool zipv_given = false;  // model 8 needs ZIPV
};

struct CapacitorSpec {
    std::string name;
    Where where;
    Capacitor capacitor;
    std::string bus;
};

struct CircuitSpec {
    std::string name;
    Where where;
    std::string bus = "sourcebus";
    double kv = 115.0, per_unit = 1.0, angle_deg = 0.0;
};

struct Script {
    std::optional<CircuitSpec> circuit;
    std::vector<LineCodeSpec> linecodes;
    std::vector<LineSpec> lines;
    std::vector<TransformerSpec> transformers;
    std::vector<RegulatorControl> regulators;
    std::vector<LoadSpec> loads;
    std::vector<CapacitorSpec> capacitors;
    std::vector<double> voltage_bases_kv;
    double frequency_hz = 60.0;
};

// Sets one property of an element; an unknown property or a bad value fails naming it.
void set_property(CircuitSpec& e, const Param& p, const Where& w);
void set_property(LineCodeSpec& e, const Param& p, const Where& w);
void set_property(LineSpec& e, const Param& p, const Where& w);
void set_property(TransformerSpec& e, const Param& p, const Where& w);
void set_property(RegulatorControl& e, const Param& p, const Where& w);
void set_property(LoadSpec& e, const Param& p, const Where& w);
void set_property(CapacitorSpec& e, const Param& p, const Where& w);

// The network the script describes.
Network build_network(const Script& script);

}  // namespace evtwin::grid::dss
