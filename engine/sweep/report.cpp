#include "sweep/report.hpp"

#include "record/reader/run_reader.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

namespace evtwin::sweep {

namespace {

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
    std::string line;
    for (const auto& f : fields) {
        if (!line.empty()) line += ',';
        line += csv_field(f);
    }
    line += '\n';
    return line;
}

std::string number(double v) {
    if (std::isnan(v)) return "";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

}  // namespace

double t_quantile_975(std::size_t df) {
    static constexpr std::array<double, 30> kTable = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                                      2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                                      2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                                      2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
    if (df == 0) return std::numeric_limits<double>::quiet_NaN();
    if (df <= kTable.size()) return kTable[df - 1];
    // Cornish-Fisher expansion around the normal quantile: within 1e-4 of the exact value for df > 30.
    const double z = 1.959963984540054, n = static_cast<double>(df);
    const double z3 = z * z * z, z5 = z3 * z * z;
    return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n);
}

KpiStats kpi_stats(const std::vector<double>& values) {
    KpiStats s;
    double sum = 0.0;
    for (double v : values)
        if (!std::isnan(v)) {
            sum += v;
            ++s.n;
        }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (s.n == 0) return {0, nan, nan, nan};
    s.mean = sum / static_cast<double>(s.n);
    if (s.n < 2) {
        s.sd = s.ci95 = nan;
        return s;
    }
    double squares = 0.0;
    for (double v : values)
        if (!std::isnan(v)) squares += (v - s.mean) * (v - s.mean);
    s.sd = std::sqrt(squares / static_cast<double>(s.n - 1));
    s.ci95 = t_quantile_975(s.n - 1) * s.sd / std::sqrt(static_cast<double>(s.n));
    return s;
}

SweepReport build_report(const Campaign& campaign) {
    SweepReport report;
    std::map<std::string, std::size_t> row_of;  // group key -> row
    std::vector<std::map<std::string, std::vector<double>>> values;
    std::set<std::string> known;
    for (const auto& run : campaign.runs()) {
        if (!run.in_sweep) continue;
        if (campaign.status(run.index).state != RunState::done) {
            ++report.runs_left_out;
            continue;
        }
        const std::string group = parameter_point(run) + "|" + strategy_label(run.strategy, run.options);
        auto [it, added] = row_of.emplace(group, report.rows.size());
        if (added) {
            report.rows.push_back(
                {run.scenario, strategy_label(run.strategy, run.options), run.params, 0, {}});
            values.emplace_back();
        }
        ReportRow& row = report.rows[it->second];
        ++row.runs;
        const RunReader reader(campaign.result_file(run.index));
        for (const auto& record : reader.runs())
            for (const Kpi& k : reader.kpis(record.id)) {
                if (!k.reproducible) continue;
                if (known.insert(k.name).second) {
                    report.kpi_names.push_back(k.name);
                    report.units[k.name] = k.unit;
                }
                values[it->second][k.name].push_back(k.value);
            }
    }
    for (std::size_t r = 0; r < report.rows.size(); ++r)
        for (const auto& [name, vs] : values[r]) report.rows[r].kpis[name] = kpi_stats(vs);
    return report;
}

std::string report_csv(const SweepReport& report) {
    std::set<std::string> param_names;
    for (const auto& row : report.rows)
        for (const auto& [k, v] : row.params) param_names.insert(k);
    std::vector<std::string> head = {"scenario", "strategy"};
    head.insert(head.end(), param_names.begin(), param_names.end());
    for (const char* column : {"kpi", "unit", "n", "mean", "sd", "ci95_low", "ci95_high"})
        head.emplace_back(column);
    std::string csv = csv_line(head);
    for (const auto& row : report.rows)
        for (const auto& name : report.kpi_names) {
            const auto it = row.kpis.find(name);
            if (it == row.kpis.end()) continue;
            const KpiStats& s = it->second;
            std::vector<std::string> fields = {row.scenario.filename().string(), row.strategy};
            for (const auto& p : param_names) {
                const auto v = row.params.find(p);
                fields.push_back(v == row.params.end() ? std::string() : v->second);
            }
            for (const std::string& field : {name, report.units.at(name), std::to_string(s.n), number(s.mean),
                                             number(s.sd), number(s.mean - s.ci95), number(s.mean + s.ci95)})
                fields.push_back(field);
            csv += csv_line(fields);
        }
    return csv;
}

}  // namespace evtwin::sweep
