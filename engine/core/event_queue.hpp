#pragma once
// The future event set: a flat 4-ary min-heap of small POD records ordered by (time, seq), plus a
// FIFO for events scheduled at the current instant. `seq` is unique and increasing, so ties break in
// scheduling order and a run is deterministic. Cancellation is lazy: the owner of an event remembers
// the seq it got and ignores a popped event whose seq is no longer the one it remembers.
#include <evtwin/time.hpp>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace evtwin {

struct Event {
    Time time;
    std::uint64_t seq;
    std::uint32_t kind;
    std::uint32_t target;  // index into the payload slab of `kind`
};

class EventQueue {
public:
    Time now() const { return now_; }
    bool empty() const { return heap_.empty() && fifo_head_ == fifo_.size(); }
    std::size_t size() const { return heap_.size() + (fifo_.size() - fifo_head_); }
    void reserve(std::size_t n) { heap_.reserve(n); }

    // Schedules an event at `t` (>= now) and returns its seq.
    std::uint64_t schedule(Time t, std::uint32_t kind, std::uint32_t target) {
        if (t < now_) throw std::logic_error("EventQueue: event scheduled in the past");
        const Event e{t, next_seq_++, kind, target};
        if (t == now_ && !heap_before_fifo_pending()) {
            fifo_.push_back(e);
        } else {
            push_heap(e);
        }
        return e.seq;
    }

    // Time of the next event; Time::max() when empty.
    Time next_time() const {
        if (fifo_head_ != fifo_.size()) return now_;
        return heap_.empty() ? Time::max() : heap_.front().time;
    }

    // Removes and returns the earliest event, advancing now() to its time.
    Event pop() {
        if (fifo_head_ != fifo_.size() && !heap_before_fifo_pending()) {
            Event e = fifo_[fifo_head_++];
            if (fifo_head_ == fifo_.size()) {
                fifo_.clear();
                fifo_head_ = 0;
            }
            return e;
        }
        if (heap_.empty()) throw std::logic_error("EventQueue: pop from an empty queue");
        Event e = heap_.front();
        const Event last = heap_.back();
        heap_.pop_back();
        if (!heap_.empty()) sift_down(last);
        now_ = e.time;
        return e;
    }

private:
    static bool before(const Event& a, const Event& b) {
        return a.time < b.time || (a.time == b.time && a.seq < b.seq);
    }

    // Heap events at the current instant were scheduled before anything in the FIFO, so they go first.
    bool heap_before_fifo_pending() const { return !heap_.empty() && heap_.front().time == now_; }

    void push_heap(const Event& e) {
        std::size_t hole = heap_.size();
        heap_.push_back(e);
        Event* h = heap_.data();
        while (hole > 0) {
            const std::size_t parent = (hole - 1) / 4;
            if (!before(e, h[parent])) break;
            h[hole] = h[parent];
            hole = parent;
        }
        h[hole] = e;
    }

    // Places `e` starting from the root hole, moving smaller children up.
    void sift_down(const Event& e) {
        Event* h = heap_.data();
        const std::size_t n = heap_.size();
        std::size_t hole = 0;
        for (;;) {
            const std::size_t first = 4 * hole + 1;
            if (first >= n) break;
            std::size_t best = first;
            const std::size_t end = first + 4 < n ? first + 4 : n;
            for (std::size_t c = first + 1; c < end; ++c)
                if (before(h[c], h[best])) best = c;
            if (!before(h[best], e)) break;
            h[hole] = h[best];
            hole = best;
        }
        h[hole] = e;
    }

    std::vector<Event> heap_;
    std::vector<Event> fifo_;
    std::size_t fifo_head_ = 0;
    Time now_;
    std::uint64_t next_seq_ = 0;
};

}  // namespace evtwin
