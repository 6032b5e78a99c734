#include "openapi_schema.hpp"

#include "serve/plan/api.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace evtwin::serve::test {

std::string schema_errors(const nlohmann::json& value, const std::string& schema) {
    const nlohmann::json document = nlohmann::json::parse(openapi_document());
    const nlohmann::json root = {{"$ref", "#/components/schemas/" + schema},
                                 {"components", document["components"]}};
    valijson::Schema compiled;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter schema_adapter(root);
    parser.populateSchema(schema_adapter, compiled);
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(value);
    if (validator.validate(compiled, target, &results)) return "";
    std::string text;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        for (const auto& c : error.context) text += c;
        text += ": " + error.description + "\n";
    }
    return text;
}

}  // namespace evtwin::serve::test
