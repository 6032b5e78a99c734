#pragma once
// The future event set: a flat 4-ary min-heap of small POD records ordered by (time, seq), plus a
// FIFO for events scheduled at the current instant. `seq` is unique and increasing, so ties break in
// scheduling order and a run is deterministic. Cancellation is lazy: the owner of an event remembers
// the seq it got and ignores a popped event whose seq is no longer the one it remembers.
//
// Speed (measured with bench/event_queue_bench.cpp, see docs/benchmarks.md):
// - A heap record is one 16-byte unsigned 128-bit key [time 46 | seq 42 | kind 8 | target 32], so
//   (time, seq) order is one integer comparison and the record carries its payload. Hence the limits:
//   0 <= time < 2^46 ms (until year 4199), kind < 256, at most 2^42 - 1 events per queue (about five
//   days at 10 M events/s); beyond them schedule() throws instead of reordering silently.
// - The heap lives at offset 3 of a 64-byte aligned buffer, so the four children of a node share one
//   cache line; slots past the end hold the largest key, so min-of-4 needs no bounds checks.
// - pop() leaves a hole at the root; the next schedule() drops its event into the hole and sifts it
//   down once, instead of sifting the last record down and the new one up (pop-then-schedule is what
//   the simulator does for every event). Any other call fills the hole with the last record first.
// - Sifting down walks the smaller children to a leaf without comparing against the moving record,
//   then sifts it up: the record usually belongs near the bottom, and the walk has no
//   data-dependent exit branch.
#include <evtwin/time.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <stdexcept>
#include <utility>
#include <vector>

namespace evtwin {

struct Event {
    Time time;
    std::uint64_t seq;
    std::uint32_t kind;
    std::uint32_t target;  // index into the payload slab of `kind`
};

class EventQueue {
    __extension__ typedef unsigned __int128 Key;

public:
    static constexpr int time_bits = 46;
    static constexpr int seq_bits = 42;
    static constexpr std::int64_t time_limit_ms = (std::int64_t{1} << time_bits) - 1;  // exclusive
    static constexpr std::uint64_t seq_limit = (std::uint64_t{1} << seq_bits) - 1;     // exclusive
    static constexpr std::uint32_t kind_limit = 256;                                   // exclusive

    EventQueue() = default;
    EventQueue(const EventQueue& o)
        : fifo_(o.fifo_), fifo_head_(o.fifo_head_), now_(o.now_), next_seq_(o.next_seq_) {
        if (o.cap_) {
            grow(o.cap_);
            std::memcpy(static_cast<void*>(h_), o.h_, o.n_ * sizeof(Key));
            n_ = o.n_;
            hole_ = o.hole_;
        }
    }
    EventQueue(EventQueue&& o) noexcept { swap(o); }
    EventQueue& operator=(EventQueue o) noexcept {
        swap(o);
        return *this;
    }
    ~EventQueue() { release(); }

    Time now() const { return now_; }
    bool empty() const { return size() == 0; }
    std::size_t size() const { return n_ - (hole_ ? 1 : 0) + (fifo_.size() - fifo_head_); }
    void reserve(std::size_t n) {
        if (n + pad_slots > cap_) grow(n + pad_slots);
    }

    // Schedules an event at `t` (>= now) and returns its seq.
    std::uint64_t schedule(Time t, std::uint32_t kind, std::uint32_t target) {
        if (t < now_) throw std::logic_error("EventQueue: event scheduled in the past");
        if (t.ms() >= time_limit_ms)
            throw std::out_of_range("EventQueue: event time beyond 2^46 ms (year 4199)");
        if (kind >= kind_limit) throw std::out_of_range("EventQueue: event kind above 255");
        if (next_seq_ == seq_limit)
            throw std::overflow_error("EventQueue: more than 2^42 - 1 events scheduled");
        const std::uint64_t seq = next_seq_++;
        const Key k = make_key(t, seq, kind, target);
        if (hole_) {
            // Only a pop from the heap makes a hole, and that leaves the FIFO empty; a record at the
            // current instant is ordered correctly by the heap as well.
            hole_ = false;
            place_from_root(k);
        } else if (t == now_ && !heap_before_fifo_pending()) {
            fifo_.push_back(Event{t, seq, kind, target});
        } else {
            push_heap(k);
        }
        return seq;
    }

    // Raises the seq the next schedule() returns (never lowers it), for resuming a run with seqs that
    // stay unique and for tests of large seqs.
    void advance_seq_to(std::uint64_t next) {
        if (next < next_seq_ || next > seq_limit)
            throw std::out_of_range("EventQueue: seq can only grow, up to 2^42 - 1");
        next_seq_ = next;
    }

    // Time of the next event; Time::max() when empty.
    Time next_time() const {
        if (fifo_head_ != fifo_.size()) return now_;
        if (hole_) return n_ > 1 ? key_time(h_[min_child(0)]) : Time::max();
        return n_ ? key_time(h_[0]) : Time::max();
    }

    // The earliest event, left in the queue; the queue must not be empty.
    Event peek() const {
        if (fifo_head_ != fifo_.size() && !heap_before_fifo_pending()) return fifo_[fifo_head_];
        if (hole_) {
            if (n_ < 2) throw std::logic_error("EventQueue: peek at an empty queue");
            return unpack(h_[min_child(0)]);
        }
        if (n_ == 0) throw std::logic_error("EventQueue: peek at an empty queue");
        return unpack(h_[0]);
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
        if (hole_) fill_hole();
        if (n_ == 0) throw std::logic_error("EventQueue: pop from an empty queue");
        const Event e = unpack(h_[0]);
        hole_ = true;
        now_ = e.time;
        return e;
    }

private:
    // Children of the last internal node reach at most index n + 2 and a push writes index n, so the
    // buffer always holds n + 3 slots after a push: cap >= n + pad_slots before it.
    static constexpr std::size_t pad_slots = 4;
    static constexpr std::size_t root_offset = 3;  // children 4i+1..4i+4 sit at buffer 4(i+1)..4(i+1)+3
    static constexpr Key max_key = ~Key{0};        // above every real key: time < time_limit_ms

