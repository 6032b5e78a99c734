// The live twin's reservations: the book a simulated run keeps (model/reservation_book.hpp), its
// connectors held for the tokens of drivers to come, started and expired on the live clock, held
// once the charge point accepts ReserveNow and ended by the holder's transaction.
#include "serve/live/live_twin.hpp"

#include <stdexcept>

namespace evtwin::serve {

LiveReservationState LiveTwin::reservation_state(std::uint32_t id) const {
    return {reservations_.at(id), reservation_wanted_[id], reservation_status_[id]};
}

std::uint32_t LiveTwin::add_reservation(std::string id_tag, ConnectorIndex wanted, Time from, Time to) {
    std::lock_guard lock(mutex_);
    if (wanted != kNone && wanted >= connectors_.size())
        throw std::invalid_argument("no connector " + std::to_string(wanted));
    const std::uint32_t id = reservations_.add(std::move(id_tag), from, to);
    reservation_wanted_.push_back(wanted);
    reservation_status_.emplace_back();
    ++reservation_changes_;
    return id;
}

std::vector<LiveReservationState> LiveTwin::start_reservations(Time t) {
    std::lock_guard lock(mutex_);
    std::vector<LiveReservationState> held;
    const auto free = [&](ConnectorIndex c) {
        const LiveConnectorState& cs = connectors_[c];
        return cs.online && !cs.faulted && !cs.session && !reservations_.held(c);
    };
    for (const Reservation& r : reservations_.all()) {
        if (r.state != ReservationState::waiting || r.from > t) continue;
        advance(t);
        ++reservation_changes_;
        const ConnectorIndex wanted = reservation_wanted_[r.id];
        std::optional<ConnectorIndex> found;
        if (wanted != kNone) {
            if (free(wanted)) found = wanted;
        } else {
            for (ConnectorIndex c = 0; c < connectors_.size() && !found; ++c)
                if (free(c)) found = c;
        }
        if (!found) {
            // What a charge point would answer of the connector asked for.
            std::string status = "Occupied";
            if (wanted != kNone && !connectors_[wanted].online)
                status = "Unavailable";
            else if (wanted != kNone && connectors_[wanted].faulted)
                status = "Faulted";
            reservation_status_[r.id] = status;
            const std::uint32_t id = r.id;
            reservations_.refuse(id);
            sink_.event(last_t_, EventKind::reservation_refused, wanted, kNone,
                        describe(reservations_.at(id)) + ": " + status);
            continue;
        }
        reservations_.hold(r.id, *found);
        held.push_back(reservation_state(r.id));
    }
    return held;
}

void LiveTwin::reservation_answered(std::uint32_t id, Time t, const std::string& status) {
    std::lock_guard lock(mutex_);
    advance(t);
    const Reservation& r = reservations_.at(id);
    reservation_status_[id] = status;
    ++reservation_changes_;
    if (r.state != ReservationState::held) return;  // ended meanwhile (its holder came, cancelled)
    if (status == "Accepted") {
        sink_.event(last_t_, EventKind::reservation, r.connector, kNone, describe(r));
        return;
    }
    const ConnectorIndex c = r.connector;
    reservations_.refuse(id);
    sink_.event(last_t_, EventKind::reservation_refused, c, kNone,
                describe(reservations_.at(id)) + ": " + status);
}

bool LiveTwin::cancel_reservation(std::uint32_t id, Time t, const std::string& why) {
    std::lock_guard lock(mutex_);
    advance(t);
    const ConnectorIndex c = reservations_.at(id).connector;
    if (!reservations_.cancel(id)) return false;
    ++reservation_changes_;
    sink_.event(last_t_, EventKind::reservation_cancelled, c, kNone,
                describe(reservations_.at(id)) + ": " + why);
    return true;
}

bool LiveTwin::reservation_ended(std::uint32_t id, Time t, bool expired) {
    std::lock_guard lock(mutex_);
    if (id >= reservations_.size() || reservations_.at(id).state != ReservationState::held) return false;
    advance(t);
    ++reservation_changes_;
    const ConnectorIndex c = reservations_.at(id).connector;
    if (expired) {
        reservations_.expire(id);
        sink_.event(last_t_, EventKind::reservation_expired, c, kNone,
                    describe(reservations_.at(id)) + ": no-show (expired at the charge point)");
    } else {
        reservations_.cancel(id);
        sink_.event(last_t_, EventKind::reservation_cancelled, c, kNone,
                    describe(reservations_.at(id)) + ": removed by the charge point");
    }
    return true;
}

void LiveTwin::expire_reservations(Time t) {
    std::lock_guard lock(mutex_);
    for (const Reservation& r : reservations_.all()) {
        if (r.state != ReservationState::held || r.to > t) continue;
        advance(t);
        ++reservation_changes_;
        const std::uint32_t id = r.id;
        const ConnectorIndex c = r.connector;
        reservations_.expire(id);
        sink_.event(last_t_, EventKind::reservation_expired, c, kNone,
                    describe(reservations_.at(id)) + ": no-show");
    }
}

void LiveTwin::claim_reservation(ConnectorIndex c, const std::string& id_tag, SessionId id, Time t,
                                 std::optional<std::uint32_t> named) {
    // With the twin locked (start_session).
    std::optional<ConnectorIndex> held;
    if (named && *named < reservations_.size() && reservations_.at(*named).state == ReservationState::held)
        held = reservations_.at(*named).connector;
    if (!held) held = reservations_.held_for(id_tag);
    if (held) {
        ++reservation_changes_;
        const Reservation& r = reservations_.honour(*held, id);
        sink_.event(t, EventKind::reservation_honoured, c, id, describe(r));
    }
    if (const Reservation* other = reservations_.holder(c)) {
        ++reservation_changes_;
        const std::uint32_t rid = other->id;
        reservations_.cancel(rid);
        std::string why = ": taken by another token (";
        why.append(id_tag).append(")");
        sink_.event(t, EventKind::reservation_cancelled, c, kNone, describe(reservations_.at(rid)) + why);
    }
}

void LiveTwin::set_reservation_store(std::function<void(const std::vector<LiveReservationState>& all)> save) {
    std::lock_guard lock(mutex_);
    reservation_store_ = std::move(save);
    reservation_changes_saved_ = reservation_changes_;  // a resumed book is in the store already
}

std::vector<LiveReservationState> LiveTwin::reservations() const {
    std::lock_guard lock(mutex_);
    std::vector<LiveReservationState> out;
    out.reserve(reservations_.size());
    for (std::uint32_t id = 0; id < reservations_.size(); ++id) out.push_back(reservation_state(id));
    return out;
}

std::optional<LiveReservationState> LiveTwin::reservation(std::uint32_t id) const {
    std::lock_guard lock(mutex_);
    if (id >= reservations_.size()) return std::nullopt;
    return reservation_state(id);
}

}  // namespace evtwin::serve
