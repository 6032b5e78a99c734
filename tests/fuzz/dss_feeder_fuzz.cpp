// libFuzzer target of the feeder readers, the power flow and the regulators' tap control
// (engine/grid/, data/ev2gym_feeder): any bytes are read as an OpenDSS script, or, when they start
// with "NODES", as EV2Gym's nodes file followed by its lines file (from the first line starting with
// "FROM"); a refusal is a DataError whose message names the file or the element or node at fault; a network
// read is solved when it is small, a converged solution has finite voltages, and its regulators' taps are
// moved. A crash, a sanitizer report, another exception or a hang is a bug. Built with -DEVTWIN_FUZZ=ON and
// clang.
#include "data/ev2gym_feeder.hpp"
#include "grid/dss_reader.hpp"
#include "grid/power_flow.hpp"
#include "grid/tap_control.hpp"

#include <evtwin/errors.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

// Networks above this many buses are read but not solved: thousands of nodes would make the fuzzer
// measure the solver's speed instead of its robustness.
constexpr std::size_t max_solved_buses = 60;

[[noreturn]] void bug(const char* what, const std::string& detail) {
    std::fprintf(stderr, "dss_feeder_fuzz: %s: %s\n", what, detail.c_str());
    std::abort();
}

evtwin::grid::Network read_feeder(const std::string& text) {
    if (text.rfind("NODES", 0) != 0) return evtwin::grid::read_dss_text(text, "feeder.dss");
    const std::size_t lines = text.find("\nFROM");
    const std::string_view all(text);
    const std::string_view nodes = all.substr(0, lines == std::string::npos ? all.size() : lines + 1);
    const std::string_view rest = lines == std::string::npos ? std::string_view{} : all.substr(lines + 1);
    return evtwin::parse_ev2gym_feeder("Nodes.csv", nodes, "Lines.csv", rest, evtwin::Ev2gymBase{});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const evtwin::grid::Network network = read_feeder(text);
        if (network.buses.size() > max_solved_buses) return 0;
        evtwin::grid::PowerFlowOptions options;
        options.max_iterations = 20;
        const evtwin::grid::PowerFlowSolution solution = evtwin::grid::solve_power_flow(network, options);
        if (solution.converged)
            for (const evtwin::grid::Complex& v : solution.node_volts)
                if (!std::isfinite(v.real()) || !std::isfinite(v.imag()))
                    bug("a converged solution", "non-finite voltage");
        if (!network.regulators.empty()) {
            evtwin::grid::Network regulated = network;
            evtwin::grid::TapControlOptions control;
            control.power_flow = options;
            control.max_control_iterations = 5;
            evtwin::grid::solve_with_tap_control(regulated, control);
        }
    } catch (const evtwin::DataError& e) {
        if (std::string(e.what()).empty()) bug("an empty error message", "");
    } catch (const std::exception& e) {
        bug("an exception other than DataError", e.what());
    }
    return 0;
}
