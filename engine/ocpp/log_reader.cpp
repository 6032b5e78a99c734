#include "ocpp/log_reader.hpp"

#include <evtwin/errors.hpp>
#include "data/gzip_file.hpp"
#include "ocpp/actions.hpp"
#include "ocpp/format_readers.hpp"
#include "ocpp/log_text.hpp"

#include <set>

namespace evtwin::ocpp {

namespace {

using nlohmann::json;

// The version a frame shows, "" when any could send it: a BootNotification's or
// StatusNotification's payload, an action only one version has, or what only 2.1 carries (ISO
// 15118-20 bidirectional needs, a V2X charging profile's operation mode). A 2.1 station's other
// frames look like 2.0.1's.
std::string version_shown(const Frame& f) {
    if (f.type != MessageType::call) return "";
    if (only_in_ocpp21(f.action)) return "2.1";
    if (f.action == "NotifyEVChargingNeeds" || f.action == "SetChargingProfile") {
        const std::string& text = f.payload;
        if (text.find("\"v2xChargingParameters\"") != std::string::npos ||
            text.find("\"operationMode\"") != std::string::npos)
            return "2.1";
    }
    if (f.action == "TransactionEvent" || f.action == "NotifyEVChargingNeeds" ||
        f.action == "NotifyEVChargingSchedule" || f.action == "GetVariables" || f.action == "SetVariables" ||
        f.action == "RequestStartTransaction" || f.action == "RequestStopTransaction" ||
        f.action == "NotifyReport")
        return "2.0.1";
    if (f.action == "StartTransaction" || f.action == "StopTransaction" ||
        f.action == "RemoteStartTransaction" || f.action == "RemoteStopTransaction" ||
        f.action == "ChangeConfiguration" || f.action == "GetConfiguration")
        return "1.6";
    if (f.action == "BootNotification") {
        const json p = payload_json(f);
        if (p.contains("chargingStation")) return "2.0.1";
        if (p.contains("chargePointVendor")) return "1.6";
    }
    if (f.action == "StatusNotification")
        return payload_json(f).contains("connectorStatus") ? "2.0.1" : "1.6";
    return "";
}

// Each charge point's version: the log's own when it states one, else the one its lines name
// (read_jsonl), else what the charge point's own frames show (a central system may serve 1.6,
// 2.0.1 and 2.1 stations in one log): 2.1 where any frame shows it, since a 2.1 station's frames
// mostly look like 2.0.1's. A charge point that shows none takes the log's one version, if it has one.
void decide_versions(LogRead& out) {
    if (out.ocpp_version.empty()) {
        std::map<std::string, std::string> shown;
        for (const Frame& f : out.frames) {
            if (out.cs_versions.count(f.cs) != 0) continue;
            std::string v = version_shown(f);
            if (v.empty()) continue;
            auto [it, first] = shown.try_emplace(f.cs, v);
            if (!first && v == "2.1" && it->second == "2.0.1") it->second = v;
        }
        out.cs_versions.insert(shown.begin(), shown.end());
        std::set<std::string> versions;  // "1.6" < "2.0.1" < "2.1"
        for (const auto& [cs, v] : out.cs_versions) versions.insert(v);
        for (const std::string& v : versions) out.ocpp_version += (out.ocpp_version.empty() ? "" : "+") + v;
    }
    if (is_mixed_versions(out.ocpp_version) || out.ocpp_version.empty()) return;
    for (const Frame& f : out.frames) out.cs_versions.try_emplace(f.cs, out.ocpp_version);
}

// The value's text in a string of its own length (dump grows its string by doubling).
std::string compact_text(const json& value) {
    std::string text = value.dump();
    text.shrink_to_fit();
    return text;
}

}  // namespace

bool is_mixed_versions(const std::string& ocpp_version) {
    return ocpp_version.find('+') != std::string::npos;
}

bool decode_message(json&& m, Frame& f, std::vector<Problem>& problems) {
    auto bad = [&](std::string kind, std::string message) {
        problem(problems, f.line, std::move(kind), std::move(message));
        return false;
    };
    if (!m.is_array() || m.size() < 3 || !m[0].is_number_integer())
        return bad("bad_frame", "expected an OCPP-J array [type, id, ...]");
    const auto type = m[0].get<std::int64_t>();
    if (type < 2 || type > 4)
        return bad("unknown_message_type", "message type " + std::to_string(type) + ", expected 2, 3 or 4");
    if (!m[1].is_string()) return bad("bad_frame", "expected the message id as a string");
    f.type = static_cast<MessageType>(type);
    f.message_id = m[1].get<std::string>();
    if (f.type == MessageType::call) {
        if (m.size() != 4 || !m[2].is_string() || !m[3].is_object())
            return bad("bad_frame", "expected a CALL [2, id, action, {payload}]");
        f.action = m[2].get<std::string>();
        if (!is_known_action(f.action))
            return bad("unknown_action", "'" + f.action + "' is not an OCPP 1.6, 2.0.1 or 2.1 action");
        f.payload = compact_text(m[3]);
    } else if (f.type == MessageType::call_result) {
        if (m.size() != 3) return bad("bad_frame", "expected a CALLRESULT [3, id, {payload}]");
        f.payload = compact_text(m[2]);
    } else {
        if (m.size() < 4 || !m[2].is_string())
            return bad("bad_frame", "expected a CALLERROR [4, id, code, description, {details}]");
        json parts = json::array();
        for (std::size_t i = 2; i < m.size(); ++i) parts.push_back(std::move(m[i]));
        f.payload = compact_text(parts);
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
    } catch (const json::exception&
                 e) {  // e.g. out_of_range 406: a number too large for a double (found by fuzzing)
        problem(problems, f.line, "invalid_json", e.what());
        return false;
    }
}

namespace {

// A JSON Lines record of the canonical format, or one too broken to be anything else; a structured
// log's line ("time" for "ts", a number of seconds) is the general line log's.
bool canonical_jsonl(std::string_view line) {
    const json record = json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.is_object()) return true;
    const auto ts = record.find("ts");
    return ts != record.end() && (ts->is_string() || ts->is_number_integer());
}

// What detection reads: the log's first 64 KiB, to the end of the line they cut into (a first
// message may be longer than that).
std::string_view detection_sample(std::string_view text) {
    constexpr std::size_t kSample = 64 * 1024;
    if (text.size() <= kSample) return text;
    const std::size_t end = text.find('\n', kSample);
    return end == std::string_view::npos ? text : text.substr(0, end + 1);
}

}  // namespace

