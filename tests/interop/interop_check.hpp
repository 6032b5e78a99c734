#pragma once
// Compares what `evtwin ocpp import` stored (the ocpp_* tables) with what the ocpp-rpc script
// says it played (one entry of tests/interop/play.mjs's expected.json), and checks the physics of
// the rebuilt transactions.
#include "record/schema/sqlite_db.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace evtwin::test {

// One line per difference between the import `import_id` in `db` and `expected` (frames, problems,
// schema check, transactions, every sampled value, every status change); empty when they agree.
std::vector<std::string> interop_differences(sqlite::Db& db, std::int64_t import_id,
                                             const nlohmann::json& expected);

// One line per physical inconsistency of the rebuilt transactions: energy ≠ (stop − start) register,
// an energy register that goes back or leaves [start, stop], or power samples whose integral over
// time misses the energy by more than the meter's rounding (half a Wh per sample).
std::vector<std::string> physics_violations(sqlite::Db& db, std::int64_t import_id);

}  // namespace evtwin::test
