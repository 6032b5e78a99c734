#include "serve/plan/strategy_registry.hpp"

#include "host/host_strategies.hpp"
#include "serve/net/api_error.hpp"

#include <evtwin/options.hpp>

#include <algorithm>
#include <cstdio>
#include <set>

namespace evtwin::serve {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kFilePrefix = "libevtwin_";
constexpr std::string_view kFileSuffix = ".so";

// Strategy options that name a file the strategy reads (plugins/rl's policies take model=FILE). A
// plugin option that names a file belongs here: a client must not choose what the server reads.
const std::set<std::string, std::less<>> kFileOptionKeys = {"model", "file", "path"};

// Guarded's `inner.inner` would nest strategies without end; no real plan needs more than this.
constexpr int kMostNestedStrategies = 4;

// A strategy's name as the loader takes it for a name rather than a path: letters, digits and
// '_', '-', '.', not starting with '.', not ending in ".so".
bool is_name(std::string_view name) {
    if (name.empty() || name.front() == '.' || name.ends_with(kFileSuffix)) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-' || c == '.';
    });
}

bool is_path_like(std::string_view value) {
    return value.find_first_of("/\\") != std::string_view::npos || value.starts_with('~') ||
           value.ends_with(kFileSuffix);
}

// The options of host strategies that name another strategy (guarded's inner and baseline).
const std::set<std::string>& nested_option_names() {
    static const std::set<std::string> names = [] {
        std::set<std::string> out;
        for (const auto* d : host_strategies())
            for (const NestedStrategyOption& n : nested_strategy_options(d->name)) out.insert(n.option);
        return out;
    }();
    return names;
}

std::string last_part(const std::string& key) {
    const auto dot = key.rfind('.');
    return dot == std::string::npos ? key : key.substr(dot + 1);
}

// The options a nested strategy gets: those under "<option>.", without that prefix.
StrategyOptions options_under(const StrategyOptions& options, const std::string& option) {
    StrategyOptions out;
    const std::string prefix = option + ".";
    for (const auto& [key, value] : options)
        if (key.size() > prefix.size() && key.starts_with(prefix)) out[key.substr(prefix.size())] = value;
    return out;
}

void write_to_stderr(const std::string& line) {
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
}

}  // namespace

StrategyRegistry::StrategyRegistry(const std::vector<fs::path>& dirs, ServerLog log)
    : dirs_(dirs), log_(log ? std::move(log) : ServerLog(write_to_stderr)) {
    for (const auto* d : host_strategies()) built_in_.emplace(d->name, d->version);
    for (const auto* d : static_strategies()) built_in_.emplace(d->name, d->version);
    // Listed by file name, as the loader finds a strategy by name: the first folder holding
    // libevtwin_<name>.so; no plugin's code runs to list it.
    for (const fs::path& dir : dirs_) {
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string file = it->path().filename().string();
            if (!file.starts_with(kFilePrefix) || !file.ends_with(kFileSuffix)) continue;
            const std::string name =
                file.substr(kFilePrefix.size(), file.size() - kFilePrefix.size() - kFileSuffix.size());
            if (name.starts_with(kForecasterFilePrefix) || !is_name(name) || find_host_strategy(name))
                continue;
            std::error_code type_ec;
            if (it->is_regular_file(type_ec)) files_.emplace(name, it->path());
        }
    }
}

bool StrategyRegistry::has(const std::string& name) const {
    return built_in_.count(name) || files_.count(name);
}

std::vector<StrategyEntry> StrategyRegistry::list() const {
    std::map<std::string, std::string> all = built_in_;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [name, file] : files_) {
            const auto loaded = loaded_versions_.find(name);
            all[name] = loaded != loaded_versions_.end() ? loaded->second : "";
        }
    }
    std::vector<StrategyEntry> out;
    for (auto& [name, version] : all) out.push_back({name, std::move(version)});
    return out;
}

std::string StrategyRegistry::names() const {
    std::string out;
    for (const StrategyEntry& e : list()) out += (out.empty() ? "" : ", ") + e.name;
    return out.empty() ? "none" : out;
}

