#pragma once
// A plugin's options: the key=value text a scenario or the command line gives a strategy or a
// forecaster (StrategyOptions and ForecasterOptions are this map). These readers check them as the
// built-in plugins do. A refusal is an OptionError naming the option, the text it was given and what
// it takes; the host reports it as the plugin's bad options, naming the plugin.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin {

using PluginOptions = std::map<std::string, std::string>;

// The bounds of the numbers the engine and its plugins accept: any quantity of a site (kW, kWh,
// prices, costs) within +-kLargestNumber, beyond any real one and short of where sums and products
// lose all meaning or overflow; a span of hours within kMostHours, a leap year, far below where
// hours in milliseconds would overflow.
inline constexpr double kLargestNumber = 1e15;
inline constexpr double kMostHours = 8784.0;

struct OptionError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// The finite number the whole of `text` spells ("12", "-0.5", "+2", "1e3"); none for anything else
// ("12x", "", " 1", "nan", "inf", "1e400").
inline std::optional<double> parse_number(std::string_view text) {
    if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
    double v = 0.0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, v);
    if (error != std::errc() || stop != end || !std::isfinite(v)) return std::nullopt;
    return v;
}

// Refuses a key that is not in `known`, listing those that are.
inline void check_option_keys(const PluginOptions& options, const std::vector<std::string>& known) {
    for (const auto& [key, value] : options) {
        if (std::find(known.begin(), known.end(), key) != known.end()) continue;
        std::string list;
        for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
        throw OptionError("unknown option '" + key + "'" +
                          (known.empty() ? "; it takes no options" : "; known options: " + list));
    }
}

namespace detail {
[[noreturn]] inline void refuse_option(const std::string& key, const std::string& text,
                                       const std::string& wanted) {
    throw OptionError("option " + key + "='" + text + "' must be " + wanted);
}
// 0.25, 8784, 1e+15: a bound as a reader would write it.
inline std::string bound_text(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}
}  // namespace detail

// The option's number within [min, max]; `fallback` when it is not given.
inline double number_option(const PluginOptions& options, const std::string& key, double fallback, double min,
                            double max) {
    const auto it = options.find(key);
    if (it == options.end()) return fallback;
    const std::optional<double> v = parse_number(it->second);
    if (!v || !(*v >= min && *v <= max))
        detail::refuse_option(key, it->second,
                              "a number from " + detail::bound_text(min) + " to " + detail::bound_text(max));
    return *v;
}

// The option's whole number within [min, max] (which lie within +-2^53); `fallback` when it is not
// given.
inline std::int64_t whole_option(const PluginOptions& options, const std::string& key, std::int64_t fallback,
                                 std::int64_t min, std::int64_t max) {
    const auto it = options.find(key);
    if (it == options.end()) return fallback;
    const std::optional<double> v = parse_number(it->second);
    if (!v || *v != std::floor(*v) || !(*v >= static_cast<double>(min) && *v <= static_cast<double>(max)))
        detail::refuse_option(key, it->second,
                              "a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return static_cast<std::int64_t>(*v);
}

// The option as true ("true", "1") or false ("false", "0"); `fallback` when it is not given.
inline bool flag_option(const PluginOptions& options, const std::string& key, bool fallback) {
    const auto it = options.find(key);
    if (it == options.end()) return fallback;
    if (it->second == "true" || it->second == "1") return true;
    if (it->second == "false" || it->second == "0") return false;
    detail::refuse_option(key, it->second, "true or false");
}

// The option's text, one of `allowed`; `fallback` when it is not given.
inline std::string choice_option(const PluginOptions& options, const std::string& key,
                                 const std::string& fallback, const std::vector<std::string>& allowed) {
    const auto it = options.find(key);
    if (it == options.end()) return fallback;
    if (std::find(allowed.begin(), allowed.end(), it->second) != allowed.end()) return it->second;
    std::string list;
    for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
    detail::refuse_option(key, it->second, "one of " + list);
}

}  // namespace evtwin
