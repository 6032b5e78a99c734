#include "core/simulator_impl.hpp"

namespace evtwin {

// The scenario's reservations in the run: the book (model/reservation_book.hpp) holds a connector
// for a token from the reservation's start; the holder's arrival takes it, its expiry frees it.

void Simulator::Impl::start_reservations() {
    // In the run's mode, as arrivals are: a holder arriving at a reservation's start finds it held.
    for (const ReservationSpec& r : spec.reservations) {
        const Time from = std::max(effective(r.from), spec.start);
        const Time to = std::max(effective(r.to), from + Duration(1));
        const std::uint32_t id = reservations.add(r.id_tag, from, to);
        if (from < spec.end) queue.schedule(from, kReservationStart, id);
    }
}

void Simulator::Impl::start_reservation(std::uint32_t i) {
    const ReservationSpec& r = spec.reservations[i];
    const auto free = [&](ConnectorIndex c) {
        return !connectors.plugged(c) && !faulted(c) && !reservations.held(c) &&
               (r.station.empty() || charger_of(c)->name == r.station);
    };
    std::optional<ConnectorIndex> found;
    for (ConnectorIndex c = 0; c < connectors.size() && !found; ++c)
        if (free(c)) found = c;
    if (!found) {
        reservations.refuse(i);
        sink.event(queue.now(), EventKind::reservation_refused, kNone, kNone,
                   describe(reservations.at(i)) + ": no free connector");
        return;
    }
    reservations.hold(i, *found);
    sink.event(queue.now(), EventKind::reservation, *found, kNone, describe(reservations.at(i)));
    if (const Time to = reservations.at(i).to; to < spec.end) queue.schedule(to, kReservationEnd, i);
}

void Simulator::Impl::end_reservation(std::uint32_t i) {
    const ConnectorIndex c = reservations.at(i).connector;
    if (reservations.expire(i))
        sink.event(queue.now(), EventKind::reservation_expired, c, kNone,
                   describe(reservations.at(i)) + ": no-show");
}

std::optional<ConnectorIndex> Simulator::Impl::claim_reservation(const SessionSpec& s) {
    const auto held = reservations.held_for(session_token(s));
    if (!held) return std::nullopt;
    const Reservation& r = reservations.honour(*held, s.id);
    sink.event(queue.now(), EventKind::reservation_honoured, *held, s.id, describe(r));
    if (faulted(*held)) return std::nullopt;  // it came, but the connector broke meanwhile
    return held;
}

}  // namespace evtwin
