#include "serve/net/json_fields.hpp"

#include <cmath>
#include <sstream>

namespace evtwin::serve {

nlohmann::json parse_body(const std::string& body) {
    try {
        return nlohmann::json::parse(body);
    } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range 406 (1e400)
        throw ApiError(400, "", std::string("malformed JSON: ") + e.what());
    }
}
namespace {

std::string range_text(double min, double max) {
    std::ostringstream out;
    out << "a number";
    if (std::isfinite(min) && std::isfinite(max)) {
        out << " from " << min << " to " << max;
    } else if (std::isfinite(min)) {
        out << " >= " << min;
    } else if (std::isfinite(max)) {
        out << " <= " << max;
    }
    return out.str();
}

}  // namespace

double number_at(const nlohmann::json& value, const std::string& path, double min, double max) {
    if (!value.is_number()) {
        throw ApiError(422, path,
                       std::string("expected ") + range_text(min, max) + ", got " + value.type_name());
    }
    const double x = value.get<double>();
    if (!std::isfinite(x) || x < min || x > max) {
        std::ostringstream got;
        got << x;
        throw ApiError(422, path, "expected " + range_text(min, max) + ", got " + got.str());
    }
    return x;
}

JsonFields::JsonFields(const nlohmann::json& value, std::string path)
    : value_(value), path_(std::move(path)) {
    if (!value_.is_object()) {
        throw ApiError(422, path_, std::string("expected an object, got ") + value_.type_name());
    }
}

bool JsonFields::has(const std::string& key) const {
    auto it = value_.find(key);
    return it != value_.end() && !it->is_null();
}

const nlohmann::json& JsonFields::member(const std::string& key) {
    static const nlohmann::json null_value;
    read_.insert(key);
    auto it = value_.find(key);
    return it == value_.end() ? null_value : *it;
}

std::string JsonFields::text(const std::string& key) {
    if (!has(key)) throw ApiError(422, path_of(key), "is required");
    return *optional_text(key);
}

std::optional<std::string> JsonFields::optional_text(const std::string& key) {
    const nlohmann::json& v = member(key);
    if (v.is_null()) return std::nullopt;
    if (!v.is_string())
        throw ApiError(422, path_of(key), std::string("expected a string, got ") + v.type_name());
    return v.get<std::string>();
}

double JsonFields::number(const std::string& key, double min, double max) {
    if (!has(key)) throw ApiError(422, path_of(key), "is required");
    return *optional_number(key, min, max);
}

std::optional<double> JsonFields::optional_number(const std::string& key, double min, double max) {
    const nlohmann::json& v = member(key);
    if (v.is_null()) return std::nullopt;
    return number_at(v, path_of(key), min, max);
}

std::optional<bool> JsonFields::optional_flag(const std::string& key) {
    const nlohmann::json& v = member(key);
    if (v.is_null()) return std::nullopt;
    if (!v.is_boolean())
        throw ApiError(422, path_of(key), std::string("expected true or false, got ") + v.type_name());
    return v.get<bool>();
}

void JsonFields::done() const {
    for (auto it = value_.begin(); it != value_.end(); ++it) {
        if (!read_.count(it.key())) throw ApiError(422, path_of(it.key()), "unknown field");
    }
}

}  // namespace evtwin::serve
