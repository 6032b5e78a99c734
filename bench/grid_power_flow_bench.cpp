// The power flow of the IEEE 13- and 123-node feeders (tests/grid/data): from scratch (index the
// nodes, build and factor the admittance matrix, iterate from the no-load voltages) and when one
// load changes (the factors kept, iterating from the last solution), with the sparse factors and,
// to compare, the dense ones. Issue 70's targets are for the 123-node feeder: < 500 us from scratch,
// < 50 us per solve when one load changes.
#include "grid/dss_reader.hpp"
#include "grid/power_flow.hpp"

#include <benchmark/benchmark.h>

#include <cstddef>
#include <filesystem>
#include <string>

namespace {

using namespace evtwin::grid;
using Factorization = PowerFlow::Factorization;

Network feeder(const std::string& file) {
    return read_dss_file(std::filesystem::path(EVTWIN_SOURCE_DIR) / "tests/grid/data" / file);
}

void from_scratch(benchmark::State& state, const std::string& file, Factorization factorization) {
    const Network network = feeder(file);
    for (auto _ : state)
        benchmark::DoNotOptimize(PowerFlow(network, factorization).solve().node_volts.data());
}

// The load moves between its kW and kvar and 5 % more at each solve.
void one_load_changes(benchmark::State& state, const std::string& file, const std::string& load_name,
                      Factorization factorization) {
    const Network network = feeder(file);
    std::size_t load = 0;
    while (network.loads[load].name != load_name) ++load;
    const double kw = network.loads[load].kw;
    const double kvar = network.loads[load].kvar;
    PowerFlow solver(network, factorization);
    solver.solve();
    bool up = false;
    for (auto _ : state) {
        up = !up;
        solver.set_load_power(load, up ? kw * 1.05 : kw, up ? kvar * 1.05 : kvar);
        benchmark::DoNotOptimize(solver.solve().node_volts.data());
    }
}

const std::string ieee13 = "ieee13/IEEE13Nodeckt.dss";
const std::string ieee123 = "ieee123/IEEE123Master.dss";

BENCHMARK_CAPTURE(from_scratch, ieee13_sparse, ieee13, Factorization::sparse)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(from_scratch, ieee13_dense, ieee13, Factorization::dense)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(one_load_changes, ieee13_sparse, ieee13, "675a", Factorization::sparse)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(one_load_changes, ieee13_dense, ieee13, "675a", Factorization::dense)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(from_scratch, ieee123_sparse, ieee123, Factorization::sparse)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(from_scratch, ieee123_dense, ieee123, Factorization::dense)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(one_load_changes, ieee123_sparse, ieee123, "s47", Factorization::sparse)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(one_load_changes, ieee123_dense, ieee123, "s47", Factorization::dense)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
