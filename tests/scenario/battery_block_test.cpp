// battery{}, the vehicle and ESS health keys, and the fleet: what they set, and their errors.
#include "scenario/fleet.hpp"
#include "scenario_test_util.hpp"

#include <gmock/gmock.h>

#include <map>
#include <set>

namespace evtwin::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(BatteryBlock, SetsAmbientChemistriesValuesAndModelYears) {
    const auto file = write_scenario("battery", std::string(kHeader) + R"(
charger { name = "CP1", max_kw = 11 }
battery { ambient_c = 30, ev_chemistry = "lfp", ess_chemistry = "nmc", ev_cost_per_kwh = 120,
          ess_cost_per_kwh = 300, end_of_life_soh = 0.7, model_years = {2015, 2020} }
session { arrival = "2016-03-07 08:00", departure = "2016-03-07 12:00", requested_kwh = 10, vehicle = "a" }
session { arrival = "2016-03-08 08:00", departure = "2016-03-08 12:00", requested_kwh = 10, vehicle = "a" }
session { arrival = "2016-03-08 09:00", departure = "2016-03-08 12:00", requested_kwh = 10, chemistry = "nmc",
          model_year = 2023, soh = 0.93 }
)");
    const ScenarioSpec spec = load_scenario(file);
    EXPECT_DOUBLE_EQ(spec.battery.ambient_c.value_at(spec.start), 30.0);
    EXPECT_EQ(spec.battery.ess_chemistry, Chemistry::nmc);
    EXPECT_DOUBLE_EQ(spec.battery.ev_cost_per_kwh, 120.0);
    EXPECT_DOUBLE_EQ(spec.battery.ess_cost_per_kwh, 300.0);
    EXPECT_DOUBLE_EQ(spec.battery.end_of_life_soh, 0.7);
    ASSERT_EQ(spec.sessions.size(), 3u);
    const SessionSpec& a1 = spec.sessions[0];
    const SessionSpec& a2 = spec.sessions[1];
    const SessionSpec& own = spec.sessions[2];
    EXPECT_EQ(a1.vehicle.chemistry, Chemistry::lfp);
    EXPECT_EQ(a1.vehicle_id, "a");
    EXPECT_GE(a1.vehicle.model_year, 2015);
    EXPECT_LE(a1.vehicle.model_year, 2020);
    EXPECT_EQ(a1.vehicle.model_year, a2.vehicle.model_year);  // drawn once per vehicle
    EXPECT_EQ(own.vehicle.chemistry, Chemistry::nmc);
    EXPECT_EQ(own.vehicle.model_year, 2023);
    EXPECT_DOUBLE_EQ(own.vehicle.soh, 0.93);
}

TEST(BatteryBlock, AmbientFromAProfile) {
    const auto file = write_scenario(
        "battery-profile", std::string(kHeader) +
                               "battery { ambient_csv = data(\"pv/pvwatts_8760_golden_co_4kw.csv\"), "
                               "ambient_column = \"Ambient Temperature (C)\" }\n");
    const ScenarioSpec spec = load_scenario(file);
    ASSERT_FALSE(spec.battery.ambient_c.empty());
    double lo = 1e9, hi = -1e9;
    for (double c : spec.battery.ambient_c.v) {
        lo = std::min(lo, c);
        hi = std::max(hi, c);
    }
    EXPECT_LT(lo, hi);  // March in Golden, CO: below freezing at night, mild by day
    EXPECT_GT(lo, -30.0);
    EXPECT_LT(hi, 35.0);
}

