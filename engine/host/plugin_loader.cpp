#include "host/plugin_loader.hpp"

#include "host/host_strategies.hpp"

#include <evtwin/options.hpp>

#include <dlfcn.h>
#include <algorithm>
#include <cstdlib>
#include <set>
#include <system_error>
#include <utility>

namespace evtwin {
namespace fs = std::filesystem;

namespace {

const std::string kPrefix = "libevtwin_";
const std::string kSuffix = ".so";

std::string in_quotes(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out.append(1, '\'').append(s).append(1, '\'');
    return out;
}

std::string plugin_label(const fs::path& path) {
    return "plugin " + path.string();
}

// Checks a descriptor field by field, in an order that never reads past what the plugin's layout
// is known to hold: the ABI version and the size come first in every layout.
template <class Descriptor>
void check_descriptor(const fs::path& path, const Descriptor* d, const char* entry, const char* macro) {
    if (d == nullptr)
        throw PluginError(plugin_label(path) + ": " + entry +
                          "() returned no descriptor: the plugin is broken; rebuild it with " + macro);
    if (d->abi_version != kPluginAbiVersion)
        throw PluginError(plugin_label(path) + ": ABI version " + std::to_string(d->abi_version) +
                          ", this evtwin expects " + std::to_string(kPluginAbiVersion) +
                          ": rebuild the plugin against this evtwin SDK");
    if (d->descriptor_size != sizeof(Descriptor))
        throw PluginError(plugin_label(path) + ": descriptor of " + std::to_string(d->descriptor_size) +
                          " bytes, this evtwin expects " + std::to_string(sizeof(Descriptor)) +
                          ": rebuild the plugin against this evtwin SDK");
    const char* fingerprint = d->build_fingerprint ? d->build_fingerprint : "(none)";
    if (std::string_view(fingerprint) != host_build_fingerprint())
        throw PluginError(plugin_label(path) + ": build fingerprint " + in_quotes(fingerprint) +
                          " differs from this evtwin's " + in_quotes(host_build_fingerprint()) +
                          ": rebuild the plugin with the same compiler and evtwin SDK headers");
    const char* missing = d->name == nullptr || *d->name == '\0' ? "name"
                          : d->version == nullptr                ? "version"
                          : d->create == nullptr                 ? "create()"
                          : d->destroy == nullptr                ? "destroy()"
                                                                 : nullptr;
    if (missing)
        throw PluginError(plugin_label(path) + ": its descriptor has no " + missing + ": define it with " +
                          macro + "(Class, \"name\", \"1.0.0\")");
}

bool is_path_spec(std::string_view spec) {
    return spec.find('/') != std::string_view::npos ||
           (spec.size() >= kSuffix.size() && spec.substr(spec.size() - kSuffix.size()) == kSuffix);
}

bool is_plugin_file_name(const std::string& file) {
    return file.size() > kPrefix.size() + kSuffix.size() && file.starts_with(kPrefix) &&
           file.ends_with(kSuffix);
}

// The name a file is meant to hold: libevtwin_<name>.so, libevtwin_forecast_<name>.so.
std::string name_from_file(const fs::path& path) {
    std::string name = path.filename().string();
    name = name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
    return name.starts_with(kForecasterFilePrefix)
               ? name.substr(std::string_view(kForecasterFilePrefix).size())
               : name;
}

fs::path executable_dir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}

fs::path normalized(const fs::path& dir) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(dir, ec);
    return ec ? dir.lexically_normal() : p;
}

std::string known_static_names() {
    std::string names;
    for (const auto* d : host_strategies()) names += (names.empty() ? "" : ", ") + std::string(d->name);
    for (const auto* d : static_strategies()) names += (names.empty() ? "" : ", ") + std::string(d->name);
    return names.empty() ? "none" : names;
}

}  // namespace

std::string plugin_file_name(std::string_view name, PluginKind kind) {
    return kPrefix + (kind == PluginKind::forecaster ? kForecasterFilePrefix : "") + std::string(name) +
           kSuffix;
}

const char* host_build_fingerprint() {
    return EVTWIN_BUILD_FINGERPRINT;
}

Plugin::Plugin(fs::path path, void* library, const evtwin_plugin_descriptor* descriptor)
    : path_(std::move(path)), library_(library), descriptor_(descriptor) {}

Plugin::Plugin(fs::path path, const evtwin_forecaster_descriptor* forecaster)
    : path_(std::move(path)), forecaster_(forecaster) {}

std::string_view Plugin::name() const {
    return descriptor_ ? descriptor_->name : forecaster_->name;
}
std::string_view Plugin::version() const {
    return descriptor_ ? descriptor_->version : forecaster_->version;
}

Plugin::~Plugin() {
    if (library_) ::dlclose(library_);
}

StrategyHandle::StrategyHandle(std::shared_ptr<const Plugin> plugin, Strategy* strategy)
    : plugin_(std::move(plugin)), strategy_(strategy) {}

