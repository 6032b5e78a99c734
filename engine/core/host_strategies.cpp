#include "core/host_strategies.hpp"

#include "core/guarded_strategy.hpp"

namespace evtwin {

const std::vector<const evtwin_plugin_descriptor*>& host_strategies() {
    static const std::vector<const evtwin_plugin_descriptor*> all = {guarded_descriptor()};
    return all;
}

const evtwin_plugin_descriptor* find_host_strategy(std::string_view name) {
    for (const auto* d : host_strategies())
        if (name == d->name) return d;
    return nullptr;
}

}  // namespace evtwin
