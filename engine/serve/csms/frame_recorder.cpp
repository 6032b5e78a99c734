#include "serve/csms/frame_recorder.hpp"

#include "model/local_time.hpp"
#include "record/schema/sqlite_db.hpp"
#include "serve/csms/ocpp_calls.hpp"
#include "serve/net/json_text.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace evtwin::serve {

namespace {

// The replies kept per charge point from an earlier log: as many as a ReplyCache holds.
constexpr std::size_t kPreviousReplies = 256;

}  // namespace

FrameRecorder::FrameRecorder(std::filesystem::path log) : log_(std::move(log)) {
    {
        // A restarted server goes on with the same log: its line numbers continue, and the replies
        // it sent last are answered again to a charge point that repeats the CALL.
        std::ifstream in(log_, std::ios::binary);
        read_previous(std::string(std::istreambuf_iterator<char>(in), {}));
    }
    out_ = std::fopen(log_.c_str(), "a");
    if (!out_) throw std::runtime_error("cannot open the OCPP frame log " + log_.string());
}

void FrameRecorder::read_previous(const std::string& text) {
    std::vector<std::string_view> lines;
    for (std::size_t from = 0; from < text.size();) {
        const std::size_t end = std::min(text.find('\n', from), text.size());
        lines.emplace_back(text.data() + from, end - from);
        from = end + 1;
    }
    lines_ = lines.size();
    // Per charge point: the fingerprint of each CALL it sent, by message id.
    std::map<std::string, std::map<std::string, std::string>> calls;
    const std::size_t first = lines.size() > 16 * kPreviousReplies ? lines.size() - 16 * kPreviousReplies : 0;
    for (std::size_t i = first; i < lines.size(); ++i) {
        const nlohmann::json l = nlohmann::json::parse(lines[i], nullptr, false);
        if (!l.is_object() || !l.contains("frame") || !l["frame"].is_array() || l["frame"].size() < 3 ||
            !l["frame"][1].is_string() || !l.contains("cs") || !l["cs"].is_string())
            continue;
        const nlohmann::json& f = l["frame"];
        const std::string cs = l["cs"], id = f[1], dir = l.value("dir", "");
        if (dir == "cs2csms" && f[0] == 2 && f.size() == 4 && f[2].is_string())
            calls[cs][id] = ReplyCache::fingerprint(f[2].get<std::string>(), json_text(f[3]));
        if (dir == "csms2cs" && (f[0] == 3 || f[0] == 4)) {
            const auto call = calls[cs].find(id);
            if (call == calls[cs].end()) continue;
            std::vector<RecordedReply>& kept = previous_[cs];
            kept.push_back({id, f.dump(), call->second});
            if (kept.size() > kPreviousReplies) kept.erase(kept.begin());
        }
    }
}

FrameRecorder::~FrameRecorder() {
    if (out_) std::fclose(out_);
}

void FrameRecorder::append(const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fputc('\n', out_);
    std::fflush(out_);
    ++lines_;
}

namespace {

std::string json_string(const std::string& text) {
    return json_text(nlohmann::json(text));
}

// One line of the log, as nlohmann::json would write the object {ts, cs, dir, frame, ocpp} (keys in
// order; ocpp only when the charge point's version is known), from the frame's text.
std::string log_line(Time t, const std::string& cs, ocpp::Direction dir, const std::string& frame,
                     const std::string& version) {
    std::string line = "{\"cs\":" + json_string(cs) + ",\"dir\":\"";
    line += ocpp::to_string(dir);
    line += "\",\"frame\":" + frame;
    if (!version.empty()) line += ",\"ocpp\":" + json_string(version);
    line += ",\"ts\":\"" + format_utc(t) + "\"}";
    return line;
}

}  // namespace

void FrameRecorder::record(Time t, const std::string& cs, ocpp::Direction dir, ocpp::MessageType type,
                           const std::string& id, const std::string& action, std::string payload_text) {
    PendingFrame f;
    f.ts_ms = t.ms();
    f.cs = cs;
    f.dir = dir;
    f.type = type;
    f.message_id = id;
    f.action = action;
    f.payload = std::move(payload_text);
    // Appended piece by piece, never as "," + std::string&&: GCC 12 reports a -Wrestrict false
    // positive inside libstdc++ for that operator when it is inlined here.
    std::string frame = "[";
    frame += std::to_string(static_cast<int>(type));
    frame += ',';
    frame += json_string(id);
    if (type == ocpp::MessageType::call) {
        frame += ',';
        frame += json_string(action);
    }
    if (type != ocpp::MessageType::call_error) {
        frame += ',';
        frame += f.payload;
    } else if (f.payload.size() > 2) {  // a CALLERROR's parts follow its id in the frame
        frame += ',';
        frame.append(f.payload, 1, f.payload.size() - 2);
    }
    frame += ']';
    std::lock_guard lock(mutex_);
    append(log_line(t, cs, dir, frame, version_of(cs)));
    f.line = lines_;
    pending_.push_back(std::move(f));
}

void FrameRecorder::record_malformed(Time t, const std::string& cs, const std::string& text) {
    std::lock_guard lock(mutex_);
    append(log_line(t, cs, ocpp::Direction::cs_to_csms, json_string(text), version_of(cs)));
}

void FrameRecorder::set_version(const std::string& cs, const std::string& version) {
    std::lock_guard lock(mutex_);
    versions_[cs] = version;
}

std::string FrameRecorder::version_of(const std::string& cs) const {
    const auto it = versions_.find(cs);
    return it == versions_.end() ? std::string() : it->second;
}

void FrameRecorder::attach(sqlite::Db& db) {
    std::lock_guard lock(mutex_);
    db_ = &db;
    import_ = db.query_int("SELECT coalesce(max(import_id), 0) + 1 FROM ocpp_imports");
    sqlite::Stmt(db,
                 "INSERT INTO ocpp_imports VALUES (?1, ?2, 'jsonl', '1.6/2.0.1/2.1', 0, 0, 0, 0, NULL, NULL)")
        .bind(1, import_)
        .bind(2, std::string_view(log_.string()))
        .run();
    insert_ = sqlite::Stmt(db, "INSERT INTO ocpp_frames VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
}

void FrameRecorder::write() {
    std::vector<PendingFrame> frames;
    {
        std::lock_guard lock(mutex_);
        frames.swap(pending_);
    }
    if (!db_ || frames.empty()) return;
    for (const PendingFrame& f : frames)
        insert_.bind(1, import_)
            .bind(2, seq_++)
            .bind(3, static_cast<std::int64_t>(f.line))
            .bind(4, f.ts_ms)
            .bind(5, std::string_view(f.cs))
            .bind(6, ocpp::to_string(f.dir))
            .bind(7, static_cast<std::int64_t>(f.type))
            .bind(8, std::string_view(f.message_id))
            .bind(9, std::string_view(f.action))
            .bind(10, std::string_view(f.payload))
            .run();
    sqlite::Stmt(*db_, "UPDATE ocpp_imports SET frames = ?2 WHERE import_id = ?1")
        .bind(1, import_)
        .bind(2, seq_)
        .run();
}

}  // namespace evtwin::serve
