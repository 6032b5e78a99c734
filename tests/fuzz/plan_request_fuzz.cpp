// libFuzzer target of the planning API's request reader: the bytes are a POST /v1/plans body, taken
// as the server takes one: parsed as JSON (parse_body), read field by field (parse_plan_request), turned into
// the run the engine would simulate (plan_run) and its site built (Site), with one scenario the server knows
// (scenarios/quickstart.lua). A refusal is an ApiError, which the server answers with its status; any other
// exception would be a 500 "internal error" for the client's input, and is a bug here, as are a crash, a
// sanitizer report or a hang (libFuzzer's -timeout). Built with -DEVTWIN_FUZZ=ON and clang (scripts/fuzz runs
// it for a bounded time).
#include "model/site.hpp"
#include "scenario/scenario_loader.hpp"
#include "serve/net/api_error.hpp"
#include "serve/net/json_fields.hpp"
#include "serve/plan/plan_request.hpp"
#include "serve/plan/plan_site.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>

namespace {

using evtwin::serve::ApiError;

const evtwin::serve::KnownScenarios& known_scenarios() {
    static const evtwin::serve::KnownScenarios known = [] {
        evtwin::serve::KnownScenarios k;
        const std::filesystem::path file =
            std::filesystem::path(EVTWIN_SOURCE_DIR) / "scenarios/quickstart.lua";
        try {
            evtwin::ScenarioSpec spec = evtwin::load_scenario(file, {});
            k[spec.name] = std::move(spec);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "plan_request_fuzz: %s: %s (set EVTWIN_DATA)\n", file.c_str(), e.what());
            std::abort();
        }
        return k;
    }();
    return known;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& known = known_scenarios();
    // The server's limits, smaller: a request within them still simulates in milliseconds.
    evtwin::serve::RequestLimits limits;
    limits.max_vehicles = 50;
    limits.max_horizon_h = 48.0;
    const auto zone = [&known](const std::string& name, const std::string& path) {
        const auto it = known.find(name);
        if (it == known.end()) throw ApiError(422, path, "unknown scenario '" + name + "'");
        return it->second.timezone;
    };
    try {
        const nlohmann::json body = evtwin::serve::parse_body(
            std::string(reinterpret_cast<const char*>(data), size));  // the server's 400s
        const evtwin::serve::PlanRequest request = evtwin::serve::parse_plan_request(body, limits, zone);
        const evtwin::serve::PlanRun run = evtwin::serve::plan_run(request, known);
        const evtwin::Site site(run.spec);
    } catch (const ApiError&) {
    } catch (const std::exception& e) {
        std::fprintf(stderr, "plan_request_fuzz: the server would answer 500: %s\n", e.what());
        std::abort();
    }
    return 0;
}
