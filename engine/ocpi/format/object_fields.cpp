#include "ocpi/format/object_fields.hpp"

#include "ocpi/format/datetime.hpp"

#include <cmath>
#include <limits>

namespace evtwin::ocpi {

namespace {

const char* json_kind(const nlohmann::json& v) {
    if (v.is_string()) return "a string";
    if (v.is_boolean()) return "a boolean";
    if (v.is_number()) return "a number";
    if (v.is_array()) return "an array";
    if (v.is_object()) return "an object";
    return "null";
}

// Characters as the specification counts them: UTF-8 code points.
std::size_t code_points(const std::string& text) {
    std::size_t n = 0;
    for (const unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
}

std::string enum_list(std::initializer_list<const char*> values) {
    std::string list;
    for (const char* v : values) list += (list.empty() ? "" : ", ") + std::string(v);
    return list;
}

}  // namespace

ObjectFields::ObjectFields(const nlohmann::json& object, std::string where, std::string path)
    : object_(object), where_(std::move(where)), path_(std::move(path)) {}

const nlohmann::json* ObjectFields::value(const char* key) const {
    const auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
}

bool ObjectFields::has(const char* key) const {
    return value(key) != nullptr;
}

std::string ObjectFields::field(const char* key) const {
    return path_.empty() ? std::string(key) : path_ + "." + key;
}

void ObjectFields::fail(const char* key, const std::string& expected) const {
    throw DataError(where_ + ": " + field(key) + ": " + expected);
}

void ObjectFields::check_text(const char* key, const std::string& text, std::size_t max_length,
                              Text kind) const {
    const std::size_t length = code_points(text);
    if (length > max_length) {
        fail(key, "expected a string of at most " + std::to_string(max_length) + " characters, got " +
                      std::to_string(length));
    }
    for (const unsigned char c : text) {
        if (c < 0x20 || c == 0x7F || (kind == Text::ci_string && c > 0x7E)) {
            fail(key, kind == Text::ci_string ? "expected printable ASCII (a CiString)"
                                              : "expected printable text (no control characters)");
        }
    }
}

std::string ObjectFields::optional_string(const char* key, std::size_t max_length, Text kind) const {
    const nlohmann::json* v = value(key);
    if (!v) return "";
    if (!v->is_string()) fail(key, std::string("expected a string, got ") + json_kind(*v));
    std::string text = v->get<std::string>();
    check_text(key, text, max_length, kind);
    return text;
}

std::string ObjectFields::required_string(const char* key, std::size_t max_length, Text kind) const {
    if (!value(key)) fail(key, "required field missing");
    return optional_string(key, max_length, kind);
}

std::string ObjectFields::optional_enum(const char* key, std::initializer_list<const char*> values) const {
    const nlohmann::json* v = value(key);
    if (!v) return "";
    if (!v->is_string()) fail(key, "expected one of " + enum_list(values) + ", got " + json_kind(*v));
    const std::string text = v->get<std::string>();
    for (const char* allowed : values)
        if (text == allowed) return text;
    fail(key, "expected one of " + enum_list(values) + ", got '" + text + "'");
}

std::string ObjectFields::required_enum(const char* key, std::initializer_list<const char*> values) const {
    if (!value(key)) fail(key, "required field missing (one of " + enum_list(values) + ")");
    return optional_enum(key, values);
}

std::optional<double> ObjectFields::optional_number(const char* key) const {
    const nlohmann::json* v = value(key);
    if (!v) return std::nullopt;
    if (!v->is_number()) fail(key, std::string("expected a number, got ") + json_kind(*v));
    const double x = v->get<double>();
    if (!std::isfinite(x)) fail(key, "expected a finite number");
    return x;
}

double ObjectFields::required_number(const char* key) const {
    if (!value(key)) fail(key, "required field missing (a number)");
    return *optional_number(key);
}

std::optional<int> ObjectFields::optional_int(const char* key, int min) const {
    const nlohmann::json* v = value(key);
    if (!v) return std::nullopt;
    const auto whole = [&] {
        if (v->is_number_integer()) return true;
        if (!v->is_number_float()) return false;
        const double x = v->get<double>();
        return std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 1e15;
    };
    if (!whole()) fail(key, std::string("expected an integer, got ") + json_kind(*v));
    const double x = v->is_number_float()      ? v->get<double>()
                     : v->is_number_unsigned() ? static_cast<double>(v->get<std::uint64_t>())
                                               : static_cast<double>(v->get<std::int64_t>());
    if (x < min || x > std::numeric_limits<int>::max())
        fail(key, "expected an integer from " + std::to_string(min) + " to " +
                      std::to_string(std::numeric_limits<int>::max()));
    return static_cast<int>(x);
}

int ObjectFields::required_int(const char* key, int min) const {
    if (!value(key)) fail(key, "required field missing (an integer)");
    return *optional_int(key, min);
}

std::optional<bool> ObjectFields::optional_bool(const char* key) const {
    const nlohmann::json* v = value(key);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) fail(key, std::string("expected true or false, got ") + json_kind(*v));
    return v->get<bool>();
}

std::optional<Time> ObjectFields::optional_datetime(const char* key) const {
    const nlohmann::json* v = value(key);
    if (!v) return std::nullopt;
    const char* form = "a DateTime in UTC such as 2015-06-29T20:39:09Z (RFC 3339, at most 25 characters)";
    if (!v->is_string()) fail(key, std::string("expected ") + form + ", got " + json_kind(*v));
    const std::string text = v->get<std::string>();
    const auto t = parse_datetime(text);
    if (!t) fail(key, std::string("expected ") + form + ", got '" + text.substr(0, 40) + "'");
    return t;
}

Time ObjectFields::required_datetime(const char* key) const {
    if (!value(key)) fail(key, "required field missing (a DateTime)");
    return *optional_datetime(key);
}

ObjectFields ObjectFields::object(const char* key) const {
    const nlohmann::json* v = value(key);
    if (!v) fail(key, "required field missing (an object)");
    if (!v->is_object()) fail(key, std::string("expected an object, got ") + json_kind(*v));
    return ObjectFields(*v, where_, field(key));
}

std::vector<ObjectFields> ObjectFields::objects(const char* key, std::size_t min) const {
    std::vector<ObjectFields> list;
    const nlohmann::json* v = value(key);
    if (!v) {
        if (min > 0) fail(key, "required field missing (a list of at least " + std::to_string(min) + ")");
        return list;
    }
    if (!v->is_array()) fail(key, std::string("expected a list, got ") + json_kind(*v));
    if (v->size() < min) fail(key, "expected at least " + std::to_string(min) + " entries, got none");
    for (std::size_t i = 0; i < v->size(); ++i) {
        const std::string at = field(key) + "[" + std::to_string(i) + "]";
        if (!(*v)[i].is_object())
            throw DataError(where_ + ": " + at + ": expected an object, got " + json_kind((*v)[i]));
        list.emplace_back((*v)[i], where_, at);
    }
    return list;
}

std::vector<std::string> ObjectFields::strings(const char* key, std::size_t max_length) const {
    std::vector<std::string> list;
    const nlohmann::json* v = value(key);
    if (!v) return list;
    if (!v->is_array()) fail(key, std::string("expected a list of strings, got ") + json_kind(*v));
    for (std::size_t i = 0; i < v->size(); ++i) {
        std::string at = key;
        at += '[';
        at += std::to_string(i);
        at += ']';
        if (!(*v)[i].is_string())
            fail(at.c_str(), std::string("expected a string, got ") + json_kind((*v)[i]));
        list.push_back((*v)[i].get<std::string>());
        check_text(at.c_str(), list.back(), max_length, Text::ci_string);
    }
    return list;
}

}  // namespace evtwin::ocpi
