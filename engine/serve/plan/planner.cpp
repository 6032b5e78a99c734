#include "serve/plan/planner.hpp"

#include "host/plugin_loader.hpp"
#include "model/local_time.hpp"
#include "record/reader/run_reader.hpp"
#include "run/strategy_options.hpp"
#include "scenario/scenario_impl.hpp"
#include "serve/net/api_error.hpp"
#include "serve/net/json_text.hpp"
#include "serve/plan/plan_misses.hpp"
#include "serve/plan/plan_result.hpp"

#include <evtwin/run.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace evtwin::serve {
namespace {

constexpr double kUnmetMargin_kwh = 0.05;
constexpr double kOvershootMargin_kwh = 0.05;
// Plans whose costs differ by less than both of these are the same to the operator (docs/serve.md).
constexpr double kSameCostShare = 0.005;  // of the baseline's cost
constexpr double kSameCostAmount = 0.01;  // in the tariff's currency

// A plan's results file and its SQLite side files, removed when the plan is done.
class ScratchFile {
public:
    explicit ScratchFile(std::filesystem::path path) : path_(std::move(path)) { remove(); }
    ~ScratchFile() { remove(); }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;
    const std::filesystem::path& path() const { return path_; }

    void remove() const {
        std::error_code ignored;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            std::filesystem::remove(path_.string() + suffix, ignored);
    }

private:
    std::filesystem::path path_;
};

// A plan's strategy, loaded once with the options its run gets.
StrategyHandle load_for(const StrategyRegistry& strategies, const ScenarioSpec& spec,
                        const StrategyChoice& choice, const std::string& path) {
    return strategies.load(choice.name, merged_strategy_options(spec, choice.name, choice.options), path);
}

RunOutcome run_into(const ScenarioSpec& spec, const StrategyChoice& choice, const StrategyHandle& strategy,
                    const std::filesystem::path& db) {
    RunOptions options;
    options.strategy = std::string(strategy.name());
    options.strategy_object = strategy.get();
    options.strategy_version = std::string(strategy.version());
    options.options = choice.options;
    options.db = db;
    options.private_db = true;  // a scratch file of this plan alone, read only between its runs
    return run_scenario(scenario_of(spec), options);
}

std::size_t solver_fallbacks_in(const RunReader& reader, RunId run) {
    std::size_t n = 0;
    for (const EventRow& e : reader.events(run)) {
        if (e.kind == EventKind::strategy && e.detail.rfind("solver_fallback", 0) == 0) ++n;
    }
    return n;
}

// What the operator should know of a plan: the vehicles it leaves short, the grid limits it goes
// over, and the engine's limit violations.
void add_plan_warnings(const nlohmann::json& plan, nlohmann::json& warnings) {
    for (const nlohmann::json& v : plan["vehicles"])
        if (!v["met"].get<bool>())
            warnings.push_back("vehicle " + v["id"].get<std::string>() + ": " +
                               v["reason"].get<std::string>());
    add_miss_warnings(plan["misses"], warnings);
    if (const long long n = plan["kpis"]["violations"].get<long long>(); n > 0)
        warnings.push_back("the engine recorded " + std::to_string(n) + " limit violation" +
                           (n == 1 ? "" : "s") +
                           ": setpoints it clipped to keep the site's limits, or a limit it could not keep");
}

// The energy a RESULT exchanged with the grid over its limits (0 for one without `misses`).
double overshoot_kwh(const nlohmann::json& result) {
    if (!result.contains("misses")) return 0.0;
    const nlohmann::json& grid = result["misses"]["grid"];
    return grid["import_overshoot_kwh"].get<double>() + grid["export_overshoot_kwh"].get<double>();
}

// Each step's length in seconds.
std::vector<std::int64_t> steps_s(const PlanRequest& request) {
    std::vector<std::int64_t> out;
    out.reserve(request.steps());
    for (const Duration length : request.step_lengths) out.push_back(length.ms() / 1000);
    return out;
}

std::string money(double x, const std::string& currency) {
    char text[64];
    std::snprintf(text, sizeof text, "%.2f %s", x, currency.c_str());
    return text;
}

}  // namespace

