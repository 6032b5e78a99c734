#include "serve/csms/ocpp_rpc.hpp"

#include "serve/net/json_text.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace evtwin::serve {

namespace {

using nlohmann::json;

constexpr std::string_view kCodes16[] = {"NotImplemented",
                                         "NotSupported",
                                         "InternalError",
                                         "ProtocolError",
                                         "SecurityError",
                                         "FormationViolation",
                                         "PropertyConstraintViolation",
                                         "OccurenceConstraintViolation",
                                         "TypeConstraintViolation",
                                         "GenericError"};
constexpr std::string_view kCodes201[] = {"FormatViolation",
                                          "GenericError",
                                          "InternalError",
                                          "MessageTypeNotSupported",
                                          "NotImplemented",
                                          "NotSupported",
                                          "OccurenceConstraintViolation",
                                          "PropertyConstraintViolation",
                                          "ProtocolError",
                                          "RpcFrameworkError",
                                          "SecurityError",
                                          "TypeConstraintViolation"};
// 2.0.1's table with the occurrence constraint spelled right at last.
constexpr std::string_view kCodes21[] = {"FormatViolation",
                                         "GenericError",
                                         "InternalError",
                                         "MessageTypeNotSupported",
                                         "NotImplemented",
                                         "NotSupported",
                                         "OccurrenceConstraintViolation",
                                         "PropertyConstraintViolation",
                                         "ProtocolError",
                                         "RpcFrameworkError",
                                         "SecurityError",
                                         "TypeConstraintViolation"};

constexpr std::size_t kMaxDescription = 255;

// At most `n` bytes of UTF-8 text, not cutting a character in two.
std::string cut_utf8(std::string_view text, std::size_t n) {
    if (text.size() <= n) return std::string(text);
    std::size_t end = n;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return std::string(text.substr(0, end));
}

Parsed rejected(std::string id, std::string code, std::string description, bool answer) {
    Parsed p;
    p.error.code = std::move(code);
    p.error.description = std::move(description);
    p.reply = error_frame(id, p.error);
    p.answer = answer;
    return p;
}

// The deepest nesting of arrays and objects in JSON text (strings skipped), without parsing it: a
// parsed value is copied, compared and written recursively, so depth is refused before.
std::size_t nesting(std::string_view text) {
    std::size_t depth = 0, deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

bool is_json_integer(const json& v) {
    return v.is_number_integer() || v.is_number_unsigned();
}

}  // namespace

std::optional<OcppVersion> version_of_subprotocol(std::string_view subprotocol) {
    if (subprotocol == "ocpp1.6") return OcppVersion::v16;
    if (subprotocol == "ocpp2.0.1") return OcppVersion::v201;
    if (subprotocol == "ocpp2.1") return OcppVersion::v21;
    return std::nullopt;
}

const char* subprotocol_name(OcppVersion v) {
    switch (v) {
        case OcppVersion::v16:
            return "ocpp1.6";
        case OcppVersion::v201:
            return "ocpp2.0.1";
        case OcppVersion::v21:
            return "ocpp2.1";
    }
    return "ocpp1.6";
}

const char* version_name(OcppVersion v) {
    switch (v) {
        case OcppVersion::v16:
            return "1.6";
        case OcppVersion::v201:
            return "2.0.1";
        case OcppVersion::v21:
            return "2.1";
    }
    return "1.6";
}

const char* format_violation_code(OcppVersion v) {
    return v == OcppVersion::v16 ? rpc_code::formation_violation : rpc_code::format_violation;
}

const char* rpc_framework_code(OcppVersion v) {
    return v == OcppVersion::v16 ? rpc_code::formation_violation : rpc_code::rpc_framework_error;
}

const char* message_type_code(OcppVersion v) {
    return v == OcppVersion::v16 ? rpc_code::formation_violation : rpc_code::message_type_not_supported;
}

const char* occurrence_constraint_code(OcppVersion v) {
    return v == OcppVersion::v21 ? rpc_code::occurrence_constraint : rpc_code::occurence_constraint;
}

bool is_error_code(OcppVersion v, std::string_view code) {
    if (v == OcppVersion::v16)
        return std::find(std::begin(kCodes16), std::end(kCodes16), code) != std::end(kCodes16);
    if (v == OcppVersion::v21)
        return std::find(std::begin(kCodes21), std::end(kCodes21), code) != std::end(kCodes21);
    return std::find(std::begin(kCodes201), std::end(kCodes201), code) != std::end(kCodes201);
}

Parsed parse_message(OcppVersion v, std::string_view text) {
    try {
        if (nesting(text) > kMaxNesting)
            return rejected("-1", format_violation_code(v),
                            "The message nests deeper than " + std::to_string(kMaxNesting) + " levels.",
                            true);
        json frame = json::parse(text.begin(), text.end(), nullptr, false);
        if (frame.is_discarded())
            return rejected("-1", format_violation_code(v), "The message is not valid JSON.", true);
        if (!frame.is_array() || frame.empty())
            return rejected("-1", rpc_framework_code(v),
                            "The message is not an OCPP-J array [type, id, ...].", true);

        // The id, when it can be read, goes into any CALLERROR.
        std::string id = "-1";
        bool id_ok = false;
        if (frame.size() >= 2 && frame[1].is_string()) {
            const auto& s = frame[1].get_ref<const std::string&>();
            if (!s.empty() && s.size() <= kMaxMessageIdLength) id = s, id_ok = true;
        }
        if (!is_json_integer(frame[0]))
            return rejected(id, rpc_framework_code(v), "The message type is not an integer.", true);
        const auto type_number = frame[0].get<std::int64_t>();
        // OCPP-J 2.1's CALLRESULTERROR (5, our CALLRESULT refused) and SEND (6, a message that
        // wants no answer): never answered, only logged.
        if (v == OcppVersion::v21 && (type_number == 5 || type_number == 6))
            return rejected(id, message_type_code(v),
                            "Message type " + std::to_string(type_number) + " is not handled (logged only).",
                            false);
        if (type_number != 2 && type_number != 3 && type_number != 4)
            return rejected(id, message_type_code(v),
                            "Message type " + std::to_string(type_number) + " is not supported (2, 3 or 4).",
                            true);
        const auto type = static_cast<ocpp::MessageType>(type_number);
        // OCPP-J answers only CALLs: a broken CALLRESULT or CALLERROR is reported, never answered.
        const bool call = type == ocpp::MessageType::call;
        if (!id_ok)
            return rejected("-1", rpc_framework_code(v),
                            "The message id is not a string of 1 to " + std::to_string(kMaxMessageIdLength) +
                                " characters.",
                            call);

        Incoming in;
        in.type = type;
        in.id = id;
        switch (type) {
            case ocpp::MessageType::call:
                if (frame.size() != 4)
                    return rejected(id, rpc_framework_code(v), "A CALL is [2, id, action, payload].", true);
                if (!frame[2].is_string() || frame[2].get_ref<const std::string&>().empty())
                    return rejected(id, rpc_framework_code(v), "The action is not a non-empty string.", true);
                if (!frame[3].is_object())
                    return rejected(id, format_violation_code(v), "The payload is not a JSON object.", true);
                in.action = frame[2].get<std::string>();
                in.payload = std::move(frame[3]);
                in.payload_text = json_text(in.payload);
                break;
            case ocpp::MessageType::call_result:
                if (frame.size() != 3)
                    return rejected(id, rpc_framework_code(v), "A CALLRESULT is [3, id, payload].", false);
                if (!frame[2].is_object())
                    return rejected(id, format_violation_code(v), "The payload is not a JSON object.", false);
                in.payload = std::move(frame[2]);
                break;
            case ocpp::MessageType::call_error:
                // [4, id, code, description, details]; the details are accepted missing (some
                // charge points leave them out).
                if (frame.size() != 5 && frame.size() != 4)
                    return rejected(id, rpc_framework_code(v),
                                    "A CALLERROR is [4, id, errorCode, errorDescription, errorDetails].",
                                    false);
                if (!frame[2].is_string() || !frame[3].is_string() ||
                    (frame.size() == 5 && !frame[4].is_object()))
                    return rejected(id, rpc_framework_code(v),
                                    "A CALLERROR's code and description are strings, its details an object.",
                                    false);
                in.error.code = frame[2].get<std::string>();
                in.error.description = frame[3].get<std::string>();
                if (frame.size() == 5) in.error.details = std::move(frame[4]);
                break;
        }
        Parsed p;
        p.message = std::move(in);
        return p;
    } catch (const std::exception& e) {  // not expected: every access above is checked
        return rejected("-1", rpc_code::internal_error,
                        std::string("The message could not be read: ") + e.what(), true);
    }
}

std::string call_frame(std::string_view id, std::string_view action, const nlohmann::json& payload) {
    return json_text(json::array({2, std::string(id), std::string(action), payload}));
}

std::string result_frame(std::string_view id, std::string_view payload_text) {
    std::string frame = "[3,";
    frame += json_text(std::string(id));
    frame += ',';
    frame += payload_text;
    frame += ']';
    return frame;
}

std::string error_frame(std::string_view id, const RpcError& error) {
    const json details = error.details.is_object() ? error.details : json::object();
    return json_text(
        json::array({4, std::string(id), error.code, cut_utf8(error.description, kMaxDescription), details}));
}

}  // namespace evtwin::serve
