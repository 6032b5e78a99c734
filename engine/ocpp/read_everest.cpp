// The OCPP log format EVerest libocpp: "<ISO time>: ChargePoint>CentralSystem Action", pretty JSON, blank
// line
#include "ocpp/format_readers.hpp"

#include "ocpp/log_text.hpp"

#include <cctype>

namespace evtwin::ocpp {

namespace {

Direction everest_direction(std::string_view arrow) {
    const std::size_t gt = arrow.find('>');
    const std::string_view from = arrow.substr(0, gt);
    if (from == "ChargePoint" || from == "ChargingStation" || from == "CS") return Direction::cs_to_csms;
    if (from == "CentralSystem" || from == "CSMS") return Direction::csms_to_cs;
    return Direction::unknown;
}

}  // namespace

bool everest_header(std::string_view t, std::string_view& ts, std::string_view& arrow) {
    const std::size_t sep = t.find(": ");
    if (sep == std::string_view::npos || sep < 19 || !std::isdigit(static_cast<unsigned char>(t[0])))
        return false;
    const std::string_view rest = t.substr(sep + 2);
    const std::size_t gt = rest.find('>');
    if (gt == std::string_view::npos || rest.find('{') != std::string_view::npos ||
        rest.find('[') != std::string_view::npos)
        return false;
    ts = t.substr(0, sep);
    arrow = rest.substr(0, rest.find(' '));
    return true;
}

void read_everest(std::string_view text, const ReadOptions& options, LogRead& out) {
    const std::vector<Line> lines = split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view t = trim(lines[i].text);
        if (t.empty()) continue;
        std::string_view ts, arrow;
        if (!everest_header(t, ts, arrow)) {
            problem(out.problems, lines[i].number, "bad_record",
                    "expected '<time>: ChargePoint>CentralSystem <Action>', got '" +
                        std::string(t.substr(0, 80)) + "'");
            continue;
        }
        Frame f;
        f.line = lines[i].number;
        // The message runs to the next blank line (or the next header, if the blank line is missing).
        std::string body;
        std::size_t j = i + 1;
        for (; j < lines.size(); ++j) {
            const std::string_view b = trim(lines[j].text);
            std::string_view ts2, arrow2;
            if (b.empty() || everest_header(b, ts2, arrow2)) break;
            body.append(b).push_back('\n');
        }
        i = j - 1;
        if (!parse_log_time(ts, options.zone(), f.ts_ms)) {
            bad_timestamp(out.problems, f.line, ts);
            continue;
        }
        f.cs = options.default_cs;
        f.dir = everest_direction(arrow);
        if (decode_message_text(body, f, out.problems)) out.frames.push_back(std::move(f));
    }
}

}  // namespace evtwin::ocpp
