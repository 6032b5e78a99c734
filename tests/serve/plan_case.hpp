#pragma once
// Plans as the API answers them, made by a Planner of its own: the planning tests' one way to plan.
#include "openapi_schema.hpp"

#include "serve/net/api_error.hpp"
#include "serve/plan/planner.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace evtwin::serve::test {

// Plans `request` with its results database in a fresh folder named after `name`; the request and
// the answer are checked against the OpenAPI document.
inline nlohmann::json planned(const nlohmann::json& request, const std::string& name) {
    EXPECT_EQ(schema_errors(request, "PlanRequest"), "");
    const auto dir = evtwin::test::temp_dir(name);
    PlannerConfig config;
    config.db = dir / "plans.db";
    config.work_dir = dir / "work";
    Planner planner(config);
    const nlohmann::json response = nlohmann::json::parse(planner.plan(request));
    EXPECT_EQ(schema_errors(response, "PlanResponse"), "");
    return response;
}

// The error a request that must be refused gets (a test failure, and status 0, when it is planned).
inline ApiError refusal(const nlohmann::json& request, const std::string& name) {
    const auto dir = evtwin::test::temp_dir(name);
    PlannerConfig config;
    config.db = dir / "plans.db";
    config.work_dir = dir / "work";
    Planner planner(config);
    try {
        planner.plan(request);
    } catch (const ApiError& e) {
        return e;
    }
    ADD_FAILURE() << "planned, though it must be refused: " << request.dump();
    return ApiError(0, "", "planned");
}

}  // namespace evtwin::serve::test
