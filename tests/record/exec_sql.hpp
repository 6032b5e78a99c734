#pragma once
// Runs SQL on a results file behind the writer's back, to build the damaged or foreign files the
// record suites must refuse.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <filesystem>

namespace evtwin::test {

inline void exec_sql(const std::filesystem::path& file, const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.string().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
}

}  // namespace evtwin::test
