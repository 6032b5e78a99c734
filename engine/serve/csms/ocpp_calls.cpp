#include "serve/csms/ocpp_calls.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <utility>
#include <vector>

namespace evtwin::serve {

namespace {

std::string process_prefix() {
    std::random_device device;
    std::seed_seq seed{device(), device(),
                       static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count())};
    std::mt19937 rng(seed);
    char text[16];
    std::snprintf(text, sizeof text, "%08x", static_cast<unsigned>(rng()));
    return text;
}

void finish(std::vector<std::pair<PendingCalls::Callback, CallOutcome>>& done) {
    for (auto& [callback, outcome] : done)
        if (callback) callback(outcome);
}

}  // namespace

std::string next_message_id() {
    static const std::string prefix = process_prefix();
    static std::atomic<std::uint64_t> counter{0};
    return prefix + "-" + std::to_string(++counter);
}

PendingCalls::PendingCalls(std::size_t max_queued) : max_queued_(max_queued) {}

std::optional<std::string> PendingCalls::send_next_locked(std::int64_t now_ms) {
    if (outstanding_ || queue_.empty()) return std::nullopt;
    outstanding_ = std::move(queue_.front());
    queue_.pop_front();
    deadline_ms_ = now_ms + std::max<std::int64_t>(outstanding_->timeout_ms, 1);
    return call_frame(outstanding_->id, outstanding_->action, outstanding_->payload);
}

PendingCalls::Enqueued PendingCalls::enqueue(std::string action, nlohmann::json payload,
                                             std::int64_t timeout_ms, std::int64_t now_ms, Callback done) {
    Enqueued out;
    out.id = next_message_id();
    CallOutcome refused;
    refused.id = out.id;
    {
        const std::lock_guard lock(mutex_);
        if (closed_) {
            refused.error = {call_code::cancelled, *closed_, nlohmann::json::object()};
        } else if (!outstanding_ || queue_.size() < max_queued_) {
            queue_.push_back(
                Call{out.id, std::move(action), std::move(payload), timeout_ms, std::move(done)});
            out.send_now = send_next_locked(now_ms);
            return out;
        } else {
            refused.error = {call_code::queue_full,
                             std::to_string(max_queued_) + " CALLs already wait for this charge point.",
                             nlohmann::json::object()};
        }
    }
    refused.action = std::move(action);
    if (done) done(refused);
    return out;
}

PendingCalls::Resolved PendingCalls::resolve(const Incoming& answer, std::int64_t now_ms) {
    if (answer.type == ocpp::MessageType::call) return {};
    std::vector<std::pair<Callback, CallOutcome>> done;
    Resolved out;
    {
        const std::lock_guard lock(mutex_);
        if (!outstanding_ || outstanding_->id != answer.id) return {};
        CallOutcome outcome;
        outcome.id = answer.id;
        outcome.action = outstanding_->action;
        outcome.ok = answer.type == ocpp::MessageType::call_result;
        if (outcome.ok)
            outcome.payload = answer.payload;
        else
            outcome.error = answer.error;
        done.emplace_back(std::move(outstanding_->done), std::move(outcome));
        outstanding_.reset();
        out.matched = true;
        out.send_next = send_next_locked(now_ms);
    }
    finish(done);
    return out;
}

std::optional<std::string> PendingCalls::expire(std::int64_t now_ms) {
    std::vector<std::pair<Callback, CallOutcome>> done;
    std::optional<std::string> next;
    {
        const std::lock_guard lock(mutex_);
        if (!outstanding_ || now_ms < deadline_ms_) return std::nullopt;
        CallOutcome outcome;
        outcome.id = outstanding_->id;
        outcome.action = outstanding_->action;
        outcome.error = {call_code::timeout,
                         "No answer to " + outstanding_->action + " within " +
                             std::to_string(outstanding_->timeout_ms) + " ms.",
                         nlohmann::json::object()};
        done.emplace_back(std::move(outstanding_->done), std::move(outcome));
        outstanding_.reset();
        next = send_next_locked(now_ms);
    }
    finish(done);
    return next;
}

void PendingCalls::cancel_all(const std::string& reason) {
    std::vector<std::pair<Callback, CallOutcome>> done;
    {
        const std::lock_guard lock(mutex_);
        const auto cancel = [&](Call& c) {
            CallOutcome outcome;
            outcome.id = c.id;
            outcome.action = c.action;
            outcome.error = {call_code::cancelled, reason, nlohmann::json::object()};
            done.emplace_back(std::move(c.done), std::move(outcome));
        };
        if (outstanding_) cancel(*outstanding_);
        for (Call& c : queue_) cancel(c);
        outstanding_.reset();
        queue_.clear();
    }
    finish(done);
}

void PendingCalls::close(const std::string& reason) {
    {
        const std::lock_guard lock(mutex_);
        closed_ = reason;
    }
    cancel_all(reason);
}

std::optional<std::int64_t> PendingCalls::next_deadline() const {
    const std::lock_guard lock(mutex_);
    if (!outstanding_) return std::nullopt;
    return deadline_ms_;
}

bool PendingCalls::outstanding() const {
    const std::lock_guard lock(mutex_);
    return outstanding_.has_value();
}

std::size_t PendingCalls::queued() const {
    const std::lock_guard lock(mutex_);
    return queue_.size();
}

ReplyCache::ReplyCache(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

std::string ReplyCache::fingerprint(std::string_view action, std::string_view payload_text) {
    // FNV-1a of the compact payload (object keys sorted, so the sender's layout does not matter):
    // 16 bytes an entry instead of the payload.
    std::uint64_t h = 14695981039346656037ULL;
    for (const char c : payload_text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    char hex[24];
    std::snprintf(hex, sizeof hex, " %016llx", static_cast<unsigned long long>(h));
    return std::string(action) + hex;
}

std::optional<std::string> ReplyCache::find(const Incoming& call) const {
    const std::lock_guard lock(mutex_);
    const auto it = by_id_.find(call.id);
    if (it == by_id_.end()) return std::nullopt;
    if (!it->second.fingerprint.empty() &&
        it->second.fingerprint != fingerprint(call.action, call.payload_text))
        return std::nullopt;
    return it->second.reply;
}

void ReplyCache::remember(std::string id, std::string reply, std::string fingerprint) {
    const std::lock_guard lock(mutex_);
    const std::uint64_t seq = ++seq_;
    order_.emplace_back(seq, id);
    by_id_[std::move(id)] = Entry{std::move(reply), std::move(fingerprint), seq};
    while (by_id_.size() > capacity_ && !order_.empty()) {
        auto [old_seq, old_id] = std::move(order_.front());
        order_.pop_front();
        const auto it = by_id_.find(old_id);
        if (it != by_id_.end() && it->second.seq == old_seq) by_id_.erase(it);
    }
    // Entries replaced since leave stale ids behind; drop them once they outnumber the live ones.
    if (order_.size() > 2 * capacity_) {
        std::erase_if(order_, [&](const auto& e) {
            const auto it = by_id_.find(e.second);
            return it == by_id_.end() || it->second.seq != e.first;
        });
    }
}

void ReplyCache::remember(const Incoming& call, std::string reply) {
    remember(call.id, std::move(reply), fingerprint(call.action, call.payload_text));
}

std::size_t ReplyCache::size() const {
    const std::lock_guard lock(mutex_);
    return by_id_.size();
}

}  // namespace evtwin::serve
