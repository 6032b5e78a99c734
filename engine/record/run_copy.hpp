#pragma once
// Copying whole runs from one results database into another: every table's rows of the run, under
// the next free run id of the target, so the copy reads back exactly as the original (RunReader::
// results_dump) and as if the run had been written into the target in that order.
#include "record/sqlite_db.hpp"

#include <evtwin/results.hpp>  // RunId

#include <filesystem>
#include <vector>

namespace evtwin {

// Appends every run of `from` (in run_id order) to `into`, whose schema exists; returns the new ids.
// Throws ResultsError when `from` is not an evtwin results database of this schema version.
std::vector<RunId> copy_runs(sqlite::Db& into, const std::filesystem::path& from);

}  // namespace evtwin