nlohmann::json recommend(const nlohmann::json& plan, const nlohmann::json& baseline,
                         const std::string& currency) {
    const double plan_cost_value = plan_cost(plan);
    const double baseline_cost = plan_cost(baseline);
    const double saving = baseline_cost - plan_cost_value;
    const double plan_unmet = plan["kpis"]["unmet_kwh"].get<double>();
    const double baseline_unmet = baseline["kpis"]["unmet_kwh"].get<double>();
    const double plan_kwh = plan["kpis"]["energy_kwh"].get<double>();
    const double baseline_kwh = baseline["kpis"]["energy_kwh"].get<double>();
    const std::string baseline_name = baseline["strategy"];
    nlohmann::json out = {{"use", "plan"}, {"strategy", plan["strategy"]}, {"saving", saving}};
    auto use_baseline = [&](const std::string& reason) {
        out["use"] = "baseline";
        out["strategy"] = baseline_name;
        out["reason"] = reason;
        return out;
    };
    char text[256];
    if (plan["strategy"] == baseline["strategy"] && plan["kpis"] == baseline["kpis"] &&
        plan["fallback"].is_null()) {
        out["reason"] = "the plan's strategy is the baseline's";
        return out;
    }
    if (!plan["fallback"].is_null()) {
        return use_baseline("the plan's strategy failed; the baseline '" + baseline_name + "' is the plan");
    }
    if (plan_unmet > baseline_unmet + kUnmetMargin_kwh) {
        std::snprintf(text, sizeof text, "the plan leaves %.1f kWh undelivered, the baseline %.1f kWh",
                      plan_unmet, baseline_unmet);
        return use_baseline(text);
    }
    // The grid limits come after the energy delivered and before money, as the MILP strategies'
    // penalties rank them: a plan that serves at least as well and goes less over them is the
    // answer; one that goes further over them and delivers no more is not.
    const double plan_over = overshoot_kwh(plan);
    const double baseline_over = overshoot_kwh(baseline);
    const bool delivers_more = plan_unmet + kUnmetMargin_kwh < baseline_unmet;
    std::snprintf(text, sizeof text,
                  "the plan goes %.1f kWh over the site's grid limits, the baseline %.1f kWh", plan_over,
                  baseline_over);
    if (plan_over + kOvershootMargin_kwh < baseline_over) {
        out["reason"] = text;
        return out;
    }
    if (plan_over > baseline_over + kOvershootMargin_kwh && !delivers_more) return use_baseline(text);
    // To a millionth of the currency, so that a difference of 0.01 made by rounding errors stays 0.01.
    const double difference = std::round(std::abs(saving) * 1e6) / 1e6;
    if (std::abs(plan_unmet - baseline_unmet) <= kUnmetMargin_kwh && difference < kSameCostAmount &&
        difference <= kSameCostShare * std::abs(baseline_cost)) {
        std::snprintf(
            text, sizeof text,
            "the plan and the baseline '%s' cost the same within tolerance: they differ by %.4f %s, "
            "below %.2f %s and at most %.1f %% of the baseline's cost",
            baseline_name.c_str(), difference, currency.c_str(), kSameCostAmount, currency.c_str(),
            100.0 * kSameCostShare);
        return use_baseline(text);
    }
    if (plan_unmet + kUnmetMargin_kwh < baseline_unmet && saving < 0.0) {
        // More energy for more money: fair only at no higher a price per kWh.
        const double plan_per_kwh = plan_cost_value / std::max(plan_kwh, 1e-9);
        const double baseline_per_kwh = baseline_cost / std::max(baseline_kwh, 1e-9);
        if (plan_per_kwh > baseline_per_kwh) {
            std::snprintf(text, sizeof text,
                          "the plan delivers %.1f kWh more but at %.4f %s/kWh against %.4f",
                          plan_kwh - baseline_kwh, plan_per_kwh, currency.c_str(), baseline_per_kwh);
            return use_baseline(text);
        }
        std::snprintf(text, sizeof text,
                      "the plan delivers %.1f kWh more at %.4f %s/kWh against the baseline's %.4f",
                      plan_kwh - baseline_kwh, plan_per_kwh, currency.c_str(), baseline_per_kwh);
        out["reason"] = text;
        return out;
    }
    if (saving < 0.0) {
        return use_baseline("the plan costs " + money(-saving, currency) + " more than the baseline '" +
                            baseline_name + "'");
    }
    const double pct = baseline_cost != 0.0 ? 100.0 * saving / std::abs(baseline_cost) : 0.0;
    std::snprintf(text, sizeof text, " (%.1f %%) against the baseline '", pct);
    out["reason"] = "the plan saves " + money(saving, currency) + text + baseline_name + "'" +
                    (plan_unmet + kUnmetMargin_kwh < baseline_unmet ? " and delivers more energy" : "");
    return out;
}

Planner::Planner(PlannerConfig config)
    : config_(std::move(config)), store_(config_.db), strategies_(plugin_search_path(), config_.log) {
    std::filesystem::create_directories(config_.work_dir);
}

