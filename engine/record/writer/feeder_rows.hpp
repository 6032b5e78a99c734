#pragma once
// A run's distribution feeder in the results database: its limits, buses, branches (lines, then
// transformers) and the site's nodes on its buses (docs/results-schema.md).
#include "model/feeder_spec.hpp"
#include "record/schema/records.hpp"
#include "record/schema/sqlite_db.hpp"

namespace evtwin {

void insert_feeder_rows(sqlite::Db& db, RunId run, const FeederSpec& feeder);

}  // namespace evtwin
