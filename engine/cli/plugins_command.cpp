#include <evtwin/util/args.hpp>
#include "cli/commands.hpp"
#include "host/host_strategies.hpp"
#include "host/plugin_loader.hpp"

#include <algorithm>
#include <cstdio>

namespace evtwin::cli {

namespace {
constexpr const char* kPluginsHelp = R"(usage: evtwin plugins

Lists every plugin on the search path, strategies (libevtwin_<name>.so) and forecasters
(libevtwin_forecast_<name>.so), in search order:
$EVTWIN_PLUGIN_PATH (colon-separated), <evtwin>/../plugins, <evtwin>/../lib/evtwin/plugins, the build's
plugin directory, the install prefix's lib/evtwin/plugins. A plugin built for another evtwin (ABI
version or build fingerprint) is listed with the reason it is refused. Strategies built into evtwin itself (such as `guarded`, which loads
other strategies) and the forecasters built into the engine (`perfect`, `noisy`) come first, with the
path (built in).
)";
}  // namespace

int plugins_command(const std::vector<std::string>& argv) {
    const Args args = parse_args(argv, ArgSpec{{}, {"--help", "-h"}, {}});
    if (args.flag("--help") || args.flag("-h")) {
        std::fputs(kPluginsHelp, stdout);
        return kOk;
    }
    if (!args.positionals.empty()) throw UsageError("takes no arguments");

    std::printf("search path:\n");
    for (const auto& dir : plugin_search_path()) std::printf("  %s\n", dir.c_str());
    std::vector<PluginInfo> plugins;
    for (const auto* d : host_strategies()) {
        PluginInfo info{d->name,
                        d->version,
                        PluginKind::strategy,
                        "(built in)",
                        true,
                        "ok",
                        "loads other strategies: host side"};
        plugins.push_back(std::move(info));
    }
    const std::size_t built_in = plugins.size() + 2;
    plugins.push_back({"perfect", "1.0.0", PluginKind::forecaster, "(built in)", true, "ok",
                       "the run's own data: the yardstick"});
    plugins.push_back({"noisy", "1.0.0", PluginKind::forecaster, "(built in)", true, "ok",
                       "the run's own data with seeded error"});
    for (PluginInfo& p : discover_plugins()) plugins.push_back(std::move(p));
    std::size_t name_width = 4, version_width = 7;
    for (const PluginInfo& p : plugins) {
        name_width = std::max(name_width, p.name.size());
        version_width = std::max(version_width, p.version.size());
    }
    std::printf("\n%-*s  %-10s  %-*s  %-7s  %s\n", static_cast<int>(name_width), "name", "kind",
                static_cast<int>(version_width), "version", "status", "path");
    for (const PluginInfo& p : plugins) {
        std::printf("%-*s  %-10s  %-*s  %-7s  %s\n", static_cast<int>(name_width),
                    p.name.empty() ? "?" : p.name.c_str(), plugin_kind_name(p.kind),
                    static_cast<int>(version_width), p.version.c_str(), p.ok ? "ok" : "refused",
                    p.path.c_str());
        if (!p.ok) std::printf("    %s\n", p.status.c_str());
        if (!p.note.empty()) std::printf("    note: %s\n", p.note.c_str());
    }
    if (plugins.size() == built_in) std::printf("(no plugins found)\n");
    return kOk;
}

}  // namespace evtwin::cli
