#include "record/run_copy.hpp"

#include "record/schema.hpp"

#include <sqlite3.h>

#include <string>

namespace evtwin {

namespace {

// "INSERT INTO main.T (c1, c2, ...) SELECT ?1, c2, ... FROM src.T WHERE run_id = ?2", run_id first.
std::string copy_statement(sqlite::Db& into, std::string_view table) {
    std::string columns, values;
    sqlite::Stmt info(into, "SELECT name FROM pragma_table_info(?1, 'main')");
    info.bind(1, table);
    while (info.step()) {
        const std::string column = info.text(0);
        columns += (columns.empty() ? "" : ", ") + column;
        values += (values.empty() ? "" : ", ") + (column == "run_id" ? std::string("?1") : column);
    }
    const std::string name(table);
    return "INSERT INTO main." + name + " (" + columns + ") SELECT " + values + " FROM src." + name + " WHERE run_id = ?2";
}

}  // namespace

std::vector<RunId> copy_runs(sqlite::Db& into, const std::filesystem::path& from) {
    {
        sqlite::Db source(from, sqlite::Db::Mode::read_only);
        results_schema::check(source);
    }
    sqlite::Stmt attach(into, "ATTACH DATABASE ?1 AS src");
    attach.bind(1, from.string()).run();
    std::vector<RunId> copied;
    try {
        into.exec("BEGIN");
        std::vector<sqlite::Stmt> copies;
        for (auto table : results_schema::kResultTables) copies.emplace_back(into, copy_statement(into, table));
        for (auto table : results_schema::kTimingTables) copies.emplace_back(into, copy_statement(into, table));
        std::vector<RunId> source_ids;
        {
            sqlite::Stmt ids(into, "SELECT run_id FROM src.runs ORDER BY run_id");
            while (ids.step()) source_ids.push_back(ids.int64(0));
        }
        for (RunId source_id : source_ids) {
            const RunId id = into.query_int("SELECT COALESCE(MAX(run_id), 0) + 1 FROM main.runs");
            for (auto& copy : copies) copy.bind(1, static_cast<std::int64_t>(id)).bind(2, static_cast<std::int64_t>(source_id)).run();
            copied.push_back(id);
        }
        copies.clear();
        into.exec("COMMIT");
    } catch (...) {
        if (!sqlite3_get_autocommit(into.handle())) into.exec("ROLLBACK");
        into.exec("DETACH DATABASE src");
        throw;
    }
    into.exec("DETACH DATABASE src");
    return copied;
}

}  // namespace evtwin
