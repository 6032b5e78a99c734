#pragma once
// One OCPP-J message as read from a log, whatever the log's format, and the problems found while
// reading and rebuilding a log. docs/ocpp.md describes the formats and the database tables.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin {
class TimeZone;
}

namespace evtwin::ocpp {

enum class Direction { unknown, cs_to_csms, csms_to_cs };
enum class MessageType : int { call = 2, call_result = 3, call_error = 4 };
// `lines`: any log with a time and an OCPP-J frame on each message's line (read_lines.cpp).
enum class Format { jsonl, csv, compliance, everest, steve, lines };

struct Frame {
    std::size_t line = 0;    // 1-based line of the log where the frame starts
    std::int64_t ts_ms = 0;  // UTC, ms since the epoch
    std::string cs;          // charge point / charging station id
    Direction dir = Direction::unknown;
    MessageType type = MessageType::call;
    std::string message_id;
    // A CALL's action; for CALLRESULT/CALLERROR the action of the CALL it answers (once matched).
    std::string action;
    // CALL and CALLRESULT: the payload object; CALLERROR: [errorCode, errorDescription, errorDetails];
    // as JSON text, written by nlohmann::json::dump (no spaces). A log's frames are held as text and
    // parsed where they are read (payload_json): parsed, a payload takes several times the memory of
    // its text (bench/ocpp_import_memory.sh).
    std::string payload;
};

// Frame::payload parsed; "{}" for an empty one (a Frame made without a payload).
inline nlohmann::json payload_json(const Frame& frame) {
    return frame.payload.empty() ? nlohmann::json::object() : nlohmann::json::parse(frame.payload);
}

struct Problem {
    std::size_t line = 0;
    std::string kind;  // e.g. "invalid_json", "duplicate_message_id" (docs/ocpp.md lists them)
    std::string message;
};

std::string_view to_string(Direction d);  // "cs2csms", "csms2cs", "unknown"
std::string_view to_string(Format f);     // "jsonl", "csv", "compliance", "everest", "steve", "lines"
// Throws DataError for a name that is not a format.
Format format_from_string(std::string_view name);

// Milliseconds since the epoch (UTC) of an ISO 8601 time: "2024-05-17T09:20:44.561Z", a space for
// the 'T', a ':' before the milliseconds (compliance tool), an offset "+02:00", or none (UTC).
// Returns false for anything else.
bool parse_timestamp(std::string_view text, std::int64_t& ms);
// The same, telling whether the text gave an offset ("Z" or "+02:00").
bool parse_timestamp(std::string_view text, std::int64_t& ms, bool& has_offset);
// A time a log writes for itself (not one a message carries, which OCPP gives in UTC or with an
// offset): as parse_timestamp, but a time written without an offset is local to `zone` when one is
// given (ReadOptions::timezone).
bool parse_log_time(std::string_view text, const TimeZone* zone, std::int64_t& ms);
// The instant of a wall-clock time of `zone`, given as ms since the epoch as if it were UTC; in the
// hour a DST change repeats, its first occurrence.
std::int64_t wall_to_utc(std::int64_t wall_ms, const TimeZone& zone);
// The inverse, as OCPP messages carry it: "2024-05-17T09:20:44.561Z" (UTC, always milliseconds).
std::string format_timestamp(std::int64_t ms);

}  // namespace evtwin::ocpp
