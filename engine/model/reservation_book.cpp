#include "model/reservation_book.hpp"

#include "model/local_time.hpp"

#include <stdexcept>

namespace evtwin {

const char* to_string(ReservationState state) {
    switch (state) {
        case ReservationState::waiting:
            return "waiting";
        case ReservationState::held:
            return "held";
        case ReservationState::honoured:
            return "honoured";
        case ReservationState::expired:
            return "expired";
        case ReservationState::cancelled:
            return "cancelled";
        case ReservationState::refused:
            return "refused";
    }
    return "?";
}

std::string describe(const Reservation& r) {
    std::string text = "R";  // numbered from 1, as OCPP's reservationId of a live run
    text.append(std::to_string(r.id + 1))
        .append(" for ")
        .append(r.id_tag)
        .append(" until ")
        .append(format_utc(r.to));
    return text;
}

std::uint32_t ReservationBook::add(std::string id_tag, Time from, Time to) {
    if (!(from < to)) throw std::invalid_argument("reservation: 'from' must come before 'to'");
    Reservation r;
    r.id = static_cast<std::uint32_t>(reservations_.size());
    r.id_tag = std::move(id_tag);
    r.from = from;
    r.to = to;
    reservations_.push_back(std::move(r));
    return reservations_.back().id;
}

void ReservationBook::restore(const Reservation& r) {
    if (r.id != reservations_.size())
        throw std::logic_error("reservation " + std::to_string(r.id) + " restored out of order");
    if (r.state == ReservationState::held && (r.connector >= holder_.size() || held(r.connector)))
        throw std::logic_error("reservation " + std::to_string(r.id) + ": connector " +
                               std::to_string(r.connector) + " is not free to hold");
    reservations_.push_back(r);
    if (r.state == ReservationState::held) {
        holder_[r.connector] = r.id;
        changed_.push_back(r.connector);
    }
}

Reservation& ReservationBook::get(std::uint32_t id) {
    if (id >= reservations_.size()) throw std::out_of_range("reservation " + std::to_string(id) + " unknown");
    return reservations_[id];
}

void ReservationBook::hold(std::uint32_t id, ConnectorIndex c) {
    Reservation& r = get(id);
    if (r.state != ReservationState::waiting)
        throw std::logic_error("reservation " + std::to_string(id) + " is " + to_string(r.state) +
                               ", not waiting");
    if (c >= holder_.size() || held(c))
        throw std::logic_error("reservation " + std::to_string(id) + ": connector " + std::to_string(c) +
                               " is not free to hold");
    r.state = ReservationState::held;
    r.connector = c;
    holder_[c] = id;
    changed_.push_back(c);
}

void ReservationBook::refuse(std::uint32_t id) {
    Reservation& r = get(id);
    if (r.state == ReservationState::held)
        release(r, ReservationState::refused);
    else if (r.state == ReservationState::waiting)
        r.state = ReservationState::refused;
}

void ReservationBook::release(Reservation& r, ReservationState state) {
    holder_[r.connector] = kNoReservation;
    changed_.push_back(r.connector);
    r.state = state;
}

const Reservation& ReservationBook::honour(ConnectorIndex c, SessionId session) {
    if (!held(c)) throw std::logic_error("connector " + std::to_string(c) + " is held by no reservation");
    Reservation& r = reservations_[holder_[c]];
    r.session = session;
    release(r, ReservationState::honoured);
    return r;
}

bool ReservationBook::expire(std::uint32_t id) {
    Reservation& r = get(id);
    if (r.state != ReservationState::held) return false;
    release(r, ReservationState::expired);
    return true;
}

bool ReservationBook::cancel(std::uint32_t id) {
    Reservation& r = get(id);
    if (r.state == ReservationState::held) {
        release(r, ReservationState::cancelled);
        return true;
    }
    if (r.state != ReservationState::waiting) return false;
    r.state = ReservationState::cancelled;
    return true;
}

std::optional<ConnectorIndex> ReservationBook::held_for(std::string_view id_tag) const {
    std::optional<ConnectorIndex> found;
    std::uint32_t first = kNoReservation;
    for (ConnectorIndex c = 0; c < holder_.size(); ++c)
        if (held(c) && reservations_[holder_[c]].id_tag == id_tag && holder_[c] < first) {
            first = holder_[c];
            found = c;
        }
    return found;
}

}  // namespace evtwin
