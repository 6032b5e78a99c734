#include "ocpp/log_reader.hpp"

#include <evtwin/errors.hpp>
#include "data/text_file.hpp"
#include "ocpp/actions.hpp"

#include <algorithm>
#include <cctype>

namespace evtwin::ocpp {

namespace {

using nlohmann::json;

struct Line {
    std::size_t number;
    std::string_view text;
};

// The lines of `text` without their "\r\n" / "\n".
std::vector<Line> split_lines(std::string_view text) {
    std::vector<Line> lines;
    std::size_t start = 0, number = 1;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back({number++, line});
        start = end + 1;
    }
    return lines;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

void problem(std::vector<Problem>& problems, std::size_t line, std::string kind, std::string message) {
    problems.push_back({line, std::move(kind), std::move(message)});
}

void bad_timestamp(LogRead& out, std::size_t line, std::string_view ts) {
    problem(out.problems, line, "bad_timestamp", "expected an ISO 8601 time, got '" + std::string(ts) + "'");
}

// ---- JSON Lines: {"ts": "...", "cs": "...", "dir": "cs2csms"|"csms2cs", "frame": [...]}
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
            problem(out.problems, l.number, "bad_record", "expected an object with \"ts\", \"cs\" and \"frame\"");
            continue;
        }
        Frame f;
        f.line = l.number;
        const json& ts = obj.contains("ts") ? obj["ts"] : json();
        if (ts.is_number_integer()) {
            f.ts_ms = ts.get<std::int64_t>();
        } else if (!ts.is_string() || !parse_timestamp(ts.get_ref<const std::string&>(), f.ts_ms)) {
            bad_timestamp(out, l.number, ts.is_string() ? ts.get_ref<const std::string&>() : ts.dump());
            continue;
        }
        f.cs = obj.contains("cs") && obj["cs"].is_string() ? obj["cs"].get<std::string>() : options.default_cs;
        if (obj.contains("dir")) {
            const json& d = obj["dir"];
            if (d == "cs2csms") f.dir = Direction::cs_to_csms;
            else if (d == "csms2cs") f.dir = Direction::csms_to_cs;
            else {
                problem(out.problems, l.number, "bad_record", "expected \"dir\" cs2csms or csms2cs, got " + d.dump());
                continue;
            }
        }
        if (decode_message(std::move(obj["frame"]), f, out.problems)) out.frames.push_back(std::move(f));
    }
}

// ---- CSV timestamp,id,action,msg (no direction)
// A streaming RFC 4180 reader: each record is read into reused strings (no table of cells), and a
// bad record (too many fields, an unterminated quote) is a Problem, not the end of the import.
class CsvRecords {
public:
    explicit CsvRecords(std::string_view text) : data_(text) {
        if (data_.substr(0, 3) == "\xEF\xBB\xBF") data_.remove_prefix(3);
    }
    // The next non-blank record into `fields` (resized to its field count); false at the end.
    // `line` is where the record starts; `unterminated` is set for a quote left open at the end.
    bool next(std::vector<std::string>& fields, std::size_t& count, std::size_t& line, bool& unterminated) {
        while (pos_ < data_.size()) {
            line = line_;
            count = 0;
            unterminated = false;
            if (!record(fields, count, unterminated)) continue;  // blank line
            return true;
        }
        return false;
    }

private:
    std::string& field(std::vector<std::string>& fields, std::size_t& count) {
        if (count == fields.size()) fields.emplace_back();
        std::string& f = fields[count++];
        f.clear();
        return f;
    }

