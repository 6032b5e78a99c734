#pragma once
// The site's reservations (OCPP ReserveNow, a scenario's reservations{}): a connector held for one
// driver's token (idTag) from the reservation's start until its expiry, the same book for the
// simulator and the live twin. A reservation waits until its start, then holds a connector that
// its owner found free (or is refused, when none was); it ends honoured when its holder arrives,
// expired when its expiry passes first (a no-show), or cancelled. Invariants:
// - a connector is held by at most one reservation, and a held reservation holds exactly one;
// - holder(c) is the reservation in state `held` on c, or none;
// - changed() lists each connector whose hold began or ended since clear_changed(), maybe twice.
#include <evtwin/ids.hpp>
#include <evtwin/time.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin {

enum class ReservationState : std::uint8_t { waiting, held, honoured, expired, cancelled, refused };
const char* to_string(ReservationState state);

struct Reservation {
    std::uint32_t id = 0;  // its index in the book
    std::string id_tag;    // the token of the driver it is held for
    Time from;             // when it starts holding a connector
    Time to;               // when it expires without its holder
    ReservationState state = ReservationState::waiting;
    ConnectorIndex connector = kNone;  // the one it holds or held; kNone while waiting, or refused
    SessionId session = kNone;         // the session that honoured it
};

// "R<id + 1> for <token> until <expiry, UTC>": how the run's events name a reservation.
std::string describe(const Reservation& r);

class ReservationBook {
public:
    explicit ReservationBook(std::size_t connectors) : holder_(connectors, kNoReservation) {}

    // A reservation for `id_tag` over [from, to), waiting for its start; its id. Needs from < to.
    std::uint32_t add(std::string id_tag, Time from, Time to);

    // A reservation as a book kept it before (a live run resumed after a restart): its id must be
    // the book's size, and a held one's connector held by nobody. Throws std::logic_error otherwise.
    void restore(const Reservation& r);

    // Reservation `id`, waiting, now holds connector c, which is not held (its owner checked that
    // nobody is plugged in and it works). Throws std::logic_error otherwise.
    void hold(std::uint32_t id, ConnectorIndex c);
    // Reservation `id`, waiting, found no connector; or, held, its charge point refused it (the
    // connector is free again).
    void refuse(std::uint32_t id);
    // The holder's arrival ends the reservation holding c, by session `session`; it was.
    const Reservation& honour(ConnectorIndex c, SessionId session);
    // Its expiry passed without its holder: the connector is free again. False when it was not held.
    bool expire(std::uint32_t id);
    // Cancelled, waiting or held; false when it had ended already.
    bool cancel(std::uint32_t id);

    bool held(ConnectorIndex c) const { return holder_[c] != kNoReservation; }
    // The reservation holding c, or null.
    const Reservation* holder(ConnectorIndex c) const {
        return held(c) ? &reservations_[holder_[c]] : nullptr;
    }
    // Whether a vehicle of `id_tag` may take c: c is held by nobody, or for that token.
    bool open_to(ConnectorIndex c, std::string_view id_tag) const {
        const Reservation* r = holder(c);
        return !r || r->id_tag == id_tag;
    }
    // The connector held for `id_tag` (its earliest reservation's), if any.
    std::optional<ConnectorIndex> held_for(std::string_view id_tag) const;

    const Reservation& at(std::uint32_t id) const { return reservations_.at(id); }
    std::span<const Reservation> all() const { return reservations_; }
    std::size_t size() const { return reservations_.size(); }
    std::size_t connectors() const { return holder_.size(); }

    // The connectors whose hold began or ended since clear_changed().
    std::span<const ConnectorIndex> changed() const { return changed_; }
    void clear_changed() { changed_.clear(); }

private:
    static constexpr std::uint32_t kNoReservation = ~0u;
    Reservation& get(std::uint32_t id);
    void release(Reservation& r, ReservationState state);

    std::vector<Reservation> reservations_;
    std::vector<std::uint32_t> holder_;  // per connector: the reservation holding it
    std::vector<ConnectorIndex> changed_;
};

}  // namespace evtwin
