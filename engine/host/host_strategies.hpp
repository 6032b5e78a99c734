#pragma once
// Strategies built into the host rather than into a plugin: those that load other strategies
// (a plugin cannot: the loader is the host's). They are found by name before the plugin search
// path, are listed by `evtwin plugins` as built in, and carry the host's own descriptor.
#include <evtwin/plugin.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace evtwin {

// An option by which a host strategy names a strategy it loads (guarded's inner and baseline), and
// the strategy it loads when the option is not given (empty: none). The scenario's options table
// of the strategy so named reaches the host strategy as <option>.<key> (run/strategy_options.hpp).
struct NestedStrategyOption {
    std::string option;
    std::string fallback;
};

const std::vector<const evtwin_plugin_descriptor*>& host_strategies();
// Null when no host strategy has that name.
const evtwin_plugin_descriptor* find_host_strategy(std::string_view name);
// The options of the host strategy `name` that name other strategies; empty for any other name.
const std::vector<NestedStrategyOption>& nested_strategy_options(std::string_view name);

}  // namespace evtwin
