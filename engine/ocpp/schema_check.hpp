#pragma once
// Validation of OCPP-J payloads against the official JSON schemas (OCPP 1.6: draft-04, one file per
// message, `Action.json` / `ActionResponse.json`; 2.0.1 and 2.1: draft-06, `ActionRequest.json` /
// `ActionResponse.json`), with Debian's valijson. An invalid frame is reported, never fatal.
#include "ocpp/frame.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace evtwin::ocpp {

// The schema root: $EVTWIN_DATA/ocpp/schemas, else <source>/../shared/data/ocpp/schemas (as the
// scenario data root is resolved).
std::filesystem::path default_schema_dir();

// What the first error of an invalid payload broke, read from valijson's description: the OCPP-J
// CALLERROR codes follow from it (serve/csms/ocpp_validator.cpp).
enum class ViolationKind {
    type,                 // "type"
    required,             // a required property is missing
    enum_value,           // "enum"
    max_length,           // "maxLength"
    min_length,           // "minLength"
    range,                // "minimum", "maximum" (and their exclusive forms)
    items_count,          // "minItems", "maxItems"
    pattern,              // "pattern"
    date_time,            // "format": "date-time"
    multiple_of,          // "multipleOf"
    additional_property,  // a property the schema does not have ("additionalProperties": false)
    other
};
const char* to_string(ViolationKind kind);  // "type", "required", "enum", ..., "other"

// The verdict on one payload.
struct PayloadCheck {
    bool valid = true;
    std::string path;     // the first (deepest) error: "$", "$.meterValue[0].timestamp" ...
    std::string message;  // valijson's description
    ViolationKind kind = ViolationKind::other;
};

// The first (deepest) error of one invalid frame.
struct SchemaViolation {
    std::size_t seq = 0;   // index of the frame in LogRead::frames
    std::size_t line = 0;  // line of the log
    std::string action;
    MessageType type = MessageType::call;
    std::string path;     // "$" for the payload itself, "$.meterValue[0].timestamp" ...
    std::string message;  // valijson's description
};

// Per message type: an action's CALL or its CALLRESULT.
struct SchemaTypeSummary {
    std::string action;
    MessageType type = MessageType::call;
    std::size_t checked = 0, invalid = 0;
    std::size_t unchecked = 0;   // no schema for this message in its charge point's OCPP version
    std::size_t first_line = 0;  // the first invalid frame (0: none)
    std::string first_path, first_message;
};

struct SchemaReport {
    // The version's schema folder, the schema root for a log of several versions; empty when no
    // version is known.
    std::filesystem::path dir;
    std::size_t checked = 0, invalid = 0, unchecked = 0;
    std::vector<SchemaTypeSummary> by_type;   // sorted by action, then CALL before CALLRESULT
    std::vector<SchemaViolation> violations;  // in frame order
    std::vector<std::string> notes;           // schema files that could not be used, unknown version
};

// The schemas of one OCPP version, each file parsed on first use and kept.
class SchemaSet {
public:
    // `root` holds v16/, v201/ and v21/; `ocpp_version` is "1.6", "2.0.1" or "2.1". Throws
    // DataError for another version or a missing folder.
    SchemaSet(const std::filesystem::path& root, const std::string& ocpp_version);
    ~SchemaSet();
    SchemaSet(const SchemaSet&) = delete;
    SchemaSet& operator=(const SchemaSet&) = delete;

    const std::filesystem::path& dir() const { return dir_; }
    // Validates one CALL or CALLRESULT payload. Returns false when there is no usable schema for it
    // (then `note`, if not empty, says why the first time); else fills `valid` and, when invalid,
    // `path` and `message` of the first error.
    bool check(const Frame& frame, bool& valid, std::string& path, std::string& message, std::string& note);
    // The same for a payload: `type` is call (the request) or call_result (the response) of `action`.
    // Not thread-safe (schemas load lazily): one caller at a time.
    bool check_payload(std::string_view action, MessageType type, const nlohmann::json& payload,
                       PayloadCheck& out, std::string& note);

private:
    struct Impl;
    std::filesystem::path dir_;
    bool v16_ = true;
    std::unique_ptr<Impl> impl_;
};

// Checks every CALL and matched CALLRESULT of `frames` (call after reconstruct(), which gives
// responses their action) against the schemas of its charge point's version in `cs_versions`
// ("1.6", "2.0.1" or "2.1"; LogRead::cs_versions). CALLERRORs have no schema. The frames of a charge point
// of unknown version are not checked: a note says so. Throws DataError for another version or a
// missing folder.
SchemaReport check_frames(const std::vector<Frame>& frames,
                          const std::map<std::string, std::string>& cs_versions,
                          const std::filesystem::path& root = default_schema_dir());

}  // namespace evtwin::ocpp
