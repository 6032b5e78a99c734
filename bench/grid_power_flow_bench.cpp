// The power flow of the IEEE 13-node feeder (tests/grid/data/ieee13): from scratch (index the
// nodes, build and factor the admittance matrix, iterate from the no-load voltages) and when one
// load changes (the factors kept, iterating from the last solution). Issue 70's targets are for
// the 123-node feeder: < 500 us from scratch, < 50 us per solve when one load changes.
#include "grid/dss_reader.hpp"
#include "grid/power_flow.hpp"

#include <benchmark/benchmark.h>

#include <cstddef>
#include <filesystem>

namespace {

using namespace evtwin::grid;

Network ieee13() {
    return read_dss_file(std::filesystem::path(EVTWIN_SOURCE_DIR) /
                         "tests/grid/data/ieee13/IEEE13Nodeckt.dss");
}

void BM_Ieee13FromScratch(benchmark::State& state) {
    const Network network = ieee13();
    for (auto _ : state) benchmark::DoNotOptimize(solve_power_flow(network).node_volts.data());
}
BENCHMARK(BM_Ieee13FromScratch)->Unit(benchmark::kMicrosecond);

// Load 675a moves between its published 485 kW and 5 % more at each solve.
void BM_Ieee13OneLoadChanges(benchmark::State& state) {
    const Network network = ieee13();
    std::size_t load = 0;
    while (network.loads[load].name != "675a") ++load;
    PowerFlow solver(network);
    solver.solve();
    bool up = false;
    for (auto _ : state) {
        up = !up;
        solver.set_load_power(load, up ? 485.0 * 1.05 : 485.0, up ? 190.0 * 1.05 : 190.0);
        benchmark::DoNotOptimize(solver.solve().node_volts.data());
    }
}
BENCHMARK(BM_Ieee13OneLoadChanges)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
