// A live run's reservations across a restart: the twin hands its book to the store at a flush once
// it has changed, the store keeps the rows equal to it, and a twin resumed from them goes on with
// the held connectors, the waiting reservations and the ids (OCPP's reservationIds).
#include "serve/live/live_reservations_store.hpp"

#include "host/plugin_loader.hpp"
#include "live_site.hpp"
#include "support/memory_sink.hpp"
#include "support/test_site.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

using live_test::kSite;
using live_test::load_site;

LiveReservationState reservation(std::uint32_t id, const std::string& tag, Time from, Time to,
                                 ReservationState state, ConnectorIndex connector,
                                 const std::string& status) {
    LiveReservationState s;
    s.reservation.id = id;
    s.reservation.id_tag = tag;
    s.reservation.from = from;
    s.reservation.to = to;
    s.reservation.state = state;
    s.reservation.connector = connector;
    s.wanted = connector;
    s.status = status;
    return s;
}

bool same(const LiveReservationState& a, const LiveReservationState& b) {
    const Reservation &x = a.reservation, &y = b.reservation;
    return x.id == y.id && x.id_tag == y.id_tag && x.from == y.from && x.to == y.to && x.state == y.state &&
           x.connector == y.connector && x.session == y.session && a.wanted == b.wanted &&
           a.status == b.status;
}

TEST(LiveReservationStore, KeepsTheRowsEqualToTheBook) {
    const auto file = evtwin::test::temp_dir("live_reservation_store") / "run.db";
    sqlite::Db db(file, sqlite::Db::Mode::read_write_create);
    create_live_reservations(db);
    create_live_reservations(db);  // again: nothing changes
    const Time t(1'719'792'000'000);
    std::vector<LiveReservationState> book = {
        reservation(0, "car-1", t, t + Duration::minutes(30), ReservationState::honoured, 0, "Accepted"),
        reservation(1, "car-2", t, t + Duration::minutes(30), ReservationState::held, 1, "Accepted"),
        reservation(2, "car-3", t + Duration::hours(1), t + Duration::hours(2), ReservationState::waiting,
                    kNone, "")};
    book[0].reservation.session = 4;
    LiveReservationStore store(db, 1);
    store.save(book);
    book[1].reservation.state = ReservationState::expired;
    store.save(book);
    const std::vector<LiveReservationState> loaded = load_live_reservations(db, 1);
    ASSERT_EQ(loaded.size(), 3u);
    for (std::size_t i = 0; i < loaded.size(); ++i) EXPECT_TRUE(same(loaded[i], book[i])) << i;
    EXPECT_TRUE(load_live_reservations(db, 2).empty());
}

struct ResumedTwin : ::testing::Test {
    ScenarioSpec spec = load_site(kSite);
    StrategyHandle strategy = load_strategy("uncontrolled");
    evtwin::test::MemorySink sink;
    RunInfo info{"live-site", "site.lua", "uncontrolled", "1", "", 1, "test"};
    Time t0 = spec.start;
};

// The twin hands its book over at a flush after a change, and only then.
TEST_F(ResumedTwin, AFlushSavesTheBookOnceItChanged) {
    LiveTwin twin(spec, *strategy, sink, info);
    std::vector<std::size_t> saved;
    twin.set_reservation_store(
        [&](const std::vector<LiveReservationState>& all) { saved.push_back(all.size()); });
    twin.flush();
    EXPECT_TRUE(saved.empty());
    twin.add_reservation("car-1", kNone, t0 + Duration::hours(1), t0 + Duration::hours(2));
    twin.flush();
    twin.flush();
    EXPECT_EQ(saved, std::vector<std::size_t>{1});
    twin.cancel_reservation(0, t0, "test");
    twin.flush();
    EXPECT_EQ(saved, (std::vector<std::size_t>{1, 1}));
}

// Resumed with a held reservation (CP-A's EVSE 2: connector 1) and a waiting one: the held
// connector is held again, its holder's transaction honours it, and the next reservation's id
// follows theirs.
TEST_F(ResumedTwin, GoesOnWithTheHeldAndWaitingReservations) {
    LiveResume resume;
    resume.at = t0 + Duration::minutes(5);
    resume.reservations = {
        reservation(0, "car-1", t0, t0 + Duration::minutes(30), ReservationState::held, 1, "Accepted"),
        reservation(1, "car-2", t0 + Duration::hours(1), t0 + Duration::hours(2), ReservationState::waiting,
                    kNone, "")};
    LiveTwin twin(spec, *strategy, sink, info, &resume);
    const std::vector<LiveReservationState> book = twin.reservations();
    ASSERT_EQ(book.size(), 2u);
    EXPECT_EQ(book[0].reservation.state, ReservationState::held);
    EXPECT_EQ(book[1].reservation.state, ReservationState::waiting);
    EXPECT_EQ(twin.add_reservation("car-3", kNone, t0 + Duration::hours(3), t0 + Duration::hours(4)), 2u);
    // The strategy sees the held connector.
    bool shown = false;
    evtwin::test::FunctionStrategy look(
        [&](const Observation& o, Decision&) { shown = o.connectors[1].reserved; });
    LiveTwin seen(spec, look, sink, info, &resume);
    seen.decide(t0 + Duration::minutes(6));
    EXPECT_TRUE(shown);
    // Its holder comes.
    twin.set_online(1, t0 + Duration::minutes(6), true);
    const SessionId session =
        twin.start_session(1, t0 + Duration::minutes(6), "TX-9", "car-1", 0.0, std::nullopt);
    EXPECT_EQ(twin.reservation(0)->reservation.state, ReservationState::honoured);
    EXPECT_EQ(twin.reservation(0)->reservation.session, session);
}

}  // namespace
}  // namespace evtwin::serve
