#pragma once
// The reservations of a live run, kept in the results database (table live_reservations,
// docs/results-schema.md) so that a central system restarted after a crash goes on with its book:
// the held ones still held, the waiting ones still to start, the ids still OCPP's reservationIds.
#include "serve/live/live_twin.hpp"

#include "record/schema/sqlite_db.hpp"

#include <evtwin/results.hpp>

#include <vector>

namespace evtwin::serve {

// Creates the table where missing (outside a transaction).
void create_live_reservations(sqlite::Db& db);

// Keeps the run's rows equal to its book, inside the caller's transaction.
class LiveReservationStore {
public:
    LiveReservationStore(sqlite::Db& db, RunId run);
    void save(const std::vector<LiveReservationState>& all);

private:
    RunId run_;
    sqlite::Stmt clear_, insert_;
};

// Every reservation stored for the run, by id (empty for a database without the table's rows).
std::vector<LiveReservationState> load_live_reservations(sqlite::Db& db, RunId run);

}  // namespace evtwin::serve
