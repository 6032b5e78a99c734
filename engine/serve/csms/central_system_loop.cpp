// The central system's control loop: the strategy decides at every control period's boundary on
// the live clock and as soon as a vehicle comes or leaves; the results are committed on the wall
// clock. On a stepped clock (--clock step) nothing is decided until settle(): what the charge
// points reported at one instant is decided on once, as the simulator decides once per instant.
#include "serve/csms/central_system_link.hpp"

#include <algorithm>
#include <thread>

namespace evtwin::serve {

void LatencyStats::add(double ms) {
    ++count;
    max_ms = std::max(max_ms, ms);
    if (last_ms.size() < kKept)
        last_ms.push_back(ms);
    else
        last_ms[count % kKept] = ms;  // a ring of the latest
}

double LatencyStats::quantile(double q) const {
    if (last_ms.empty()) return 0.0;
    std::vector<double> sorted = last_ms;
    std::sort(sorted.begin(), sorted.end());
    return sorted[std::min(sorted.size() - 1,
                           static_cast<std::size_t>(q * static_cast<double>(sorted.size())))];
}

void CentralSystem::wake() {
    {
        std::lock_guard lock(loop_mutex_);
        woken_ = true;
    }
    loop_wake_.notify_all();
}

void CentralSystem::settle() {
    if (!loop_.joinable()) return;  // not started: nothing is decided, nothing to wait for
    std::unique_lock lock(loop_mutex_);
    const std::uint64_t ticket = ++settle_requests_;
    loop_wake_.notify_all();
    settled_wake_.wait(lock, [&] { return settled_ >= ticket || stopping_; });
}

// Until no CALL to any charge point is outstanding or queued, or the calls' timeout has passed.
void CentralSystem::await_answers() {
    const auto give_up = std::chrono::steady_clock::now() + config_.call_timeout;
    while (std::chrono::steady_clock::now() < give_up) {
        bool waiting = false;
        {
            std::lock_guard lock(links_mutex_);
            for (const auto& [ws, link] : links_) waiting = waiting || link->calls.outstanding();
        }
        if (!waiting) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void CentralSystem::loop() {
    const bool stepped = clock_.stepped();
    Time next_decision = clock_.now();
    auto next_flush = std::chrono::steady_clock::now();
    auto next_frames = next_flush;
    while (true) {
        std::uint64_t settling = 0;  // the settle() answered by this pass; 0: none
        {
            std::unique_lock lock(loop_mutex_);
            auto until = std::min(next_flush, next_frames);
            if (!stepped) until = std::min(until, clock_.wall_at(next_decision));
            loop_wake_.wait_until(
                lock, until, [&] { return stopping_ || (stepped ? settle_requests_ > settled_ : woken_); });
            if (stopping_) return;
            if (settle_requests_ > settled_) settling = settle_requests_;
        }
        const Time now = clock_.now();
        bool decide = false, periodic = false;
        {
            std::lock_guard lock(loop_mutex_);
            periodic = now >= next_decision;
            if (!stepped || settling) {
                decide = woken_ || periodic;
                woken_ = false;
            }
        }
        if (decide) {
            serve_reservations(now);
            decide_and_send(now);
            if (periodic && !stepped) {
                // From the period's start on the live clock to the last profile answered.
                const auto boundary = clock_.wall_at(next_decision);
                std::lock_guard lock(loop_mutex_);
                dispatch_.add(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - boundary)
                        .count());
            }
            next_decision = twin_.next_period(now);
        }
        if (settling) {
            await_answers();
            std::lock_guard lock(loop_mutex_);
            settled_ = settling;
            settled_wake_.notify_all();
        }
        expire_calls();
        const auto wall = std::chrono::steady_clock::now();
        if (wall >= next_flush) {
            twin_.flush(config_.persist);
            if (config_.after_commit) config_.after_commit();
            next_flush = wall + config_.flush_every;
        } else if (wall >= next_frames) {
            twin_.write_rows([this] { recorder_.write(); });
        }
        if (wall >= next_frames) next_frames = wall + config_.frames_every;
    }
}

}  // namespace evtwin::serve
