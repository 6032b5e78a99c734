#pragma once
// `evtwin ocpp import`: read a log, rebuild the site's history, store both in an evtwin results
// database (its own ocpp_* tables, docs/ocpp.md).
#include "ocpp/log_reader.hpp"
#include "ocpp/reconstruct.hpp"
#include "ocpp/schema_check.hpp"
#include "record/schema/sqlite_db.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>

namespace evtwin::ocpp {

inline constexpr std::int64_t kSchemaVersion = 4;  // meta key "ocpp_schema_version"

struct Import {
    std::filesystem::path file;
    LogRead log;
    Reconstruction site;  // problems of reading and rebuilding are all in log.problems, by line
    // The charging profiles composed over [first frame, last frame] (ReadOptions::voltage_v).
    std::vector<EffectiveLimit> limits;
    std::optional<SchemaReport> schema;  // none: frames not checked against the JSON schemas
};

struct SchemaOptions {
    bool validate = false;
    std::filesystem::path dir;  // holds v16/ and v201/; empty: default_schema_dir()
};

// Throws DataError when the file cannot be read or its format recognised.
// With `schemas.validate`, every CALL and matched CALLRESULT is checked against its JSON schema; a
// schema folder that cannot be used becomes a note of the report, not an error.
Import import_log(const std::filesystem::path& file, const ReadOptions& options = {},
                  const SchemaOptions& schemas = {});
Import import_text(const std::filesystem::path& file, std::string_view text, const ReadOptions& options = {},
                   const SchemaOptions& schemas = {});

// Checks the frames of `im` against the JSON schemas (SchemaOptions::validate is not looked at) and
// sets im.schema; a schema folder that cannot be used becomes a note.
void check_schemas(Import& im, const std::filesystem::path& dir = {});

// Creates the results schema and the ocpp tables where missing; throws ResultsError for a foreign
// file or another ocpp schema version.
void create_or_check_schema(sqlite::Db& db);
// Writes one import in one SQLite transaction; returns its import_id.
std::int64_t store(sqlite::Db& db, const Import& import);

}  // namespace evtwin::ocpp
