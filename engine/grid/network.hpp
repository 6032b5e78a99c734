#pragma once
// A three-phase unbalanced distribution network in physical units (volts, ohms, siemens, kW):
// buses whose conductors (phases 1..3) are the network's nodes, and the elements between them.
// What the power flow (grid/power_flow.hpp) solves and what readers (grid/dss_reader.hpp) build;
// docs/grid.md states the models and their scope.
#include "grid/complex_matrix.hpp"

#include <optional>
#include <string>
#include <vector>

namespace evtwin::grid {

// Where an element connects: a bus and, per phase of the element, the bus's conductor (1..3);
// 0 is the grounded neutral.
struct Terminal {
    int bus = -1;
    std::vector<int> conductors;
};

enum class Connection { wye, delta };

struct Bus {
    std::string name;
};

// A line or switch: series impedance and shunt admittance matrices of its whole length, in the
// order of its terminals' conductors.
struct Line {
    std::string name;
    Terminal from;
    Terminal to;
    ComplexMatrix series_impedance_ohm;
    ComplexMatrix shunt_admittance_s;  // half at each end (the pi model)
    bool is_switch = false;
    double normal_amps = 400.0;  // the rating a phase's current is compared with
    double emergency_amps = 600.0;
};

struct Winding {
    Terminal terminal;
    Connection connection = Connection::wye;
    double kv = 12.47;  // line-to-line for a wye of two or three phases, else across the winding
    double kva = 1000.0;
    double percent_r = 0.2;
    double tap = 1.0;  // per unit of kv: the winding's turns
};

// A bank of `phases` single-phase two-winding units, winding k of each side on conductor k.
struct Transformer {
    std::string name;
    int phases = 3;
    std::vector<Winding> windings;  // two
    double percent_x = 7.0;         // leakage reactance between the two windings
    // A reactance from each delta winding conductor to ground of a millionth per ppm of the winding's
    // impedance base (OpenDSS's default 1): what gives a delta-delta bank's secondary its reference.
    double antifloat_ppm = 1.0;
};

// A regulator's control settings: what its controller measures (grid/regulator_relay.hpp) and the
// band it holds that within by moving its winding's tap (grid/tap_control.hpp). The power flow
// itself uses the taps the transformer has.
struct RegulatorControl {
    std::string name;
    std::string transformer;
    int winding = 1;
    double vreg = 120.0;
    double band = 3.0;
    double pt_ratio = 60.0;
    double ct_primary_a = 300.0;
    double r_volts = 0.0;
    double x_volts = 0.0;
    // The winding's tap range: OpenDSS's default of 32 steps over +-10 %.
    double tap_step = 0.00625;
    double min_tap = 0.9;
    double max_tap = 1.1;
    // With the run's tap delays (FeederSpec::tap_delays): seconds from the relay leaving its band to
    // the first step, and between the steps that follow while it stays out (OpenDSS's defaults).
    double delay_s = 15.0;
    double tap_delay_s = 2.0;
};

// The voltage dependence of a load (OpenDSS's load models 1, 2 and 5).
enum class LoadModel { constant_power = 1, constant_impedance = 2, constant_current = 5, zip = 8 };

// A ZIP load's power (OpenDSS's ZIPV): the shares of its active and of its reactive power at the
// nominal voltage that it draws as a constant impedance, a constant current magnitude and a constant
// power; each three sum to 1.
struct ZipShares {
    double z_p = 0.0, i_p = 0.0, p_p = 1.0;
    double z_q = 0.0, i_q = 0.0, p_q = 1.0;
};

// A load of kw + j kvar at its nominal voltage, split evenly over its phases; a wye phase is
// connected from its conductor to ground, a delta phase between consecutive conductors.
struct Load {
    std::string name;
    Terminal terminal;
    int phases = 3;
    Connection connection = Connection::wye;
    LoadModel model = LoadModel::constant_power;
    double kv = 12.47;  // line-to-line, or line-to-neutral for a single-phase wye load
    double kw = 10.0;
    double kvar = 5.0;
    ZipShares zip{};  // model zip
};

// A shunt capacitor bank, a constant admittance connected as a load is.
struct Capacitor {
    std::string name;
    Terminal terminal;
    int phases = 3;
    Connection connection = Connection::wye;
    double kv = 12.47;
    double kvar = 1200.0;
};

// The substation: an ideal balanced three-phase source at a bus.
struct Source {
    int bus = -1;
    double kv = 115.0;  // line-to-line
    double per_unit = 1.0;
    double angle_deg = 0.0;
};

struct Network {
    std::string name;
    std::vector<Bus> buses;
    Source source;
    std::vector<Line> lines;
    std::vector<Transformer> transformers;
    std::vector<RegulatorControl> regulators;
    std::vector<Load> loads;
    std::vector<Capacitor> capacitors;
    std::vector<double> voltage_bases_kv;  // line-to-line; a bus's base is the nearest
    double frequency_hz = 60.0;

    std::optional<int> find_bus(const std::string& name) const;
    int bus_named(const std::string& name);  // adds the bus when it is new
};

}  // namespace evtwin::grid
