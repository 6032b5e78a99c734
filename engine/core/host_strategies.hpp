#pragma once
// Strategies built into the host rather than into a plugin: those that load other strategies
// (a plugin cannot: the loader is the host's). They are found by name before the plugin search
// path, are listed by `evtwin plugins` as built in, and carry the host's own descriptor.
#include <evtwin/plugin.hpp>

#include <string_view>
#include <vector>

namespace evtwin {

const std::vector<const evtwin_plugin_descriptor*>& host_strategies();
// Null when no host strategy has that name.
const evtwin_plugin_descriptor* find_host_strategy(std::string_view name);

}  // namespace evtwin
