#include "core/connector_table.hpp"

#include <cmath>

namespace evtwin {

ConnectorTable::ConnectorTable(std::size_t connectors, Time start)
    : plugged_(connectors, 0),
      faulted_(connectors, 0),
      apply_due_(connectors, 1),
      recheck_(connectors, 1),
      reschedule_due_(connectors, 0),
      is_flagged_(connectors, 1),
      held_(connectors, HeldPower{0.0, start, {}}),
      integrated_to_(connectors, start),
      pending_(connectors, kNoEvent),
      due_at_tick_(connectors, 0),
      change_at_(connectors, Time::max()),
      sampled_kw_(connectors, NAN),
      sampled_state_(connectors, kNeverSampled) {
    for (std::size_t c = 0; c < connectors; ++c) {
        flagged_.push_back(static_cast<ConnectorIndex>(c));
        views_changed_.push_back(static_cast<ConnectorIndex>(c));
    }
}

void ConnectorTable::plug(ConnectorIndex c, Time t, const Vehicle& v) {
    integrated_to_[c] = t;
    held_[c] = HeldPower{0.0, t, v.progress()};
    plugged_[c] = 1;
    occupied_.insert(std::lower_bound(occupied_.begin(), occupied_.end(), c), c);
    list_changed_view(c);
    reschedule_due_[c] = 1;
    flag_for_apply(c);
}

void ConnectorTable::unplug(ConnectorIndex c) {
    plugged_[c] = 0;
    occupied_.erase(std::lower_bound(occupied_.begin(), occupied_.end(), c));
    list_changed_view(c);
    recheck_[c] = 1;
    flag_for_apply(c);
    pending_[c] = kNoEvent;
}

void ConnectorTable::set_fault(ConnectorIndex c, bool on) {
    faulted_[c] = on ? 1 : 0;
    list_changed_view(c);
    recheck_[c] = 1;
    flag_for_apply(c);
}

bool ConnectorTable::take_reschedule(ConnectorIndex c) {
    if (!reschedule_due_[c]) return false;
    reschedule_due_[c] = 0;
    pending_[c] = kNoEvent;
    due_at_tick_[c] = 0;
    return true;
}

void ConnectorTable::sort_flagged() {
    // When many are flagged (every pilot of a decision period), reading the flags off in order is
    // cheaper than sorting the list.
    if (flagged_.size() * 4 >= is_flagged_.size()) {
        flagged_.clear();
        for (std::size_t c = 0; c < is_flagged_.size(); ++c)
            if (is_flagged_[c]) flagged_.push_back(static_cast<ConnectorIndex>(c));
    } else {
        std::sort(flagged_.begin(), flagged_.end());
    }
}

void ConnectorTable::unflag_settled() {
    std::size_t kept = 0;
    for (const ConnectorIndex c : flagged_) {
        if (apply_due_[c])
            flagged_[kept++] = c;
        else
            is_flagged_[c] = 0;
    }
    flagged_.resize(kept);
}

bool ConnectorTable::sample(ConnectorIndex c, double kw, PilotState state) {
    const auto code = static_cast<std::uint8_t>(state);
    if (kw == sampled_kw_[c] && code == sampled_state_[c]) return false;
    constexpr auto kDrawing = static_cast<std::uint8_t>(PilotState::C);
    if ((code == kDrawing) != (sampled_state_[c] == kDrawing)) {
        const auto at = std::lower_bound(drawing_.begin(), drawing_.end(), c);
        if (code == kDrawing)
            drawing_.insert(at, c);
        else
            drawing_.erase(at);
    }
    sampled_kw_[c] = kw;
    sampled_state_[c] = code;
    return true;
}

}  // namespace evtwin
