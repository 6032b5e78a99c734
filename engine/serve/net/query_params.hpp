#pragma once
// A request's query string ("from_ms=1&points=200") read as named, typed parameters. Every problem
// is an ApiError 422 whose path is the parameter's name: a parameter this route does not take, one
// given twice, or a value that is not of its kind.
#include <evtwin/time.hpp>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace evtwin::serve {

class QueryParams {
public:
    // `target` is the whole request target; `allowed` the names this route takes.
    QueryParams(std::string_view target, std::initializer_list<const char*> allowed);

    std::optional<std::string> text(const char* name) const;
    // An integer in [lo, hi].
    std::optional<std::int64_t> integer(const char* name, std::int64_t lo, std::int64_t hi) const;
    // Milliseconds since the Unix epoch.
    std::optional<Time> instant(const char* name) const;

private:
    std::map<std::string, std::string, std::less<>> values_;
};

// "%41+b" -> "A b"; throws ApiError 422 naming `name` for a bad escape.
std::string percent_decoded(std::string_view text, const std::string& name);

}  // namespace evtwin::serve
