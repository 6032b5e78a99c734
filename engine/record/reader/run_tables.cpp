// A run's tables as they are stored: the whole run as text (for comparing two runs byte for byte)
// and any results table as rows of values (what `evtwin` and Python print and export).
#include "record/reader/run_reader.hpp"

#include "record/schema/schema.hpp"
#include "record/schema/sqlite_db.hpp"

#include <algorithm>
#include <cstdio>

namespace evtwin {

std::string RunReader::results_dump(RunId id) const {
    require_run(id);
    std::string out;
    char buf[64];
    for (auto table : results_schema::kResultTables) {
        const std::string name(table);
        // Key order: every results table has a primary key that starts with run_id.
        sqlite::Stmt keys(*db_, "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk");
        keys.bind(1, table);
        std::string order;
        while (keys.step()) order += (order.empty() ? "" : ", ") + keys.text(0);
        sqlite::Stmt st(*db_, "SELECT * FROM " + name + " WHERE run_id = ?1 ORDER BY " + order);
        st.bind(1, id);
        out += "## " + name + "\n";
        while (st.step()) {
            for (int c = 1; c < st.columns(); ++c) {  // column 0 is run_id
                if (c > 1) out += '|';
                if (st.is_null(c)) {
                    out += "NULL";
                } else if (st.is_integer(c)) {
                    out += std::to_string(st.int64(c));
                } else if (st.is_real(c)) {
                    std::snprintf(buf, sizeof buf, "%a", st.real(c));
                    out += buf;
                } else {
                    out += '"' + st.text(c) + '"';
                }
            }
            out += '\n';
        }
    }
    return out;
}

std::vector<std::string> RunReader::tables() const {
    sqlite::Stmt st(*db_, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.text(0));
    return out;
}

ResultTable RunReader::table(std::string_view name, std::optional<RunId> run) const {
    const std::vector<std::string> known = tables();
    if (std::find(known.begin(), known.end(), name) == known.end())
        throw ResultsError(db_->file().string() + ": no table '" + std::string(name) + "'");
    ResultTable out;
    out.name = std::string(name);
    // Column names and declared types; the primary key gives the row order.
    sqlite::Stmt info(*db_, "SELECT name, upper(type), pk FROM pragma_table_info(?1) ORDER BY cid");
    info.bind(1, name);
    std::vector<std::pair<int, std::string>> key;
    bool has_run = false;
    std::string columns;
    while (info.step()) {
        const std::string column = info.text(0), type = info.text(1);
        if (info.int64(2) > 0) key.emplace_back(static_cast<int>(info.int64(2)), column);
        if (column == "run_id") has_run = true;
        if (run && column == "run_id") continue;
        ResultColumn c;
        c.name = column;
        c.type = type.find("INT") != std::string::npos    ? ResultColumn::Type::integer
                 : type.find("TEXT") != std::string::npos ? ResultColumn::Type::text
                                                          : ResultColumn::Type::real;
        out.columns.push_back(std::move(c));
        columns += (columns.empty() ? "\"" : ", \"") + column + "\"";
    }
    if (run && !has_run)
        throw ResultsError(db_->file().string() + ": table '" + out.name + "' holds no runs");
    if (run) require_run(*run);
    std::sort(key.begin(), key.end());
    std::string order;
    for (const auto& [position, column] : key) order += (order.empty() ? "\"" : ", \"") + column + "\"";
    sqlite::Stmt st(*db_, "SELECT " + columns + " FROM \"" + out.name + "\"" +
                              (run ? " WHERE run_id = ?1" : "") +
                              (order.empty() ? std::string(" ORDER BY rowid") : " ORDER BY " + order));
    if (run) st.bind(1, *run);
    constexpr double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    while (st.step()) {
        for (int i = 0; i < static_cast<int>(out.columns.size()); ++i) {
            ResultColumn& c = out.columns[static_cast<std::size_t>(i)];
            const bool null = st.is_null(i);
            c.null.push_back(null ? 1 : 0);
            switch (c.type) {
                case ResultColumn::Type::integer:
                    c.integers.push_back(null ? 0 : st.int64(i));
                    break;
                case ResultColumn::Type::text:
                    c.texts.push_back(null ? std::string() : st.text(i));
                    break;
                case ResultColumn::Type::real: {
                    const bool limit = c.name.ends_with("limit_kw") || c.name.ends_with("limit_a");
                    c.reals.push_back(null ? (limit ? inf : nan) : st.real(i));
                    break;
                }
            }
        }
        ++out.rows;
    }
    return out;
}

}  // namespace evtwin
