#pragma once
// The plugin ABI. A strategy plugin is a shared object exporting one extern "C" function,
// `evtwin_plugin_entry`, that returns a descriptor; a forecaster plugin exports
// `evtwin_forecaster_entry` instead. The host refuses a plugin whose ABI version or
// build fingerprint (compiler, C++ library ABI, SDK header hash) differs from its own, because
// Observation and Decision cross the boundary as C++ types.
//
// EVTWIN_STRATEGY(Class, "name", "1.0.0") in one .cpp file of the plugin generates the entry
// (EVTWIN_FORECASTER for a forecaster). Built with EVTWIN_PLUGIN_STATIC defined, the same macro
// registers the class in the in-process registry instead, so tests and tools can run it without dlopen.
#include <evtwin/forecaster.hpp>
#include <evtwin/sdk_fingerprint.hpp>
#include <evtwin/strategy.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

#define EVTWIN_STRINGIFY_INNER(x) #x
#define EVTWIN_STRINGIFY(x) EVTWIN_STRINGIFY_INNER(x)

#if defined(__clang__)
#define EVTWIN_COMPILER_ID "clang-" __clang_version__
#elif defined(__GNUC__)
#define EVTWIN_COMPILER_ID                                                                       \
    "gcc-" EVTWIN_STRINGIFY(__GNUC__) "." EVTWIN_STRINGIFY(__GNUC_MINOR__) "." EVTWIN_STRINGIFY( \
        __GNUC_PATCHLEVEL__)
#else
#define EVTWIN_COMPILER_ID "unknown-compiler"
#endif

#if defined(_GLIBCXX_USE_CXX11_ABI)
#define EVTWIN_STDLIB_ABI "libstdc++-cxx11abi" EVTWIN_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)
#elif defined(_LIBCPP_VERSION)
#define EVTWIN_STDLIB_ABI "libc++-" EVTWIN_STRINGIFY(_LIBCPP_ABI_VERSION)
#else
#define EVTWIN_STDLIB_ABI "unknown-stdlib"
#endif

// Computed where it is compiled: the host's and the plugin's must match exactly.
#define EVTWIN_BUILD_FINGERPRINT EVTWIN_COMPILER_ID ";" EVTWIN_STDLIB_ABI ";sdk-" EVTWIN_SDK_HASH

namespace evtwin {

// 2: foresight, demand view, strategy events; 3: economics; 4: forecasters; 5: decision scope;
// 6: the ESS's ratings (EssView::rated_charge_kw, rated_discharge_kw); 7: the vehicles' charge
// curves (SessionView::charge_curve, UpcomingSession::charge_curve), ConnectorView::dc; 8: reservations
// (ConnectorView::reserved, reserved_until); 9: the distribution feeder's voltages at the site's
// buses (Observation::feeder); 10: the feeder's loadings; 11: a driver's needs (SessionView::needs,
// UpcomingSession::needs: a minimum power, a goal by a time and the value of energy beyond it);
// 12: each feeder bus's band (BusVoltageView::v_min_pu, v_max_pu); 13: the feeder's attached nodes
// and voltage sensitivities (FeederView::attached, sensitivity); 14: the loadings' sensitivities
// (FeederSensitivity::loading_now, dloading_per_kw, loadings_at); 15: PV curtailment as a decision
// (Decision::pv_limit_kw) and its price (EconomicsView::pv_curtailment_cost_per_kwh); 16: the
// ESS's end value and end SoC (EssView::end_value_per_kwh, end_soc); 17: several stationary
// batteries (Observation::ess a span, Decision::ess_kw one setpoint per battery); 18: a battery's
// permissions to charge from and give to the grid, and its priority (EssView::grid_charge,
// grid_discharge, priority)
inline constexpr std::uint32_t kPluginAbiVersion = 18;
inline constexpr const char* kPluginEntrySymbol = "evtwin_plugin_entry";
inline constexpr const char* kForecasterEntrySymbol = "evtwin_forecaster_entry";

}  // namespace evtwin

extern "C" {
struct evtwin_plugin_descriptor {
    std::uint32_t abi_version;
    std::uint32_t descriptor_size;  // sizeof(evtwin_plugin_descriptor) as the plugin saw it
    const char* name;
    const char* version;
    const char* build_fingerprint;
    evtwin::Strategy* (*create)(const evtwin::StrategyOptions& options);
    void (*destroy)(evtwin::Strategy* strategy);  // objects die in the plugin that made them
};
typedef const evtwin_plugin_descriptor* (*evtwin_plugin_entry_fn)();

// The same layout for a forecaster: create() makes one forecaster for one target.
struct evtwin_forecaster_descriptor {
    std::uint32_t abi_version;
    std::uint32_t descriptor_size;
    const char* name;
    const char* version;
    const char* build_fingerprint;
    evtwin::Forecaster* (*create)(evtwin::ForecastTarget target, const evtwin::ForecasterOptions& options);
    void (*destroy)(evtwin::Forecaster* forecaster);
};
typedef const evtwin_forecaster_descriptor* (*evtwin_forecaster_entry_fn)();
}

