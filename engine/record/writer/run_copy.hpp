#pragma once
// Copying whole runs from results databases into another: every table's rows of the run, under
// the next free run id of the target, so the copy reads back exactly as the original (RunReader::
// results_dump) and as if the run had been written into the target in that order.
#include "record/schema/sqlite_db.hpp"

#include <evtwin/results.hpp>  // RunId

#include <cstddef>
#include <filesystem>
#include <vector>

namespace evtwin {

// The most files one copy_runs call takes (SQLite attaches at most 10 databases at once).
inline constexpr std::size_t kMaxCopyFiles = 8;

// Appends every run of each file of `from` (the files in order, each file's runs in run_id order)
// to `into`, whose schema exists, in one transaction; returns the new ids. Throws ResultsError,
// copying nothing, when a file is not an evtwin results database of this schema version, and
// std::invalid_argument for more than kMaxCopyFiles files.
std::vector<RunId> copy_runs(sqlite::Db& into, const std::vector<std::filesystem::path>& from);

}  // namespace evtwin