    static Key make_key(Time t, std::uint64_t seq, std::uint32_t kind, std::uint32_t target) {
        const auto hi = (static_cast<std::uint64_t>(t.ms()) << (64 - time_bits)) | (seq >> (seq_bits - 18));
        const auto lo = (seq << (64 - (seq_bits - 18))) | (std::uint64_t{kind} << 32) | target;
        return (Key{hi} << 64) | lo;
    }
    static Time key_time(Key k) {
        return Time(static_cast<std::int64_t>(static_cast<std::uint64_t>(k >> 64) >> (64 - time_bits)));
    }
    static Event unpack(Key k) {
        const auto hi = static_cast<std::uint64_t>(k >> 64);
        const auto lo = static_cast<std::uint64_t>(k);
        const std::uint64_t seq =
            ((hi & ((std::uint64_t{1} << 18) - 1)) << (seq_bits - 18)) | (lo >> (64 - (seq_bits - 18)));
        return Event{key_time(k), seq, static_cast<std::uint32_t>(lo >> 32) & 0xFF,
                     static_cast<std::uint32_t>(lo)};
    }

    // Heap events at the current instant were scheduled before anything in the FIFO, so they go first.
    bool heap_before_fifo_pending() const { return n_ != 0 && !hole_ && key_time(h_[0]) == now_; }

    // Index of the smallest of the four children of `i` (padding slots hold max_key). The selection is
    // written so the compiler emits conditional moves: which child wins is unpredictable.
    std::size_t min_child(std::size_t i) const {
        const std::size_t c = 4 * i + 1;
        const Key* p = h_ + c;
        const bool b01 = p[1] < p[0];
        const std::size_t i01 = c + b01;
        const Key m01 = b01 ? p[1] : p[0];
        const bool b23 = p[3] < p[2];
        const std::size_t i23 = c + 2 + b23;
        const Key m23 = b23 ? p[3] : p[2];
        const std::size_t take23 = 0 - static_cast<std::size_t>(m23 < m01);  // all ones or zero
        return i01 ^ ((i01 ^ i23) & take23);
    }

    // The root is a hole in a heap of n_ records; place `k` there and restore the heap order.
    void place_from_root(Key k) {
        Key* h = h_;
        const std::size_t n = n_;
        std::size_t hole = 0;
        // Walk the smaller children down to a leaf...
        while (4 * hole + 1 < n) {
            // The grandchildren of `hole` are four consecutive cache lines; ask for them while the
            // children are compared, so the next level is already on its way (about 2x at 1e5+).
            if (16 * hole + 5 < n) {
                const Key* g = h + 16 * hole + 5;
                __builtin_prefetch(g);
                __builtin_prefetch(g + 4);
                __builtin_prefetch(g + 8);
                __builtin_prefetch(g + 12);
            }
            const std::size_t best = min_child(hole);
            h[hole] = h[best];
            hole = best;
        }
        // ...then move `k` up from there to where it belongs.
        sift_up(k, hole);
    }

    // Stores `k` at `hole` or above it, moving the larger parents down, so the heap is in order again.
    void sift_up(Key k, std::size_t hole) {
        Key* h = h_;
        while (hole > 0) {
            const std::size_t parent = (hole - 1) / 4;
            if (!(k < h[parent])) break;
            h[hole] = h[parent];
            hole = parent;
        }
        h[hole] = k;
    }

    void fill_hole() {
        hole_ = false;
        --n_;
        const Key last = h_[n_];
        h_[n_] = max_key;
        if (n_ != 0) place_from_root(last);
    }

    void push_heap(Key k) {
        if (n_ + pad_slots > cap_) grow(cap_ * 2 > 16 ? cap_ * 2 : 16);
        sift_up(k, n_++);
    }

    void grow(std::size_t cap) {
        cap = (cap + 3) / 4 * 4;
        const std::size_t bytes = (root_offset + cap) * sizeof(Key);
        auto* base = static_cast<Key*>(::operator new (bytes, std::align_val_t{64}));
        Key* h = base + root_offset;
        if (n_) std::memcpy(static_cast<void*>(h), h_, n_ * sizeof(Key));
        for (std::size_t i = n_; i < cap; ++i) h[i] = max_key;
        release();
        base_ = base;
        h_ = h;
        cap_ = cap;
    }

    void swap(EventQueue& o) noexcept {
        std::swap(base_, o.base_);
        std::swap(h_, o.h_);
        std::swap(n_, o.n_);
        std::swap(cap_, o.cap_);
        std::swap(hole_, o.hole_);
        fifo_.swap(o.fifo_);
        std::swap(fifo_head_, o.fifo_head_);
        std::swap(now_, o.now_);
        std::swap(next_seq_, o.next_seq_);
    }

    void release() {
        if (base_) ::operator delete (base_, std::align_val_t{64});
        base_ = nullptr;
    }

    Key* base_ = nullptr;
    Key* h_ = nullptr;
    std::size_t n_ = 0;    // records in the heap, counting the root hole
    std::size_t cap_ = 0;  // slots from h_ that hold records or max_key padding
    bool hole_ = false;    // h_[0] was popped and not refilled yet
    std::vector<Event> fifo_;
    std::size_t fifo_head_ = 0;
    Time now_;
    std::uint64_t next_seq_ = 0;
};

}  // namespace evtwin
