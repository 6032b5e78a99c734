// arrivals.acn_csv, arrivals.acnsim_events and arrivals.norway_csv: real-session files in a scenario.
#include "scenario_test_util.hpp"

#include "data/arrivals.hpp"
#include "model/local_time.hpp"

#include <gmock/gmock.h>

#include <cmath>

namespace evtwin::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

void expect_in_period_and_numbered(const ScenarioSpec& spec) {
    for (std::size_t i = 0; i < spec.sessions.size(); ++i) {
        const auto& s = spec.sessions[i];
        EXPECT_EQ(s.id, i);
        EXPECT_GE(s.arrival, spec.start);
        EXPECT_LT(s.arrival, spec.end);
        EXPECT_FALSE(s.vehicle.curve.empty());
    }
}

TEST(SessionSources, AcnCsvKeepsTheScenarioWeek) {
    const auto file = write_scenario("acn-csv", R"(
scenario { name = "jpl", timezone = "America/Los_Angeles", start = "2019-05-06", duration = days(7) }
grid { import_kw = 500 }
for i = 1, 20 do charger { name = "AG-1F" .. string.format("%02d", i), max_kw = 7 } end
tariff { file = data("tariffs/sce_tou_ev_4_march_2019.json") }
arrivals.acn_csv { file = data("sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz"), capacity_kwh = 70, max_kw = 6.6, user_inputs = false }
)");
    const auto spec = load_scenario(file);
    expect_in_period_and_numbered(spec);
    AcnImportOptions o;
    o.use_user_inputs = false;
    o.start = spec.start;
    o.end = spec.end;
    const auto direct = load_acn_csv(data_file("sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz"), o);
    ASSERT_EQ(spec.sessions.size(), direct.size());
    ASSERT_GT(direct.size(), 200u);
    for (std::size_t i = 0; i < direct.size(); ++i) {
        EXPECT_EQ(spec.sessions[i].arrival, direct[i].arrival);
        EXPECT_EQ(spec.sessions[i].requested_kwh, direct[i].requested_kwh);
        EXPECT_EQ(spec.sessions[i].declared_departure, spec.sessions[i].departure);
        EXPECT_EQ(spec.sessions[i].vehicle.max_ac_kw, 6.6);
        EXPECT_GE(spec.sessions[i].vehicle.capacity_kwh, 70.0);
    }
}

TEST(SessionSources, AcnSimEventsFromTheDefaultOrigin) {
    const auto file = write_scenario("acnsim", R"(
scenario { name = "caltech-sim", timezone = "America/Los_Angeles", start = "2019-03-01", duration = days(3) }
grid { import_kw = 300 }
charger { name = "CA-315", max_kw = 7 }
tariff { file = data("tariffs/sce_tou_ev_4_march_2019.json") }
arrivals.acnsim_events { file = data("sessions/acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz"), start = "2019-03-01", period = minutes(5) }
)");
    const auto spec = load_scenario(file);
    expect_in_period_and_numbered(spec);
    ASSERT_GT(spec.sessions.size(), 20u);
    EXPECT_EQ(spec.sessions.front().station, "CA-315");
    EXPECT_EQ(format_utc(spec.sessions.front().arrival), "2019-03-01T14:20:00.000Z");
    EXPECT_EQ(spec.sessions.front().vehicle.max_ac_kw, 6.6);
}

TEST(SessionSources, AcnSimEventsForcedFeasibleAskNoMoreThanTheStayAllows) {
    const auto month = [](const std::string& name, const std::string& option) {
        const std::string text = R"(
scenario { name = "caltech-sim", timezone = "America/Los_Angeles", start = "2019-03-01", stop = "2019-04-01" }
grid { import_kw = 300 }
charger { name = "CA-315", max_kw = 7 }
tariff { file = data("tariffs/sce_tou_ev_4_march_2019.json") }
arrivals.acnsim_events { file = data("sessions/acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz"))" +
                                 option + " }\n";
        return load_scenario(write_scenario(name, text));
    };
    const auto recorded = month("acnsim-recorded", "");
    const auto feasible = month("acnsim-feasible", ", force_feasible = true");
    ASSERT_EQ(feasible.sessions.size(), 954u);
    ASSERT_EQ(recorded.sessions.size(), 954u);
    int lowered = 0;
    for (std::size_t i = 0; i < feasible.sessions.size(); ++i) {
        const auto& s = feasible.sessions[i];
        EXPECT_LE(s.requested_kwh, s.vehicle.max_ac_kw * (s.departure - s.arrival).hours_f() * (1 + 1e-12));
        if (s.requested_kwh < recorded.sessions[i].requested_kwh) ++lowered;
    }
    EXPECT_EQ(lowered, 30);
}

TEST(SessionSources, NorwayGarageFilter) {
    const auto file = write_scenario("norway", R"(
scenario { name = "garage", timezone = "Europe/Oslo", start = "2019-02-01", duration = days(28) }
grid { import_kw = 100 }
for i = 1, 8 do charger { name = "AdO3-" .. i, max_kw = 7.4 } end
tariff { file = data("tariffs/sce_tou_ev_4_march_2019.json") }
arrivals.norway_csv { file = data("sessions/norway_residential_2018-12_2020-01.csv"), garage = "AdO3", capacity_kwh = 40, max_kw = 7.4, unknown_stay = hours(10) }
)");
    const auto spec = load_scenario(file);
    expect_in_period_and_numbered(spec);
    ASSERT_GT(spec.sessions.size(), 10u);
    for (const auto& s : spec.sessions) {
        EXPECT_THAT(s.station, StartsWith("AdO3-"));
        EXPECT_EQ(s.vehicle.max_ac_kw, 7.4);
        EXPECT_GE(s.vehicle.capacity_kwh, 40.0);
    }
}

TEST(SessionSources, ErrorsCarryTheStatementLine) {
    const auto bad_key = write_scenario(
        "bad-key", std::string(kHeader) +
                       "arrivals.acn_csv { file = data(\"sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz\"), "
                       "capacity = 60 }\n");
    EXPECT_THAT(load_error(bad_key), StartsWith(at(bad_key, 4) + "arrivals.acn_csv: "));
    const auto garage = write_scenario(
        "bad-garage",
        std::string(kHeader) +
            "arrivals.norway_csv { file = data(\"sessions/norway_residential_2018-12_2020-01.csv\"), "
            "garage = \"Nowhere\" }\n");
    const std::string message = load_error(garage);
    EXPECT_THAT(message, StartsWith(at(garage, 4) + "arrivals.norway_csv: "));
    EXPECT_THAT(message, HasSubstr("no sessions of garage 'Nowhere'"));
    const auto period = write_scenario(
        "bad-period", std::string(kHeader) +
                          "arrivals.acnsim_events { file = "
                          "data(\"sessions/acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz\"), "
                          "start = \"March\" }\n");
    EXPECT_THAT(load_error(period),
                StartsWith(at(period, 4) + "arrivals.acnsim_events: 'start'/'timezone': "));
    const auto missing =
        write_scenario("missing", std::string(kHeader) + "arrivals.acn_csv { file = \"nope.csv.gz\" }\n");
    EXPECT_THAT(load_error(missing), HasSubstr("'file': no such file"));
}

}  // namespace
}  // namespace evtwin::test
