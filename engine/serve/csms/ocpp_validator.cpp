#include "serve/csms/ocpp_validator.hpp"

#include "ocpp/actions.hpp"

#include <utility>

namespace evtwin::serve {

RpcError violation_error(OcppVersion v, std::string_view action, const ocpp::PayloadCheck& check) {
    using ocpp::ViolationKind;
    RpcError e;
    switch (check.kind) {
        case ViolationKind::type:
            e.code = rpc_code::type_constraint;
            break;
        case ViolationKind::required:
        case ViolationKind::items_count:
            e.code = occurrence_constraint_code(v);
            break;
        case ViolationKind::enum_value:
        case ViolationKind::max_length:
        case ViolationKind::min_length:
        case ViolationKind::range:
        case ViolationKind::pattern:
        case ViolationKind::date_time:
        case ViolationKind::multiple_of:
            e.code = rpc_code::property_constraint;
            break;
        // Not the message's structure (1.6: "not conform the PDU structure"), or a rule no other
        // code names.
        case ViolationKind::additional_property:
        case ViolationKind::other:
            e.code = format_violation_code(v);
            break;
    }
    e.description = std::string(action) + " payload: " + check.path + ": " + check.message;
    e.details = {{"path", check.path}, {"message", check.message}};
    return e;
}

OcppValidator::OcppValidator(const std::filesystem::path& root) {
    v16_.set = std::make_unique<ocpp::SchemaSet>(root, version_name(OcppVersion::v16));
    v201_.set = std::make_unique<ocpp::SchemaSet>(root, version_name(OcppVersion::v201));
    v21_.set = std::make_unique<ocpp::SchemaSet>(root, version_name(OcppVersion::v21));
}

OcppValidator::~OcppValidator() = default;

bool OcppValidator::check(OcppVersion v, std::string_view action, ocpp::MessageType type,
                          const nlohmann::json& payload, ocpp::PayloadCheck& out) {
    Schemas& s = schemas(v);
    std::string note;
    const std::lock_guard lock(s.mutex);
    return s.set->check_payload(action, type, payload, out, note);
}

std::optional<RpcError> OcppValidator::check_call(OcppVersion v, std::string_view action,
                                                  const nlohmann::json& payload) {
    const ocpp::Direction sender = ocpp::call_direction(action);
    const bool known = sender != ocpp::Direction::unknown || action == "DataTransfer";
    ocpp::PayloadCheck result;
    // The schema file tells whether this version has the action (2.0.1 has no StartTransaction).
    const bool has_schema = known && check(v, action, ocpp::MessageType::call, payload, result);
    if (!has_schema)
        return RpcError{
            rpc_code::not_implemented,
            "OCPP " + std::string(version_name(v)) + " has no action '" + std::string(action) + "'.",
            nlohmann::json::object()};
    if (sender == ocpp::Direction::csms_to_cs)
        return RpcError{rpc_code::not_supported,
                        std::string(action) + " is sent by the central system, not to it.",
                        nlohmann::json::object()};
    if (result.valid) return std::nullopt;
    return violation_error(v, action, result);
}

PayloadVerdict OcppValidator::verdict(OcppVersion v, std::string_view action, ocpp::MessageType type,
                                      const nlohmann::json& payload) {
    ocpp::PayloadCheck result;
    if (!check(v, action, type, payload, result))
        return {false, "no OCPP " + std::string(version_name(v)) + " schema for " + std::string(action) +
                           (type == ocpp::MessageType::call ? " requests" : " responses")};
    if (result.valid) return {};
    return {false, result.path + ": " + result.message};
}

PayloadVerdict OcppValidator::check_result(OcppVersion v, std::string_view action,
                                           const nlohmann::json& payload) {
    return verdict(v, action, ocpp::MessageType::call_result, payload);
}

PayloadVerdict OcppValidator::check_request(OcppVersion v, std::string_view action,
                                            const nlohmann::json& payload) {
    return verdict(v, action, ocpp::MessageType::call, payload);
}

}  // namespace evtwin::serve
