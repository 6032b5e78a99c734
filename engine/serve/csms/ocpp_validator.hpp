#pragma once
// Payloads of the central system's OCPP-J traffic against the official JSON schemas
// (ocpp::SchemaSet, one per version, each behind its own lock): a charge point's CALL gets the
// CALLERROR it deserves, or none; a CALLRESULT to one of our CALLs is valid or says why not.
#include "ocpp/schema_check.hpp"
#include "serve/csms/ocpp_rpc.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace evtwin::serve {

// The CALLERROR for a schema violation of a CALL (docs/ocpp.md lists the mapping).
RpcError violation_error(OcppVersion v, std::string_view action, const ocpp::PayloadCheck& check);

struct PayloadVerdict {
    bool valid = true;
    std::string message;  // invalid: "$.status: Failed to match against any enum values." or why unchecked
};

class OcppValidator {
public:
    // `root` holds v16/, v201/ and v21/ (../shared/data/ocpp/schemas). Throws DataError when a
    // version's folder is missing.
    explicit OcppValidator(const std::filesystem::path& root = ocpp::default_schema_dir());
    ~OcppValidator();
    OcppValidator(const OcppValidator&) = delete;
    OcppValidator& operator=(const OcppValidator&) = delete;

    // A CALL a charge point sent: none when it may be applied. NotImplemented for an action the
    // version does not have; NotSupported for one only the central system sends; else the first
    // schema violation's code, with details {"path", "message"}.
    std::optional<RpcError> check_call(OcppVersion v, std::string_view action, const nlohmann::json& payload);
    // The CALLRESULT of a CALL of ours with this action. Invalid when there is no schema for it.
    PayloadVerdict check_result(OcppVersion v, std::string_view action, const nlohmann::json& payload);
    // A CALL the central system is about to send (SetChargingProfile ...), against its request schema.
    PayloadVerdict check_request(OcppVersion v, std::string_view action, const nlohmann::json& payload);

private:
    struct Schemas {
        std::mutex mutex;
        std::unique_ptr<ocpp::SchemaSet> set;
    };
    Schemas& schemas(OcppVersion v) {
        switch (v) {
            case OcppVersion::v16:
                return v16_;
            case OcppVersion::v201:
                return v201_;
            case OcppVersion::v21:
                return v21_;
        }
        return v16_;
    }
    // False when there is no usable schema.
    bool check(OcppVersion v, std::string_view action, ocpp::MessageType type, const nlohmann::json& payload,
               ocpp::PayloadCheck& out);
    PayloadVerdict verdict(OcppVersion v, std::string_view action, ocpp::MessageType type,
                           const nlohmann::json& payload);

    Schemas v16_, v201_, v21_;
};

}  // namespace evtwin::serve
