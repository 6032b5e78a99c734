#include "host/forecaster_loader.hpp"

#include <utility>

namespace evtwin {
namespace fs = std::filesystem;

ForecasterHandle::ForecasterHandle(std::shared_ptr<const Plugin> plugin, Forecaster* forecaster)
    : plugin_(std::move(plugin)), forecaster_(forecaster) {}

ForecasterHandle::~ForecasterHandle() {
    reset();
}

ForecasterHandle::ForecasterHandle(ForecasterHandle&& other) noexcept
    : plugin_(std::move(other.plugin_)), forecaster_(std::exchange(other.forecaster_, nullptr)) {}

ForecasterHandle& ForecasterHandle::operator=(ForecasterHandle&& other) noexcept {
    if (this != &other) {
        reset();
        plugin_ = std::move(other.plugin_);
        forecaster_ = std::exchange(other.forecaster_, nullptr);
    }
    return *this;
}

void ForecasterHandle::reset() noexcept {
    if (forecaster_) plugin_->forecaster().destroy(std::exchange(forecaster_, nullptr));
    plugin_.reset();
}

std::shared_ptr<const Plugin> static_forecaster_plugin(std::string_view name) {
    const evtwin_forecaster_descriptor* d = find_static_forecaster(name);
    if (d == nullptr) return nullptr;
    return std::shared_ptr<const Plugin>(new Plugin(fs::path(), d));
}

namespace {

bool is_path_spec(std::string_view spec) {
    return spec.find('/') != std::string_view::npos || spec.ends_with(".so");
}

std::shared_ptr<const Plugin> find_forecaster(std::string_view spec) {
    if (is_path_spec(spec)) {
        std::shared_ptr<const Plugin> plugin = open_plugin(fs::path(std::string(spec)));
        if (plugin->kind() != PluginKind::forecaster)
            throw PluginError("plugin " + std::string(spec) + " holds the strategy '" +
                              std::string(plugin->name()) + "', not a forecaster");
        return plugin;
    }
    try {
        return find_plugin(spec, PluginKind::forecaster);
    } catch (const PluginError&) {
        // Only "not found" falls back to a built-in forecaster; a refused plugin file is reported.
        std::shared_ptr<const Plugin> built_in = static_forecaster_plugin(spec);
        if (!built_in) throw;
        for (const fs::path& dir : plugin_search_path()) {
            std::error_code ec;
            if (fs::is_regular_file(dir / plugin_file_name(spec, PluginKind::forecaster), ec)) throw;
        }
        return built_in;
    }
}

}  // namespace

ForecasterHandle load_forecaster(std::string_view spec, ForecastTarget target,
                                 const ForecasterOptions& options) {
    if (spec.empty()) throw PluginError("no forecaster given: name a forecaster or give the path of its .so");
    std::shared_ptr<const Plugin> plugin = find_forecaster(spec);
    const std::string who = "forecaster '" + std::string(plugin->name()) + "' (" +
                            (plugin->path().empty() ? std::string("built in") : plugin->path().string()) +
                            ") for " + std::string(target_name(target));
    Forecaster* forecaster = nullptr;
    try {
        forecaster = plugin->forecaster().create(target, options);
    } catch (const std::exception& e) {
        throw PluginError(who + ": " + e.what());
    } catch (...) {
        throw PluginError(who + ": failed to start: unknown exception");
    }
    if (forecaster == nullptr) throw PluginError(who + ": create() returned no forecaster");
    return ForecasterHandle(std::move(plugin), forecaster);
}

}  // namespace evtwin
