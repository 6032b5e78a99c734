// Reservations in a simulated run: a connector held for a token from the reservation's start, kept
// from every other arrival, taken by its holder, freed at its expiry without it (a no-show). The
// expected values are worked out by hand on sites of one or two 10 kW chargers.
#include "core/simulator.hpp"
#include "model/reservation_book.hpp"

#include "support/memory_sink.hpp"
#include "support/test_site.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

using test::at_hour;
using test::MemorySink;

SessionSpec driver(SessionId id, const std::string& vehicle, double arrive_h, double depart_h, double kwh) {
    SessionSpec s = test::session(id, arrive_h, depart_h, kwh);
    s.vehicle_id = vehicle;
    return s;
}

ReservationSpec reservation(const std::string& tag, double from_h, double to_h,
                            const std::string& station = "") {
    return ReservationSpec{tag, station, at_hour(from_h), at_hour(to_h)};
}

// The events of one kind, as (hour, connector, session).
struct Seen {
    double hour;
    ConnectorIndex connector;
    SessionId session;
    bool operator==(const Seen&) const = default;
};
std::vector<Seen> events_of(const MemorySink& sink, EventKind kind) {
    std::vector<Seen> out;
    for (const auto& e : sink.events)
        if (e.kind == kind)
            out.push_back(
                {static_cast<double>((e.t - at_hour(0)).ms()) / 3'600'000.0, e.connector, e.session});
    return out;
}
const SessionRecord& record_of(const MemorySink& sink, SessionId id) {
    for (const SessionRecord& r : sink.sessions)
        if (r.id == id) return r;
    throw std::runtime_error("no session " + std::to_string(id));
}

TEST(ReservationBook, HoldsOneConnectorPerReservationUntilItEnds) {
    ReservationBook book(2);
    const auto a = book.add("car-A", at_hour(8), at_hour(9));
    const auto b = book.add("car-B", at_hour(8), at_hour(9));
    book.hold(a, 1);
    EXPECT_THROW(book.hold(b, 1), std::logic_error);  // held already
    EXPECT_TRUE(book.held(1));
    EXPECT_FALSE(book.open_to(1, "car-B"));
    EXPECT_TRUE(book.open_to(1, "car-A"));
    EXPECT_TRUE(book.open_to(0, "car-B"));
    EXPECT_EQ(book.held_for("car-A"), std::optional<ConnectorIndex>(1));
    EXPECT_EQ(book.held_for("car-B"), std::nullopt);
    EXPECT_EQ(book.honour(1, 7).session, 7u);
    EXPECT_FALSE(book.held(1));
    EXPECT_FALSE(book.expire(a));  // honoured: its expiry changes nothing
    EXPECT_EQ(book.at(a).state, ReservationState::honoured);
    book.refuse(b);
    EXPECT_EQ(book.at(b).state, ReservationState::refused);
    EXPECT_FALSE(book.cancel(b));
    EXPECT_THROW(book.add("car-C", at_hour(9), at_hour(9)), std::invalid_argument);  // from >= to
    EXPECT_EQ(book.changed().size(), 2u);  // connector 1 held, then freed
}

// Two chargers. car-A reserves any connector from 8:00 to 9:00 and gets CP1's (connector 0, the
// first free). car-B at 8:15 takes connector 1; a driver without a reservation at 8:30 finds none
// left for it and is rejected; car-A at 8:45 takes its held connector, the reservation honoured.
TEST(Reservations, AnotherArrivalDoesNotTakeTheHeldConnectorAndTheHolderDoes) {
    ScenarioSpec spec = test::small_site(2, 10.0, 100.0);
    spec.sessions = {driver(0, "car-B", 8.25, 12.0, 10.0), driver(1, "", 8.5, 12.0, 10.0),
                     driver(2, "car-A", 8.75, 12.0, 10.0)};
    spec.reservations = {reservation("car-A", 8.0, 9.0)};
    auto strategy = test::offer_all();
    const MemorySink sink = test::simulate(spec, strategy);

    EXPECT_EQ(events_of(sink, EventKind::reservation), (std::vector<Seen>{{8.0, 0, kNone}}));
    EXPECT_EQ(record_of(sink, 0).connector, 1u);
    EXPECT_EQ(record_of(sink, 1).connector, kNone);  // rejected
    EXPECT_EQ(events_of(sink, EventKind::rejected).size(), 1u);
    EXPECT_EQ(record_of(sink, 2).connector, 0u);
    EXPECT_EQ(events_of(sink, EventKind::reservation_honoured), (std::vector<Seen>{{8.75, 0, 2}}));
    EXPECT_TRUE(events_of(sink, EventKind::reservation_expired).empty());
    // Its 10 kWh at 10 kW: from 8:45 to 9:45.
    EXPECT_NEAR(record_of(sink, 2).delivered_kwh, 10.0, 1e-6);
}

