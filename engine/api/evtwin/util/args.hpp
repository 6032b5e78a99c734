#pragma once
// Command-line arguments of one verb of the evtwin tools (and of any tool built on the SDK that wants
// the same conventions): positionals, `--name value` / `--name=value` options, flags, and repeatable
// `key=value` options (--opt, -D). Unknown options are usage errors.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace evtwin::cli {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct ArgSpec {
    std::set<std::string> values;      // options that take a value, e.g. "--db"
    std::set<std::string> flags;       // options without a value, e.g. "--quiet"
    std::set<std::string> key_values;  // repeatable key=value options, e.g. "--opt", "-D"
};

struct Args {
    std::vector<std::string> positionals;
    std::map<std::string, std::string> values;
    std::set<std::string> flags;
    std::map<std::string, std::map<std::string, std::string>> key_values;

    std::optional<std::string> value(const std::string& name) const;
    bool flag(const std::string& name) const { return flags.count(name) > 0; }
    const std::map<std::string, std::string>& pairs(const std::string& name) const;
    // The value of `name` as a finite number > 0, `fallback` when absent; throws UsageError otherwise.
    double positive_number(const std::string& name, double fallback) const;
};

// Throws UsageError naming the offending argument.
Args parse_args(const std::vector<std::string>& argv, const ArgSpec& spec);

// The items of `option`'s comma-separated value `text`, spaces around each trimmed; throws
// UsageError naming the option for an empty item or an item given twice.
std::vector<std::string> comma_list(const std::string& text, const std::string& option);

}  // namespace evtwin::cli
