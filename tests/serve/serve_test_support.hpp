#pragma once
// The reference planning request (docs/examples/plan_40ev.json) and checks of a plan's physics
// shared by the serve suites.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace evtwin::serve::test {

nlohmann::json example_request();

// Asserts (GoogleTest) what every RESULT of a plan must satisfy: the site's import within
// `capacity_kw` at every step, the site's balance, vehicles' powers summing to the EV power, each
// vehicle's schedule reproducing its power, energies consistent with the KPIs, and the tariff's
// arithmetic (energy cost = Σ import × price × step, demand charge = rate × the highest 15-minute
// average import).
void expect_physical(const nlohmann::json& result, const nlohmann::json& response, double demand_rate);

}  // namespace evtwin::serve::test
