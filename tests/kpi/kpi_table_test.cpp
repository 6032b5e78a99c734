#include "kpi/kpi_table.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

namespace evtwin {
namespace {

TEST(KpiTable, AlignsAndFormatsByUnit) {
    const std::vector<Kpi> kpis = {
        {"energy_cost", 1234.5678, "EUR"},          {"sessions", 42.0, "count"},
        {"energy_served", 71.428571, "%"},          {"ess_equivalent_cycles", 0.2566667, "cycles"},
        {"pv_self_consumption", std::nan(""), "%"}, {"cpo_profit", -0.001, "EUR"},
        {"decision_time_mean", 3.2, "ms", false},
    };
    const std::string table = format_kpi_table(kpis);
    const std::string expected =
        "KPI                      value   unit\n"
        "---------------------  --------  ----\n"
        "energy_cost            1234.57   EUR\n"
        "sessions                    42   count\n"
        "energy_served             71.4   %\n"
        "ess_equivalent_cycles    0.257   cycles\n"
        "pv_self_consumption        n/a   %\n"
        "cpo_profit                0.00   EUR\n"
        "decision_time_mean       3.200*  ms\n"
        "* wall-clock measurement: differs between runs, not part of the reproducible results\n";
    EXPECT_EQ(table, expected);
}

TEST(KpiTable, EveryValueColumnLinesUp) {
    const std::vector<Kpi> kpis = {{"a", 1e9, "kWh"}, {"long_name_here", -5.5, "kW"}, {"c", 0.0, "count"}};
    std::istringstream lines(format_kpi_table(kpis));
    std::string line;
    std::size_t unit_col = std::string::npos;
    std::getline(lines, line);  // header
    std::getline(lines, line);  // rule
    while (std::getline(lines, line)) {
        const auto col = line.rfind("  ") + 2;
        if (unit_col == std::string::npos) unit_col = col;
        EXPECT_EQ(col, unit_col) << line;
    }
    EXPECT_EQ(format_kpi_table({}).find('*'), std::string::npos);
}

}  // namespace
}  // namespace evtwin
