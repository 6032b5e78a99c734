#include "serve/live/live_reservations_store.hpp"

#include <stdexcept>

namespace evtwin::serve {

namespace {

ReservationState state_named(const std::string& name) {
    for (const ReservationState s :
         {ReservationState::waiting, ReservationState::held, ReservationState::honoured,
          ReservationState::expired, ReservationState::cancelled, ReservationState::refused})
        if (name == to_string(s)) return s;
    throw std::runtime_error("live_reservations: unknown state '" + name + "'");
}

void bind_index(sqlite::Stmt& st, int i, std::uint32_t index) {
    if (index == kNone)
        st.bind_null(i);
    else
        st.bind(i, std::int64_t{index});
}

std::uint32_t index_at(const sqlite::Stmt& st, int col) {
    return st.is_null(col) ? kNone : static_cast<std::uint32_t>(st.int64(col));
}

}  // namespace

void create_live_reservations(sqlite::Db& db) {
    db.exec(R"sql(
CREATE TABLE IF NOT EXISTS live_reservations (
  run_id INTEGER NOT NULL,
  reservation INTEGER NOT NULL,
  id_tag TEXT NOT NULL,
  from_ms INTEGER NOT NULL,
  to_ms INTEGER NOT NULL,
  state TEXT NOT NULL,
  wanted INTEGER,
  connector INTEGER,
  status TEXT NOT NULL,
  session INTEGER,
  PRIMARY KEY (run_id, reservation)
) WITHOUT ROWID)sql");
}

LiveReservationStore::LiveReservationStore(sqlite::Db& db, RunId run)
    : run_(run),
      clear_(db, "DELETE FROM live_reservations WHERE run_id = ?1"),
      insert_(db,
              "INSERT INTO live_reservations (run_id, reservation, id_tag, from_ms, to_ms, state, wanted, "
              "connector, status, session) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)") {}

void LiveReservationStore::save(const std::vector<LiveReservationState>& all) {
    clear_.bind(1, run_).run();
    for (const LiveReservationState& s : all) {
        const Reservation& r = s.reservation;
        insert_.bind(1, run_)
            .bind(2, std::int64_t{r.id})
            .bind(3, std::string_view(r.id_tag))
            .bind(4, r.from.ms())
            .bind(5, r.to.ms())
            .bind(6, std::string_view(to_string(r.state)));
        bind_index(insert_, 7, s.wanted);
        bind_index(insert_, 8, r.connector);
        insert_.bind(9, std::string_view(s.status));
        bind_index(insert_, 10, r.session);
        insert_.run();
    }
}

std::vector<LiveReservationState> load_live_reservations(sqlite::Db& db, RunId run) {
    sqlite::Stmt q(db,
                   "SELECT reservation, id_tag, from_ms, to_ms, state, wanted, connector, status, session "
                   "FROM live_reservations WHERE run_id = ?1 ORDER BY reservation");
    q.bind(1, run);
    std::vector<LiveReservationState> out;
    while (q.step()) {
        LiveReservationState s;
        Reservation& r = s.reservation;
        r.id = static_cast<std::uint32_t>(q.int64(0));
        if (r.id != out.size())
            throw std::runtime_error("live_reservations: reservation " + std::to_string(r.id) + " of run " +
                                     std::to_string(run) + " out of sequence");
        r.id_tag = q.text(1);
        r.from = Time(q.int64(2));
        r.to = Time(q.int64(3));
        r.state = state_named(q.text(4));
        s.wanted = index_at(q, 5);
        r.connector = index_at(q, 6);
        s.status = q.text(7);
        r.session = index_at(q, 8);
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace evtwin::serve
