#include "ocpp/schema_keywords.hpp"

#include <valijson/constraint_builder.hpp>
#include <valijson/constraints/concrete_constraints.hpp>
#include <valijson/internal/adapter.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>

#include <algorithm>
#include <new>
#include <string>
#include <utility>
#include <vector>

namespace evtwin::ocpp {

namespace {

using valijson::adapters::Adapter;
using valijson::constraints::Constraint;

constexpr const char* kStringEnum = "evtwinStringEnum";
constexpr const char* kDateTime = "evtwinDateTime";

class StringEnum final : public valijson::constraints::PolyConstraint {
public:
    explicit StringEnum(std::vector<std::string> members) : members_(std::move(members)) {
        std::sort(members_.begin(), members_.end());
    }

    // As valijson's enum with strict types: a value of another type matches no string.
    bool validate(const Adapter& target, const std::vector<std::string>& context,
                  valijson::ValidationResults* results) const override {
        std::string value;
        if (target.isString() && target.getString(value) &&
            std::binary_search(members_.begin(), members_.end(), value))
            return true;
        if (results) results->pushError(context, "Failed to match against any enum values.");
        return false;
    }

private:
    Constraint* cloneInto(void* memory) const override { return new (memory) StringEnum(*this); }
    size_t sizeOf() const override { return sizeof(StringEnum); }

    std::vector<std::string> members_;
};

class DateTime final : public valijson::constraints::PolyConstraint {
public:
    // As valijson's formats: a value of another type is left to `type`.
    bool validate(const Adapter& target, const std::vector<std::string>& context,
                  valijson::ValidationResults* results) const override {
        std::string value;
        if (!target.isString() || !target.getString(value) || is_rfc3339_date_time(value)) return true;
        if (results) results->pushError(context, "String should be an RFC 3339 date-time.");
        return false;
    }

private:
    Constraint* cloneInto(void* memory) const override { return new (memory) DateTime(*this); }
    size_t sizeOf() const override { return sizeof(DateTime); }
};

class StringEnumBuilder final : public valijson::ConstraintBuilder {
public:
    Constraint* make(const Adapter& node) const override {
        std::vector<std::string> members;
        node.applyToArray([&](const Adapter& member) {
            members.push_back(member.asString());
            return true;
        });
        return new StringEnum(std::move(members));
    }
};

class DateTimeBuilder final : public valijson::ConstraintBuilder {
public:
    Constraint* make(const Adapter&) const override { return new DateTime(); }
};

bool all_strings(const nlohmann::json& members) {
    return members.is_array() && !members.empty() &&
           std::all_of(members.begin(), members.end(), [](const nlohmann::json& m) { return m.is_string(); });
}

// Two digits at `at`, within [low, high].
bool two_digits(std::string_view s, std::size_t at, int low, int high) {
    if (at + 2 > s.size() || s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9') return false;
    const int value = (s[at] - '0') * 10 + (s[at + 1] - '0');
    return value >= low && value <= high;
}

}  // namespace

bool is_rfc3339_date_time(std::string_view s) {
    // 2024-01-01T10:00:00 is 19 characters.
    if (s.size() < 20 || !two_digits(s, 0, 0, 99) || !two_digits(s, 2, 0, 99) || s[4] != '-' ||
        !two_digits(s, 5, 1, 12) || s[7] != '-' || !two_digits(s, 8, 1, 31) ||
        (s[10] != 'T' && s[10] != 't') || !two_digits(s, 11, 0, 23) || s[13] != ':' ||
        !two_digits(s, 14, 0, 59) || s[16] != ':' || !two_digits(s, 17, 0, 60))
        return false;
    std::size_t at = 19;
    if (s[at] == '.') {
        const std::size_t first = ++at;
        while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
        if (at == first || at - first > 9 || at == s.size()) return false;
    }
    if (s[at] == 'Z' || s[at] == 'z') return at + 1 == s.size();
    return (s[at] == '+' || s[at] == '-') && at + 6 == s.size() && two_digits(s, at + 1, 0, 23) &&
           s[at + 3] == ':' && two_digits(s, at + 4, 0, 59);
}

void use_own_keywords(nlohmann::json& schema) {
    if (schema.is_object()) {
        if (const auto e = schema.find("enum"); e != schema.end() && all_strings(*e)) {
            nlohmann::json members = std::move(*e);
            schema.erase(e);
            schema[kStringEnum] = std::move(members);
        }
        if (const auto f = schema.find("format"); f != schema.end() && *f == "date-time") {
            schema.erase(f);
            schema[kDateTime] = true;
        }
        for (auto& [key, value] : schema.items()) use_own_keywords(value);
    } else if (schema.is_array()) {
        for (auto& value : schema) use_own_keywords(value);
    }
}

void add_own_keywords(valijson::SchemaParser& parser) {
    parser.addConstraintBuilder(kStringEnum, new StringEnumBuilder());
    parser.addConstraintBuilder(kDateTime, new DateTimeBuilder());
}

}  // namespace evtwin::ocpp
