// Plans computed by the engine: the 40-vehicle reference case under mpc and edf, physics asserted
// step by step; the recommendation; a failing strategy; an infeasible vehicle; sites from scenarios.
#include "serve_test_support.hpp"

#include "record/reader/run_reader.hpp"
#include "scenario/scenario_impl.hpp"
#include "serve/net/api_error.hpp"
#include "serve/plan/planner.hpp"
#include "support/test_support.hpp"

#include <evtwin/plugin.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

namespace {

// Decides normally until the afternoon, then fails: a plan whose strategy breaks mid-run.
class FailsMidway final : public evtwin::Strategy {
public:
    explicit FailsMidway(const evtwin::StrategyOptions&) {}
    void decide(const evtwin::Observation& obs, evtwin::Decision&) override {
        if (++decisions_ > 40) throw std::runtime_error("solver crashed");
        (void)obs;
    }

private:
    int decisions_ = 0;
};

}  // namespace

EVTWIN_DESCRIPTOR_FOR(FailsMidway, "fails_midway", "1.0.0")
static const evtwin::detail::StaticStrategyRegistrar fails_midway_registrar(&evtwin_descriptor_FailsMidway);

namespace evtwin::serve {
namespace {

PlannerConfig config_in(const std::string& name) {
    const auto dir = evtwin::test::temp_dir(name);
    PlannerConfig c;
    c.db = dir / "plans.db";
    c.work_dir = dir / "work";
    return c;
}

std::string status_of(Planner& planner, const nlohmann::json& body) {
    try {
        planner.plan(body);
    } catch (const ApiError& e) {
        return std::to_string(e.status) + " " + e.path + ": " + e.what();
    }
    return "ok";
}

TEST(Planner, The40VehicleCaseUnderMpcKeepsThePhysicsAndIsComparedWithEdf) {
    const PlannerConfig config = config_in("planner_40ev");
    Planner planner(config);
    const nlohmann::json request = test::example_request();
    const nlohmann::json response = nlohmann::json::parse(planner.plan(request));
    const double rate = request["site"]["tariff"].value("demand_charge_per_kw", 0.0);

    EXPECT_EQ(response["id"], "p000001");
    EXPECT_EQ(response["plan"]["strategy"], "mpc");
    EXPECT_EQ(response["baseline"]["strategy"], "edf");
    ASSERT_EQ(response["plan"]["vehicles"].size(), 40u);
    ASSERT_EQ(response["baseline"]["vehicles"].size(), 40u);
    EXPECT_EQ(response["plan"]["site_profile"]["t_s"].size(), 96u);
    {
        SCOPED_TRACE("plan");
        test::expect_physical(response["plan"], response, rate);
    }
    {
        SCOPED_TRACE("baseline");
        test::expect_physical(response["baseline"], response, rate);
    }
    // Every request of the reference case can be met: edf meets them all.
    EXPECT_EQ(response["baseline"]["kpis"]["requests_met_pct"], 100.0);
    const auto& plan_kpis = response["plan"]["kpis"];
    EXPECT_LT(plan_kpis["unmet_kwh"].get<double>(), 0.02 * plan_kpis["requested_kwh"].get<double>());
    EXPECT_EQ(response["recommendation"], recommend(response["plan"], response["baseline"], "EUR"));
    EXPECT_NEAR(response["recommendation"]["saving"].get<double>(),
                response["baseline"]["kpis"]["cost"].get<double>() - plan_kpis["cost"].get<double>(), 1e-9);

    // Stored: the response, and both runs in the results database.
    EXPECT_EQ(nlohmann::json::parse(*planner.stored("p000001")), response);
    EXPECT_FALSE(planner.stored("p000002"));
    const RunReader reader(config.db);
    ASSERT_EQ(reader.runs().size(), 2u);
    EXPECT_EQ(reader.run(response["plan"]["run_id"].get<RunId>()).info.strategy_name, "mpc");
    EXPECT_EQ(reader.run(response["baseline"]["run_id"].get<RunId>()).info.strategy_name, "edf");
}

TEST(Planner, StrategyDefaultsApplyUnlessTheRequestGivesTheOption) {
    PlannerConfig config = config_in("planner_defaults");
    config.strategy_defaults["mpc"]["replan"] = "deviation";
    config.strategy_defaults["edf"]["unused_by_edf"] = "1";
    Planner planner(config);
    nlohmann::json request = test::example_request();
    request["strategy"] = {{"name", "mpc"}, {"options", {{"tolerance_kwh", 1}}}};
    request["baseline"] = "fcfs";
    const nlohmann::json first = nlohmann::json::parse(planner.plan(request));
    request["strategy"]["options"]["replan"] = "every";
    const nlohmann::json second = nlohmann::json::parse(planner.plan(request));
    const RunReader reader(config.db);
    EXPECT_EQ(reader.run(first["plan"]["run_id"].get<RunId>()).info.strategy_options,
              "replan=deviation;tolerance_kwh=1");
    EXPECT_EQ(reader.run(second["plan"]["run_id"].get<RunId>()).info.strategy_options,
              "replan=every;tolerance_kwh=1");
    EXPECT_EQ(reader.run(first["baseline"]["run_id"].get<RunId>()).info.strategy_options, "");
}

TEST(Planner, RecommendsTheBaselineWhenThePlanCostsMoreOrServesLess) {
    auto result = [](const char* strategy, double cost, double unmet) {
        return nlohmann::json{
            {"strategy", strategy},
            {"fallback", nullptr},
            {"kpis", {{"cost", cost}, {"unmet_kwh", unmet}, {"energy_kwh", 500.0 - unmet}}}};
    };
    EXPECT_EQ(recommend(result("mpc", 90, 0), result("edf", 100, 0), "EUR")["use"], "plan");
    const nlohmann::json dearer = recommend(result("mpc", 110, 0), result("edf", 100, 0), "EUR");
    EXPECT_EQ(dearer["use"], "baseline");
    EXPECT_EQ(dearer["strategy"], "edf");
    EXPECT_EQ(dearer["reason"], "the plan costs 10.00 EUR more than the baseline 'edf'");
    EXPECT_EQ(dearer["saving"], -10.0);
    const nlohmann::json short_of_energy = recommend(result("mpc", 50, 12), result("edf", 100, 0), "EUR");
    EXPECT_EQ(short_of_energy["use"], "baseline");
    EXPECT_EQ(short_of_energy["reason"], "the plan leaves 12.0 kWh undelivered, the baseline 0.0 kWh");
    // More energy for more money: the plan only at no higher a price per kWh.
    EXPECT_EQ(recommend(result("mpc", 102, 0), result("edf", 100, 10), "EUR")["use"], "plan");
    const nlohmann::json dear_energy = recommend(result("mpc", 110, 0), result("edf", 100, 10), "EUR");
    EXPECT_EQ(dear_energy["use"], "baseline");
    EXPECT_EQ(dear_energy["reason"], "the plan delivers 10.0 kWh more but at 0.2200 EUR/kWh against 0.2041");
}

TEST(Planner, APlanThatSavesLessThanTheToleranceIsTheBaselinesEqual) {
    auto costing = [](const char* strategy, double cost, double unmet = 0.0) {
        return nlohmann::json{
            {"strategy", strategy},
            {"fallback", nullptr},
            {"kpis", {{"cost", cost}, {"unmet_kwh", unmet}, {"energy_kwh", 100.0 - unmet}}}};
    };
    // The same: below 0.01 and at most 0.5 % of the baseline's cost. 1.00 − 0.996 = 0.004, below
    // 0.01 and below 0.5 % of 1.00 (0.005).
    const nlohmann::json same = recommend(costing("mpc", 0.996), costing("edf", 1.00), "EUR");
    EXPECT_EQ(same["use"], "baseline");
    EXPECT_EQ(same["strategy"], "edf");
    EXPECT_NEAR(same["saving"].get<double>(), 0.004, 1e-12);
    EXPECT_EQ(same["reason"],
              "the plan and the baseline 'edf' cost the same within tolerance: they differ by 0.0040 EUR, "
              "below 0.01 EUR and at most 0.5 % of the baseline's cost");
    // 10.00 − 9.991 = 0.009: below 0.01 and below 0.5 % of 10.00 (0.05).
    EXPECT_EQ(recommend(costing("mpc", 9.991), costing("edf", 10.0), "EUR")["use"], "baseline");
    // 3 thousandths dearer is the same too (not "costs more").
    const nlohmann::json dearer = recommend(costing("mpc", 1.003), costing("edf", 1.00), "EUR");
    EXPECT_EQ(dearer["use"], "baseline");
    EXPECT_NE(dearer["reason"].get<std::string>().find("the same within tolerance"), std::string::npos);
    // 1.00 − 0.994 = 0.006: below 0.01 but above 0.5 % of 1.00.
    EXPECT_EQ(recommend(costing("mpc", 0.994), costing("edf", 1.00), "EUR")["use"], "plan");
    // 10.00 − 9.99 = 0.01: 0.1 % of 10.00, but not below 0.01.
    EXPECT_EQ(recommend(costing("mpc", 9.99), costing("edf", 10.0), "EUR")["use"], "plan");
    // Equal costs, but the plan delivers 5 kWh more: not the same.
    EXPECT_EQ(recommend(costing("mpc", 1.00), costing("edf", 1.00, 5.0), "EUR")["use"], "plan");
}

TEST(Planner, AFailingStrategyFallsBackToTheBaseline) {
    Planner planner(config_in("planner_fallback"));
    nlohmann::json request = test::example_request();
    request["strategy"] = "fails_midway";
    const nlohmann::json response = nlohmann::json::parse(planner.plan(request));
    EXPECT_NE(response["plan"]["fallback"].get<std::string>().find("solver crashed"), std::string::npos);
    EXPECT_EQ(response["plan"]["strategy"], "edf");
    EXPECT_EQ(response["plan"]["run_id"], response["baseline"]["run_id"]);
    EXPECT_EQ(response["recommendation"]["use"], "baseline");
    EXPECT_EQ(planner.strategy_fallbacks(), 1u);
    ASSERT_FALSE(response["warnings"].empty());
}

TEST(Planner, ABaselineThatIsThePlansStrategyIsThePlansRun) {
    const PlannerConfig config = config_in("planner_same");
    Planner planner(config);
    nlohmann::json request = test::example_request();
    request["strategy"] = "edf";
    const nlohmann::json same = nlohmann::json::parse(planner.plan(request));
    EXPECT_EQ(same["plan"]["run_id"], same["baseline"]["run_id"]);
    EXPECT_EQ(same["plan"], same["baseline"]);
    EXPECT_EQ(same["recommendation"]["use"], "plan");
    EXPECT_EQ(same["recommendation"]["reason"], "the plan's strategy is the baseline's");
    request["baseline"] = "fcfs";
    const nlohmann::json other = nlohmann::json::parse(planner.plan(request));
    EXPECT_NE(other["plan"]["run_id"], other["baseline"]["run_id"]);
    EXPECT_EQ(RunReader(config.db).runs().size(), 3u);
}

TEST(Planner, SaysWhatCannotBeMet) {
    Planner planner(config_in("planner_infeasible"));
    nlohmann::json request = test::example_request();
    request["strategy"] = "edf";
    auto& v = request["vehicles"][0];
    v["energy_kwh"] = 29.0;
    v["soc"] = 0.0;
    v["capacity_kwh"] = 30;
    v["max_kw"] = 6;
    v["departure"] = request["vehicles"][0]["arrival"].get<std::string>().substr(0, 11) + "23:59";
    v["arrival"] = v["departure"].get<std::string>().substr(0, 11) + "21:00";
    const nlohmann::json response = nlohmann::json::parse(planner.plan(request));
    const auto& first = response["plan"]["vehicles"][0];
    EXPECT_FALSE(first["met"].get<bool>());
    EXPECT_NE(first["reason"].get<std::string>().find("at most"), std::string::npos) << first["reason"];
    EXPECT_GT(first["delivered_kwh"].get<double>(), 15.0);  // what can be met is met
    test::expect_physical(response["plan"], response,
                          request["site"]["tariff"].value("demand_charge_per_kw", 0.0));
}

TEST(Planner, RefusesUnknownChargersAndStrategies) {
    Planner planner(config_in("planner_refusals"));
    nlohmann::json request = test::example_request();
    request["vehicles"][3]["charger"] = "CP999";
    EXPECT_EQ(status_of(planner, request).substr(0, 26), "422 /vehicles/3/charger: n");
    request = test::example_request();
    request["strategy"] = "no_such_strategy";
    EXPECT_EQ(status_of(planner, request).substr(0, 13), "422 /strategy");
    request = test::example_request();
    request["vehicles"][0]["v2g"] = true;
    EXPECT_EQ(status_of(planner, request).substr(0, 19), "422 /vehicles/0/v2g");
}

TEST(Planner, PlansOnAScenarioSiteWithAmpsAndOnAnInlineSiteWithPvAndEss) {
    PlannerConfig config = config_in("planner_scenario");
    const Scenario scenario = Scenario::load(evtwin::test::source_file("scenarios/day_ahead_40ev.lua"));
    config.scenarios[scenario.name()] = scenario.impl().loaded;
    Planner planner(config);
    const nlohmann::json request = nlohmann::json::parse(R"({
      "site": {"scenario": "day_ahead_40ev"}, "start": "2016-06-15T00:00", "strategy": "edf", "unit": "A",
      "vehicles": [
        {"id": "a", "charger": "CP01", "arrival": "2016-06-15T08:00", "departure": "2016-06-15T12:00", "energy_kwh": 30, "max_kw": 11},
        {"id": "b", "arrival": "2016-06-15T09:10", "departure": "2016-06-15T10:00", "soc": 0.2, "target_soc": 0.3, "capacity_kwh": 50}]
    })");
    const nlohmann::json response = nlohmann::json::parse(planner.plan(request));
    EXPECT_EQ(response["currency"], "EUR");
    EXPECT_EQ(response["site"], "day_ahead_40ev");
    const auto& a = response["plan"]["vehicles"][0];
    EXPECT_EQ(a["charger"], "CP01");
    const auto& period = a["charging_schedule"]["chargingSchedulePeriod"][0];
    EXPECT_EQ(a["charging_schedule"]["chargingRateUnit"], "A");
    // 11 kW (the vehicle's limit) at the vehicle, over three phases of 230 V.
    EXPECT_NEAR(period["limit"].get<double>(), 11000.0 / (3 * 230.0), 0.05);
    EXPECT_TRUE(a["met"].get<bool>());
    // 10 % of 50 kWh into the battery, through its 95 % charging efficiency.
    EXPECT_NEAR(response["plan"]["vehicles"][1]["delivered_kwh"].get<double>(), 5.0 / 0.95, 1e-4);

    nlohmann::json inline_site = test::example_request();
    inline_site["strategy"] = "mpc";
    std::vector<double> pv(96, 0.0);
    for (int k = 36; k < 64; ++k) pv[k] = 40.0;  // 09:00-16:00
    inline_site["site"]["pv"] = {{"forecast_kw", pv}};
    inline_site["site"]["ess"] = {{"capacity_kwh", 100}, {"max_charge_kw", 30}, {"soc", 0.5}};
    const nlohmann::json with_pv = nlohmann::json::parse(planner.plan(inline_site));
    const auto& profile = with_pv["plan"]["site_profile"];
    double pv_kwh = 0.0;
    for (std::size_t k = 0; k < 96; ++k) {
        pv_kwh += profile["pv_kw"][k].get<double>() * 0.25;
        EXPECT_LE(std::abs(profile["ess_kw"][k].get<double>()), 30.0 + 1e-6);
    }
    EXPECT_GT(pv_kwh, 0.0);
    EXPECT_LE(pv_kwh, 40.0 * 7 + 1e-6);
    test::expect_physical(with_pv["plan"], with_pv,
                          inline_site["site"]["tariff"].value("demand_charge_per_kw", 0.0));
}

}  // namespace
}  // namespace evtwin::serve