// One charger held for car-A from 8:00 to 8:30. car-B at 8:10 is rejected; car-A never comes, so
// the reservation expires at 8:30 (a no-show) and car-C, arriving at that very instant, gets it.
TEST(Reservations, ExpiryWithoutTheHolderIsANoShowThatFreesTheConnector) {
    ScenarioSpec spec = test::small_site(1, 10.0, 100.0);
    spec.sessions = {driver(0, "car-B", 8.0 + 10.0 / 60.0, 12.0, 10.0), driver(1, "car-C", 8.5, 12.0, 5.0)};
    spec.reservations = {reservation("car-A", 8.0, 8.5)};
    auto strategy = test::offer_all();
    const MemorySink sink = test::simulate(spec, strategy);

    EXPECT_EQ(record_of(sink, 0).connector, kNone);
    EXPECT_EQ(events_of(sink, EventKind::reservation_expired), (std::vector<Seen>{{8.5, 0, kNone}}));
    EXPECT_EQ(record_of(sink, 1).connector, 0u);
    EXPECT_NEAR(record_of(sink, 1).delivered_kwh, 5.0, 1e-6);
    EXPECT_TRUE(events_of(sink, EventKind::reservation_honoured).empty());
}

// A holder who comes after the expiry finds nothing held for it: the reservation was a no-show,
// and it plugs in like anyone else.
TEST(Reservations, AHolderAfterTheExpiryArrivesLikeAnyoneElse) {
    ScenarioSpec spec = test::small_site(1, 10.0, 100.0);
    spec.sessions = {driver(0, "car-A", 9.0, 12.0, 10.0)};
    spec.reservations = {reservation("car-A", 8.0, 8.5)};
    auto strategy = test::offer_all();
    const MemorySink sink = test::simulate(spec, strategy);
    EXPECT_EQ(events_of(sink, EventKind::reservation_expired).size(), 1u);
    EXPECT_TRUE(events_of(sink, EventKind::reservation_honoured).empty());
    EXPECT_EQ(record_of(sink, 0).connector, 0u);
}

// A reservation that finds its charger occupied is refused; one on a named charger holds that
// charger's connector even when another comes first in the site's order.
TEST(Reservations, RefusedWhenNoConnectorIsFreeAndHeldOnItsStation) {
    ScenarioSpec spec = test::small_site(2, 10.0, 100.0);
    spec.sessions = {driver(0, "car-B", 7.0, 10.0, 10.0)};
    spec.reservations = {reservation("car-A", 8.0, 9.0, "CP1"), reservation("car-C", 8.0, 9.0, "CP2")};
    auto strategy = test::offer_all();
    const MemorySink sink = test::simulate(spec, strategy);
    EXPECT_EQ(record_of(sink, 0).connector, 0u);  // car-B on CP1 from 7:00
    EXPECT_EQ(events_of(sink, EventKind::reservation_refused), (std::vector<Seen>{{8.0, kNone, kNone}}));
    EXPECT_EQ(events_of(sink, EventKind::reservation), (std::vector<Seen>{{8.0, 1, kNone}}));
}

// The strategy sees the hold: the connector reserved until the expiry while held, and free again
// after it.
TEST(Reservations, TheStrategySeesTheHeldConnectorAndItsExpiry) {
    ScenarioSpec spec = test::small_site(2, 10.0, 100.0);
    spec.reservations = {reservation("car-A", 8.0, 8.5)};
    std::vector<std::tuple<Time, bool, Time, bool>> seen;
    test::FunctionStrategy strategy([&](const Observation& o, Decision&) {
        seen.emplace_back(o.now, o.connectors[0].reserved, o.connectors[0].reserved_until,
                          o.connectors[1].reserved);
    });
    test::simulate(spec, strategy);
    const auto at = [&](double hour) {
        for (const auto& s : seen)
            if (std::get<0>(s) == at_hour(hour)) return s;
        throw std::runtime_error("no decision at " + std::to_string(hour));
    };
    EXPECT_FALSE(std::get<1>(at(7.75)));
    EXPECT_TRUE(std::get<1>(at(8.0)));
    EXPECT_EQ(std::get<2>(at(8.25)), at_hour(8.5));
    EXPECT_FALSE(std::get<3>(at(8.25)));
    EXPECT_FALSE(std::get<1>(at(8.5)));
}

}  // namespace
}  // namespace evtwin
