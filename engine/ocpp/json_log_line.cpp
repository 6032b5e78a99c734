#include "ocpp/json_log_line.hpp"

#include "ocpp/line_times.hpp"
#include "ocpp/log_text.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <cstdint>

namespace evtwin::ocpp {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 6> kTimeKeys = {"ts",         "time",     "timestamp",
                                                       "@timestamp", "datetime", "date"};

bool is_frame(const json& v) {
    return v.is_array() && v.size() >= 3 && v[0].is_number_integer() && v[0].get<std::int64_t>() >= 2 &&
           v[0].get<std::int64_t>() <= 4;
}

// The frame a value is or holds as text, dumped as the reader finds it in a line.
std::optional<std::string> frame_of(const json& v) {
    if (is_frame(v)) return v.dump();
    if (!v.is_string()) return std::nullopt;
    const std::string& text = v.get_ref<const std::string&>();
    const std::size_t open = text.find_first_not_of(" \t");
    if (open == std::string::npos || text[open] != '[') return std::nullopt;
    const json parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !is_frame(parsed)) return std::nullopt;
    return parsed.dump();
}

// A time value as the line reader reads it: ISO 8601 as written, a number as Unix milliseconds
// (13 digits) from seconds, milliseconds, microseconds or nanoseconds, truncated as written.
std::optional<std::string> time_text(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    std::uint64_t ms = 0;
    if (v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() > 0)) {
        const std::uint64_t n = v.get<std::uint64_t>();
        ms = n < 100'000'000'000ULL           ? n * 1000
             : n < 100'000'000'000'000ULL     ? n
             : n < 100'000'000'000'000'000ULL ? n / 1'000
                                              : n / 1'000'000;
    } else if (v.is_number_float() && v.get<double>() > 0.0 && v.get<double>() < 1e11) {
        // Seconds with a fraction: 1795511520.013 is 1795511520012.9998 ms as a double.
        ms = static_cast<std::uint64_t>(std::floor(v.get<double>() * 1e3 + 1e-3));
    } else {
        return std::nullopt;
    }
    // A number outside the years a log's times come from (a time since start) is no time of day; ms
    // is below 10^14 here.
    if (!in_log_years(static_cast<std::int64_t>(ms))) return std::nullopt;
    return std::to_string(ms);
}

// A string that is a log line of its own with a frame in it (docker's "log", a logger's "message"),
// as it is: the reader finds the frame, the time and the words in it.
std::optional<std::string> line_with_frame(const json& v) {
    if (!v.is_string() || !frame_start(v.get_ref<const std::string&>())) return std::nullopt;
    return v.get<std::string>();
}

// What `take` gives for the first value that it takes, at the top level or one object down.
std::optional<std::string> first_of(const json& object, const json*& holder,
                                    std::optional<std::string> (*take)(const json&)) {
    for (const auto& [key, value] : object.items())
        if (auto text = take(value)) {
            holder = &value;
            return text;
        }
    for (const auto& [key, value] : object.items())
        if (value.is_object())
            for (const auto& [inner_key, inner] : value.items())
                if (auto text = take(inner)) {
                    holder = &inner;
                    return text;
                }
    return std::nullopt;
}

// key=value for each scalar field but the time and the frame, at the top level and one object down,
// strings as they are (a message such as "received from CP1" keeps its words for the reader).
void append_fields(const json& object, const json* skip_time, const json* skip_frame, std::string& out,
                   bool top = true) {
    for (const auto& [key, value] : object.items()) {
        if (&value == skip_time || &value == skip_frame) continue;
        if (value.is_object() && top) {
            append_fields(value, skip_time, skip_frame, out, false);
        } else if (value.is_string()) {
            out += ' ' + key + '=' + value.get<std::string>();
        } else if (value.is_primitive()) {
            out += ' ' + key + '=' + value.dump();
        }
    }
}

}  // namespace

std::optional<std::string> json_log_line(std::string_view line) {
    const std::size_t open = line.find_first_not_of(" \t");
    if (open == std::string_view::npos || line[open] != '{') return std::nullopt;
    const json object = json::parse(line, nullptr, false);
    if (object.is_discarded() || !object.is_object()) return std::nullopt;
    const json* time = nullptr;
    std::optional<std::string> when;
    for (const std::string_view key : kTimeKeys) {
        const auto it = object.find(std::string(key));
        if (it == object.end()) continue;
        when = time_text(*it);
        if (!when) continue;  // a duration or a flag under a time's name
        time = &*it;
        break;
    }
    const json* holder = nullptr;
    std::optional<std::string> frame = first_of(object, holder, frame_of);
    if (!frame) {
        frame = first_of(object, holder, line_with_frame);
        if (frame && !when) return frame;  // a log line of its own, with its own time
    }
    if (!when || !frame) return std::nullopt;
    std::string text = *when;
    append_fields(object, time, holder, text);
    return text + ' ' + *frame;
}

}  // namespace evtwin::ocpp
