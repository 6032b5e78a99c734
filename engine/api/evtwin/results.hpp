#pragma once
// Reading a results database (docs/results-schema.md) table by table, as columns: what a program
// built on the SDK (the Python module's DataFrames) reads runs with. The values are the stored ones,
// with the schema's conventions applied: NULL in a limit column (…limit_kw, limit_a) is +infinity
// (unlimited); NULL elsewhere is flagged per row.
#include <evtwin/errors.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin {

using RunId = std::int64_t;

struct Kpi {
    std::string name;
    double value = 0.0;  // NaN when undefined (a ratio with a zero denominator)
    std::string unit;
    // False for values that depend on the wall clock (decision time): kept out of the results
    // tables so that a run stays byte-for-byte reproducible.
    bool reproducible = true;
};

struct ResultColumn {
    enum class Type { integer, real, text };
    std::string name;
    Type type = Type::real;
    std::vector<std::int64_t> integers;  // type integer
    std::vector<double> reals;           // type real (NULL: NaN, or +inf in a limit column)
    std::vector<std::string> texts;      // type text
    std::vector<std::uint8_t> null;      // per row, 1 where the database holds NULL
};

struct ResultTable {
    std::string name;
    std::vector<ResultColumn> columns;  // in the table's order, run_id left out when filtered by run
    std::size_t rows = 0;
};

class Results {
public:
    // Opens read-only; throws ResultsError for a missing or foreign file or another schema version.
    explicit Results(const std::filesystem::path& file);
    ~Results();
    Results(Results&&) noexcept;
    Results& operator=(Results&&) noexcept;

    const std::filesystem::path& file() const;
    std::vector<RunId> run_ids() const;
    // The tables the file holds (results, timing, and tables other tools add, e.g. training_curve).
    std::vector<std::string> tables() const;
    // Table `name` in key order; with `run`, only that run's rows (the run_id column left out).
    // Throws ResultsError for an unknown table or run.
    ResultTable table(std::string_view name, std::optional<RunId> run = std::nullopt) const;
    // The run's KPIs: the reproducible ones, then the wall-clock ones.
    std::vector<Kpi> kpis(RunId run) const;
    // Every reproducible row of the run as text, doubles in exact hex: equal for equal runs.
    std::string results_dump(RunId run) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace evtwin
