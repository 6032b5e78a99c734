#pragma once
// A thin RAII layer over the SQLite C API, shared by the results writer and reader. Every failure
// throws ResultsError with the database file and SQLite's message.
#include <evtwin/errors.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace evtwin::sqlite {

class Db;

class Stmt {
public:
    Stmt() = default;
    Stmt(Db& db, std::string_view sql);
    ~Stmt();
    Stmt(Stmt&& o) noexcept;
    Stmt& operator=(Stmt&& o) noexcept;
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    // Binds are 1-based, as in SQLite.
    Stmt& bind(int i, std::int64_t v);
    Stmt& bind(int i, double v);  // NaN is refused (SQLite would store it as NULL)
    Stmt& bind(int i, std::string_view v);
    // Binds the text without a copy: it must stay as it is until the statement has run.
    Stmt& bind_static(int i, std::string_view v);
    Stmt& bind_null(int i);

    // Steps once: true while a row is available, false when done.
    bool step();
    // Steps a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();

    bool is_null(int col) const;
    std::int64_t int64(int col) const;
    double real(int col) const;
    // For nullable columns: NULL stands for "none" (e.g. an unlimited kW limit).
    double real_or(int col, double if_null) const;
    std::string text(int col) const;
    // The text in SQLite's buffer, valid until the next step or reset.
    std::string_view text_view(int col) const;
    int columns() const;
    bool is_integer(int col) const;
    bool is_real(int col) const;

private:
    Db* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

class Db {
public:
    enum class Mode { read_only, read_write_create };
    Db(const std::filesystem::path& file, Mode mode);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(std::string_view sql);
    // The single integer a query like "PRAGMA user_version" returns.
    std::int64_t query_int(std::string_view sql);
    bool table_exists(std::string_view name);

    [[noreturn]] void fail(std::string_view what) const;
    sqlite3* handle() const { return db_; }
    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
};

}  // namespace evtwin::sqlite
