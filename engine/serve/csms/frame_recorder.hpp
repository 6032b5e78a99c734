#pragma once
// Every OCPP frame the central system receives or sends, kept twice: at once in a JSON Lines log
// (the importer's format, so `evtwin ocpp import|validate` read it), and in the results database's
// ocpp_frames table, written when the live run commits (docs/live.md).
#include "ocpp/frame.hpp"
#include "record/schema/sqlite_db.hpp"

#include <evtwin/time.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace evtwin::serve {

// A reply the central system sent, read back from the log: the CALLERROR or CALLRESULT frame's text,
// and ReplyCache::fingerprint of the CALL it answered.
struct RecordedReply {
    std::string id, reply, fingerprint;
};

class FrameRecorder {
public:
    // Appends to `log` (created when missing). Throws std::runtime_error naming it when it cannot.
    explicit FrameRecorder(std::filesystem::path log);
    ~FrameRecorder();
    FrameRecorder(const FrameRecorder&) = delete;
    FrameRecorder& operator=(const FrameRecorder&) = delete;

    const std::filesystem::path& log() const { return log_; }
    // The replies of the log as it was found (the last ones per charge point, oldest first).
    const std::map<std::string, std::vector<RecordedReply>>& previous_replies() const { return previous_; }

    // One well-formed frame (thread-safe). `action`: a CALL's, or that of the CALL a result answers.
    // `payload_text`: json_text of the payload (of [code, description, details] for a CALLERROR).
    void record(Time t, const std::string& cs, ocpp::Direction dir, ocpp::MessageType type,
                const std::string& id, const std::string& action, std::string payload_text);
    // The OCPP version a charge point speaks ("1.6", "2.0.1", "2.1"), written on each of its lines
    // from now on (key "ocpp") so that the importer checks its frames against that version.
    void set_version(const std::string& cs, const std::string& version);
    // A message that is not an OCPP-J frame: logged as received, not stored as a frame.
    void record_malformed(Time t, const std::string& cs, const std::string& text);

    // Registers the log as an import of `db` (ocpp_imports), inside the caller's open transaction;
    // write() stores the frames there.
    void attach(sqlite::Db& db);
    // Writes the frames recorded since the last call, inside the caller's open transaction.
    void write();
    // The ocpp_imports row of attach(); 0 before.
    std::int64_t import_id() const {
        std::lock_guard lock(mutex_);
        return import_;
    }

private:
    // A frame waiting for write(): ocpp_frames' columns, the payload as JSON text.
    struct PendingFrame {
        std::size_t line = 0;
        std::int64_t ts_ms = 0;
        std::string cs;
        ocpp::Direction dir = ocpp::Direction::unknown;
        ocpp::MessageType type = ocpp::MessageType::call;
        std::string message_id, action, payload;
    };

    void read_previous(const std::string& text);
    void append(const std::string& line);                 // under mutex_
    std::string version_of(const std::string& cs) const;  // under mutex_

    std::filesystem::path log_;
    std::FILE* out_ = nullptr;
    mutable std::mutex mutex_;
    std::vector<PendingFrame> pending_;
    std::size_t lines_ = 0;  // lines in the log, this process's included
    sqlite::Db* db_ = nullptr;
    sqlite::Stmt insert_;
    std::int64_t import_ = 0;  // ocpp_imports row, 0 before attach
    std::int64_t seq_ = 0;
    std::map<std::string, std::vector<RecordedReply>> previous_;
    std::map<std::string, std::string> versions_;  // by charge point
};

}  // namespace evtwin::serve
