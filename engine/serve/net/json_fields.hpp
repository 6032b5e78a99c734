#pragma once
// Reads one JSON object of a request field by field: each accessor checks the type (and range)
// and throws ApiError 422 naming the field's JSON pointer; done() refuses the fields nobody read,
// so a misspelt field is an error rather than silently ignored.
#include "serve/net/api_error.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>

namespace evtwin::serve {

// A request's body as JSON. Throws ApiError 400 "malformed JSON" for what is not JSON, a number
// too large for a double included.
nlohmann::json parse_body(const std::string& body);

class JsonFields {
public:
    // Throws ApiError 422 when `value` is not an object.
    JsonFields(const nlohmann::json& value, std::string path);

    const std::string& path() const { return path_; }
    std::string path_of(const std::string& key) const { return path_ + "/" + key; }
    bool has(const std::string& key) const;
    // The raw member (for objects and arrays read by the caller); null when absent.
    const nlohmann::json& member(const std::string& key);

    std::string text(const std::string& key);
    std::optional<std::string> optional_text(const std::string& key);
    // A finite number in [min, max].
    double number(const std::string& key, double min, double max);
    std::optional<double> optional_number(const std::string& key, double min, double max);
    std::optional<bool> optional_flag(const std::string& key);

    // Throws ApiError 422 for the first field that no accessor read.
    void done() const;

private:
    const nlohmann::json& value_;
    std::string path_;
    std::set<std::string> read_;
};

// A finite number in [min, max] at `path`, or ApiError 422.
double number_at(const nlohmann::json& value, const std::string& path, double min, double max);

}  // namespace evtwin::serve
