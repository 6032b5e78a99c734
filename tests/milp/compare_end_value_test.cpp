// `evtwin compare`'s gap to the optimum counts the batteries' end value, worked out by hand: three
// one-hour periods at 0.10, 0.30 and 0.30 per kWh, exports paid nothing; an ESS of 10 kWh, full,
// 5 kW each way, no losses, each kWh left in it at the end worth 0.05; one vehicle from hour 1 to
// hour 2 wanting 5 kWh on a 7 kW charger of efficiency 1. offline_optimal gives the vehicle the
// battery's 5 kWh in hour 1: a bill of 0 and an end value of -0.05 x 5 = -0.25, net cost 0.25. edf
// leaves the battery alone and buys the 5 kWh at 0.30: 1.50. The gap is 1.25; without the end
// value it would be 1.50, and the drained battery would look free.
#include "day_prices.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace evtwin {
namespace {

std::filesystem::path end_value_scenario() {
    const auto dir = test::temp_dir("compare-end-value");
    const auto csv = test::write_cheap_first_hour_prices(dir);
    return test::write_file(dir / "end_value.lua", R"(
scenario { name = "end_value", start = "2024-07-01", duration = hours(3), control_period = hours(1) }
grid { import_kw = 100, export_kw = 100 }
charger { name = "CP1", max_kw = 7, efficiency = 1 }
ess { capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5, charge_efficiency = 1,
      discharge_efficiency = 1, soc_min = 0, soc_max = 1, soc_initial = 1, end_value_per_kwh = 0.05 }
tariff { prices_csv = ")" + csv.string() + R"(", export_price = 0, currency = "EUR" }
session { arrival = "2024-07-01T01:00", departure = "2024-07-01T02:00", requested_kwh = 5,
          charge_efficiency = 1, discharge_efficiency = 1, station = "CP1" }
)");
}

std::vector<std::string> words_of(const std::string& line) {
    std::vector<std::string> words;
    std::istringstream in(line);
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

// The printed value of `column` in `strategy`'s row of compare's table.
std::string printed(const std::string& output, const std::string& strategy, const std::string& column) {
    std::istringstream in(output);
    std::vector<std::string> header;
    for (std::string line; std::getline(in, line);) {
        const std::vector<std::string> words = words_of(line);
        if (words.empty()) continue;
        if (words[0] == "strategy") header = words;
        if (words[0] != strategy || header.empty()) continue;
        for (std::size_t i = 1; i < header.size() && i < words.size(); ++i)
            if (header[i] == column) return words[i];
    }
    return "";
}

TEST(CompareEndValue, TheGapToTheOptimumCountsWhatTheBatteriesLostByTheEnd) {
    const auto scenario = end_value_scenario();
    const auto r = test::run_command(test::evtwin_binary().string() + " compare " + scenario.string() +
                                     " --strategies offline_optimal,edf --seed-list 1"
                                     " --kpis energy_cost,ess_end_value --db " +
                                     (scenario.parent_path() / "compare.db").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto value = [&](const std::string& strategy, const std::string& column) {
        const std::string text = printed(r.output, strategy, column);
        EXPECT_FALSE(text.empty()) << strategy << " " << column << "\n" << r.output;
        return text.empty() ? std::nan("") : std::stod(text);
    };
    constexpr double kPrinted = 0.005;  // the table's rounding
    EXPECT_NEAR(value("offline_optimal", "energy_cost"), 0.0, kPrinted);
    EXPECT_NEAR(value("offline_optimal", "ess_end_value"), -0.25, kPrinted);
    EXPECT_NEAR(value("edf", "energy_cost"), 1.50, kPrinted);
    EXPECT_NEAR(value("edf", "ess_end_value"), 0.0, kPrinted);
    EXPECT_NEAR(value("edf", "gap_to_optimum"), 1.25, kPrinted);
    EXPECT_NEAR(value("edf", "gap_to_optimum_pct"), 500.0, 0.05);  // 1.25 / 0.25
}

}  // namespace
}  // namespace evtwin
