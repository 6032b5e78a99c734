// Steps of different lengths in one plan ("steps": runs of {minutes, count}): the series a request
// gives are read one value per step, the plan decides at the shortest step, and every series it
// answers is one average per step, from which its KPIs follow.
#include "plan_case.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace evtwin::serve {
namespace {

// Two half-hour steps, then two one-hour steps (3 h), priced 0.30, 0.30, 0.10, 0.20; one vehicle
// here all along wants 5 kWh through a 10 kW connection, on a charger that loses nothing.
nlohmann::json uneven_request() {
    return nlohmann::json::parse(R"({
      "site": {"grid": {"import_kw": 10},
               "chargers": [{"id": "CP1", "max_kw": 11, "efficiency": 1.0}],
               "tariff": {"prices": [0.30, 0.30, 0.10, 0.20]}},
      "start": "2026-11-24T00:00:00Z", "steps": [{"minutes": 30, "count": 2}, {"minutes": 60, "count": 2}],
      "strategy": "mpc",
      "vehicles": [{"id": "EV", "charger": "CP1", "arrival": "2026-11-24T00:00:00Z",
                    "departure": "2026-11-24T03:00:00Z", "energy_kwh": 5}]
    })");
}

TEST(PlanVariableSteps, EachSeriesHasOneValuePerStepOfItsOwnLength) {
    const nlohmann::json response = test::planned(uneven_request(), "plan_variable_steps");
    EXPECT_EQ(response["step_s"], 1800);
    EXPECT_EQ(response["steps_s"], nlohmann::json({1800, 1800, 3600, 3600}));
    EXPECT_EQ(response["end"], "2026-11-24T03:00:00.000Z");
    const auto& plan = response["plan"];
    EXPECT_EQ(plan["site_profile"]["t_s"], nlohmann::json({0, 1800, 3600, 7200}));
    EXPECT_EQ(plan["site_profile"]["price"], nlohmann::json({0.30, 0.30, 0.10, 0.20}));
    // mpc buys the 5 kWh in the cheap hour, the third step: 5 kW on average there, 0.50.
    const std::vector<double> ev_kw = plan["site_profile"]["ev_kw"].get<std::vector<double>>();
    ASSERT_EQ(ev_kw.size(), 4u);
    EXPECT_NEAR(ev_kw[0], 0.0, 1e-3);
    EXPECT_NEAR(ev_kw[1], 0.0, 1e-3);
    EXPECT_NEAR(ev_kw[2], 5.0, 1e-3);
    EXPECT_NEAR(ev_kw[3], 0.0, 1e-3);
    EXPECT_NEAR(plan["kpis"]["energy_cost"].get<double>(), 0.50, 1e-3);
    // edf charges at the connection's 10 kW at once: the first half hour, 10 kW on average, 1.50.
    const auto& baseline = response["baseline"];
    EXPECT_NEAR(baseline["site_profile"]["import_kw"][0].get<double>(), 10.0, 1e-3);
    EXPECT_NEAR(baseline["kpis"]["energy_cost"].get<double>(), 1.50, 1e-3);
    // The series reproduce the KPIs: Σ import_kw · the step's hours · price.
    const std::vector<double> hours{0.5, 0.5, 1.0, 1.0};
    for (const auto* result : {&plan, &baseline}) {
        double cost = 0.0;
        for (std::size_t i = 0; i < hours.size(); ++i)
            cost += (*result)["site_profile"]["import_kw"][i].get<double>() * hours[i] *
                    (*result)["site_profile"]["price"][i].get<double>();
        EXPECT_NEAR(cost, (*result)["kpis"]["energy_cost"].get<double>(), 1e-3);
    }
    EXPECT_NEAR(response["recommendation"]["saving"].get<double>(), 1.00, 1e-3);
}

TEST(PlanVariableSteps, UnevenStepsAreRefusedWhereTheyCannotBePlanned) {
    nlohmann::json request = uneven_request();
    request["steps"] = nlohmann::json::parse(R"([{"minutes": 45, "count": 2}, {"minutes": 30, "count": 3}])");
    const ApiError not_a_multiple = test::refusal(request, "plan_steps_not_a_multiple");
    EXPECT_EQ(not_a_multiple.status, 422);
    EXPECT_EQ(not_a_multiple.path, "/steps/0/minutes");

    request = uneven_request();
    request["step_min"] = 30;
    const ApiError both = test::refusal(request, "plan_steps_and_step_min");
    EXPECT_EQ(both.status, 422);
    EXPECT_EQ(both.path, "/step_min");

    request = uneven_request();
    request["site"]["tariff"]["prices"] = {0.30, 0.10, 0.20};
    const ApiError short_series = test::refusal(request, "plan_steps_short_series");
    EXPECT_EQ(short_series.status, 422);
    EXPECT_EQ(short_series.path, "/site/tariff/prices");

    request = uneven_request();
    request["steps"] = nlohmann::json::parse(R"([{"minutes": 60, "count": 200}])");
    const ApiError too_long = test::refusal(request, "plan_steps_too_long");
    EXPECT_EQ(too_long.status, 422);
    EXPECT_EQ(too_long.path, "/steps");
}

}  // namespace
}  // namespace evtwin::serve
