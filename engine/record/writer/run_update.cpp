#include "record/writer/run_update.hpp"

#include "record/schema/schema.hpp"

#include <evtwin/errors.hpp>

namespace evtwin {

void update_run(const std::filesystem::path& file, RunId id, const std::function<void(sqlite::Db&)>& write) {
    if (!std::filesystem::exists(file)) throw ResultsError(file.string() + ": no such results database");
    sqlite::Db db(file, sqlite::Db::Mode::read_write_create);
    results_schema::check(db);
    update_run(db, id, write);
}

void update_run(sqlite::Db& db, RunId id, const std::function<void(sqlite::Db&)>& write) {
    db.exec("BEGIN IMMEDIATE");
    try {
        sqlite::Stmt exists(db, "SELECT 1 FROM runs WHERE run_id = ?1");
        exists.bind(1, id);
        if (!exists.step()) throw ResultsError(db.file().string() + ": no run with id " + std::to_string(id));
        write(db);
        db.exec("COMMIT");
    } catch (...) {
        db.exec("ROLLBACK");
        throw;
    }
}

}  // namespace evtwin