namespace evtwin {

// Strategies linked into this process (EVTWIN_PLUGIN_STATIC builds).
inline std::vector<const evtwin_plugin_descriptor*>& static_strategies() {
    static std::vector<const evtwin_plugin_descriptor*> registry;
    return registry;
}

inline const evtwin_plugin_descriptor* find_static_strategy(std::string_view name) {
    for (const auto* d : static_strategies())
        if (name == d->name) return d;
    return nullptr;
}

// Forecasters linked into this process (EVTWIN_PLUGIN_STATIC builds).
inline std::vector<const evtwin_forecaster_descriptor*>& static_forecasters() {
    static std::vector<const evtwin_forecaster_descriptor*> registry;
    return registry;
}

inline const evtwin_forecaster_descriptor* find_static_forecaster(std::string_view name) {
    for (const auto* d : static_forecasters())
        if (name == d->name) return d;
    return nullptr;
}

namespace detail {
template <class T>
Strategy* create_strategy(const StrategyOptions& options) {
    return new T(options);
}
inline void destroy_strategy(Strategy* s) {
    delete s;
}
struct StaticStrategyRegistrar {
    explicit StaticStrategyRegistrar(const evtwin_plugin_descriptor* d) { static_strategies().push_back(d); }
};
template <class T>
Forecaster* create_forecaster(ForecastTarget target, const ForecasterOptions& options) {
    return new T(target, options);
}
inline void destroy_forecaster(Forecaster* f) {
    delete f;
}
struct StaticForecasterRegistrar {
    explicit StaticForecasterRegistrar(const evtwin_forecaster_descriptor* d) {
        static_forecasters().push_back(d);
    }
};
}  // namespace detail
}  // namespace evtwin

#define EVTWIN_DESCRIPTOR_FOR(Class, Name, Version)                     \
    static const evtwin_plugin_descriptor evtwin_descriptor_##Class = { \
        evtwin::kPluginAbiVersion,                                      \
        sizeof(evtwin_plugin_descriptor),                               \
        Name,                                                           \
        Version,                                                        \
        EVTWIN_BUILD_FINGERPRINT,                                       \
        &evtwin::detail::create_strategy<Class>,                        \
        &evtwin::detail::destroy_strategy};

#if defined(EVTWIN_PLUGIN_STATIC)
#define EVTWIN_STRATEGY(Class, Name, Version)   \
    EVTWIN_DESCRIPTOR_FOR(Class, Name, Version) \
    static const evtwin::detail::StaticStrategyRegistrar evtwin_registrar_##Class(&evtwin_descriptor_##Class);
#else
#define EVTWIN_STRATEGY(Class, Name, Version)                                         \
    EVTWIN_DESCRIPTOR_FOR(Class, Name, Version)                                       \
    extern "C" __attribute__((visibility("default"))) const evtwin_plugin_descriptor* \
    evtwin_plugin_entry() {                                                           \
        return &evtwin_descriptor_##Class;                                            \
    }
#endif

// EVTWIN_FORECASTER(Class, "name", "1.0.0"): Class(ForecastTarget, const ForecasterOptions&) throws
// ForecasterError for a target or option it cannot serve.
#define EVTWIN_FORECASTER_DESCRIPTOR_FOR(Class, Name, Version)                         \
    static const evtwin_forecaster_descriptor evtwin_forecaster_descriptor_##Class = { \
        evtwin::kPluginAbiVersion,                                                     \
        sizeof(evtwin_forecaster_descriptor),                                          \
        Name,                                                                          \
        Version,                                                                       \
        EVTWIN_BUILD_FINGERPRINT,                                                      \
        &evtwin::detail::create_forecaster<Class>,                                     \
        &evtwin::detail::destroy_forecaster};

#if defined(EVTWIN_PLUGIN_STATIC)
#define EVTWIN_FORECASTER(Class, Name, Version)                                                 \
    EVTWIN_FORECASTER_DESCRIPTOR_FOR(Class, Name, Version)                                      \
    static const evtwin::detail::StaticForecasterRegistrar evtwin_forecaster_registrar_##Class( \
        &evtwin_forecaster_descriptor_##Class);
#else
#define EVTWIN_FORECASTER(Class, Name, Version)                                           \
    EVTWIN_FORECASTER_DESCRIPTOR_FOR(Class, Name, Version)                                \
    extern "C" __attribute__((visibility("default"))) const evtwin_forecaster_descriptor* \
    evtwin_forecaster_entry() {                                                           \
        return &evtwin_forecaster_descriptor_##Class;                                     \
    }
#endif
