#pragma once
// The charging profiles set and cleared over OCPI in a live run, kept in the results database
// (table live_charging_profiles, docs/results-schema.md), one row each, in order.
#include "record/schema/sqlite_db.hpp"
#include "serve/ocpi/ocpi_service.hpp"

namespace evtwin::serve::ocpi {

// Creates the table where missing (outside a transaction).
void create_live_charging_profiles(sqlite::Db& db);

class ProfileStore {
public:
    ProfileStore(sqlite::Db& db, std::uint64_t run);
    // Inside the caller's transaction.
    void insert(const ProfileRecord& r);

private:
    std::uint64_t run_;
    std::int64_t seq_ = 0;
    sqlite::Stmt insert_;
};

// The OCPI registrations, kept in the results database (tables ocpi_parties and ocpi_spent_tokens,
// docs/results-schema.md) so that a restarted server goes on with them: not a run's, the CPO's.
// Creates the tables where missing (outside a transaction).
void create_ocpi_parties(sqlite::Db& db);
PartiesState load_ocpi_parties(sqlite::Db& db);
// Rewrites them as `state` says, inside the caller's transaction.
void save_ocpi_parties(sqlite::Db& db, const PartiesState& state);

}  // namespace evtwin::serve::ocpi
