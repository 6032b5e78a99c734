#pragma once
// The bookkeeping of one charge point's OCPP-J exchanges, both thread-safe:
// - PendingCalls: the CALLs the central system sends it. OCPP-J allows one CALL outstanding per
//   direction, so CALLs wait in a queue and the next one leaves when the previous is answered,
//   times out or is cancelled.
// - ReplyCache: the replies the central system sent it, by message id, so that a CALL sent again
//   with the same id (after a reconnect) gets the same reply and is not applied twice.
#include "serve/csms/ocpp_rpc.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace evtwin::serve {

// A message id unique within the process and, with high probability, across its restarts:
// "<8 random hex digits>-<counter>" (at most 29 characters).
std::string next_message_id();

// Codes of an outcome the charge point did not send: not OCPP codes, never put on the wire.
namespace call_code {
inline constexpr const char* timeout = "Timeout";       // no answer before the deadline
inline constexpr const char* cancelled = "Cancelled";   // cancel_all: the connection ended
inline constexpr const char* queue_full = "QueueFull";  // enqueue: too many CALLs waiting
}  // namespace call_code

// How a CALL of ours ended.
struct CallOutcome {
    std::string id;
    std::string action;
    bool ok = false;         // a CALLRESULT came
    nlohmann::json payload;  // ok: its payload (not checked against the schema here)
    RpcError error;          // else: the charge point's CALLERROR, or a call_code
};

class PendingCalls {
public:
    using Callback = std::function<void(const CallOutcome&)>;

    // Beyond `max_queued` CALLs waiting behind the outstanding one, enqueue refuses (QueueFull).
    explicit PendingCalls(std::size_t max_queued = 100);
    PendingCalls(const PendingCalls&) = delete;
    PendingCalls& operator=(const PendingCalls&) = delete;

    struct Enqueued {
        std::string id;                       // the CALL's message id
        std::optional<std::string> send_now;  // its frame, when nothing else is outstanding
    };
    // Queues a CALL; its deadline is `timeout_ms` after it leaves (when returned to be sent).
    // Callbacks run on the thread that ends the CALL, outside the lock (they may enqueue).
    Enqueued enqueue(std::string action, nlohmann::json payload, std::int64_t timeout_ms, std::int64_t now_ms,
                     Callback done);

    struct Resolved {
        bool matched = false;                  // it answered the outstanding CALL
        std::optional<std::string> send_next;  // the next CALL's frame, now outstanding
    };
    // A CALLRESULT or CALLERROR from the charge point. One that answers nothing outstanding (late,
    // after a timeout, or unknown) is not matched and changes nothing.
    Resolved resolve(const Incoming& answer, std::int64_t now_ms);
    // Times out the outstanding CALL once its deadline has passed (`now_ms` >= deadline); returns
    // the next CALL's frame to send, if any.
    std::optional<std::string> expire(std::int64_t now_ms);
    // Ends every outstanding and queued CALL with Cancelled and `reason` (e.g. the central system
    // stopping).
    void cancel_all(const std::string& reason);
    // The connection closed: cancel_all, and a CALL enqueued from now on ends at once, Cancelled with
    // `reason`. (A callback that holds the connection's state would otherwise keep it, in a CALL no
    // answer or timeout ever ends.)
    void close(const std::string& reason);

    std::optional<std::int64_t> next_deadline() const;  // of the outstanding CALL
    bool outstanding() const;
    std::size_t queued() const;  // waiting behind the outstanding one

private:
    struct Call {
        std::string id, action;
        nlohmann::json payload;
        std::int64_t timeout_ms = 0;
        Callback done;
    };
    // With the lock held: the next queued CALL becomes outstanding; its frame.
    std::optional<std::string> send_next_locked(std::int64_t now_ms);

    mutable std::mutex mutex_;
    std::size_t max_queued_;
    std::optional<Call> outstanding_;
    std::int64_t deadline_ms_ = 0;
    std::deque<Call> queue_;
    std::optional<std::string> closed_;  // close()'s reason
};

class ReplyCache {
public:
    explicit ReplyCache(std::size_t capacity = 256);

    // The request a reply answered, so that an id reused for another request (a charge point whose
    // message counter restarted) is not mistaken for a repeat: its action and a 64-bit hash of its
    // compact payload.
    static std::string fingerprint(std::string_view action, std::string_view payload_text);

    // The reply sent to an earlier CALL with this id (and, when remembered with one, this
    // fingerprint).
    std::optional<std::string> find(const Incoming& call) const;
    // Keeps `reply` for `id`, replacing an earlier one; the oldest entry goes beyond capacity. An
    // empty fingerprint matches any request with the id (prefilling from recorded frames that lack
    // the request).
    void remember(std::string id, std::string reply, std::string fingerprint = {});
    void remember(const Incoming& call, std::string reply);
    std::size_t size() const;

private:
    struct Entry {
        std::string reply, fingerprint;
        std::uint64_t seq = 0;
    };
    mutable std::mutex mutex_;
    std::size_t capacity_;
    std::uint64_t seq_ = 0;
    std::unordered_map<std::string, Entry> by_id_;
    std::deque<std::pair<std::uint64_t, std::string>> order_;  // (seq, id), oldest first; stale when replaced
};

}  // namespace evtwin::serve