PlanRequest Planner::request_of(const nlohmann::json& body) const {
    const auto scenario_zone = [this](const std::string& name, const std::string& path) {
        auto it = config_.scenarios.find(name);
        if (it == config_.scenarios.end()) {
            std::string known;
            for (const auto& [n, spec] : config_.scenarios) known += (known.empty() ? "" : ", ") + n;
            throw ApiError(422, path,
                           "unknown scenario '" + name +
                               "' (this server knows: " + (known.empty() ? "none" : known) + ")");
        }
        return it->second.timezone;
    };
    PlanRequest request = parse_plan_request(body, config_.limits, scenario_zone);
    // The request's names and options are checked before the operator's defaults join them: only
    // the operator may name a path.
    strategies_.check(request.strategy, "/strategy");
    strategies_.check(request.baseline, "/baseline");
    for (StrategyChoice* choice : {&request.strategy, &request.baseline}) {
        if (auto it = config_.strategy_defaults.find(choice->name); it != config_.strategy_defaults.end()) {
            choice->options.insert(it->second.begin(), it->second.end());  // the request's own win
        }
    }
    return request;
}

std::string Planner::plan(const nlohmann::json& body) {
    const PlanRequest request = request_of(body);
    const PlanRun run = plan_run(request, config_.scenarios);
    // The engine is deterministic: a baseline that is the plan's own strategy is the plan's run.
    const bool same_strategy = request.baseline.name == request.strategy.name &&
                               request.baseline.options == request.strategy.options;
    const StrategyHandle strategy = load_for(strategies_, run.spec, request.strategy, "/strategy");
    const StrategyHandle baseline_strategy =
        same_strategy ? StrategyHandle() : load_for(strategies_, run.spec, request.baseline, "/baseline");

    // Both runs go to one file, the plan's first; a strategy that fails leaves a failed run
    // there, so the baseline is then run into a fresh file alone.
    ScratchFile runs_file(config_.work_dir / ("plan-" + std::to_string(::getpid()) + "-" +
                                              std::to_string(next_file_++) + ".db"));
    nlohmann::json warnings = nlohmann::json::array();
    nlohmann::json plan;
    bool plan_stored = true;
    try {
        const RunOutcome outcome = run_into(run.spec, request.strategy, strategy, runs_file.path());
        const RunReader reader(runs_file.path());
        plan = plan_result(reader, outcome.run_id, request, run);
        if (const std::size_t n = solver_fallbacks_in(reader, outcome.run_id)) {
            solver_fallbacks_ += n;
            warnings.push_back("the strategy's solver fell back to its rule at " + std::to_string(n) +
                               " decisions");
        }
    } catch (const PluginError& e) {
        ++strategy_fallbacks_;
        plan_stored = false;
        plan["fallback"] = e.what();
        warnings.push_back(std::string("the strategy failed, the baseline's plan stands in: ") + e.what());
        runs_file.remove();
    }
    nlohmann::json baseline = plan;
    if (!same_strategy || !plan_stored) {
        // A strategy that failed and is its own baseline gets a fresh object (and fails again).
        const StrategyHandle fresh = baseline_strategy
                                         ? StrategyHandle()
                                         : load_for(strategies_, run.spec, request.baseline, "/baseline");
        const StrategyHandle& used = baseline_strategy ? baseline_strategy : fresh;
        const RunOutcome baseline_run = run_into(run.spec, request.baseline, used, runs_file.path());
        baseline = plan_result(RunReader(runs_file.path()), baseline_run.run_id, request, run);
    }
    if (!plan_stored) {
        const nlohmann::json reason = plan["fallback"];
        plan = baseline;
        plan["fallback"] = reason;
    }

    add_plan_warnings(plan, warnings);
    const std::string currency = run.spec.tariff->currency();
    nlohmann::json response = {{"id", nullptr},
                               {"created", nullptr},
                               {"site", run.spec.name},
                               {"timezone", run.spec.timezone},
                               {"currency", currency},
                               {"start", format_utc(request.start)},
                               {"end", format_utc(request.end())},
                               {"step_s", request.step.ms() / 1000},
                               {"steps_s", steps_s(request)},
                               {"capacity_kw", run.spec.nodes.at(0).import_limit_kw},
                               {"plan", plan},
                               {"baseline", baseline},
                               {"recommendation", recommend(plan, baseline, currency)},
                               {"warnings", warnings}};
    const std::string text = store_.add(
        runs_file.path(), json_text(body), [&](const std::string& id, const std::vector<RunId>& runs) {
            response["id"] = id;
            const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch());
            response["created"] = format_utc(Time(now.count()));
            response["plan"]["run_id"] = runs.front();
            response["baseline"]["run_id"] = runs.back();
            return json_text(response);
        });
    ++plans_;
    return text;
}

}  // namespace evtwin::serve
