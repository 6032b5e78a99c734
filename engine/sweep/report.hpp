#pragma once
// The KPIs of a campaign per strategy and parameter point: mean, sample standard deviation and a
// 95 % confidence interval of the mean (Student's t) over the seeds.
#include "sweep/campaign.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace evtwin::sweep {

struct KpiStats {
    std::size_t n = 0;  // runs where the KPI is defined
    double mean = 0.0;
    double sd = 0.0;    // NaN when n < 2
    double ci95 = 0.0;  // half-width: mean ± ci95; NaN when n < 2
};

struct ReportRow {
    std::filesystem::path scenario;
    std::string strategy;  // strategy_label()
    std::map<std::string, std::string> params;
    std::size_t runs = 0;  // done runs (seeds)
    std::map<std::string, KpiStats> kpis;
};

struct SweepReport {
    std::vector<std::string> kpi_names;  // in the order runs store them
    std::map<std::string, std::string> units;
    std::vector<ReportRow> rows;    // in the order of the campaign's first run of each
    std::size_t runs_left_out = 0;  // failed or missing
};

SweepReport build_report(const Campaign& campaign);

// One line per row and KPI: scenario, strategy, every parameter, kpi, unit, n, mean, sd, ci95_low, ci95_high.
std::string report_csv(const SweepReport& report);

// The 0.975 quantile of Student's t with `df` degrees of freedom (df >= 1).
double t_quantile_975(std::size_t df);

KpiStats kpi_stats(const std::vector<double>& values);

}  // namespace evtwin::sweep
