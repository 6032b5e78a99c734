// The general OCPP line log: any log whose messages each carry a time (line_times.hpp) and an
// OCPP-J frame ([2,…], [3,…], [4,…]) somewhere on their line, as the Python `ocpp` library's
// applications, OCPP.Core, proxies, syslog and journald write them. A frame pretty-printed over
// several lines is joined from the lines after its header. The charge point comes from the line
// (chargeBoxId=…, "CP1: send", ChargePoint(CP1), /ocpp/CP1, "CP1 -> CSMS") or the --cs option; the
// direction from the words around the frame: endpoint names (CP1 -> CSMS, to CSMS), or send/receive
// words (send, received, tx, rx, in, out, >>, <<), which are turned into directions once the log's
// own side is known from the CALLs whose sender is fixed (BootNotification is always the
// station's). What no word tells is inferred: a CALL from its action, an answer from the CALL it
// answers.
#include "ocpp/format_readers.hpp"

#include "ocpp/actions.hpp"
#include "ocpp/json_log_line.hpp"
#include "ocpp/line_times.hpp"
#include "ocpp/log_text.hpp"

#include <evtwin/errors.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::ocpp {

namespace {

constexpr std::size_t kMaxContinuation = 2000;  // lines a pretty-printed frame may span

enum class Word { none, sent, received };  // as the log's writer says it

bool ascii_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Past the bracket closing the JSON array at `at` (strings and escapes respected), or npos when
// the text ends first.
std::size_t json_end(std::string_view s, std::size_t at) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = at; i < s.size(); ++i) {
        const char c = s[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            ++depth;
        } else if ((c == ']' || c == '}') && --depth == 0) {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

// The words and arrows of a line's text outside its frame.
std::vector<std::string> tokens(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t j = i;
            while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' ||
                                    s[j] == '-' || s[j] == '.')) {
                if (s[j] == '-' && j + 1 < s.size() && s[j + 1] == '>') break;
                ++j;
            }
            while (j > i && (s[j - 1] == '.' || s[j - 1] == '-')) --j;
            out.emplace_back(s.substr(i, j - i));
            i = std::max(j, i + 1);
        } else if (s.substr(i, 2) == "->" || s.substr(i, 2) == "<-" || s.substr(i, 2) == ">>" ||
                   s.substr(i, 2) == "<<" || s.substr(i, 2) == "=>" || s.substr(i, 2) == "<=") {
            out.emplace_back(s.substr(i, 2));
            i += 2;
        } else if (s.substr(i, 3) == "\xE2\x86\x92" || s.substr(i, 3) == "\xE2\x86\x90") {  // → ←
            out.emplace_back(s.substr(i, 3) == "\xE2\x86\x92" ? "->" : "<-");
            i += 3;
        } else {
            ++i;
        }
    }
    return out;
}

bool is_csms_name(const std::string& word) {
    const std::string w = lower(word);
    return w == "csms" || w == "centralsystem" || w == "central_system" || w == "central" || w == "server" ||
           w == "backend" || w == "csms-server";
}

bool is_station_name(const std::string& word, const std::string& cs) {
    const std::string w = lower(word);
    return (!cs.empty() && word == cs) || w == "cs" || w == "cp" || w == "chargepoint" ||
           w == "chargingstation" || w == "station" || w == "charger" || w == "evse" || w == "client";
}

Word word_of(const std::string& token) {
    const std::string w = lower(token);
    if (w == "send" || w == "sent" || w == "sending" || w == "sends" || w == "outgoing" || w == "out" ||
        w == "tx" || w == ">>" || w == "->" || w == "=>" || w == "write" || w == "wrote" || w == "transmit" ||
        w == "transmitted")
        return Word::sent;
    if (w == "receive" || w == "received" || w == "receiving" || w == "receives" || w == "incoming" ||
        w == "in" || w == "rx" || w == "<<" || w == "<-" || w == "<=" || w == "read" || w == "recv")
        return Word::received;
    return Word::none;
}