StrategyHandle::~StrategyHandle() {
    reset();
}

StrategyHandle::StrategyHandle(StrategyHandle&& other) noexcept
    : plugin_(std::move(other.plugin_)), strategy_(std::exchange(other.strategy_, nullptr)) {}

StrategyHandle& StrategyHandle::operator=(StrategyHandle&& other) noexcept {
    if (this != &other) {
        reset();
        plugin_ = std::move(other.plugin_);
        strategy_ = std::exchange(other.strategy_, nullptr);
    }
    return *this;
}

void StrategyHandle::reset() noexcept {
    // The object dies in the plugin that made it, before the library may be closed.
    if (strategy_) plugin_->descriptor().destroy(std::exchange(strategy_, nullptr));
    plugin_.reset();
}

std::shared_ptr<const Plugin> open_plugin(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw PluginError(plugin_label(path) +
                          ": no such file: check the path, or load the strategy by name");
    if (fs::is_directory(path, ec))
        throw PluginError(plugin_label(path) +
                          ": is a directory, expected a shared object libevtwin_<name>.so");
    // A path without a slash would make dlopen search the system library path instead.
    const fs::path file = path.has_parent_path() ? path : fs::path(".") / path;
    ::dlerror();
    void* library = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        const char* why = ::dlerror();
        throw PluginError(
            plugin_label(path) + ": cannot load: " + (why ? why : "unknown dlopen error") +
            ": it must be a shared object built for this platform, with its dependencies installed");
    }
    // From here the Plugin owns the handle, so every refusal below closes the library.
    std::shared_ptr<Plugin> plugin(new Plugin(path, library, nullptr));
    ::dlerror();
    if (void* entry = ::dlsym(library, kPluginEntrySymbol)) {
        const evtwin_plugin_descriptor* descriptor = reinterpret_cast<evtwin_plugin_entry_fn>(entry)();
        check_descriptor(path, descriptor, kPluginEntrySymbol, "EVTWIN_STRATEGY");
        plugin->descriptor_ = descriptor;
        return plugin;
    }
    if (void* entry = ::dlsym(library, kForecasterEntrySymbol)) {
        const evtwin_forecaster_descriptor* descriptor =
            reinterpret_cast<evtwin_forecaster_entry_fn>(entry)();
        check_descriptor(path, descriptor, kForecasterEntrySymbol, "EVTWIN_FORECASTER");
        plugin->forecaster_ = descriptor;
        return plugin;
    }
    throw PluginError(
        plugin_label(path) + ": no symbol " + in_quotes(kPluginEntrySymbol) + " or " +
        in_quotes(kForecasterEntrySymbol) +
        ": not an evtwin plugin; define a strategy with EVTWIN_STRATEGY(Class, \"name\", "
        "\"1.0.0\") (a forecaster with EVTWIN_FORECASTER) and build it with evtwin_add_strategy "
        "(evtwin_add_forecaster)");
}

std::shared_ptr<const Plugin> static_plugin(std::string_view name) {
    const evtwin_plugin_descriptor* d = find_host_strategy(name);
    if (d == nullptr) d = find_static_strategy(name);
    if (d == nullptr) return nullptr;
    return std::shared_ptr<const Plugin>(new Plugin(fs::path(), nullptr, d));
}

std::vector<fs::path> plugin_search_path() {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("EVTWIN_PLUGIN_PATH")) {
        std::string_view rest(env);
        while (!rest.empty()) {
            const auto colon = rest.find(':');
            const std::string_view dir = rest.substr(0, colon);
            if (!dir.empty()) dirs.emplace_back(std::string(dir));
            rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
        }
    }
    if (const fs::path exe = executable_dir(); !exe.empty()) {
        dirs.push_back(exe / ".." / "plugins");
        dirs.push_back(exe / ".." / "lib" / "evtwin" / "plugins");
    }
    dirs.emplace_back(EVTWIN_PLUGIN_BUILD_DIR);
    dirs.emplace_back(EVTWIN_PLUGIN_INSTALL_DIR);

    std::vector<fs::path> unique;
    std::set<fs::path> seen;
    for (const fs::path& dir : dirs) {
        fs::path n = normalized(dir);
        if (seen.insert(n).second) unique.push_back(std::move(n));
    }
    return unique;
}