TEST(BatteryBlock, BadValuesNameFileAndLine) {
    const std::map<std::string, std::string> cases = {
        {"battery { ev_chemistry = \"nca\" }", "battery: 'ev_chemistry': "},
        {"battery { ambient_c = 20, ambient_csv = \"x.csv\" }", "battery: give at most one of 'ambient_c'"},
        {"battery { end_of_life_soh = 1 }", "battery: 'end_of_life_soh' must be below 1"},
        {"battery { model_years = {2020, 2015} }", "battery: 'model_years' must be {first, last}"},
        {"battery { }\nbattery { }", "battery: declared twice"},
        {"ess { capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5, soh = 1.2 }",
         "ess: 'soh' must be"},
        {"ess { capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5, soh = 0 }",
         "ess: 'soh' (state of health) must be above 0"},
        {"session { arrival = \"2016-03-07 08:00\", departure = \"2016-03-07 12:00\", requested_kwh = 1, soh "
         "= -0.1 }",
         "session: 'soh' must be"},
        {"session { arrival = \"2016-03-07 08:00\", departure = \"2016-03-07 12:00\", requested_kwh = 1, "
         "chemistry = \"lead\" }",
         "session: 'chemistry': "},
    };
    int n = 0;
    for (const auto& [statement, expected] : cases) {
        const auto file =
            write_scenario("battery-bad-" + std::to_string(++n), std::string(kHeader) + statement + "\n");
        const std::string message = load_error(file);
        EXPECT_THAT(message, StartsWith(at(file, statement.find('\n') == std::string::npos ? 4 : 5)))
            << statement;
        EXPECT_THAT(message, HasSubstr(expected)) << statement;
    }
}

SessionSpec visit(SessionId id, double arrive_h, double depart_h) {
    SessionSpec s;
    s.id = id;
    s.arrival = Time(0) + Duration(static_cast<std::int64_t>(arrive_h * 3'600'000));
    s.departure = Time(0) + Duration(static_cast<std::int64_t>(depart_h * 3'600'000));
    s.requested_kwh = 30.0;
    s.initial_soc = 0.5;
    s.vehicle.capacity_kwh = 40.0 + static_cast<double>(id);  // each session drew its own vehicle
    s.vehicle.charge_efficiency = 1.0;
    return s;
}

TEST(Fleet, VehiclesReturnButNeverTwiceAtOnce) {
    std::vector<SessionSpec> sessions;
    for (int i = 0; i < 200; ++i)
        sessions.push_back(visit(static_cast<SessionId>(i), i * 0.5, i * 0.5 + 2.0));
    BatterySpec battery;
    battery.fleet = FleetSpec{6};
    std::vector<SessionSpec> again = sessions;
    assign_vehicles(sessions, battery, 42);
    assign_vehicles(again, battery, 42);
    std::map<std::string, std::vector<const SessionSpec*>> by_vehicle;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const SessionSpec& s = sessions[i];
        EXPECT_EQ(s.vehicle_id, again[i].vehicle_id);  // the same seed, the same fleet
        if (s.vehicle_id.empty()) continue;            // all six were plugged in
        by_vehicle[s.vehicle_id].push_back(&s);
    }
    EXPECT_EQ(by_vehicle.size(), 6u);
    for (const auto& [id, visits] : by_vehicle) {
        EXPECT_THAT(id, StartsWith("fleet-"));
        EXPECT_GT(visits.size(), 10u);
        for (std::size_t k = 1; k < visits.size(); ++k) {
            EXPECT_GE(visits[k]->arrival, visits[k - 1]->departure) << id;
            // The fleet vehicle is its first session's, and later requests fit in its battery.
            EXPECT_DOUBLE_EQ(visits[k]->vehicle.capacity_kwh, visits[0]->vehicle.capacity_kwh);
            EXPECT_LE(visits[k]->requested_kwh, visits[0]->vehicle.capacity_kwh * 0.5 + 1e-12);
        }
    }
}

TEST(Fleet, ModelYearsAreDrawnPerVehicle) {
    std::vector<SessionSpec> sessions = {visit(0, 0, 1), visit(1, 2, 3), visit(2, 4, 5)};
    sessions[0].vehicle_id = sessions[2].vehicle_id = "x";
    sessions[1].vehicle.model_year = 2011;
    BatterySpec battery;
    battery.model_year_min = 2016;
    battery.model_year_max = 2022;
    assign_vehicles(sessions, battery, 1);
    EXPECT_EQ(sessions[0].vehicle.model_year, sessions[2].vehicle.model_year);
    EXPECT_GE(sessions[0].vehicle.model_year, 2016);
    EXPECT_LE(sessions[0].vehicle.model_year, 2022);
    EXPECT_EQ(sessions[1].vehicle.model_year, 2011);  // given: kept
}

}  // namespace
}  // namespace evtwin::test
