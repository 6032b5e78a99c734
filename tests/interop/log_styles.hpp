#pragma once
// The interop test's canonical logs (JSON Lines) written again as the line logs of other OCPP
// stacks, for the general line-log reader: each style keeps every frame, time and charge point.
#include <string>
#include <vector>

namespace evtwin::test {

struct LogStyle {
    std::string name;
    std::string example;  // one line of it, for messages
};

// The styles: python_ocpp, ocpp_core, journald, proxy, pretty (multi-line), silent (no direction
// words), syslog (no year), unix_ms, pino (one JSON object a line, the frame as a string), docker
// (python_ocpp's lines in docker's json-file log).
const std::vector<LogStyle>& log_styles();

// `jsonl`: the canonical log of one side; `writer_is_csms`: whose log it is (the side that "sends").
std::string render_log(const std::string& style, const std::string& jsonl, bool writer_is_csms);

}  // namespace evtwin::test
