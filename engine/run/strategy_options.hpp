#pragma once
// The options a strategy gets in a run: the scenario's strategy_options, its own table, and the
// caller's (--opt) over both.
#include "model/scenario_spec.hpp"

#include <evtwin/strategy.hpp>

#include <map>
#include <string>
#include <vector>

namespace evtwin {

// The strategy's name as scenario tables key it: `strategy` itself, or for a plugin path
// (.../libevtwin_mpc.so) the name in its file name.
std::string strategy_key(const std::string& strategy);

// The options `strategy` (a name or a plugin path) gets: the scenario's flat strategy_options, its
// own table (strategy_options = { mpc = {...} }) over them, and `overrides` over both. For a
// strategy that loads others by options (host/host_strategies.hpp: guarded's inner and baseline),
// the tables of the strategies so named come too, as inner.<k> and baseline.<k>, under any such
// key given explicitly.
StrategyOptions merged_strategy_options(const ScenarioSpec& spec, const std::string& strategy,
                                        const std::map<std::string, std::string>& overrides);

// The options `strategy` gets in a run of `run_strategies` (as named on the command line): a key
// "S.key" where S is one of them goes to S alone, as "key"; every other key to all of them.
StrategyOptions scoped_strategy_options(const StrategyOptions& options, const std::string& strategy,
                                        const std::vector<std::string>& run_strategies);

// Throws std::invalid_argument naming the key for a key "S.key" where S is a strategy (built in or
// a plugin on the search path) other than those of `run_strategies`: such a key would reach none of
// them as meant.
void check_option_scopes(const StrategyOptions& options, const std::vector<std::string>& run_strategies);

// "k=v;k=v", as stored in runs.strategy_options.
std::string joined_options(const StrategyOptions& options);

}  // namespace evtwin
