#pragma once
// The simulator's per-connector state that every instant reads, in small arrays of their own: the
// plug and the fault, what settling must visit, the vehicle's integration and change events, and
// the values last recorded. Each array is written only through the mutators below, which keep
// these invariants:
// - plugged(c) iff c is in occupied(), which is ascending and without duplicates;
// - a change of plug or fault lists c in views_changed() and flags it for apply and recheck;
// - flagged() lists every connector flagged for apply, recheck or reschedule, each once;
//   is_flagged(c) iff c is in flagged();
// - a change event held back for the tick (held_back(c)) is listed for release_held_back();
// - c is in drawing(), ascending, iff its last sample was in state C.
#include "model/vehicle.hpp"

#include <evtwin/ids.hpp>
#include <evtwin/time.hpp>

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace evtwin {

class ConnectorTable {
public:
    static constexpr std::uint64_t kNoEvent = ~0ull;

    // The power a connector holds since an instant, and its vehicle's state at that instant: a
    // vehicle is integrated in one step from there, whenever it is read.
    struct HeldPower {
        double kw = 0.0;
        Time since;
        Vehicle::Progress progress{};
    };

    // `connectors` empty ones at `start`, each flagged for apply and recheck (none was settled or
    // recorded yet) and listed in views_changed (none was shown yet).
    ConnectorTable(std::size_t connectors, Time start);

    std::size_t size() const { return plugged_.size(); }

    // --- plug and fault ------------------------------------------------------------------------

    bool plugged(ConnectorIndex c) const { return plugged_[c] != 0; }
    bool faulted(ConnectorIndex c) const { return faulted_[c] != 0; }
    // The connectors with a vehicle, ascending.
    std::span<const ConnectorIndex> occupied() const { return occupied_; }
    // The connectors whose plug or fault changed since clear_views_changed, maybe twice.
    std::span<const ConnectorIndex> views_changed() const { return views_changed_; }
    void clear_views_changed() { views_changed_.clear(); }

    // Vehicle v is plugged into c at t, holding no power: its change event is to be scheduled.
    void plug(ConnectorIndex c, Time t, const Vehicle& v);
    // c's vehicle left: its change event is dropped, its samples are to be recorded anew.
    void unplug(ConnectorIndex c);
    // c's charger's fault flag, copied.
    void set_fault(ConnectorIndex c, bool on);

    // --- what settling visits ----------------------------------------------------------------

    std::span<const ConnectorIndex> flagged() const { return flagged_; }
    bool is_flagged(ConnectorIndex c) const { return is_flagged_[c] != 0; }
    bool apply_due(ConnectorIndex c) const { return apply_due_[c] != 0; }
    bool recheck_due(ConnectorIndex c) const { return recheck_[c] != 0; }
    bool reschedule_due(ConnectorIndex c) const { return reschedule_due_[c] != 0; }

    // Lists c among those settling visits, with no flag of its own (all of them recomputed).
    void flag(ConnectorIndex c) {
        if (is_flagged_[c]) return;
        is_flagged_[c] = 1;
        flagged_.push_back(c);
    }
    // Its power must be recomputed: its setpoint, vehicle (or what the vehicle takes), plug or fault
    // changed, or the engine cut it at a limit. Otherwise it holds what it would be computed to.
    void flag_for_apply(ConnectorIndex c) {
        apply_due_[c] = 1;
        flag(c);
    }
    // Its recorded values may be stale for a reason a change of power does not flag: never recorded,
    // its vehicle left, its fault changed, or the engine cut it at a limit.
    void flag_for_recheck(ConnectorIndex c) {
        recheck_[c] = 1;
        flag(c);
    }
    // Its power changed, or its change event fired: its next change is to be scheduled again.
    void flag_for_reschedule(ConnectorIndex c) {
        reschedule_due_[c] = 1;
        flag(c);
    }
    // Clear the flag and say whether it was set.
    bool take_apply_due(ConnectorIndex c) { return std::exchange(apply_due_[c], 0) != 0; }
    bool take_recheck(ConnectorIndex c) { return std::exchange(recheck_[c], 0) != 0; }
    // Taking the reschedule also drops c's live and held-back change events.
    bool take_reschedule(ConnectorIndex c);
    // Puts flagged() in index order, the order of the samples and events settling makes.
    void sort_flagged();
    // After settling: only the connectors still flagged for apply stay listed.
    void unflag_settled();

    // --- the vehicle's integration and its change events ---------------------------------------

    const HeldPower& held(ConnectorIndex c) const { return held_[c]; }
    Time integrated_to(ConnectorIndex c) const { return integrated_to_[c]; }
    // Marks c's vehicle integrated to t; false when it was already (the vehicle is left as it is).
    bool integrate_to(ConnectorIndex c, Time t) {
        if (t <= integrated_to_[c]) return false;
        integrated_to_[c] = t;
        return true;
    }
    // c holds kw from t on, its vehicle v (null when empty) at its state at t; nothing changes when
    // it holds kw already.
    void hold(ConnectorIndex c, Time t, double kw, const Vehicle* v) {
        HeldPower& held = held_[c];
        if (kw == held.kw) return;
        held.kw = kw;
        held.since = t;
        if (v) held.progress = v->progress();
    }

    // The sequence number of c's live vehicle-change event, or kNoEvent.
    std::uint64_t pending_change(ConnectorIndex c) const { return pending_[c]; }
    void change_scheduled(ConnectorIndex c, std::uint64_t seq) { pending_[c] = seq; }
    // c's live change event fired: its next change is to be scheduled.
    void change_fired(ConnectorIndex c) {
        pending_[c] = kNoEvent;
        flag_for_reschedule(c);
    }
    // c's next change, at `at`, lies at or after the next control tick: it gets no event yet (a
    // decision at the tick usually changes the power, which would supersede it); if the power
    // holds, the tick schedules it.
    void hold_back(ConnectorIndex c, Time at) {
        due_at_tick_[c] = 1;
        change_at_[c] = at;
        held_back_.push_back(c);
    }
    bool held_back(ConnectorIndex c) const { return due_at_tick_[c] != 0; }
    // At a control tick: the held-back changes that now fall before `next_tick` are given to
    // schedule(c, at) in index order, and the rest stay held back.
    template <class Schedule>
    void release_held_back(Time next_tick, Schedule&& schedule);

    // --- the values last recorded ----------------------------------------------------------

    // Records that c's sample is kw in `state`: false when that is what it was already.
    bool sample(ConnectorIndex c, double kw, PilotState state);
    // The connectors whose last sample drew power (state C), ascending.
    std::span<const ConnectorIndex> drawing() const { return drawing_; }

private:
    static constexpr std::uint8_t kNeverSampled = 0xff;  // differs from every PilotState

    void list_changed_view(ConnectorIndex c) { views_changed_.push_back(c); }

    std::vector<char> plugged_;
    std::vector<char> faulted_;
    std::vector<ConnectorIndex> occupied_;
    std::vector<ConnectorIndex> views_changed_;

    std::vector<char> apply_due_;
    std::vector<char> recheck_;
    std::vector<char> reschedule_due_;
    std::vector<ConnectorIndex> flagged_;
    std::vector<char> is_flagged_;

    std::vector<HeldPower> held_;
    std::vector<Time> integrated_to_;
    std::vector<std::uint64_t> pending_;
    std::vector<char> due_at_tick_;
    std::vector<Time> change_at_;
    std::vector<ConnectorIndex> held_back_;  // the connectors held back, in no order, maybe twice

    std::vector<double> sampled_kw_;
    std::vector<std::uint8_t> sampled_state_;  // a PilotState, or kNeverSampled
    std::vector<ConnectorIndex> drawing_;
};

template <class Schedule>
void ConnectorTable::release_held_back(Time next_tick, Schedule&& schedule) {
    std::sort(held_back_.begin(), held_back_.end());
    held_back_.erase(std::unique(held_back_.begin(), held_back_.end()), held_back_.end());
    std::size_t kept = 0;
    for (const ConnectorIndex c : held_back_) {
        if (!due_at_tick_[c]) continue;  // rescheduled since
        if (change_at_[c] >= next_tick) {
            held_back_[kept++] = c;
            continue;
        }
        due_at_tick_[c] = 0;
        schedule(c, change_at_[c]);
    }
    held_back_.resize(kept);
}

}  // namespace evtwin
