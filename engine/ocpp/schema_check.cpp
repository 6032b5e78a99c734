#include "ocpp/schema_check.hpp"

#include <evtwin/errors.hpp>
#include "data/text_file.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <unordered_map>

namespace evtwin::ocpp {

namespace {

using nlohmann::json;

// RFC 3339 date-time. valijson compiles a std::regex for every `"format": "date-time"` value it
// checks (about 1.5 ms each) but caches those of `pattern`, so the schemas get this pattern instead.
// It is bounded (a 4-digit year, at most 9 fraction digits) unlike valijson's `([0-9]+)`: libstdc++'s
// regex recurses once per character matched, and a megabyte of digits overflowed the stack. (The
// 30 February that valijson's day check refuses passes here; the payload time parser refuses it.)
constexpr const char* kDateTimePattern =
    "^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)"
    "(\\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$";

void date_time_as_pattern(json& node) {
    if (node.is_object()) {
        const auto f = node.find("format");
        if (f != node.end() && *f == "date-time" && !node.contains("pattern")) {
            node.erase(f);
            node["pattern"] = kDateTimePattern;
        }
        for (auto& [key, value] : node.items()) date_time_as_pattern(value);
    } else if (node.is_array()) {
        for (auto& value : node) date_time_as_pattern(value);
    }
}

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

}  // namespace

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
        bool patterns_are_date_times = false;  // the file had no `pattern` of its own
    };
    std::unordered_map<std::string, Entry> schemas;
    valijson::Validator validator;  // keeps the compiled patterns
};

SchemaSet::SchemaSet(const std::filesystem::path& root, const std::string& ocpp_version)
    : impl_(std::make_unique<Impl>()) {
    if (ocpp_version == "1.6")
        v16_ = true;
    else if (ocpp_version == "2.0.1")
        v16_ = false;
    else
        throw DataError("no OCPP schemas for version '" + ocpp_version + "' (expected 1.6 or 2.0.1)");
    dir_ = root / (v16_ ? "v16" : "v201");
    if (!std::filesystem::is_directory(dir_))
        throw DataError(dir_.string() +
                        ": no such schema folder (expected the OCPP JSON schemas; set --schemas)");
}

SchemaSet::~SchemaSet() = default;

bool SchemaSet::check(const Frame& f, bool& valid, std::string& path, std::string& message,
                      std::string& note) {
    note.clear();
    if (f.action.empty() || f.type == MessageType::call_error) return false;
    std::string name = f.action;
    name += f.type == MessageType::call_result ? "Response.json" : (v16_ ? ".json" : "Request.json");
    auto it = impl_->schemas.find(name);
    if (it == impl_->schemas.end()) {
        std::unique_ptr<valijson::Schema> schema;
        bool own_patterns = true;
        const std::filesystem::path file = dir_ / name;
        if (std::filesystem::exists(file)) {
            try {
                const std::string text = read_text_file(file);
                own_patterns = text.find("\"pattern\"") != std::string::npos;
                json doc = json::parse(text);
                date_time_as_pattern(doc);
                schema = std::make_unique<valijson::Schema>();
                valijson::SchemaParser parser(v16_ ? valijson::SchemaParser::kDraft4
                                                   : valijson::SchemaParser::kDraft7);
                valijson::adapters::NlohmannJsonAdapter adapter(doc);
                parser.populateSchema(adapter, *schema);
            } catch (const std::exception& e) {
                schema.reset();
                note = file.string() + ": unusable schema: " + e.what();
            }
        } else {
            note = file.string() + ": no schema for " + f.action +
                   (f.type == MessageType::call ? " CALL" : " CALLRESULT");
        }
        it = impl_->schemas.emplace(name, Impl::Entry{std::move(schema), !own_patterns}).first;
    }
    const Impl::Entry& entry = it->second;
    if (!entry.schema) return false;
    const valijson::adapters::NlohmannJsonAdapter target(f.payload);
    valid = impl_->validator.validate(*entry.schema, target, nullptr);
    if (valid) return true;
    // Again, collecting errors: the first one valijson reports is the deepest.
    valijson::ValidationResults results;
    impl_->validator.validate(*entry.schema, target, &results);
    valijson::ValidationResults::Error error;
    if (results.popError(error)) {
        path = json_path(error.context);
        message = error.description;
        if (entry.patterns_are_date_times && message.find("'pattern'") != std::string::npos)
            message = "String should be an RFC 3339 date-time.";
    } else {
        path = "$";
        message = "invalid";
    }
    return true;
}

SchemaReport check_frames(const std::vector<Frame>& frames, const std::string& ocpp_version,
                          const std::filesystem::path& root) {
    SchemaReport report;
    if (ocpp_version != "1.6" && ocpp_version != "2.0.1") {
        report.notes.push_back("OCPP version unknown: frames not checked against the schemas");
        return report;
    }
    SchemaSet set(root, ocpp_version);
    report.dir = set.dir();
    std::map<std::pair<std::string, int>, SchemaTypeSummary> by_type;
    std::string path, message, note;
    for (std::size_t seq = 0; seq < frames.size(); ++seq) {
        const Frame& f = frames[seq];
        if (f.type == MessageType::call_error || f.action.empty()) continue;
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
