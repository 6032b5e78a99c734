// Reading real session files (../shared/data/sessions, or $EVTWIN_DATA/sessions): the six ACN-Data
// CSV exports (gzip, 1,829 to 6,026 sessions each), acnportal's serialised event queue of the
// Caltech March 2019 month (gzip JSON, 954 sessions) and the Norwegian residential CSV (6,878
// sessions). items/s is sessions per second. BM_AcnSimJson and BM_AcnSimJsonNlohmann read the JSON
// of the event file alone, with the engine's reader and with nlohmann's.
#include "data/acnsim_document.hpp"
#include "data/arrivals.hpp"
#include "data/gzip_file.hpp"
#include "scenario/scenario_loader.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <cstdint>
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

const std::filesystem::path& acnsim_events_file() {
    static const std::filesystem::path file =
        session_file("acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz");
    return file;
}

// The event file's text, inflated, read into acnportal's table of objects as the engine reads it
// (data/json_events.hpp: the string decoded in place, then the streaming reader).
void BM_AcnSimJson(benchmark::State& state) {
    const std::string text = read_maybe_gzip_file(acnsim_events_file());
    for (auto _ : state) {
        const AcnSimDocument doc = read_acnsim_document(text, acnsim_events_file());
        benchmark::DoNotOptimize(doc.context.size());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_AcnSimJson)->Unit(benchmark::kMillisecond);

// Events of nlohmann's SAX reader that keep nothing.
struct DiscardingSax {
    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(std::int64_t) { return true; }
    bool number_unsigned(std::uint64_t) { return true; }
    bool number_float(double, const std::string&) { return true; }
    bool string(std::string&) { return true; }
    bool binary(nlohmann::json::binary_t&) { return true; }
    bool start_object(std::size_t) { return true; }
    bool key(std::string&) { return true; }
    bool end_object() { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_array() { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }
};

// The same text through nlohmann's reader, the least it can do there: the file's string parsed
// into a value, then its JSON read by the SAX reader into a handler that keeps nothing. The engine's
// reader does more (it builds the table of objects and their attributes' values).
void BM_AcnSimJsonNlohmann(benchmark::State& state) {
    const std::string text = read_maybe_gzip_file(acnsim_events_file());
    for (auto _ : state) {
        const std::string document = nlohmann::json::parse(text).get<std::string>();
        DiscardingSax sax;
        benchmark::DoNotOptimize(nlohmann::json::sax_parse(document, &sax));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_AcnSimJsonNlohmann)->Unit(benchmark::kMillisecond);

void BM_NorwayCsv(benchmark::State& state) {
    load_sessions(state,
                  [] { return load_norway_csv(session_file("norway_residential_2018-12_2020-01.csv"), {}); });
}
BENCHMARK(BM_NorwayCsv)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
