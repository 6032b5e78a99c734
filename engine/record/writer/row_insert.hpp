#pragma once
// Inserting a run's rows in bulk: many rows per statement, and series samples one per instant.
#include "record/schema/sqlite_db.hpp"

#include <evtwin/ids.hpp>
#include <evtwin/time.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace evtwin {

// An index that may be kNone (no parent, connector or session), stored as NULL.
inline void bind_index(sqlite::Stmt& st, int i, std::uint32_t index) {
    if (index == kNone)
        st.bind_null(i);
    else
        st.bind(i, static_cast<std::int64_t>(index));
}

// A limit, stored as NULL when unlimited, so that the file reads naturally in any SQLite tool.
inline void bind_limit(sqlite::Stmt& st, int i, double kw) {
    if (std::isinf(kw))
        st.bind_null(i);
    else
        st.bind(i, kw);
}

// An INSERT of many rows per statement for the tables a run fills most: SQLite's cost per statement
// is then shared by kRowsPerStatement rows. A row's values are bound from parameter `base` + 1 on.
// The rows are new keys: INSERT OR FAIL, unlike the default ABORT or REPLACE, lets SQLite keep no
// statement journal (a copy of every page a statement changes, to undo it), work the writer would
// otherwise do for every statement. replace() writes one row whose key may exist.
class RowInsert {
public:
    static constexpr std::size_t kRowsPerStatement = 32;

    // `into` is "table (columns)".
    RowInsert(sqlite::Db& db, const std::string& into, int columns)
        : db_(db),
          into_(into),
          one_(db, "INSERT OR FAIL INTO " + into + " VALUES " + values(columns, 1)),
          many_(db, "INSERT OR FAIL INTO " + into + " VALUES " + values(columns, kRowsPerStatement)),
          columns_(columns) {}

    template <class Row, class BindRow>
    void insert(std::span<const Row> rows, BindRow bind_row) {
        std::size_t i = 0;
        for (; i + kRowsPerStatement <= rows.size(); i += kRowsPerStatement) {
            for (std::size_t k = 0; k < kRowsPerStatement; ++k)
                bind_row(many_, static_cast<int>(k) * columns_, rows[i + k]);
            many_.run();
        }
        for (; i < rows.size(); ++i) {
            bind_row(one_, 0, rows[i]);
            one_.run();
        }
    }

    template <class Row, class BindRow>
    void replace(const Row& row, BindRow bind_row) {
        if (!replace_one_)
            replace_one_.emplace(db_, "INSERT OR REPLACE INTO " + into_ + " VALUES " + values(columns_, 1));
        bind_row(*replace_one_, 0, row);
        replace_one_->run();
    }

private:
    static std::string values(int columns, std::size_t rows) {
        std::string row = "(?";
        for (int c = 1; c < columns; ++c) row += ", ?";
        row += ")";
        std::string all = row;
        for (std::size_t r = 1; r < rows; ++r) all += ", " + row;
        return all;
    }

    sqlite::Db& db_;
    std::string into_;
    sqlite::Stmt one_, many_;
    std::optional<sqlite::Stmt> replace_one_;
    int columns_;
};

// Writes a batch of one table's samples, in key order (series, then time) and one per instant of a
// series, the last reported (RunSink: a sample at the same instant replaces the earlier one). A row
// at its series' last written instant replaces that row; `written` (per series) follows.
template <class Row, class SeriesOf, class BindRow>
void write_series(RowInsert& insert, std::vector<Row>& rows, std::vector<Time>& written, SeriesOf series_of,
                  BindRow bind_row) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const bool superseded =
            i + 1 < rows.size() && series_of(rows[i + 1]) == series_of(rows[i]) && rows[i + 1].t == rows[i].t;
        if (superseded) continue;
        if (rows[i].t == written[series_of(rows[i])])
            insert.replace(rows[i], bind_row);
        else
            rows[kept++] = rows[i];
    }
    rows.resize(kept);
    insert.insert(std::span<const Row>(rows), bind_row);
    for (const Row& r : rows) written[series_of(r)] = r.t;
}

}  // namespace evtwin
