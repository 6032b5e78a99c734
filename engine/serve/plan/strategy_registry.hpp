#pragma once
// The strategies a planning request may name (POST /v1/plans) and GET /v1/strategies lists: those
// built into the host and into this process, and the strategy plugins of the plugin folders, listed
// once when the server starts from their file names (libevtwin_<name>.so) without loading any. A
// request names one of them, never a path, so no file outside the plugin folders is ever loaded for a
// client. Why a plugin could not be loaded goes to the server's log, never to the client.
// Safe to use from several threads.
#include "host/plugin_loader.hpp"
#include "serve/plan/plan_request.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace evtwin::serve {

// Where the server writes what it tells no client (loader errors); standard error when empty.
using ServerLog = std::function<void(const std::string& line)>;

struct StrategyEntry {
    std::string name;
    std::string version;  // empty for a plugin not loaded yet: its version is in its code
};

class StrategyRegistry {
public:
    // `dirs`: the plugin folders in search order (plugin_search_path()).
    StrategyRegistry(const std::vector<std::filesystem::path>& dirs, ServerLog log);

    bool has(const std::string& name) const;
    std::vector<StrategyEntry> list() const;  // by name
    std::string names() const;                // "a, b, c"

    // Throws ApiError 422 at `path` (the choice's JSON pointer) for a name that is not one of
    // this server's strategies, and for options that would make the server load something by the
    // client's word: a path in any value, a strategy that is not one of this server's in an option
    // naming one (guarded's inner and baseline), and an option naming a file (only the operator sets
    // those, with --opt or the scenario).
    void check(const StrategyChoice& choice, const std::string& path) const;

    // The strategy `name` (one that check() accepted) created with `options`. Throws ApiError 422 at
    // `path` for options it refuses (its message, without the plugin's file), 500 when it cannot be
    // loaded or started (the reason logged).
    StrategyHandle load(const std::string& name, const StrategyOptions& options,
                        const std::string& path) const;

private:
    std::shared_ptr<const Plugin> resolve(const std::string& name) const;
    // Loads every strategy `name` would load by its options, so that a loader error is caught here
    // rather than inside the strategy, where it would reach its message.
    void resolve_nested(const std::string& name, const StrategyOptions& options, const std::string& path,
                        int depth) const;
    [[noreturn]] void unavailable(const std::string& name, const std::string& why, const std::string& what,
                                  const std::string& path) const;
    std::string without_files(std::string text) const;

    std::vector<std::filesystem::path> dirs_;
    std::map<std::string, std::filesystem::path> files_;  // plugin strategies: the first file of each name
    std::map<std::string, std::string> built_in_;         // host and in-process strategies: their versions
    ServerLog log_;
    mutable std::mutex mutex_;
    mutable std::map<std::string, std::string> loaded_versions_;
};

}  // namespace evtwin::serve