// The charge point a line names, or "".
std::string station_of(std::string_view text, const std::vector<std::string>& words) {
    static const char* const kKeys[] = {"chargeboxid",
                                        "chargepointid",
                                        "chargepoint_id",
                                        "charge_point_id",
                                        "chargingstationid",
                                        "charging_station_id",
                                        "chargestationid",
                                        "charge_station_id",
                                        "stationid",
                                        "station_id",
                                        "cpid",
                                        "cp_id",
                                        "identity",
                                        "chargerid",
                                        "charger_id",
                                        "chargepoint",
                                        "station",
                                        "cp"};
    const std::string low = lower(text);
    for (const char* key : kKeys) {
        const std::string k(key);
        for (std::size_t at = low.find(k); at != std::string::npos; at = low.find(k, at + 1)) {
            if (at > 0 && (std::isalnum(static_cast<unsigned char>(low[at - 1])) || low[at - 1] == '_'))
                continue;
            std::size_t p = at + k.size();
            if (p < text.size() && (text[p] == '(' || text[p] == '=' || text[p] == ':' || text[p] == '[')) {
                ++p;
                while (p < text.size() && (text[p] == ' ' || text[p] == '"' || text[p] == '\'')) ++p;
                std::size_t q = p;
                while (q < text.size() && (std::isalnum(static_cast<unsigned char>(text[q])) ||
                                           text[q] == '_' || text[q] == '-' || text[q] == '.'))
                    ++q;
                if (q > p) return std::string(text.substr(p, q - p));
            }
        }
    }
    if (const std::size_t at = low.find("/ocpp"); at != std::string::npos) {
        const std::size_t slash = text.find('/', at + 1);
        if (slash != std::string_view::npos) {
            std::size_t q = slash + 1;
            while (q < text.size() && text[q] != '/' && text[q] != ' ' && text[q] != '?' && text[q] != ']' &&
                   text[q] != ':')
                ++q;
            if (q > slash + 1) return std::string(text.substr(slash + 1, q - slash - 1));
        }
    }
    // "CP1: send [...]" (the Python ocpp library's logger) and "CP1 -> CSMS" / "CSMS -> CP1".
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
        const bool arrow =
            words[i + 1] == "->" || words[i + 1] == "<-" || words[i + 1] == "=>" || words[i + 1] == "<=";
        if (arrow && i + 2 < words.size()) {
            if (is_csms_name(words[i + 2]) && !is_csms_name(words[i])) return words[i];
            if (is_csms_name(words[i]) && !is_csms_name(words[i + 2])) return words[i + 2];
        }
        if (word_of(words[i + 1]) != Word::none && !arrow) {
            const std::size_t at = text.find(words[i] + ": " + words[i + 1]);
            if (at != std::string_view::npos && !is_csms_name(words[i]) && word_of(words[i]) == Word::none &&
                !ascii_digit(words[i][0]))
                return words[i];
        }
    }
    return {};
}

// A direction the line states by its endpoints: "CP1 -> CSMS", "CSMS => CP1", "to CSMS", "from CP1".
Direction stated_direction(const std::vector<std::string>& words, const std::string& cs) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i + 2 < words.size()) {
            const std::string& a = words[i];
            const std::string& arrow = words[i + 1];
            const std::string& b = words[i + 2];
            const bool forward = arrow == "->" || arrow == "=>", backward = arrow == "<-" || arrow == "<=";
            if (forward || backward) {
                const std::string& from = forward ? a : b;
                const std::string& to = forward ? b : a;
                // Only an arrow with the central system on one side names endpoints ("CP1 => In:"
                // is a log's decoration).
                if (is_csms_name(to) && !is_csms_name(from)) return Direction::cs_to_csms;
                if (is_csms_name(from) && !is_csms_name(to)) return Direction::csms_to_cs;
            }
        }
        if (i + 1 < words.size()) {
            const std::string w = lower(words[i]);
            if (w == "to" || w == "from") {
                const bool to = w == "to";
                if (is_csms_name(words[i + 1])) return to ? Direction::cs_to_csms : Direction::csms_to_cs;
                if (is_station_name(words[i + 1], cs))
                    return to ? Direction::csms_to_cs : Direction::cs_to_csms;
            }
        }
    }
    return Direction::unknown;
}

