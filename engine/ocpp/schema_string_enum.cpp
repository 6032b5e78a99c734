#include "ocpp/schema_string_enum.hpp"

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

constexpr const char* kKeyword = "evtwinStringEnum";

class StringEnum final : public valijson::constraints::PolyConstraint {
public:
    explicit StringEnum(std::vector<std::string> members) : members_(std::move(members)) {
        std::sort(members_.begin(), members_.end());
    }

    // As valijson's enum with strict types: a value of another type matches no string.
    bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
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

class StringEnumBuilder final : public valijson::ConstraintBuilder {
public:
    valijson::constraints::Constraint* make(const valijson::adapters::Adapter& node) const override {
        std::vector<std::string> members;
        node.applyToArray([&](const valijson::adapters::Adapter& member) {
            members.push_back(member.asString());
            return true;
        });
        return new StringEnum(std::move(members));
    }
};

bool all_strings(const nlohmann::json& members) {
    return members.is_array() && !members.empty() &&
           std::all_of(members.begin(), members.end(), [](const nlohmann::json& m) { return m.is_string(); });
}

}  // namespace

void string_enums_as_sets(nlohmann::json& schema) {
    if (schema.is_object()) {
        const auto e = schema.find("enum");
        if (e != schema.end() && all_strings(*e) && !schema.contains(kKeyword)) {
            nlohmann::json members = std::move(*e);
            schema.erase(e);
            schema[kKeyword] = std::move(members);
        }
        for (auto& [key, value] : schema.items()) string_enums_as_sets(value);
    } else if (schema.is_array()) {
        for (auto& value : schema) string_enums_as_sets(value);
    }
}

void add_string_enum_keyword(valijson::SchemaParser& parser) {
    parser.addConstraintBuilder(kKeyword, new StringEnumBuilder());
}

}  // namespace evtwin::ocpp
