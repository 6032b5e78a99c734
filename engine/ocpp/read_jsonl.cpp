// The OCPP log format JSON Lines: {"ts": "...", "cs": "...", "dir": "cs2csms"|"csms2cs", "frame": [...]},
// optionally "ocpp": the charge point's version ("1.6", "2.0.1", "2.1"), as `evtwin serve` writes it.
#include "ocpp/format_readers.hpp"

#include "ocpp/log_text.hpp"

namespace evtwin::ocpp {

using nlohmann::json;

void read_jsonl(std::string_view text, const ReadOptions& options, LogRead& out) {
    for (const Line& l : split_lines(text)) {
        const std::string_view t = trim(l.text);
        if (t.empty()) continue;
        json obj = json::parse(t, nullptr, false);
        if (obj.is_discarded()) {
            Frame f;
            f.line = l.number;
            decode_message_text(t, f, out.problems);  // reports invalid_json / truncated
            continue;
        }
        if (!obj.is_object() || !obj.contains("frame")) {
            problem(out.problems, l.number, "bad_record",
                    "expected an object with \"ts\", \"cs\" and \"frame\"");
            continue;
        }
        Frame f;
        f.line = l.number;
        const json& ts = obj.contains("ts") ? obj["ts"] : json();
        if (ts.is_number_integer()) {
            f.ts_ms = ts.get<std::int64_t>();
        } else if (!ts.is_string() ||
                   !parse_log_time(ts.get_ref<const std::string&>(), options.zone(), f.ts_ms)) {
            bad_timestamp(out.problems, l.number,
                          ts.is_string() ? ts.get_ref<const std::string&>() : ts.dump());
            continue;
        }
        f.cs =
            obj.contains("cs") && obj["cs"].is_string() ? obj["cs"].get<std::string>() : options.default_cs;
        if (obj.contains("dir")) {
            const json& d = obj["dir"];
            if (d == "cs2csms")
                f.dir = Direction::cs_to_csms;
            else if (d == "csms2cs")
                f.dir = Direction::csms_to_cs;
            else {
                problem(out.problems, l.number, "bad_record",
                        "expected \"dir\" cs2csms or csms2cs, got " + d.dump());
                continue;
            }
        }
        // The version the central system negotiated with the charge point, when the log says.
        if (const auto v = obj.find("ocpp");
            v != obj.end() && v->is_string() && (*v == "1.6" || *v == "2.0.1" || *v == "2.1"))
            out.cs_versions.try_emplace(f.cs, v->get<std::string>());
        if (decode_message(std::move(obj["frame"]), f, out.problems)) out.frames.push_back(std::move(f));
    }
}

}  // namespace evtwin::ocpp
