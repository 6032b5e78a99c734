#pragma once
// Data files parsed once per scenario. A Scenario draws each seed's run by running its script again,
// and the script reads the same tariff, profile and statistics files each time: parsing them again
// would cost more than stepping a short run, and the reinforcement-learning environment draws a run
// every episode. While a DataCache::Scope is alive
// on a thread, the loaders that go through cached() take what an earlier call with the same key
// loaded; without one they load as before.
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace evtwin {

class DataCache {
public:
    // Makes `cache` the thread's cache until the scope ends (scopes nest).
    class Scope {
    public:
        explicit Scope(DataCache& cache);
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        DataCache* previous_;
    };

    // load() once per key and cache, under the thread's cache; load() every time without one. The
    // key must name everything the result depends on (kind, file, options). Throws what load() throws
    // (and caches nothing then).
    template <class T, class Load>
    static T cached(const std::string& key, Load&& load) {
        DataCache* cache = current();
        if (!cache) return load();
        std::lock_guard<std::mutex> lock(cache->mutex_);
        auto it = cache->items_.find(key);
        if (it == cache->items_.end())
            it = cache->items_.emplace(key, std::make_shared<const T>(load())).first;
        return *static_cast<const T*>(it->second.get());
    }

private:
    static DataCache* current();

    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const void>> items_;
};

// Key parts: text as it is, numbers exactly (hex), an absent option as "-", separated by newlines.
inline std::string key_part(const std::string& text) {
    return text + '\n';
}
inline std::string key_part(const char* text) {
    return std::string(text) + '\n';
}
inline std::string key_part(double value) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%a\n", value);
    return buf;
}
inline std::string key_part(const std::optional<double>& value) {
    return value ? key_part(*value) : "-\n";
}

template <class... Parts>
std::string cache_key(const Parts&... parts) {
    return (key_part(parts) + ...);
}

}  // namespace evtwin
