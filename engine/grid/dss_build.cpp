#include "grid/dss_elements.hpp"
#include "grid/nodal_admittance.hpp"

#include <evtwin/errors.hpp>

#include <charconv>
#include <cmath>
#include <map>
#include <numbers>

namespace evtwin::grid::dss {
namespace {

double metres(const std::string& units) {
    static const std::map<std::string, double> per = {{"mi", 1609.344}, {"kft", 304.8}, {"km", 1000.0},
                                                      {"m", 1.0},       {"ft", 0.3048}, {"in", 0.0254},
                                                      {"cm", 0.01},     {"mm", 0.001}};
    const auto found = per.find(units);
    return found == per.end() ? 0.0 : found->second;
}

// "name.1.2.3": the bus and, per phase, its conductor; the default conductors are 1..phases.
Terminal terminal(Network& network, const std::string& spec, std::size_t phases, const Where& w) {
    if (spec.empty()) w.fail("expected a bus");
    const std::size_t dot = spec.find('.');
    Terminal t;
    t.bus = network.bus_named(spec.substr(0, dot));
    if (dot == std::string::npos) {
        for (std::size_t k = 1; k <= phases; ++k) t.conductors.push_back(static_cast<int>(k));
        return t;
    }
    std::size_t pos = dot + 1;
    while (pos <= spec.size()) {
        const std::size_t next = std::min(spec.find('.', pos), spec.size());
        int conductor = -1;
        const auto [end, ec] = std::from_chars(spec.data() + pos, spec.data() + next, conductor);
        if (ec != std::errc{} || end != spec.data() + next || conductor < 0 || conductor > 3)
            w.fail("expected conductors 0 to 3 after the bus name in '" + spec + "'");
        t.conductors.push_back(conductor);
        pos = next + 1;
    }
    // A wye element's conductor past its phases is its neutral: grounded (0) is all this model has.
    if (t.conductors.size() > phases) {
        for (std::size_t k = phases; k < t.conductors.size(); ++k)
            if (t.conductors[k] != 0) w.fail("'" + spec + "': an ungrounded neutral is not supported");
        t.conductors.resize(phases);
    }
    return t;
}

ComplexMatrix phase_matrix(const std::optional<Matrix>& given, double self_1, double zero_0, int phases,
                           const Where& w, const char* what) {
    ComplexMatrix m(phases, phases);
    if (given) {
        if (given->size() != static_cast<std::size_t>(phases))
            w.fail(std::string("the ") + what + " has " + std::to_string(given->size()) + " rows, expected " +
                   std::to_string(phases));
        for (int i = 0; i < phases; ++i)
            for (int j = 0; j < phases; ++j) m(i, j) = (*given)[i][j];
        return m;
    }
    for (int i = 0; i < phases; ++i)
        for (int j = 0; j < phases; ++j)
            m(i, j) = i == j ? (2.0 * self_1 + zero_0) / 3.0 : (zero_0 - self_1) / 3.0;
    return m;
}

Line build_line(Network& network, const Script& script, const LineSpec& spec) {
    const Where& w = spec.where;
    Impedances z = spec.z;
    int phases = spec.phases.value_or(3);
    const LineCodeSpec* code = nullptr;
    for (const LineCodeSpec& c : script.linecodes)
        if (!spec.linecode.empty() && c.name == spec.linecode) code = &c;
    if (!spec.linecode.empty() && !spec.own_impedances) {
        if (!code) w.fail("Line." + spec.name + ": no LineCode named '" + spec.linecode + "'");
        z = code->z;
        if (spec.phases && *spec.phases != code->phases)
            w.fail("Line." + spec.name + " has " + std::to_string(*spec.phases) + " phases, its LineCode " +
                   code->name + " " + std::to_string(code->phases));
        phases = code->phases;
    }
    double scale = spec.length;
    if (spec.length_units != "none" && z.units != "none")
        scale *= metres(spec.length_units) / metres(z.units);
    const ComplexMatrix r = phase_matrix(z.r, z.sequence.r1, z.sequence.r0, phases, w, "rmatrix");
    const ComplexMatrix x = phase_matrix(z.x, z.sequence.x1, z.sequence.x0, phases, w, "xmatrix");
    const ComplexMatrix c = phase_matrix(z.c, z.sequence.c1, z.sequence.c0, phases, w, "cmatrix");
    Line line;
    line.name = spec.name;
    line.is_switch = spec.is_switch;
    // The line's own ratings, else its code's, else OpenDSS's defaults.
    const Ratings none;
    const Ratings& code_ratings = code ? code->ratings : none;
    line.normal_amps = spec.ratings.normal_amps.value_or(code_ratings.normal_amps.value_or(line.normal_amps));
    line.emergency_amps =
        spec.ratings.emergency_amps.value_or(code_ratings.emergency_amps.value_or(line.emergency_amps));
    line.from = terminal(network, spec.bus1, phases, w);
    line.to = terminal(network, spec.bus2, phases, w);
    line.series_impedance_ohm = ComplexMatrix(phases, phases);
    line.shunt_admittance_s = ComplexMatrix(phases, phases);
    const double omega = 2.0 * std::numbers::pi * script.frequency_hz;
    for (int i = 0; i < phases; ++i)
        for (int j = 0; j < phases; ++j) {
            line.series_impedance_ohm(i, j) = Complex{r(i, j).real(), x(i, j).real()} * scale;
            line.shunt_admittance_s(i, j) = Complex{0.0, omega * c(i, j).real() * 1e-9} * scale;
        }
    return line;
}

}  // namespace

Network build_network(const Script& script) {
    Network network;
    if (!script.circuit) throw DataError("the script defines no Circuit (New Circuit.<name> ...)");
    const CircuitSpec& circuit = *script.circuit;
    network.name = circuit.name;
    network.frequency_hz = script.frequency_hz;
    network.voltage_bases_kv = script.voltage_bases_kv;
    const Terminal source = terminal(network, circuit.bus, 3, circuit.where);
    network.source = Source{source.bus, circuit.kv, circuit.per_unit, circuit.angle_deg};
    for (const LineSpec& spec : script.lines) network.lines.push_back(build_line(network, script, spec));
    for (const TransformerSpec& spec : script.transformers) {
        Transformer t;
        t.name = spec.name;
        t.phases = spec.phases;
        t.percent_x = spec.percent_x;
        if (spec.antifloat_ppm < 0.0)
            spec.where.fail("Transformer." + spec.name + ": ppm must not be negative");
        t.antifloat_ppm = spec.antifloat_ppm;
        for (const WindingSpec& ws : spec.windings) {
            if (ws.connection == Connection::delta && spec.phases == 2)
                spec.where.fail("Transformer." + spec.name + ": a two-phase delta winding is not supported");
            t.windings.push_back(
                Winding{terminal(network, ws.bus, conductors_needed(ws.connection, spec.phases), spec.where),
                        ws.connection, ws.kv, ws.kva, ws.percent_r, ws.tap});
        }
        network.transformers.push_back(std::move(t));
    }
    for (const RegulatorControl& reg : script.regulators) {
        bool found = false;
        for (const Transformer& t : network.transformers) found = found || t.name == reg.transformer;
        if (!found)
            throw DataError("RegControl." + reg.name + ": no Transformer named '" + reg.transformer + "'");
        network.regulators.push_back(reg);
    }
    for (const LoadSpec& spec : script.loads) {
        Load load = spec.load;
        load.name = spec.name;
        if (load.model == LoadModel::zip && !spec.zipv_given)
            spec.where.fail("Load." + spec.name + ": model 8 (ZIP) without ZIPV");
        if (spec.pf)
            load.kvar = load.kw * std::sqrt(1.0 / (*spec.pf * *spec.pf) - 1.0) * (*spec.pf < 0 ? -1.0 : 1.0);
        load.terminal =
            terminal(network, spec.bus, conductors_needed(load.connection, load.phases), spec.where);
        network.loads.push_back(std::move(load));
    }
    for (const CapacitorSpec& spec : script.capacitors) {
        Capacitor cap = spec.capacitor;
        cap.name = spec.name;
        cap.terminal = terminal(network, spec.bus, conductors_needed(cap.connection, cap.phases), spec.where);
        network.capacitors.push_back(std::move(cap));
    }
    return network;
}

}  // namespace evtwin::grid::dss
