#pragma once
// The results database schema (docs/results-schema.md): its version, creation and the check every
// writer and reader makes before touching a file.
#include "record/schema/sqlite_db.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace evtwin::results_schema {

inline constexpr std::int64_t kVersion = 9;
// PRAGMA application_id of every evtwin results database: "EVTW".
inline constexpr std::int64_t kApplicationId = 0x45565457;
inline constexpr std::string_view kFormat = "evtwin-results";

// The tables whose content a run determines completely: same scenario + seed, same rows.
// clang-format off
inline constexpr std::array<std::string_view, 27> kResultTables = {
    "runs",        "nodes",       "connectors",       "phase_constraints", "phase_constraint_terms",
    "pv",          "ess",         "loads",            "sessions",          "site_series",  "ess_series",
    "node_series", "connector_series", "events",      "violations",        "tariff_prices",
    "kpis",        "battery_health",   "battery_scores", "feeders",        "feeder_buses",
    "feeder_branches", "feeder_sites", "feeder_series", "bus_voltage_series", "branch_loading_series",
    "feeder_violations"};
// clang-format on
// Tables that depend on the wall clock.
inline constexpr std::array<std::string_view, 3> kTimingTables = {"run_timing", "decision_times",
                                                                  "timing_kpis"};

// The page size of a new results file, set before anything is written to it: with 8 KiB pages
// rather than SQLite's 4 KiB, the writer splits pages half as often where the series of many
// connectors grow side by side, for a file slightly larger.
inline constexpr std::string_view kPageSizePragma = "PRAGMA page_size = 8192";

// For writing: creates the schema in an empty database, accepts an evtwin database of this
// version, and throws ResultsError for anything else (another schema version, a foreign file).
void create_or_check(sqlite::Db& db);
// For reading: throws ResultsError unless the file is an evtwin results database of this version.
void check(sqlite::Db& db);
// Before create_or_check, to set up the connection first (its journal mode) without touching a
// file that is not ours: throws as create_or_check does, but leaves an empty database empty.
void check_unless_empty(sqlite::Db& db);

// The bytes of a results database that holds the schema and no run, made once per process:
// writing them into a new file is cheaper than creating the schema there.
const std::string& empty_database_image();

}  // namespace evtwin::results_schema
