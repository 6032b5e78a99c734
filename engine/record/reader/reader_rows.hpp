#pragma once
// What the reader's files share to read rows: the event kinds' names, nullable indices and the
// query of a series' rows in a window. Internal to record/reader.
#include "record/schema/records.hpp"
#include "record/schema/sqlite_db.hpp"

#include <cstdint>
#include <string>

namespace evtwin::reader_rows {

// Throws ResultsError naming the file for a kind this version does not know.
EventKind parse_event_kind(const sqlite::Db& db, const std::string& s);
std::uint32_t index_or_none(const sqlite::Stmt& st, int col);

// The rows of one series (of one node or connector when `key` names its column) in [from, to), plus
// the row in force at `from`: the last at or before it. Parameters: ?1 run, ?2 from, ?3 to, ?4 key.
std::string window_query(const std::string& columns, const std::string& table, const std::string& key = "");
void bind_window(sqlite::Stmt& st, RunId id, Time from, Time to);

}  // namespace evtwin::reader_rows