    // Returns false for a blank line.
    bool record(std::vector<std::string>& fields, std::size_t& count, bool& unterminated) {
        const std::size_t begin = pos_;
        std::string* f = &field(fields, count);
        while (pos_ < data_.size()) {
            char c = data_[pos_];
            if (c == '"' && f->empty()) {  // a quoted field: copy up to each quote
                ++pos_;
                while (true) {
                    const std::size_t q = data_.find('"', pos_);
                    const std::size_t stop = q == std::string_view::npos ? data_.size() : q;
                    const std::string_view chunk = data_.substr(pos_, stop - pos_);
                    line_ += static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
                    f->append(chunk);
                    if (q == std::string_view::npos) {
                        pos_ = data_.size();
                        unterminated = true;
                        return true;
                    }
                    pos_ = q + 1;
                    if (pos_ < data_.size() && data_[pos_] == '"') {
                        f->push_back('"');
                        ++pos_;
                        continue;
                    }
                    break;
                }
                continue;
            }
            // Unquoted text (or text after a closing quote, kept literally) up to a comma or line end.
            const std::size_t stop = data_.find_first_of(",\r\n", pos_);
            const std::size_t end = stop == std::string_view::npos ? data_.size() : stop;
            f->append(data_.substr(pos_, end - pos_));
            pos_ = end;
            if (pos_ >= data_.size()) break;
            c = data_[pos_++];
            if (c == ',') {
                f = &field(fields, count);
                continue;
            }
            if (c == '\r' && pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
            ++line_;
            break;
        }
        const bool blank = count == 1 && data_.substr(begin, pos_ - begin).find_first_not_of("\r\n") == std::string_view::npos;
        return !blank;
    }

    std::string_view data_;
    std::size_t pos_ = 0, line_ = 1;
};

void read_csv(const std::filesystem::path& file, std::string_view text, const ReadOptions& options, LogRead& out) {
    CsvRecords csv(text);
    std::vector<std::string> fields;
    std::size_t count = 0, line = 0;
    bool unterminated = false;
    if (!csv.next(fields, count, line, unterminated)) throw DataError(file.string() + ": no header line (the file is empty)");
    std::vector<std::string> header(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(count));
    for (auto& h : header) h = std::string(trim(h));
    const std::size_t none = header.size();
    auto column = [&](std::string_view name) {
        const auto it = std::find(header.begin(), header.end(), name);
        return it == header.end() ? none : static_cast<std::size_t>(it - header.begin());
    };
    const std::size_t ts_col = column("timestamp"), msg_col = column("msg"), id_col = column("id"),
                      action_col = column("action");
    if (ts_col == none || msg_col == none) {
        std::string known;
        for (const auto& h : header) known += (known.empty() ? "'" : ", '") + h + "'";
        throw DataError(file.string() + ": no column '" + (ts_col == none ? "timestamp" : "msg") + "'; the columns are " + known);
    }
    out.frames.reserve(text.size() / 96);
    while (csv.next(fields, count, line, unterminated)) {
        if (unterminated) {
            problem(out.problems, line, "truncated", "unterminated quoted field (expected a closing '\"')");
            break;
        }
        if (count > header.size()) {
            const std::string what =
                "expected at most " + std::to_string(header.size()) + " fields (as in the header), got " + std::to_string(count);
            if (msg_col + 1 != header.size()) {
                problem(out.problems, line, "bad_record", what);
                continue;
            }
            // msg is the last column: an unquoted frame was split at its commas; join it back, and
            // keep the frame only if that makes a valid message.
            for (std::size_t c = msg_col + 1; c < count; ++c) (fields[msg_col] += ',') += fields[c];
            Frame f;
            f.line = line;
            std::vector<Problem> scratch;
            if (!parse_timestamp(fields[ts_col], f.ts_ms) || !decode_message_text(fields[msg_col], f, scratch)) {
                problem(out.problems, line, "bad_record", what);
                continue;
            }
            problem(out.problems, line, "bad_record", what + "; the frame read from the unquoted rest of the line");
            count = header.size();
        }
        for (std::size_t c = count; c < header.size(); ++c) {  // missing trailing fields read as empty
            if (c < fields.size()) fields[c].clear();
            else fields.emplace_back();
        }
        Frame f;
        f.line = line;
        if (!parse_timestamp(fields[ts_col], f.ts_ms)) {
            bad_timestamp(out, f.line, fields[ts_col]);
            continue;
        }
        if (!decode_message_text(fields[msg_col], f, out.problems)) continue;
        f.cs = id_col != none && !fields[id_col].empty() ? fields[id_col] : options.default_cs;
        if (action_col != none && f.type == MessageType::call && !fields[action_col].empty() && fields[action_col] != f.action)
            problem(out.problems, f.line, "action_mismatch",
                    "column action says '" + fields[action_col] + "', the frame '" + f.action + "'");
        out.frames.push_back(std::move(f));
    }
}

// ---- compliance tool: "[2024-05-17T09:20:44:561] [msg-in] [2, ...]" after a header
void read_compliance(std::string_view text, const ReadOptions& options, LogRead& out) {
    // The tool plays the other side of the system under test: with SUT CS, msg-in comes from the CS.
    Direction in_dir = Direction::unknown, out_dir = Direction::unknown;
    for (const Line& l : split_lines(text)) {
        const std::string_view t = trim(l.text);
        if (starts_with(t, "System Under Test")) {
            const std::string_view sut = trim(t.substr(t.find(':') == std::string_view::npos ? t.size() : t.find(':') + 1));
            if (sut == "CS" || sut == "CP") in_dir = Direction::cs_to_csms, out_dir = Direction::csms_to_cs;
            if (sut == "CSMS" || sut == "CSS") in_dir = Direction::csms_to_cs, out_dir = Direction::cs_to_csms;
            continue;
        }
        if (starts_with(t, "OCPP Version")) {
            if (t.find("2.0.1") != std::string_view::npos) out.ocpp_version = "2.0.1";
            else if (t.find("1.6") != std::string_view::npos) out.ocpp_version = "1.6";
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
        if (!parse_timestamp(ts, f.ts_ms)) {
            bad_timestamp(out, l.number, ts);
            continue;
        }
        f.cs = options.default_cs;
        f.dir = in ? in_dir : out_dir;
        if (decode_message_text(trim(rest.substr(rest.find(']') + 1)), f, out.problems))
            out.frames.push_back(std::move(f));
    }
}

// ---- EVerest libocpp: "<ISO time>: ChargePoint>CentralSystem Action", pretty JSON, blank line
Direction everest_direction(std::string_view arrow) {
    const std::size_t gt = arrow.find('>');
    const std::string_view from = arrow.substr(0, gt);
    if (from == "ChargePoint" || from == "ChargingStation" || from == "CS") return Direction::cs_to_csms;
    if (from == "CentralSystem" || from == "CSMS") return Direction::csms_to_cs;
    return Direction::unknown;
}

// "2024-01-01T10:00:00.000Z: ChargePoint>CentralSystem BootNotification": the time and the arrow.
bool everest_header(std::string_view t, std::string_view& ts, std::string_view& arrow) {
    const std::size_t sep = t.find(": ");
    if (sep == std::string_view::npos || sep < 19 || !std::isdigit(static_cast<unsigned char>(t[0]))) return false;
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
                    "expected '<time>: ChargePoint>CentralSystem <Action>', got '" + std::string(t.substr(0, 80)) + "'");
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
        if (!parse_timestamp(ts, f.ts_ms)) {
            bad_timestamp(out, f.line, ts);
            continue;
        }
        f.cs = options.default_cs;
        f.dir = everest_direction(arrow);
        if (decode_message_text(body, f, out.problems)) out.frames.push_back(std::move(f));
    }
}

