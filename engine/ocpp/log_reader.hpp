#pragma once
// Readers of OCPP-J logs in the formats docs/ocpp.md describes: JSON Lines (the canonical format),
// CSV `timestamp,id,action,msg`, the compliance-tool log, the EVerest libocpp log and SteVe's
// `Received:` / `Sending:` lines, and any other log with a time and an OCPP-J frame on a message's
// line (the general line log, tried when no exact format matches). A bad line becomes a Problem with
// its line number; reading goes on.
#include "model/local_time.hpp"
#include "ocpp/frame.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin::ocpp {

struct ReadOptions {
    std::optional<Format> format;   // none: detected from the first lines
    std::string default_cs = "CS";  // the charge point id where the format names none
    double voltage_v = 230.0;       // converts charging limits in A to kW (per phase)
    // The year of a line log's first syslog time ("Nov 24 09:12:00"), which states none; without
    // it, the year that the first date a message states puts it in.
    std::optional<int> year;
    // The zone of the times a log writes for itself without an offset (syslog times too); none: UTC.
    std::optional<TimeZone> timezone;
    const TimeZone* zone() const { return timezone ? &*timezone : nullptr; }
};

// The versions of a log whose charge points differ, in order, joined by '+': "1.6+2.0.1",
// "2.0.1+2.1", "1.6+2.0.1+2.1", ...
bool is_mixed_versions(const std::string& ocpp_version);

struct LogRead {
    Format format = Format::jsonl;
    // "1.6", "2.0.1", "2.1", their list when its charge points differ (is_mixed_versions), or ""
    // when neither the log nor its frames tell.
    std::string ocpp_version;
    // Each charge point's version ("1.6", "2.0.1" or "2.1"); one whose version is unknown is missing.
    std::map<std::string, std::string> cs_versions;
    std::vector<Frame> frames;
    std::vector<Problem> problems;
};

// Throws DataError "<file>: ..." when no format is recognised in the first lines (`options`: as
// for reading them).
Format detect_format(const std::filesystem::path& file, std::string_view text,
                     const ReadOptions& options = {});
// `file` names the log in errors. Throws DataError only when the format cannot be determined or
// the CSV header lacks the columns; every bad line is a Problem.
LogRead read_log(const std::filesystem::path& file, std::string_view text, const ReadOptions& options = {});
LogRead read_log_file(const std::filesystem::path& file, const ReadOptions& options = {});

// Checks one OCPP-J message array ([2,id,action,{..}], [3,id,{..}], [4,id,code,desc,{..}]) and
// fills type, message_id, action and payload of `frame`. On failure adds a Problem for
// `frame.line` and returns false. Exposed for the fuzz-style tests.
bool decode_message(nlohmann::json&& message, Frame& frame, std::vector<Problem>& problems);
// The same from text; a parse error is an "invalid_json" or "truncated" Problem.
bool decode_message_text(std::string_view text, Frame& frame, std::vector<Problem>& problems);

}  // namespace evtwin::ocpp
