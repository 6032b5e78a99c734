#include "record/schema/sqlite_db.hpp"

#include <sqlite3.h>

#include <cmath>
#include <utility>

namespace evtwin::sqlite {

namespace {

// A writer that died in a transaction with a rollback journal leaves the journal beside the file,
// and a read-only connection can neither read past it nor roll it back. One that may write does so
// when it first reads, unless a live writer holds the file (then the journal is not a leftover).
// Where the file cannot be written (a read-only copy), the reader goes on and fails as it would.
void roll_back_a_dead_writers_journal(const std::filesystem::path& file) {
    std::error_code ec;
    if (std::filesystem::file_size(file.string() + "-journal", ec) == 0 || ec) return;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.string().c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) ==
        SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
    }
    sqlite3_close(db);
}

}  // namespace

Db::Db(const std::filesystem::path& file, Mode mode) : file_(file) {
    // SQLite counts every allocation under a global mutex unless told otherwise before its first
    // use; nothing here reads the counts. Said once, and in vain if SQLite is already in use.
    static const bool counting_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
    (void)counting_off;
    const int flags =
        mode == Mode::read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (mode == Mode::read_only && !std::filesystem::exists(file))
        throw ResultsError(file.string() + ": no such results database");
    if (mode == Mode::read_only) roll_back_a_dead_writers_journal(file);
    const int rc = sqlite3_open_v2(file.string().c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw ResultsError(file.string() + ": cannot open: " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
}

Db::~Db() {
    sqlite3_close_v2(db_);
}

void Db::fail(std::string_view what) const {
    const int code = sqlite3_errcode(db_);
    std::string msg = file_.string() + ": " + std::string(what) + ": ";
    if ((code & 0xff) == SQLITE_NOTADB)
        msg += "not an SQLite database (is this an evtwin results file?)";
    else
        msg += sqlite3_errmsg(db_);
    throw ResultsError(msg);
}

void Db::exec(std::string_view sql) {
    char* err = nullptr;
    const std::string s(sql);
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        sqlite3_free(err);
        fail("cannot run \"" + s.substr(0, 60) + "\"");
    }
}

std::int64_t Db::query_int(std::string_view sql) {
    Stmt st(*this, sql);
    if (!st.step()) fail("no result for \"" + std::string(sql) + "\"");
    return st.int64(0);
}

bool Db::table_exists(std::string_view name) {
    Stmt st(*this, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    st.bind(1, name);
    st.step();
    return st.int64(0) > 0;
}

Stmt::Stmt(Db& db, std::string_view sql) : db_(&db) {
    if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt_, nullptr) != SQLITE_OK)
        db.fail("cannot prepare \"" + std::string(sql.substr(0, 60)) + "\"");
}

Stmt::~Stmt() {
    sqlite3_finalize(stmt_);
}

Stmt::Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(std::exchange(o.stmt_, nullptr)) {}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
    if (this != &o) {
        sqlite3_finalize(stmt_);
        db_ = o.db_;
        stmt_ = std::exchange(o.stmt_, nullptr);
    }
    return *this;
}

Stmt& Stmt::bind(int i, std::int64_t v) {
    if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) db_->fail("cannot bind");
    return *this;
}

Stmt& Stmt::bind(int i, double v) {
    if (std::isnan(v))
        throw ResultsError(db_->file().string() + ": refusing to store NaN (parameter " + std::to_string(i) +
                           " of " + sqlite3_sql(stmt_) + ")");
    if (sqlite3_bind_double(stmt_, i, v) != SQLITE_OK) db_->fail("cannot bind");
    return *this;
}

Stmt& Stmt::bind(int i, std::string_view v) {
    if (sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
        db_->fail("cannot bind");
    return *this;
}

Stmt& Stmt::bind_static(int i, std::string_view v) {
    if (sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8) != SQLITE_OK)
        db_->fail("cannot bind");
    return *this;
}

Stmt& Stmt::bind_null(int i) {
    if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) db_->fail("cannot bind");
    return *this;
}

bool Stmt::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail("cannot step \"" + std::string(sqlite3_sql(stmt_)).substr(0, 60) + "\"");
}

void Stmt::run() {
    const int rc = sqlite3_step(stmt_);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        const std::string msg = db_->file().string() + ": cannot run \"" +
                                std::string(sqlite3_sql(stmt_)).substr(0, 60) +
                                "\": " + sqlite3_errmsg(db_->handle());
        sqlite3_reset(stmt_);
        throw ResultsError(msg);
    }
    sqlite3_reset(stmt_);
}

void Stmt::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Stmt::is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
std::int64_t Stmt::int64(int col) const {
    return sqlite3_column_int64(stmt_, col);
}
double Stmt::real(int col) const {
    return sqlite3_column_double(stmt_, col);
}
double Stmt::real_or(int col, double if_null) const {
    return is_null(col) ? if_null : real(col);
}

int Stmt::columns() const {
    return sqlite3_column_count(stmt_);
}
bool Stmt::is_integer(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_INTEGER;
}
bool Stmt::is_real(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_FLOAT;
}

std::string Stmt::text(int col) const {
    return std::string(text_view(col));
}

std::string_view Stmt::text_view(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string_view(reinterpret_cast<const char*>(p),
                                static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
}

}  // namespace evtwin::sqlite
