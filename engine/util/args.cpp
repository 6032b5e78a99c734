#include <evtwin/util/args.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace evtwin::cli {

std::optional<std::string> Args::value(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
}

double Args::positive_number(const std::string& name, double fallback) const {
    const auto v = value(name);
    if (!v) return fallback;
    char* end = nullptr;
    const double x = std::strtod(v->c_str(), &end);
    if (v->empty() || *end != '\0' || !std::isfinite(x) || !(x > 0.0))
        throw UsageError(name + " expects a number > 0, got '" + *v + "'");
    return x;
}

const std::map<std::string, std::string>& Args::pairs(const std::string& name) const {
    static const std::map<std::string, std::string> none;
    auto it = key_values.find(name);
    return it == key_values.end() ? none : it->second;
}

Args parse_args(const std::vector<std::string>& argv, const ArgSpec& spec) {
    Args args;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        std::string arg = argv[i];
        if (arg.empty() || arg[0] != '-' || arg == "-") {
            args.positionals.push_back(arg);
            continue;
        }
        std::optional<std::string> inline_value;
        if (const auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
            inline_value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        } else if (arg.size() > 2 && arg[1] != '-' && spec.key_values.count(arg.substr(0, 2))) {
            inline_value = arg.substr(2);  // -Dkey=value
            arg = arg.substr(0, 2);
        }
        const bool takes_value = spec.values.count(arg) || spec.key_values.count(arg);
        if (spec.flags.count(arg)) {
            if (inline_value) throw UsageError(arg + " takes no value");
            args.flags.insert(arg);
            continue;
        }
        if (!takes_value) throw UsageError("unknown option " + arg);
        std::string value;
        if (inline_value) {
            value = *inline_value;
        } else {
            if (i + 1 >= argv.size()) throw UsageError(arg + " needs a value");
            value = argv[++i];
        }
        if (spec.values.count(arg)) {
            args.values[arg] = value;
            continue;
        }
        const auto eq = value.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError(arg + " expects key=value, got '" + value + "'");
        args.key_values[arg][value.substr(0, eq)] = value.substr(eq + 1);
    }
    return args;
}

std::vector<std::string> comma_list(const std::string& text, const std::string& option) {
    std::vector<std::string> items;
    std::size_t begin = 0;
    while (true) {
        const std::size_t comma = text.find(',', begin);
        std::string item = text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (item.empty())
            throw UsageError(option + " expects a comma-separated list without empty items, got '" + text +
                             "'");
        if (std::find(items.begin(), items.end(), item) != items.end())
            throw UsageError(option + " names '" + item + "' twice");
        items.push_back(item);
        if (comma == std::string::npos) break;
        begin = comma + 1;
    }
    return items;
}

}  // namespace evtwin::cli
