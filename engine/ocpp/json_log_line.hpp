#pragma once
// A structured log line, one JSON object as pino, zap, bunyan, logstash or tslog write them, e.g.
// {"level":30,"time":1795511520013,"identity":"CP1","msg":"receive","message":"[2,\"1\",...]"},
// written as the text line the general line-log reader reads: its time first, then its other
// fields as key=value words, its OCPP-J frame last.
#include <optional>
#include <string>
#include <string_view>

namespace evtwin::ocpp {

// The line as text, or nullopt when it is not a JSON object holding a time and a frame. The time is
// the first value of `ts`, `time`, `timestamp`, `@timestamp`, `datetime` or `date` that is a time (an
// ISO 8601 string, or a Unix time in seconds, milliseconds or nanoseconds); the frame an array [2|3|4, ...]
// or a string holding one, at the top level or one object down, or else a string holding a log line with a
// frame in it (docker's json-file "log"), which the text then ends with (or is, when the object
// has no time of its own).
std::optional<std::string> json_log_line(std::string_view line);

}  // namespace evtwin::ocpp
