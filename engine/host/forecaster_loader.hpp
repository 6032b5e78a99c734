#pragma once
// Creates forecasters from plugins (libevtwin_forecast_<name>.so, see evtwin/plugin.hpp) or from the
// forecasters compiled into this process.
#include "host/plugin_loader.hpp"

#include <evtwin/forecaster.hpp>

#include <memory>
#include <string_view>

namespace evtwin {

// A forecaster object, destroyed through its plugin's destroy(); keeps the plugin's library open.
class ForecasterHandle {
public:
    ForecasterHandle() = default;
    ForecasterHandle(std::shared_ptr<const Plugin> plugin, Forecaster* forecaster);
    ~ForecasterHandle();
    ForecasterHandle(ForecasterHandle&& other) noexcept;
    ForecasterHandle& operator=(ForecasterHandle&& other) noexcept;
    ForecasterHandle(const ForecasterHandle&) = delete;
    ForecasterHandle& operator=(const ForecasterHandle&) = delete;

    Forecaster* get() const { return forecaster_; }
    Forecaster* operator->() const { return forecaster_; }
    explicit operator bool() const { return forecaster_ != nullptr; }
    std::string_view name() const { return plugin_->name(); }

private:
    void reset() noexcept;

    std::shared_ptr<const Plugin> plugin_;
    Forecaster* forecaster_ = nullptr;
};

// A forecaster compiled into this process (EVTWIN_PLUGIN_STATIC); null when there is none by that name.
std::shared_ptr<const Plugin> static_forecaster_plugin(std::string_view name);

// `spec` is a path when it contains '/' or ends in ".so", otherwise a forecaster name looked up on the
// plugin search path, then among the forecasters compiled into this process. A ForecasterError from
// the forecaster (bad option, unusable model file) becomes a PluginError naming it.
ForecasterHandle load_forecaster(std::string_view spec, ForecastTarget target,
                                 const ForecasterOptions& options = {});

}  // namespace evtwin
