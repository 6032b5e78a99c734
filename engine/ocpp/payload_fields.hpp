#pragma once
// A field of an OCPP payload read leniently: absent, or of another JSON type, is empty (the caller
// reports what it needed), never an exception.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace evtwin::ocpp::payload {

inline std::string str(const nlohmann::json& obj, const char* name) {
    if (!obj.is_object()) return "";
    const auto it = obj.find(name);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

inline std::optional<std::int64_t> integer(const nlohmann::json& obj, const char* name) {
    if (!obj.is_object()) return std::nullopt;
    const auto it = obj.find(name);
    if (it == obj.end() || !it->is_number()) return std::nullopt;
    return it->is_number_integer() ? it->get<std::int64_t>() : static_cast<std::int64_t>(it->get<double>());
}

inline std::optional<double> number(const nlohmann::json& obj, const char* name) {
    if (!obj.is_object()) return std::nullopt;
    const auto it = obj.find(name);
    if (it == obj.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

}  // namespace evtwin::ocpp::payload
