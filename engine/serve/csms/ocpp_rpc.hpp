#pragma once
// The OCPP-J RPC frames of the central system (OCPP-J 1.6 section 4, 2.0.1 part 4 section 4): the
// WebSocket subprotocols, one text message read into a CALL / CALLRESULT / CALLERROR or into the
// CALLERROR that answers it, and the frames the central system writes. Pure: no I/O, no state.
// docs/ocpp.md, "Central system: frame checks and CALLERRORs", lists which error goes with what.
#include "ocpp/frame.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace evtwin::serve {

enum class OcppVersion { v16, v201, v21 };

// 2.0.1 and 2.1 share their RPC framework, error codes and the messages both have; 2.1 adds to them.
inline bool is_ocpp2(OcppVersion v) {
    return v != OcppVersion::v16;
}

// "ocpp1.6" / "ocpp2.0.1" / "ocpp2.1" (Sec-WebSocket-Protocol); none for anything else.
std::optional<OcppVersion> version_of_subprotocol(std::string_view subprotocol);
const char* subprotocol_name(OcppVersion v);
// "1.6" / "2.0.1" / "2.1", as ocpp::SchemaSet names them.
const char* version_name(OcppVersion v);

// The CALLERROR codes of each version's table (1.6 keeps its misspellings, see docs/ocpp.md).
namespace rpc_code {
inline constexpr const char* not_implemented = "NotImplemented";
inline constexpr const char* not_supported = "NotSupported";
inline constexpr const char* internal_error = "InternalError";
inline constexpr const char* protocol_error = "ProtocolError";
inline constexpr const char* security_error = "SecurityError";
inline constexpr const char* property_constraint = "PropertyConstraintViolation";
inline constexpr const char* occurence_constraint = "OccurenceConstraintViolation";    // 1.6 and 2.0.1
inline constexpr const char* occurrence_constraint = "OccurrenceConstraintViolation";  // 2.1
inline constexpr const char* type_constraint = "TypeConstraintViolation";
inline constexpr const char* generic_error = "GenericError";
inline constexpr const char* formation_violation = "FormationViolation";              // 1.6
inline constexpr const char* format_violation = "FormatViolation";                    // 2.0.1
inline constexpr const char* rpc_framework_error = "RpcFrameworkError";               // 2.0.1
inline constexpr const char* message_type_not_supported = "MessageTypeNotSupported";  // 2.0.1
}  // namespace rpc_code

// A payload that is not syntactically right: FormationViolation (1.6) / FormatViolation (2.0.1).
const char* format_violation_code(OcppVersion v);
// Valid JSON that is not an RPC frame: FormationViolation (1.6) / RpcFrameworkError (2.0.1).
const char* rpc_framework_code(OcppVersion v);
// A message type number other than 2, 3, 4: FormationViolation (1.6) / MessageTypeNotSupported (2.0.1).
const char* message_type_code(OcppVersion v);
// A required property missing, too few or many items: OccurenceConstraintViolation (1.6, 2.0.1) /
// OccurrenceConstraintViolation (2.1).
const char* occurrence_constraint_code(OcppVersion v);
// Whether `code` is in the version's table of CALLERROR codes.
bool is_error_code(OcppVersion v, std::string_view code);

struct RpcError {
    std::string code;
    std::string description;
    nlohmann::json details = nlohmann::json::object();
};

// One well-formed message.
struct Incoming {
    ocpp::MessageType type = ocpp::MessageType::call;
    std::string id;
    std::string action;      // a CALL's; empty for CALLRESULT / CALLERROR
    nlohmann::json payload;  // CALL and CALLRESULT: an object
    // CALL: the payload as compact JSON, keys sorted (json_text), written once by parse_message: the
    // text the frame log records and ReplyCache fingerprints.
    std::string payload_text;
    RpcError error;  // CALLERROR: its code, description and details
};

// One text message read: the message, or what is wrong with it and the CALLERROR that says so.
struct Parsed {
    std::optional<Incoming> message;
    RpcError error;       // without a message: what is wrong
    std::string reply;    // without a message: the CALLERROR frame, with the message id when it
                          // could be read, else "-1"
    bool answer = false;  // without a message: whether to send `reply`. False for a broken
                          // CALLRESULT or CALLERROR, which OCPP-J never answers (log it instead)
    explicit operator bool() const { return message.has_value(); }
};

// The longest message id OCPP-J allows (1.6 and 2.0.1: 36 characters).
inline constexpr std::size_t kMaxMessageIdLength = 36;

// Messages nested deeper than this (the frame's array is level 1; OCPP payloads need about 8) are
// refused as a format violation before they are parsed.
inline constexpr std::size_t kMaxNesting = 64;

// Never throws. A CALL's action is not checked here (OcppValidator does).
Parsed parse_message(OcppVersion v, std::string_view text);

// OCPP-J arrays, compact JSON. A description longer than 255 bytes is cut (at a character
// boundary): 2.0.1 allows no more.
std::string call_frame(std::string_view id, std::string_view action, const nlohmann::json& payload);
std::string result_frame(std::string_view id, std::string_view payload_text);  // json_text of the payload
std::string error_frame(std::string_view id, const RpcError& error);

}  // namespace evtwin::serve
