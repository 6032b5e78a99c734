#pragma once
// Physical invariants every end-to-end run must satisfy, checked from the results database alone
// (through RunReader) and computed independently of the engine's own bookkeeping.
#include "model/tariff.hpp"
#include "record/reader/run_reader.hpp"

namespace evtwin::test {

// Energy into each vehicle, integrated from its connector's power series, equals the session's
// recorded delivered and grid energy.
void expect_session_energy_matches_series(const RunReader& reader, RunId id);
// Node flows recomputed from connector, PV, ESS and load series never exceed a node limit, and
// agree with the stored node series.
void expect_node_limits_hold(const RunReader& reader, RunId id);
// Vehicle and ESS SoC stay within their bounds.
void expect_soc_within_bounds(const RunReader& reader, RunId id);
// A battery without grid charge charges only while the site imports nothing, one without grid
// discharge gives only while it exports nothing (docs/engine.md, "Grid permissions").
void expect_grid_permissions_hold(const RunReader& reader, RunId id);
// The stored energy cost equals the sum of import x price x duration over the site series, split at
// every whole hour (where the tariffs used in these tests change price).
void expect_bill_matches_series(const RunReader& reader, RunId id, const Tariff& tariff);

}  // namespace evtwin::test
