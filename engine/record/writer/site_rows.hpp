#pragma once
// A run's site in the results database: its nodes, connectors, phase constraints, PV, ESS and loads,
// as site_tree numbers them (docs/results-schema.md).
#include "record/schema/records.hpp"
#include "record/schema/sqlite_db.hpp"

namespace evtwin {

void insert_site_rows(sqlite::Db& db, RunId run, const SiteTree& tree);

}  // namespace evtwin
