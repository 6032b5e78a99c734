// The OCPP log format compliance tool: "[2024-05-17T09:20:44:561] [msg-in] [2, ...]" after a header
#include "ocpp/format_readers.hpp"

#include "ocpp/log_text.hpp"

namespace evtwin::ocpp {

void read_compliance(std::string_view text, const ReadOptions& options, LogRead& out) {
    // The tool plays the other side of the system under test: with SUT CS, msg-in comes from the CS.
    Direction in_dir = Direction::unknown, out_dir = Direction::unknown;
    for (const Line& l : split_lines(text)) {
        const std::string_view t = trim(l.text);
        if (starts_with(t, "System Under Test")) {
            const std::string_view sut =
                trim(t.substr(t.find(':') == std::string_view::npos ? t.size() : t.find(':') + 1));
            if (sut == "CS" || sut == "CP") in_dir = Direction::cs_to_csms, out_dir = Direction::csms_to_cs;
            if (sut == "CSMS" || sut == "CSS")
                in_dir = Direction::csms_to_cs, out_dir = Direction::cs_to_csms;
            continue;
        }
        if (starts_with(t, "OCPP Version")) {
            if (t.find("2.0.1") != std::string_view::npos)
                out.ocpp_version = "2.0.1";
            else if (t.find("1.6") != std::string_view::npos)
                out.ocpp_version = "1.6";
            continue;
        }
        if (!starts_with(t, "[")) continue;
        const std::size_t close = t.find(']');
        if (close == std::string_view::npos) continue;
        const std::string_view rest = trim(t.substr(close + 1));
        const bool in = starts_with(rest, "[msg-in]"), outgoing = starts_with(rest, "[msg-out]");
        if (!in && !outgoing) continue;  // [info], [REQUEST], [prompt], ...
        Frame f;
        f.line = l.number;
        const std::string_view ts = t.substr(1, close - 1);
        if (!parse_log_time(ts, options.zone(), f.ts_ms)) {
            bad_timestamp(out.problems, l.number, ts);
            continue;
        }
        f.cs = options.default_cs;
        f.dir = in ? in_dir : out_dir;
        if (decode_message_text(trim(rest.substr(rest.find(']') + 1)), f, out.problems))
            out.frames.push_back(std::move(f));
    }
}

}  // namespace evtwin::ocpp