// The last send/receive word of the line, outside its frame.
Word last_word(const std::vector<std::string>& words) {
    Word found = Word::none;
    for (const std::string& w : words) {
        if (const Word x = word_of(w); x != Word::none) found = x;
    }
    return found;
}

Direction opposite(Direction d) {
    return d == Direction::cs_to_csms   ? Direction::csms_to_cs
           : d == Direction::csms_to_cs ? Direction::cs_to_csms
                                        : Direction::unknown;
}

struct Message {
    Frame frame;
    LineTime time;
    Word word = Word::none;
    bool dated = true;  // false: a syslog date its year does not have
};

// The messages of the log's lines, each with its time, charge point and the direction or word the
// line states.
std::vector<Message> read_messages(std::string_view text, const ReadOptions& options, LogRead& out) {
    std::vector<Line> lines = split_lines(text);
    // Structured lines (JSON objects) are read as the text they stand for.
    std::vector<std::string> structured(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (auto as_text = json_log_line(lines[i].text)) {
            structured[i] = std::move(*as_text);
            lines[i].text = structured[i];
        }
    }
    std::vector<Message> messages;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view t = lines[i].text;
        const std::optional<std::size_t> first_frame = frame_start(t, 0);
        const auto time = find_line_time(t, first_frame.value_or(std::string_view::npos));
        if (!time) {
            if (first_frame)
                problem(out.problems, lines[i].number, "bad_timestamp", "a frame without a time before it");
            continue;
        }
        const std::size_t time_end = time->end;
        std::string joined(t);
        std::optional<std::size_t> frame = frame_start(joined, time_end);
        std::size_t end = frame ? json_end(joined, *frame) : std::string::npos;
        // A frame that starts (or goes on) on the next lines: join them, up to the next line that
        // starts with a time (a time inside a pretty-printed payload does not end the frame).
        std::size_t j = i + 1;
        while ((!frame || end == std::string::npos) && j < lines.size() && j - i <= kMaxContinuation) {
            if (starts_with_time(lines[j].text)) break;
            joined.append("\n").append(lines[j].text);
            ++j;
            if (!frame) frame = frame_start(joined, time_end);
            if (frame) end = json_end(joined, *frame);
        }
        if (!frame) continue;  // a line of the log that carries no message
        const std::size_t header = lines[i].number;
        i = j - 1;
        if (end == std::string::npos) {
            problem(out.problems, header, "truncated", "the frame's brackets are not closed");
            continue;
        }
        Message m;
        m.frame.line = header;
        m.time = time->time;
        m.frame.ts_ms = m.time.wall && options.zone() ? wall_to_utc(m.time.ms, *options.zone()) : m.time.ms;
        const std::string outside = joined.substr(time_end, *frame - time_end) + " " + joined.substr(end);
        const std::vector<std::string> words = tokens(outside);
        m.frame.cs = station_of(outside, words);
        m.frame.dir = stated_direction(words, m.frame.cs);
        m.word = m.frame.dir == Direction::unknown
                     ? last_word(tokens(joined.substr(time_end, *frame - time_end)))
                     : Word::none;
        if (m.frame.cs.empty()) m.frame.cs = options.default_cs;
        if (decode_message_text(std::string_view(joined).substr(*frame, end - *frame), m.frame,
                                out.problems)) {
            messages.push_back(std::move(m));
        }
    }
    return messages;
}