std::shared_ptr<const Plugin> find_plugin(std::string_view name, PluginKind kind) {
    const std::string what = kind == PluginKind::strategy ? "strategy" : "forecaster";
    const std::string file = plugin_file_name(name, kind);
    const std::vector<fs::path> dirs = plugin_search_path();
    std::string skipped;
    for (const fs::path& dir : dirs) {
        const fs::path candidate = dir / file;
        std::error_code ec;
        if (!fs::is_regular_file(candidate, ec)) continue;
        // A refused file is an error, not a reason to fall through to another build of the strategy.
        std::shared_ptr<const Plugin> plugin = open_plugin(candidate);
        if (plugin->name() == name && plugin->kind() == kind) return plugin;
        skipped += "; " + candidate.string() + " holds " + plugin_kind_name(plugin->kind()) + " " +
                   in_quotes(plugin->name());
    }
    std::string where;
    for (const fs::path& dir : dirs) where += (where.empty() ? "" : ", ") + dir.string();
    throw PluginError("no " + what + " plugin named " + in_quotes(name) + ": looked for " + file + " in " +
                      where + skipped +
                      ": give a path to the .so, or add its directory to EVTWIN_PLUGIN_PATH");
}

StrategyHandle create_strategy(std::shared_ptr<const Plugin> plugin, const StrategyOptions& options) {
    if (plugin->kind() != PluginKind::strategy)
        throw PluginError(plugin_label(plugin->path()) + " holds the forecaster " +
                          in_quotes(plugin->name()) +
                          ", not a strategy: name it in the scenario's forecast{} block or with --forecast");
    const std::string who =
        "strategy " + in_quotes(plugin->name()) +
        (plugin->path().empty() ? std::string(" (built in)") : " (" + plugin->path().string() + ")");
    Strategy* strategy = nullptr;
    try {
        strategy = plugin->descriptor().create(options);
    } catch (const StrategyError& e) {
        throw PluginError(who + ": bad options: " + e.what());
    } catch (const OptionError& e) {
        throw PluginError(who + ": bad options: " + e.what());
    } catch (const std::exception& e) {
        throw PluginError(who + ": failed to start: " + e.what());
    } catch (...) {
        throw PluginError(who + ": failed to start: unknown exception");
    }
    if (strategy == nullptr) throw PluginError(who + ": create() returned no strategy");
    return StrategyHandle(std::move(plugin), strategy);
}

StrategyHandle load_static_strategy(std::string_view name, const StrategyOptions& options) {
    std::shared_ptr<const Plugin> plugin = static_plugin(name);
    if (!plugin)
        throw PluginError("no built-in strategy named " + in_quotes(name) + ": built in are " +
                          known_static_names());
    return create_strategy(std::move(plugin), options);
}

StrategyHandle load_strategy(std::string_view spec, const StrategyOptions& options) {
    if (spec.empty()) throw PluginError("no strategy given: name a strategy or give the path of its .so");
    if (is_path_spec(spec)) return create_strategy(open_plugin(fs::path(std::string(spec))), options);
    // A host strategy (host/host_strategies.hpp) exists in no plugin: no search can find it.
    if (find_host_strategy(spec)) return load_static_strategy(spec, options);
    try {
        return create_strategy(find_plugin(spec), options);
    } catch (const PluginError&) {
        // Only "not found" falls back to a built-in strategy; a refused or failing plugin is reported.
        if (static_plugin(spec) == nullptr) throw;
        const std::string file = kPrefix + std::string(spec) + kSuffix;
        for (const fs::path& dir : plugin_search_path()) {
            std::error_code ec;
            if (fs::is_regular_file(dir / file, ec)) throw;
        }
        return load_static_strategy(spec, options);
    }
}

std::vector<PluginInfo> discover_plugins(const std::vector<fs::path>& dirs) {
    std::vector<PluginInfo> found;
    std::set<fs::path> seen_files;
    for (const fs::path& dir : dirs) {
        std::error_code ec;
        std::vector<fs::path> files;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            const fs::path p = it->path();
            if (is_plugin_file_name(p.filename().string()) && it->is_regular_file(ec)) files.push_back(p);
        }
        std::sort(files.begin(), files.end());
        for (const fs::path& file : files) {
            if (!seen_files.insert(normalized(file)).second) continue;
            PluginInfo info;
            info.path = file;
            info.name = name_from_file(file);
            try {
                const std::shared_ptr<const Plugin> plugin = open_plugin(file);
                info.name = plugin->name();
                info.version = plugin->version();
                info.kind = plugin->kind();
                info.ok = true;
                info.status = "ok";
                if (file.filename() != plugin_file_name(info.name, info.kind))
                    info.note = "the file is named for " + in_quotes(name_from_file(file)) +
                                ": load it by path, or rename it " + plugin_file_name(info.name, info.kind);
            } catch (const PluginError& e) {
                info.status = e.what();
            }
            found.push_back(std::move(info));
        }
    }
    // A lookup by name takes the first file of that name on the search path; later ones are only
    // reachable by path.
    for (std::size_t j = 0; j < found.size(); ++j)
        for (std::size_t i = 0; i < j; ++i)
            if (found[i].path.filename() == found[j].path.filename()) {
                found[j].note = "shadowed by " + found[i].path.string();
                break;
            }
    return found;
}

std::vector<PluginInfo> discover_plugins() {
    return discover_plugins(plugin_search_path());
}

}  // namespace evtwin
