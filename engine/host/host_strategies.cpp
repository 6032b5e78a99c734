#include "host/host_strategies.hpp"

#include "host/guarded_strategy.hpp"

namespace evtwin {

namespace {

struct HostStrategy {
    const evtwin_plugin_descriptor* descriptor;
    const std::vector<NestedStrategyOption>& nested;
};

const std::vector<HostStrategy>& registry() {
    static const std::vector<HostStrategy> all = {{guarded_descriptor(), guarded_nested_strategy_options()}};
    return all;
}

}  // namespace

const std::vector<const evtwin_plugin_descriptor*>& host_strategies() {
    static const std::vector<const evtwin_plugin_descriptor*> all = [] {
        std::vector<const evtwin_plugin_descriptor*> descriptors;
        for (const HostStrategy& s : registry()) descriptors.push_back(s.descriptor);
        return descriptors;
    }();
    return all;
}

const evtwin_plugin_descriptor* find_host_strategy(std::string_view name) {
    for (const auto* d : host_strategies())
        if (name == d->name) return d;
    return nullptr;
}

const std::vector<NestedStrategyOption>& nested_strategy_options(std::string_view name) {
    static const std::vector<NestedStrategyOption> none;
    for (const HostStrategy& s : registry())
        if (name == s.descriptor->name) return s.nested;
    return none;
}

}  // namespace evtwin
