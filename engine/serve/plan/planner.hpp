#pragma once
// Computes plans (POST /v1/plans): runs the request's site under the chosen strategy and under the
// baseline with the engine, reads both back, recommends one, and stores them (plan_store.hpp).
// Plans are computed in parallel, each in its own files under the work directory.
#include "serve/plan/plan_request.hpp"
#include "serve/plan/plan_site.hpp"
#include "serve/plan/plan_store.hpp"
#include "serve/plan/strategy_registry.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace evtwin::serve {

struct PlannerConfig {
    std::filesystem::path db;
    std::filesystem::path work_dir;  // where a plan's runs are written before they are stored
    RequestLimits limits;
    KnownScenarios scenarios;
    // Options a strategy gets unless the request gives them, by strategy name.
    std::map<std::string, std::map<std::string, std::string>> strategy_defaults;
    ServerLog log;  // why a strategy could not be loaded; standard error when empty
};

class Planner {
public:
    explicit Planner(PlannerConfig config);

    // The new plan's response, as stored. Throws ApiError for what the client got wrong.
    std::string plan(const nlohmann::json& body);
    std::optional<std::string> stored(const std::string& id) { return store_.response(id); }
    // The strategies a request may name, listed when the planner was made.
    const StrategyRegistry& strategies() const { return strategies_; }

    std::uint64_t plans_computed() const { return plans_; }
    // Plans whose strategy failed (the baseline stands in), and decisions at which a solver-based
    // strategy fell back to its rule.
    std::uint64_t strategy_fallbacks() const { return strategy_fallbacks_; }
    std::uint64_t solver_fallbacks() const { return solver_fallbacks_; }

private:
    // The body as a request, with the server's strategy defaults under its own options.
    PlanRequest request_of(const nlohmann::json& body) const;

    PlannerConfig config_;
    PlanStore store_;
    StrategyRegistry strategies_;
    std::atomic<std::uint64_t> next_file_{0};
    std::atomic<std::uint64_t> plans_{0};
    std::atomic<std::uint64_t> strategy_fallbacks_{0};
    std::atomic<std::uint64_t> solver_fallbacks_{0};
};

// The recommendation of a plan against its baseline (docs/serve.md).
nlohmann::json recommend(const nlohmann::json& plan, const nlohmann::json& baseline,
                         const std::string& currency);

}  // namespace evtwin::serve
