// libFuzzer target of the Lua scenario loader: the bytes are a scenario file, loaded as `evtwin run`
// loads one (the sandbox, the DSL, and the data readers it reaches: tariff files, CSV profiles and
// price series, session files), from a folder where the repository's scenarios' relative paths
// (tariffs/, loads/, require'd lib/ modules) resolve, so mutations of those scenarios reach the
// readers with real files. ScenarioError and DataError are the loader refusing bad input, a normal
// outcome; a crash, a sanitizer report, any other exception or a hang (libFuzzer's -timeout) is a bug.
// Built with -DEVTWIN_FUZZ=ON and clang (scripts/fuzz runs it for a bounded time).
#include <evtwin/errors.hpp>
#include "scenario/scenario_loader.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;

// A private folder beside links to the repository's scenario folders; removed at exit.
const fs::path& scenario_dir() {
    static const fs::path dir = [] {
        const fs::path d = fs::temp_directory_path() / ("evtwin-scenario-fuzz-" + std::to_string(::getpid()));
        fs::remove_all(d);
        fs::create_directories(d);
        const fs::path scenarios = fs::path(EVTWIN_SOURCE_DIR) / "scenarios";
        for (const char* sub : {"tariffs", "loads", "lib", "sweeps"})
            fs::create_directory_symlink(scenarios / sub, d / sub);
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(scenario_dir(), ec);
        });
        return d;
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const fs::path file = scenario_dir() / "fuzz.lua";
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    evtwin::ScenarioLoadOptions options;
    // Far below the CLI's budgets, which are sized for year-long scenarios: an input that loops
    // stops in milliseconds instead of tripping libFuzzer's timeout.
    options.instruction_limit = 5'000'000;
    options.memory_limit_bytes = std::size_t{128} << 20;
    // An arrival process over the year at thousands a day draws more sessions than an instrumented
    // build makes in libFuzzer's timeout: the loader refuses it instead.
    options.most_sessions = 1e5;
    try {
        evtwin::load_scenario(file, options);
    } catch (const evtwin::ScenarioError&) {
    } catch (const evtwin::DataError&) {
    }
    return 0;
}
