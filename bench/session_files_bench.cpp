// Reading real session files (../shared/data/sessions, or $EVTWIN_DATA/sessions): the six ACN-Data
// CSV exports (gzip, 1,829 to 6,026 sessions each), acnportal's serialised event queue of the
// Caltech March 2019 month (gzip JSON, 954 sessions) and the Norwegian residential CSV (6,878
// sessions). items/s is sessions per second.
#include "data/arrivals.hpp"
#include "scenario/scenario_loader.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace {

using namespace evtwin;

std::filesystem::path session_file(const std::string& name) {
    return scenario_data_root({}) / "sessions" / name;
}

template <class Load>
void load_sessions(benchmark::State& state, Load load) {
    std::size_t sessions = 0;
    for (auto _ : state) {
        const auto loaded = load();
        sessions = loaded.size();
        benchmark::DoNotOptimize(loaded.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * sessions));
    state.counters["sessions"] = static_cast<double>(sessions);
}

void BM_AcnCsv(benchmark::State& state, const char* name) {
    AcnImportOptions replay;
    replay.use_user_inputs = false;
    load_sessions(state, [&] { return load_acn_csv(session_file(name), replay); });
}
BENCHMARK_CAPTURE(BM_AcnCsv, caltech_2019_05, "acn_caltech_2019-05-01_2019-08-31.csv.gz")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_AcnCsv, caltech_2019_09, "acn_caltech_2019-09-01_2019-12-31.csv.gz")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_AcnCsv, caltech_2021_05, "acn_caltech_2021-05-01_2021-08-31.csv.gz")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_AcnCsv, jpl_2019_05, "acn_jpl_2019-05-01_2019-08-31.csv.gz")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_AcnCsv, jpl_2019_09, "acn_jpl_2019-09-01_2019-12-31.csv.gz")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_AcnCsv, jpl_2021_05, "acn_jpl_2021-05-01_2021-08-31.csv.gz")
    ->Unit(benchmark::kMillisecond);

void BM_AcnSimEvents(benchmark::State& state) {
    load_sessions(state, [] {
        return load_acnsim_events(session_file("acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz"), {});
    });
}
BENCHMARK(BM_AcnSimEvents)->Unit(benchmark::kMillisecond);

void BM_NorwayCsv(benchmark::State& state) {
    load_sessions(state,
                  [] { return load_norway_csv(session_file("norway_residential_2018-12_2020-01.csv"), {}); });
}
BENCHMARK(BM_NorwayCsv)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
