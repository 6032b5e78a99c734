#include "record/writer/run_copy.hpp"

#include "record/schema/schema.hpp"

#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace evtwin {

namespace {

// "INSERT INTO main.T (c1, c2, ...) SELECT ?1, c2, ... FROM <schema>.T WHERE run_id = ?2", run_id
// first; the columns are read once, the statement made for each attached file.
struct TableCopy {
    std::string table, columns, values;

    TableCopy(sqlite::Db& into, std::string_view name) : table(name) {
        sqlite::Stmt info(into, "SELECT name FROM pragma_table_info(?1, 'main')");
        info.bind(1, name);
        while (info.step()) {
            const std::string column = info.text(0);
            columns += (columns.empty() ? "" : ", ") + column;
            values += (values.empty() ? "" : ", ") + (column == "run_id" ? std::string("?1") : column);
        }
    }

    std::string sql(const std::string& schema) const {
        return "INSERT INTO main." + table + " (" + columns + ") SELECT " + values + " FROM " + schema + "." +
               table + " WHERE run_id = ?2";
    }
};

void detach(sqlite::Db& into, std::size_t attached) {
    for (std::size_t i = 0; i < attached; ++i) into.exec("DETACH DATABASE src" + std::to_string(i));
}

}  // namespace

std::vector<RunId> copy_runs(sqlite::Db& into, const std::vector<std::filesystem::path>& from) {
    if (from.size() > kMaxCopyFiles)
        throw std::invalid_argument("copy_runs: " + std::to_string(from.size()) + " files, at most " +
                                    std::to_string(kMaxCopyFiles) + " at once");
    for (const auto& file : from) {
        sqlite::Db source(file, sqlite::Db::Mode::read_only);
        results_schema::check(source);
    }
    std::vector<TableCopy> tables;
    for (auto table : results_schema::kResultTables) tables.emplace_back(into, table);
    for (auto table : results_schema::kTimingTables) tables.emplace_back(into, table);

    // Attached together, copied in one transaction: the target's pages are written once for all.
    std::size_t attached = 0;
    std::vector<RunId> copied;
    try {
        for (; attached < from.size(); ++attached) {
            sqlite::Stmt attach(into, "ATTACH DATABASE ?1 AS src" + std::to_string(attached));
            attach.bind(1, from[attached].string()).run();
        }
        into.exec("BEGIN");
        RunId next = into.query_int("SELECT COALESCE(MAX(run_id), 0) + 1 FROM main.runs");
        for (std::size_t i = 0; i < from.size(); ++i) {
            const std::string schema = "src" + std::to_string(i);
            std::vector<sqlite::Stmt> copies;
            for (const auto& table : tables) copies.emplace_back(into, table.sql(schema));
            std::vector<RunId> source_ids;
            {
                sqlite::Stmt ids(into, "SELECT run_id FROM " + schema + ".runs ORDER BY run_id");
                while (ids.step()) source_ids.push_back(ids.int64(0));
            }
            for (RunId source_id : source_ids) {
                for (auto& copy : copies)
                    copy.bind(1, static_cast<std::int64_t>(next))
                        .bind(2, static_cast<std::int64_t>(source_id))
                        .run();
                copied.push_back(next++);
            }
        }
        into.exec("COMMIT");
    } catch (...) {
        if (!sqlite3_get_autocommit(into.handle())) into.exec("ROLLBACK");
        detach(into, attached);
        throw;
    }
    detach(into, attached);
    return copied;
}

}  // namespace evtwin
