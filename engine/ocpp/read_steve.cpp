// The OCPP log format SteVe: "... [chargeBoxId=CP1, ...] Received: [...]" / "Sending: [...]"; SteVe is the
// CSMS.
#include "ocpp/format_readers.hpp"

#include "ocpp/log_text.hpp"

namespace evtwin::ocpp {

void read_steve(std::string_view text, const ReadOptions& options, LogRead& out) {
    for (const Line& l : split_lines(text)) {
        const std::string_view t = trim(l.text);
        std::size_t at = t.find("Received: ");
        Direction dir = Direction::cs_to_csms;
        std::size_t skip = 10;
        if (at == std::string_view::npos) {
            at = t.find("Sending: ");
            dir = Direction::csms_to_cs;
            skip = 9;
        }
        if (at == std::string_view::npos) continue;  // other log lines
        Frame f;
        f.line = l.number;
        f.dir = dir;
        // The line starts with its time: "2024-01-01 10:00:00.123" or ISO 8601.
        const std::size_t space = t.find(' ');
        std::string_view ts = t.substr(0, space);
        if (ts.size() == 10 && space != std::string_view::npos) ts = t.substr(0, t.find(' ', space + 1));
        if (!parse_log_time(ts, options.zone(), f.ts_ms)) {
            bad_timestamp(out.problems, l.number, ts);
            continue;
        }
        f.cs = options.default_cs;
        const std::size_t box = t.find("chargeBoxId=");
        if (box != std::string_view::npos && box < at) {
            const std::size_t from = box + 12;
            const std::size_t to = t.find_first_of(",] ", from);
            f.cs = std::string(t.substr(from, to - from));
        }
        if (decode_message_text(t.substr(at + skip), f, out.problems)) out.frames.push_back(std::move(f));
    }
}

}  // namespace evtwin::ocpp
