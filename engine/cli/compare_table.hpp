#pragma once
// The table `evtwin compare` prints: one row per strategy, one column per KPI, each cell the mean
// ± sample standard deviation over the seeds, and under each row its difference from a reference
// strategy (absolute and %). Columns that do not fit the width go into further blocks.
#include "record/schema/records.hpp"

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace evtwin::cli {

struct SeedStats {
    double mean = std::numeric_limits<double>::quiet_NaN();
    double std = std::numeric_limits<double>::quiet_NaN();  // sample (n - 1); NaN when n < 2
    std::size_t n = 0;                                      // values that are defined (not NaN)
};

// Mean and sample standard deviation of the defined (non-NaN) values.
SeedStats seed_stats(const std::vector<double>& values);

struct StrategyRuns {
    std::string label;                   // as the user named the strategy
    std::vector<std::vector<Kpi>> runs;  // each run's KPIs, one entry per seed
};

// The values of KPI `name` over the runs (NaN where a run lacks it).
std::vector<double> kpi_values(const StrategyRuns& s, const std::string& name);

// Row order: by the mean of KPI `sort_kpi`, ascending (or descending); undefined means last; ties
// keep the given order.
std::vector<std::size_t> sorted_rows(const std::vector<StrategyRuns>& rows, const std::string& sort_kpi,
                                     bool descending);

// Columns add_cost_gap adds to every run: the gap to the optimum, and to the same planner on perfect
// forecasts (what information is worth).
inline const std::string kGapKpi = "gap_to_optimum";
inline const std::string kGapPctKpi = "gap_to_optimum_pct";
inline const std::string kInformationKpi = "value_of_information";
inline const std::string kInformationPctKpi = "value_of_information_pct";

// Appends to each run of each row its gap to the reference row's run on the same seed (the same
// index), kpi/cost_gap.hpp: `name` in the energy cost's currency, `pct_name` in %.
void add_cost_gap(std::vector<StrategyRuns>& rows, std::size_t reference, const std::string& name,
                  const std::string& pct_name);

struct CompareTableSpec {
    std::vector<std::string> kpis;   // columns, in order
    std::size_t reference = 0;       // index into rows: the strategy differences are taken from
    std::vector<std::size_t> order;  // row order (indices into rows)
    std::size_t width = 0;           // wrap columns into blocks at this many characters; 0: no limit
};

std::string format_compare_table(const std::vector<StrategyRuns>& rows, const CompareTableSpec& spec);

}  // namespace evtwin::cli
