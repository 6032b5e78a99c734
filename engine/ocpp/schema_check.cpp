#include "ocpp/schema_check.hpp"

#include <evtwin/errors.hpp>
#include "data/text_file.hpp"
#include "ocpp/schema_keywords.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>

namespace evtwin::ocpp {

namespace {

using nlohmann::json;

// valijson's context ["<root>", "[meterValue]", "[0]", "[value]"] as "$.meterValue[0].value".
std::string json_path(const std::vector<std::string>& context) {
    std::string path = "$";
    for (std::size_t i = 1; i < context.size(); ++i) {
        const std::string& c = context[i];
        const std::string inner =
            c.size() >= 2 && c.front() == '[' && c.back() == ']' ? c.substr(1, c.size() - 2) : c;
        const bool index = !inner.empty() && std::all_of(inner.begin(), inner.end(),
                                                         [](char ch) { return ch >= '0' && ch <= '9'; });
        if (index)
            path += "[" + inner + "]";
        else
            path += "." + inner;
    }
    return path;
}

// valijson checks `multipleOf` with a non-integer divisor as |remainder(x, d)| <= DBL_EPSILON, which
// refuses most decimals that are multiples: 16.0 and 7.3 are not multiples of 0.1 for it (the
// binary 0.1 is not 1/10). The 1.6 schemas put `"multipleOf": 0.1` on every charging-schedule limit,
// so such constraints are taken out of the schema and checked here within 1e-6 of a multiple (as
// the ocpp-rpc library does). Only those reached through `properties` and `items` are taken out,
// which covers every one in the OCPP schemas; any other stays with valijson.
struct MultipleOf {
    std::vector<std::string> at;  // property names; "[]" for every item of an array
    double divisor = 1;
};

void multiples_apart(json& node, std::vector<std::string>& at, std::vector<MultipleOf>& out) {
    if (!node.is_object()) return;
    if (const auto m = node.find("multipleOf"); m != node.end() && m->is_number_float()) {
        out.push_back({at, m->get<double>()});
        node.erase(m);
    }
    if (const auto p = node.find("properties"); p != node.end() && p->is_object()) {
        for (auto& [name, sub] : p->items()) {
            at.push_back(name);
            multiples_apart(sub, at, out);
            at.pop_back();
        }
    }
    if (const auto items = node.find("items"); items != node.end() && items->is_object()) {
        at.push_back("[]");
        multiples_apart(*items, at, out);
        at.pop_back();
    }
}

// False (and `out` filled) at the first value under `m.at` that is not a multiple.
bool multiples_hold(const json& value, const MultipleOf& m, std::size_t depth, const std::string& path,
                    PayloadCheck& out) {
    if (depth == m.at.size()) {
        if (!value.is_number()) return true;
        const double q = value.get<double>() / m.divisor;
        if (!std::isfinite(q) || std::fabs(q - std::round(q)) <= 1e-6) return true;
        out.valid = false;
        out.path = path;
        std::ostringstream text;
        text << "Value should be a multiple of " << m.divisor << ".";
        out.message = text.str();
        out.kind = ViolationKind::multiple_of;
        return false;
    }
    const std::string& step = m.at[depth];
    if (step == "[]") {
        if (!value.is_array()) return true;
        for (std::size_t i = 0; i < value.size(); ++i)
            if (!multiples_hold(value[i], m, depth + 1, path + "[" + std::to_string(i) + "]", out))
                return false;
        return true;
    }
    if (!value.is_object()) return true;
    const auto it = value.find(step);
    return it == value.end() || multiples_hold(*it, m, depth + 1, path + "." + step, out);
}

ViolationKind kind_of(const std::string& description) {
    const auto starts = [&](std::string_view prefix) { return description.rfind(prefix, 0) == 0; };
    if (starts("Value type not permitted by 'type'")) return ViolationKind::type;
    if (starts("Missing required property")) return ViolationKind::required;
    if (starts("Failed to match against any enum values")) return ViolationKind::enum_value;
    if (starts("String should be no more than")) return ViolationKind::max_length;
    if (starts("String should be no fewer than")) return ViolationKind::min_length;
    if (starts("Expected number less than") || starts("Expected number greater than"))
        return ViolationKind::range;
    if (starts("Array should contain no")) return ViolationKind::items_count;
    if (starts("Failed to match regex specified by 'pattern'")) return ViolationKind::pattern;
    if (starts("String should be an RFC 3339 date-time") || starts("String should be a valid date"))
        return ViolationKind::date_time;
    if (starts("Value should be a multiple of")) return ViolationKind::multiple_of;
    if (starts("Object contains a property that could not be validated"))
        return ViolationKind::additional_property;
    return ViolationKind::other;
}

}  // namespace

const char* to_string(ViolationKind kind) {
    switch (kind) {
        case ViolationKind::type:
            return "type";
        case ViolationKind::required:
            return "required";
        case ViolationKind::enum_value:
            return "enum";
        case ViolationKind::max_length:
            return "maxLength";
        case ViolationKind::min_length:
            return "minLength";
        case ViolationKind::range:
            return "range";
        case ViolationKind::items_count:
            return "items";
        case ViolationKind::pattern:
            return "pattern";
        case ViolationKind::date_time:
            return "date-time";
        case ViolationKind::multiple_of:
            return "multipleOf";
        case ViolationKind::additional_property:
            return "additionalProperties";
        case ViolationKind::other:
            return "other";
    }
    return "other";
}

std::filesystem::path default_schema_dir() {
    if (const char* env = std::getenv("EVTWIN_DATA"); env != nullptr && *env != '\0')
        return std::filesystem::path(env) / "ocpp" / "schemas";
    return (std::filesystem::path(EVTWIN_SOURCE_DIR) / ".." / "shared" / "data" / "ocpp" / "schemas")
        .lexically_normal();
}

struct SchemaSet::Impl {
    // Key: the schema file name; null: no usable schema (missing or unreadable).
    struct Entry {
        std::unique_ptr<valijson::Schema> schema;
        std::vector<MultipleOf> multiples;  // checked here, not by valijson
    };
    std::unordered_map<std::string, Entry> schemas;
    valijson::Validator validator;  // keeps the compiled patterns
};

SchemaSet::SchemaSet(const std::filesystem::path& root, const std::string& ocpp_version)
    : impl_(std::make_unique<Impl>()) {
    const char* folder = nullptr;
    if (ocpp_version == "1.6")
        folder = "v16";
    else if (ocpp_version == "2.0.1")
        folder = "v201";
    else if (ocpp_version == "2.1")
        folder = "v21";
    else
        throw DataError("no OCPP schemas for version '" + ocpp_version + "' (expected 1.6, 2.0.1 or 2.1)");
    v16_ = ocpp_version == "1.6";
    dir_ = root / folder;
    if (!std::filesystem::is_directory(dir_))
        throw DataError(dir_.string() +
                        ": no such schema folder (expected the OCPP JSON schemas; set --schemas)");
}

SchemaSet::~SchemaSet() = default;

bool SchemaSet::check(const Frame& f, bool& valid, std::string& path, std::string& message,
                      std::string& note) {
    note.clear();
    if (f.action.empty() || f.type == MessageType::call_error) return false;
    PayloadCheck result;
    if (!check_payload(f.action, f.type, payload_json(f), result, note)) return false;
    valid = result.valid;
    if (!valid) path = std::move(result.path), message = std::move(result.message);
    return true;
}

bool SchemaSet::check_payload(std::string_view action, MessageType type, const json& payload,
                              PayloadCheck& out, std::string& note) {
    note.clear();
    out = PayloadCheck{};
    if (action.empty() || type == MessageType::call_error) return false;
    std::string name(action);
    name += type == MessageType::call_result ? "Response.json" : (v16_ ? ".json" : "Request.json");
    auto it = impl_->schemas.find(name);
    if (it == impl_->schemas.end()) {
        Impl::Entry entry;
        const std::filesystem::path file = dir_ / name;
        if (std::filesystem::exists(file)) {
            try {
                const std::string text = read_text_file(file);
                json doc = json::parse(text);
                std::vector<std::string> at;
                multiples_apart(doc, at, entry.multiples);
                use_own_keywords(doc);
                entry.schema = std::make_unique<valijson::Schema>();
                valijson::SchemaParser parser(v16_ ? valijson::SchemaParser::kDraft4
                                                   : valijson::SchemaParser::kDraft7);
                add_own_keywords(parser);
                valijson::adapters::NlohmannJsonAdapter adapter(doc);
                parser.populateSchema(adapter, *entry.schema);
            } catch (const std::exception& e) {
                entry.schema.reset();
                note = file.string() + ": unusable schema: " + e.what();
            }
        } else {
            note = file.string() + ": no schema for " + std::string(action) +
                   (type == MessageType::call ? " CALL" : " CALLRESULT");
        }
        it = impl_->schemas.emplace(name, std::move(entry)).first;
    }
    const Impl::Entry& entry = it->second;
    if (!entry.schema) return false;
    const valijson::adapters::NlohmannJsonAdapter target(payload);
    if (impl_->validator.validate(*entry.schema, target, nullptr)) {
        for (const MultipleOf& m : entry.multiples)
            if (!multiples_hold(payload, m, 0, "$", out)) return true;
        return true;
    }
    out.valid = false;
    // Again, collecting errors: the first one valijson reports is the deepest.
    valijson::ValidationResults results;
    impl_->validator.validate(*entry.schema, target, &results);
    valijson::ValidationResults::Error error;
    if (!results.popError(error)) {
        out.path = "$";
        out.message = "invalid";
        return true;
    }
    out.path = json_path(error.context);
    out.message = error.description;
    out.kind = kind_of(error.description);
    // A wrong type often breaks the value's other constraints too (an enum, a length): the type is
    // what the sender got wrong.
    valijson::ValidationResults::Error next;
    while (out.kind != ViolationKind::type && results.popError(next) && next.context == error.context) {
        if (kind_of(next.description) == ViolationKind::type) {
            out.message = next.description;
            out.kind = ViolationKind::type;
        }
    }
    return true;
}

SchemaReport check_frames(const std::vector<Frame>& frames,
                          const std::map<std::string, std::string>& cs_versions,
                          const std::filesystem::path& root) {
    SchemaReport report;
    std::map<std::string, SchemaSet> sets;  // by version
    for (const auto& [cs, version] : cs_versions)
        sets.try_emplace(version, root, version);  // throws DataError for an unknown version
    if (sets.empty()) {
        report.notes.push_back("OCPP version unknown: frames not checked against the schemas");
        return report;
    }
    report.dir = sets.size() == 1 ? sets.begin()->second.dir() : root;
    std::set<std::string> unknown;  // charge points of unknown version, noted once
    std::map<std::pair<std::string, int>, SchemaTypeSummary> by_type;
    std::string path, message, note;
    for (std::size_t seq = 0; seq < frames.size(); ++seq) {
        const Frame& f = frames[seq];
        if (f.type == MessageType::call_error || f.action.empty()) continue;
        const auto version = cs_versions.find(f.cs);
        if (version == cs_versions.end()) {
            if (unknown.insert(f.cs).second)
                report.notes.push_back("charge point " + f.cs +
                                       ": OCPP version unknown: its frames not checked against the schemas");
            continue;
        }
        SchemaSet& set = sets.at(version->second);
        SchemaTypeSummary& s = by_type[{f.action, static_cast<int>(f.type)}];
        if (s.action.empty()) s.action = f.action, s.type = f.type;
        bool valid = true;
        if (!set.check(f, valid, path, message, note)) {
            ++s.unchecked;
            ++report.unchecked;
            if (!note.empty()) report.notes.push_back(note);
            continue;
        }
        ++s.checked;
        ++report.checked;
        if (valid) continue;
        ++s.invalid;
        ++report.invalid;
        if (s.first_line == 0) s.first_line = f.line, s.first_path = path, s.first_message = message;
        report.violations.push_back({seq, f.line, f.action, f.type, path, message});
    }
    for (auto& [key, s] : by_type) report.by_type.push_back(std::move(s));
    return report;
}

}  // namespace evtwin::ocpp