Format detect_format(const std::filesystem::path& file, std::string_view text, const ReadOptions& options) {
    const std::string_view sample = detection_sample(text);
    std::size_t seen = 0;
    for (const Line& l : split_lines(sample)) {
        const std::string_view t = trim(l.text);
        if (t.empty()) continue;
        if (seen++ > 60) break;
        if (t.front() == '{' && t.find("\"frame\"") != std::string_view::npos && canonical_jsonl(t))
            return Format::jsonl;
        if (seen == 1 && starts_with(t, "timestamp,") && t.find("msg") != std::string_view::npos)
            return Format::csv;
        if (starts_with(t, "Test Case Name") || t.find("] [msg-in] ") != std::string_view::npos ||
            t.find("] [msg-out] ") != std::string_view::npos)
            return Format::compliance;
        if (t.find("Received: [") != std::string_view::npos || t.find("Sending: [") != std::string_view::npos)
            return Format::steve;
        std::string_view ts, arrow;
        std::int64_t ms;
        if (everest_header(t, ts, arrow) && parse_timestamp(ts, ms)) return Format::everest;
    }
    // Nothing exact: the general line log, when it finds messages there.
    LogRead found;
    read_lines(file, sample, options, found);
    if (!found.frames.empty()) return Format::lines;
    // Why the general reader found nothing, where it found a frame it could not take.
    const std::string why = found.problems.empty() ? std::string()
                                                   : "; line " + std::to_string(found.problems.front().line) +
                                                         ": " + found.problems.front().message;
    throw DataError(
        file.string() +
        ": not a recognised OCPP log (expected JSON Lines with \"frame\", a CSV timestamp,id,action,msg, "
        "a compliance-tool, EVerest or SteVe log, or lines with a time and an OCPP-J frame [2,...])" +
        why + "; name a format with --format");
}

LogRead read_log(const std::filesystem::path& file, std::string_view text, const ReadOptions& options) {
    LogRead out;
    out.format = options.format ? *options.format : detect_format(file, text, options);
    switch (out.format) {
        case Format::jsonl:
            read_jsonl(text, options, out);
            break;
        case Format::csv:
            read_csv(file, text, options, out);
            break;
        case Format::compliance:
            read_compliance(text, options, out);
            break;
        case Format::everest:
            read_everest(text, options, out);
            break;
        case Format::steve:
            read_steve(text, options, out);
            break;
        case Format::lines:
            read_lines(file, text, options, out);
            break;
    }
    decide_versions(out);
    return out;
}

LogRead read_log_file(const std::filesystem::path& file, const ReadOptions& options) {
    const std::string text = read_maybe_gzip_file(file);
    return read_log(file, text, options);
}

}  // namespace evtwin::ocpp