// The first time a message states among its payload's strings (currentTime, timestamp, ...), as
// deep as OCPP puts them (MeterValues: meterValue[k].timestamp), from 2000 to 2100.
std::optional<std::int64_t> stated_time(const nlohmann::json& v, int depth = 0) {
    constexpr int kDeepest = 8;
    std::int64_t ms = 0;
    if (v.is_string()) {
        const bool dated = parse_timestamp(v.get_ref<const std::string&>(), ms) && in_log_years(ms);
        return dated ? std::optional(ms) : std::nullopt;
    }
    if (v.is_structured() && depth < kDeepest)
        for (const auto& x : v)
            if (const auto t = stated_time(x, depth + 1)) return t;
    return std::nullopt;
}

// Syslog times state no year: the first takes the year given (ReadOptions::year), else the one the
// first date a message states puts it in; the later ones count on from it (assign_years). A log
// that gives neither is refused; a date its year does not have is a bad_timestamp.
void date_syslog_times(std::vector<Message>& messages, const std::filesystem::path& file,
                       const ReadOptions& options, LogRead& out) {
    std::vector<Message*> yearless;
    std::vector<LineTime> times;
    for (Message& m : messages) {
        if (m.time.has_year()) continue;
        yearless.push_back(&m);
        times.push_back(m.time);
    }
    if (yearless.empty()) return;
    std::vector<int> years(times.size());
    assign_years(times, 0, years);  // years after the first's
    std::optional<int> first_year = options.year;
    for (std::size_t k = 0; k < yearless.size() && !first_year; ++k)
        if (const auto stated = stated_time(payload_json(yearless[k]->frame)))
            first_year = nearest_year(times[k], *stated) - years[k];
    if (!first_year)
        throw DataError(file.string() + ": line " + std::to_string(yearless.front()->frame.line) +
                        ": its time (as 'Nov 24 09:12:00') states no year, and no message states a date: "
                        "give the year of the first such time with --year");
    for (std::size_t k = 0; k < yearless.size(); ++k) {
        Message& m = *yearless[k];
        if (const auto ms = in_year(times[k], *first_year + years[k])) {
            m.frame.ts_ms = options.zone() ? wall_to_utc(*ms, *options.zone()) : *ms;
        } else {
            problem(out.problems, m.frame.line, "bad_timestamp",
                    "no day " + std::to_string(m.time.day) + " in month " + std::to_string(m.time.month) +
                        " of " + std::to_string(*first_year + years[k]));
            m.dated = false;
        }
    }
    std::erase_if(messages, [](const Message& m) { return !m.dated; });
}

}  // namespace

void read_lines(const std::filesystem::path& file, std::string_view text, const ReadOptions& options,
                LogRead& out) {
    std::vector<Message> messages = read_messages(text, options, out);
    date_syslog_times(messages, file, options, out);

    // Whose log it is: the side that sends what it says it sends.
    int station_votes = 0, csms_votes = 0;
    for (const Message& m : messages) {
        if (m.frame.type != MessageType::call || m.word == Word::none) continue;
        const Direction sender = call_direction(m.frame.action);
        if (sender == Direction::unknown) continue;
        const bool writer_sent = m.word == Word::sent;
        ((sender == Direction::cs_to_csms) == writer_sent ? station_votes : csms_votes)++;
    }
    const Direction writer_sends = station_votes > csms_votes   ? Direction::cs_to_csms
                                   : csms_votes > station_votes ? Direction::csms_to_cs
                                                                : Direction::unknown;
    std::map<std::pair<std::string, std::string>, Direction>
        calls;  // (cs, message id) -> the CALL's direction
    for (Message& m : messages) {
        Frame& f = m.frame;
        if (f.dir == Direction::unknown && m.word != Word::none && writer_sends != Direction::unknown) {
            f.dir = m.word == Word::sent ? writer_sends : opposite(writer_sends);
        }
        if (f.type == MessageType::call) {
            if (f.dir == Direction::unknown) f.dir = call_direction(f.action);
            calls[{f.cs, f.message_id}] = f.dir;
        } else if (f.dir == Direction::unknown) {
            const auto it = calls.find({f.cs, f.message_id});
            if (it != calls.end()) f.dir = opposite(it->second);
        }
        out.frames.push_back(std::move(f));
    }
}

}  // namespace evtwin::ocpp
