// Fidelity against ACN-Sim: scenarios/caltech_acn.lua (ACN-compatible mode, basic EVSEs) under the
// five baselines at transformer caps of 10, 50 and 150 kW must come within 0.1 points of ACN-Sim's
// % of the requested energy delivered, 0.5 kW of its peak and 0.5 % of its energy cost.
//
// ACN-Sim's numbers below were produced by running acnportal 0.3.3 (github.com/zach401/acnportal,
// commit 14e723b) with Debian 12's python3-numpy 1.24.2 and python3-pandas 1.5.3:
//
//   git --git-dir=<acnportal mirror> archive 14e723b | tar -x -C /tmp/acnportal
//   /usr/bin/python3 bench/acnsim/run_acnsim.py /tmp/acnportal
//       ../shared/data/sessions/acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz --jobs 2
//   (one command line)
//
// (caltech_acn(basic_evse=True, transformer_cap=cap), 5-minute periods, the event file's 954
// sessions, SCE TOU-EV-4; uncontrolled = UncontrolledCharging, fcfs/edf/llf = SortedSchedulingAlgo with
// first_come_first_served / earliest_deadline_first / least_laxity_first, round_robin =
// RoundRobin(first_come_first_served); % delivered = proportion_of_energy_delivered, peak = the
// largest aggregate_power of a period, cost = energy_cost.)
#include "record/reader/run_reader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>

namespace evtwin {
namespace {

struct AcnSimCase {
    const char* algorithm;
    int cap_kw;
    double pct_delivered;  // 100 × proportion_of_energy_delivered
    double peak_kw;
    double energy_cost;  // USD
};

// clang-format off
constexpr AcnSimCase kAcnSim[] = {
    {"uncontrolled",  10, 99.8837, 99.000, 651.5608},
    {"uncontrolled",  50, 99.8837, 99.000, 651.5608},
    {"uncontrolled", 150, 99.8837, 99.000, 651.5608},
    {"fcfs",          10, 34.6534,  9.881, 217.5989},
    {"fcfs",          50, 95.7087, 49.690, 636.9538},
    {"fcfs",         150, 99.8837, 94.804, 652.3103},
    {"edf",           10, 36.9375,  9.991, 229.9766},
    {"edf",           50, 99.0930, 47.227, 662.1018},
    {"edf",          150, 99.8837, 99.056, 652.3756},
    {"llf",           10, 36.8161,  9.991, 229.1547},
    {"llf",           50, 99.6970, 49.685, 666.7126},
    {"llf",          150, 99.8837, 99.056, 652.2496},
    {"round_robin",   10, 43.8467,  9.984, 280.5714},
    {"round_robin",   50, 96.3475, 49.982, 639.9366},
    {"round_robin",  150, 99.7996, 94.898, 651.6129},
};
// clang-format on

void PrintTo(const AcnSimCase& c, std::ostream* os) {
    *os << c.algorithm << " at " << c.cap_kw << " kW";
}

constexpr double kPointsTolerance = 0.1;
constexpr double kPeakToleranceKw = 0.5;
constexpr double kCostToleranceRelative = 0.005;

double kpi(const std::vector<Kpi>& kpis, const std::string& name) {
    for (const Kpi& k : kpis)
        if (k.name == name) return k.value;
    ADD_FAILURE() << "no KPI " << name;
    return NAN;
}

class AcnSimFidelity : public ::testing::TestWithParam<AcnSimCase> {};

TEST_P(AcnSimFidelity, WithinTolerancesOfAcnSim) {
    const AcnSimCase& acn = GetParam();
    const std::string name = std::string(acn.algorithm) + "_" + std::to_string(acn.cap_kw);
    const auto db = test::temp_dir("acnsim-" + name) / "run.db";
    const auto r = test::run_command(
        test::evtwin_binary().string() + " run " + test::source_file("scenarios/caltech_acn.lua").string() +
        " --strategy " + acn.algorithm + " -D cap_kw=" + std::to_string(acn.cap_kw) + " --db " + db.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const RunReader reader(db);
    const RunId id = reader.latest_run();
    const std::vector<Kpi> kpis = reader.kpis(id);
    const double pct = 100.0 * kpi(kpis, "energy_delivered") / kpi(kpis, "energy_requested");
    const double peak = kpi(kpis, "peak_import");
    const double cost = kpi(kpis, "energy_cost");
    EXPECT_EQ(reader.sessions(id).size(), 954u);
    EXPECT_NEAR(kpi(kpis, "energy_requested"), 8900.522, 1e-3);  // ACN-Sim's total_energy_requested
    EXPECT_NEAR(pct, acn.pct_delivered, kPointsTolerance) << name;
    EXPECT_NEAR(peak, acn.peak_kw, kPeakToleranceKw) << name;
    EXPECT_NEAR(cost, acn.energy_cost, kCostToleranceRelative * acn.energy_cost) << name;
    // Every vehicle leaves within the run: it goes on until the last departure, as ACN-Sim's does.
    for (const SessionRecord& s : reader.sessions(id)) EXPECT_TRUE(s.departed) << "session " << s.id;
}

INSTANTIATE_TEST_SUITE_P(CaltechMarch2019, AcnSimFidelity, ::testing::ValuesIn(kAcnSim),
                         [](const ::testing::TestParamInfo<AcnSimCase>& info) {
                             return std::string(info.param.algorithm) + "_" +
                                    std::to_string(info.param.cap_kw) + "kW";
                         });

}  // namespace
}  // namespace evtwin
