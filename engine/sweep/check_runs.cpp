#include "sweep/check_runs.hpp"

#include "host/plugin_loader.hpp"
#include "run/strategy_options.hpp"
#include "scenario/scenario_impl.hpp"

#include <evtwin/scenario.hpp>

#include <map>
#include <set>

namespace evtwin::sweep {

void check_runs(const SweepSpec& spec, const std::filesystem::path& data_dir) {
    std::map<std::string, Scenario> scenarios;  // per scenario and parameter point
    std::set<std::string> strategies_checked;
    for (const auto& run : spec.runs) {
        const std::string point = parameter_point(run);
        const std::string where = spec.file.string() + ": run " + run.key + ": ";
        auto it = scenarios.find(point);
        if (it == scenarios.end()) {
            ScenarioOptions load;
            load.seed = run.seed;
            load.params = run.params;
            load.data_dir = data_dir;
            try {
                it = scenarios.emplace(point, Scenario::load(run.scenario, load)).first;
            } catch (const std::exception& e) {
                throw SweepError(where + e.what());
            }
        }
        if (!strategies_checked.insert(point + "|" + strategy_label(run.strategy, run.options)).second)
            continue;
        try {
            load_strategy(run.strategy,
                          merged_strategy_options(it->second.impl().loaded, run.strategy, run.options));
        } catch (const std::exception& e) {
            throw SweepError(where + e.what());
        }
    }
}

}  // namespace evtwin::sweep