// ---- SteVe: "... [chargeBoxId=CP1, ...] Received: [...]" / "Sending: [...]"; SteVe is the CSMS.
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
        if (!parse_timestamp(ts, f.ts_ms)) {
            bad_timestamp(out, l.number, ts);
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

std::string guess_version(const std::vector<Frame>& frames) {
    for (const Frame& f : frames) {
        if (f.type != MessageType::call) continue;
        if (f.action == "TransactionEvent" || f.action == "GetVariables" || f.action == "SetVariables" ||
            f.action == "RequestStartTransaction" || f.action == "NotifyReport")
            return "2.0.1";
        if (f.action == "StartTransaction" || f.action == "StopTransaction" || f.action == "RemoteStartTransaction" ||
            f.action == "ChangeConfiguration" || f.action == "GetConfiguration")
            return "1.6";
        if (f.action == "StatusNotification" && f.payload.is_object())
            return f.payload.contains("connectorStatus") ? "2.0.1" : "1.6";
    }
    return "";
}

}  // namespace

bool decode_message(json&& m, Frame& f, std::vector<Problem>& problems) {
    auto bad = [&](std::string kind, std::string message) {
        problem(problems, f.line, std::move(kind), std::move(message));
        return false;
    };
    if (!m.is_array() || m.size() < 3 || !m[0].is_number_integer())
        return bad("bad_frame", "expected an OCPP-J array [type, id, ...]");
    const auto type = m[0].get<std::int64_t>();
    if (type < 2 || type > 4) return bad("unknown_message_type", "message type " + std::to_string(type) + ", expected 2, 3 or 4");
    if (!m[1].is_string()) return bad("bad_frame", "expected the message id as a string");
    f.type = static_cast<MessageType>(type);
    f.message_id = m[1].get<std::string>();
    if (f.type == MessageType::call) {
        if (m.size() != 4 || !m[2].is_string() || !m[3].is_object())
            return bad("bad_frame", "expected a CALL [2, id, action, {payload}]");
        f.action = m[2].get<std::string>();
        if (!is_known_action(f.action))
            return bad("unknown_action", "'" + f.action + "' is not an OCPP 1.6 or 2.0.1 action");
        f.payload = std::move(m[3]);
    } else if (f.type == MessageType::call_result) {
        if (m.size() != 3) return bad("bad_frame", "expected a CALLRESULT [3, id, {payload}]");
        f.payload = std::move(m[2]);
    } else {
        if (m.size() < 4 || !m[2].is_string()) return bad("bad_frame", "expected a CALLERROR [4, id, code, description, {details}]");
        f.payload = json::array();
        for (std::size_t i = 2; i < m.size(); ++i) f.payload.push_back(std::move(m[i]));
    }
    return true;
}

