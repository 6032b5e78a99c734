// RunTotals' sums, fed by hand.
#include "kpi/run_totals.hpp"

#include "support/test_site.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

double kpi(const std::vector<Kpi>& kpis, const std::string& name) {
    for (const Kpi& k : kpis)
        if (k.name == name) return k.value;
    ADD_FAILURE() << "no KPI " << name;
    return 0.0;
}

TEST(RunTotals, ClippedPowerCountsUntilTheNextDecisionAndExcessesLeftInPlaceNotAtAll) {
    RunTotals totals(SiteTree{}, test::at_hour(0), test::at_hour(4));
    totals.decision(test::at_hour(0));
    totals.violation(test::at_hour(0), {"charger_max", kNone, 0, 11.0, 8.0});  // 3 kW cut
    // An excess the engine left: 40 A over a phase limit (ACN-compatible mode), 5 kW over a node's.
    totals.violation(test::at_hour(0), {"phase_limit_unenforced", kNone, kNone, 40.0, 0.0, 0});
    totals.violation(test::at_hour(0), {"node_limit_unresolved", 1, kNone, 5.0, 0.0});
    totals.decision(test::at_hour(0.25));
    totals.decision(test::at_hour(2));
    totals.violation(test::at_hour(3), {"node_limit", 1, 0, 10.0, 4.0});  // 6 kW cut, to the end
    const auto kpis = totals.kpis(test::at_hour(4), test::FlatTariff(0.2), Economics{}, {});
    EXPECT_DOUBLE_EQ(kpi(kpis, "clipped_energy"), 3.0 * 0.25 + 6.0 * 1.0);
    EXPECT_EQ(kpi(kpis, "limit_violations"), 4.0);
}

}  // namespace
}  // namespace evtwin