void StrategyRegistry::check(const StrategyChoice& choice, const std::string& path) const {
    if (!has(choice.name)) {
        const std::string what = is_path_like(choice.name) ? "a strategy is given by its name, not a path"
                                                           : "unknown strategy '" + choice.name + "'";
        throw ApiError(422, path, what + "; this server's strategies are: " + names());
    }
    for (const auto& [key, value] : choice.options) {
        const std::string at = path + "/options/" + key;
        const std::string option = last_part(key);
        if (kFileOptionKeys.count(option))
            throw ApiError(
                422, at,
                "option '" + key +
                    "' names a file on the server: only its operator sets it (evtwin serve --opt " +
                    choice.name + "." + key + "=...)");
        if (nested_option_names().count(option) && !has(value))
            throw ApiError(422, at,
                           "option '" + key + "' names a strategy: expected one of this server's (" +
                               names() + "), got '" + value + "'");
        if (is_path_like(value))
            throw ApiError(422, at, "option '" + key + "': expected a number, a flag or a word, not a path");
    }
}

std::shared_ptr<const Plugin> StrategyRegistry::resolve(const std::string& name) const {
    if (find_host_strategy(name)) return static_plugin(name);
    const auto file = files_.find(name);
    if (file == files_.end()) {
        if (auto built_in = static_plugin(name)) return built_in;
        throw PluginError("no strategy named '" + name + "'");
    }
    std::shared_ptr<const Plugin> plugin = open_plugin(file->second);
    if (plugin->kind() != PluginKind::strategy || plugin->name() != name)
        throw PluginError(file->second.string() + " holds the " + plugin_kind_name(plugin->kind()) + " '" +
                          std::string(plugin->name()) + "', not the strategy '" + name + "'");
    return plugin;
}

void StrategyRegistry::resolve_nested(const std::string& name, const StrategyOptions& options,
                                      const std::string& path, int depth) const {
    for (const NestedStrategyOption& nested : nested_strategy_options(name)) {
        const auto given = options.find(nested.option);
        const std::string inner = given != options.end() ? given->second : nested.fallback;
        // A name the operator gave that is no registry name (a path) is the strategy's to load.
        if (inner.empty() || !has(inner)) continue;
        if (depth >= kMostNestedStrategies)
            throw ApiError(422, path,
                           "strategies nested more than " + std::to_string(kMostNestedStrategies) + " deep");
        try {
            resolve(inner);
        } catch (const PluginError& e) {
            unavailable(inner, e.what(), "cannot be loaded", path);
        }
        resolve_nested(inner, options_under(options, nested.option), path, depth + 1);
    }
}

void StrategyRegistry::unavailable(const std::string& name, const std::string& why, const std::string& what,
                                   const std::string& path) const {
    log_("evtwin serve: strategy '" + name + "' " + what + ": " + why);
    throw ApiError(500, path, "strategy '" + name + "' " + what + " on this server (its log says why)");
}

std::string StrategyRegistry::without_files(std::string text) const {
    for (const auto& [name, file] : files_) {
        const std::string quoted = " (" + file.string() + ")";
        for (auto at = text.find(quoted); at != std::string::npos; at = text.find(quoted))
            text.erase(at, quoted.size());
    }
    return text;
}

StrategyHandle StrategyRegistry::load(const std::string& name, const StrategyOptions& options,
                                      const std::string& path) const {
    std::shared_ptr<const Plugin> plugin;
    try {
        plugin = resolve(name);
    } catch (const PluginError& e) {
        unavailable(name, e.what(), "cannot be loaded", path);
    }
    resolve_nested(name, options, path, 1);
    // As create_strategy() does, but telling the options a strategy refuses (the client's to mend)
    // from a failure to start (the server's).
    std::string refused;
    Strategy* strategy = nullptr;
    try {
        strategy = plugin->descriptor().create(options);
    } catch (const StrategyError& e) {
        refused = e.what();
    } catch (const OptionError& e) {
        refused = e.what();
    } catch (const std::exception& e) {
        unavailable(name, e.what(), "failed to start", path);
    } catch (...) {
        unavailable(name, "unknown exception", "failed to start", path);
    }
    if (!refused.empty()) {
        const std::string text = without_files(refused);
        // A nested strategy's refusal quotes the loader; a folder's name in it is not the client's.
        for (const fs::path& dir : dirs_)
            if (text.find(dir.string()) != std::string::npos)
                unavailable(name, refused, "refused its options", path);
        throw ApiError(422, path, "strategy '" + name + "' refuses its options: " + text);
    }
    if (strategy == nullptr) unavailable(name, "create() returned no strategy", "failed to start", path);
    if (!plugin->path().empty()) {
        std::lock_guard lock(mutex_);
        loaded_versions_[name] = std::string(plugin->version());
    }
    return StrategyHandle(std::move(plugin), strategy);
}

}  // namespace evtwin::serve
