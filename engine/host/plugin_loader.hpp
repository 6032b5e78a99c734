#pragma once
// Loads plugins: shared objects exporting `evtwin_plugin_entry` (a strategy) or
// `evtwin_forecaster_entry` (a forecaster; host/forecaster_loader.hpp creates them), see evtwin/plugin.hpp.
// A plugin is refused, with a PluginError saying why and what to do, when it cannot be opened, has
// no entry, or was built against another ABI version, descriptor layout or build fingerprint.
#include <evtwin/errors.hpp>  // PluginError
#include <evtwin/plugin.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin {

// The host's own fingerprint; a plugin's must equal it.
const char* host_build_fingerprint();

enum class PluginKind : std::uint8_t { strategy, forecaster };
inline const char* plugin_kind_name(PluginKind kind) {
    return kind == PluginKind::strategy ? "strategy" : "forecaster";
}
inline constexpr const char* kForecasterFilePrefix = "forecast_";
// libevtwin_<name>.so for a strategy, libevtwin_forecast_<name>.so for a forecaster.
std::string plugin_file_name(std::string_view name, PluginKind kind);

// One opened and checked plugin. Its library stays open while a Plugin or a strategy made from it
// lives. A plugin linked into the process (static registry) has an empty path.
class Plugin {
public:
    ~Plugin();
    Plugin(const Plugin&) = delete;
    Plugin& operator=(const Plugin&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string_view name() const;
    std::string_view version() const;
    PluginKind kind() const { return descriptor_ ? PluginKind::strategy : PluginKind::forecaster; }
    const evtwin_plugin_descriptor& descriptor() const { return *descriptor_; }  // a strategy's
    const evtwin_forecaster_descriptor& forecaster() const { return *forecaster_; }

private:
    friend std::shared_ptr<const Plugin> open_plugin(const std::filesystem::path&);
    friend std::shared_ptr<const Plugin> static_plugin(std::string_view);
    friend std::shared_ptr<const Plugin> static_forecaster_plugin(std::string_view);
    Plugin(std::filesystem::path path, void* library, const evtwin_plugin_descriptor* descriptor);
    Plugin(std::filesystem::path path, const evtwin_forecaster_descriptor* forecaster);

    std::filesystem::path path_;
    void* library_ = nullptr;  // dlopen handle; null for a static plugin
    const evtwin_plugin_descriptor* descriptor_ = nullptr;
    const evtwin_forecaster_descriptor* forecaster_ = nullptr;
};

// A strategy object, destroyed through its plugin's destroy(); keeps the plugin's library open.
class StrategyHandle {
public:
    StrategyHandle() = default;
    StrategyHandle(std::shared_ptr<const Plugin> plugin, Strategy* strategy);
    ~StrategyHandle();
    StrategyHandle(StrategyHandle&& other) noexcept;
    StrategyHandle& operator=(StrategyHandle&& other) noexcept;
    StrategyHandle(const StrategyHandle&) = delete;
    StrategyHandle& operator=(const StrategyHandle&) = delete;

    Strategy* get() const { return strategy_; }
    Strategy& operator*() const { return *strategy_; }
    Strategy* operator->() const { return strategy_; }
    explicit operator bool() const { return strategy_ != nullptr; }

    const Plugin& plugin() const { return *plugin_; }
    std::string_view name() const { return plugin_->name(); }
    std::string_view version() const { return plugin_->version(); }

private:
    void reset() noexcept;

    std::shared_ptr<const Plugin> plugin_;
    Strategy* strategy_ = nullptr;
};

// Opens and checks the shared object at `path`. Throws PluginError.
std::shared_ptr<const Plugin> open_plugin(const std::filesystem::path& path);

// A strategy compiled into this process (EVTWIN_PLUGIN_STATIC); null when there is none by that name.
std::shared_ptr<const Plugin> static_plugin(std::string_view name);

// Where plugins are looked for by name, in order: each directory of $EVTWIN_PLUGIN_PATH
// (colon-separated), <dir of the running executable>/../plugins, <exe>/../lib/evtwin/plugins,
// this build's plugin directory, and where `cmake --install` puts plugins (<prefix>/lib/evtwin/plugins;
// the Python module, run by python3, finds them there). Duplicates are listed once.
std::vector<std::filesystem::path> plugin_search_path();

// The first plugin_file_name(name, kind) on the search path whose plugin is called `name`. Throws
// PluginError when there is none (listing where it looked) or when that file is refused.
std::shared_ptr<const Plugin> find_plugin(std::string_view name, PluginKind kind = PluginKind::strategy);

// Creates the plugin's strategy. A StrategyError (bad option) or any other failure of create()
// becomes a PluginError naming the strategy and its file.
StrategyHandle create_strategy(std::shared_ptr<const Plugin> plugin, const StrategyOptions& options = {});

// `spec` is a path when it contains '/' or ends in ".so", otherwise a strategy name: a host
// strategy (host/host_strategies.hpp, e.g. `guarded`), else looked up on the search path, then
// among the strategies compiled into this process.
StrategyHandle load_strategy(std::string_view spec, const StrategyOptions& options = {});

// A strategy compiled into this process. Throws PluginError listing the known ones if absent.
StrategyHandle load_static_strategy(std::string_view name, const StrategyOptions& options = {});

struct PluginInfo {
    std::string name;     // the strategy's name, or the file's stem when the descriptor is unreadable
    std::string version;  // empty when refused before the descriptor could be read
    PluginKind kind = PluginKind::strategy;
    std::filesystem::path path;
    bool ok = false;
    std::string status;  // "ok", or why the plugin is refused
    std::string note;    // e.g. shadowed by an earlier plugin of the same name; empty otherwise
};

// Every libevtwin_*.so in `dirs` (in that order, each directory sorted by file name), opened and
// checked. Never throws for a bad plugin: the reason is in `status`.
std::vector<PluginInfo> discover_plugins(const std::vector<std::filesystem::path>& dirs);
// The same over plugin_search_path(): what `evtwin plugins` prints.
std::vector<PluginInfo> discover_plugins();

}  // namespace evtwin