bool decode_message_text(std::string_view text, Frame& f, std::vector<Problem>& problems) {
    try {
        return decode_message(json::parse(text), f, problems);
    } catch (const json::parse_error& e) {
        // An error at the very end of the text: the line was cut off.
        const bool truncated = e.byte >= text.size();
        problem(problems, f.line, truncated ? "truncated" : "invalid_json", e.what());
        return false;
    } catch (const json::exception& e) {  // e.g. out_of_range 406: a number too large for a double (found by fuzzing)
        problem(problems, f.line, "invalid_json", e.what());
        return false;
    }
}

Format detect_format(const std::filesystem::path& file, std::string_view text) {
    std::size_t seen = 0;
    for (const Line& l : split_lines(text.substr(0, 64 * 1024))) {
        const std::string_view t = trim(l.text);
        if (t.empty()) continue;
        if (seen++ > 60) break;
        if (t.front() == '{' && t.find("\"frame\"") != std::string_view::npos) return Format::jsonl;
        if (seen == 1 && starts_with(t, "timestamp,") && t.find("msg") != std::string_view::npos) return Format::csv;
        if (starts_with(t, "Test Case Name") || t.find("] [msg-in] ") != std::string_view::npos ||
            t.find("] [msg-out] ") != std::string_view::npos)
            return Format::compliance;
        if (t.find("Received: [") != std::string_view::npos || t.find("Sending: [") != std::string_view::npos)
            return Format::steve;
        std::string_view ts, arrow;
        std::int64_t ms;
        if (everest_header(t, ts, arrow) && parse_timestamp(ts, ms)) return Format::everest;
    }
    throw DataError(file.string() +
                    ": not a recognised OCPP log (expected JSON Lines with \"frame\", a CSV timestamp,id,action,msg, "
                    "a compliance-tool, EVerest or SteVe log); name one with --format");
}

LogRead read_log(const std::filesystem::path& file, std::string_view text, const ReadOptions& options) {
    LogRead out;
    out.format = options.format ? *options.format : detect_format(file, text);
    switch (out.format) {
        case Format::jsonl: read_jsonl(text, options, out); break;
        case Format::csv: read_csv(file, text, options, out); break;
        case Format::compliance: read_compliance(text, options, out); break;
        case Format::everest: read_everest(text, options, out); break;
        case Format::steve: read_steve(text, options, out); break;
    }
    if (out.ocpp_version.empty()) out.ocpp_version = guess_version(out.frames);
    return out;
}

LogRead read_log_file(const std::filesystem::path& file, const ReadOptions& options) {
    const std::string text = read_text_file(file);
    return read_log(file, text, options);
}

}  // namespace evtwin::ocpp
