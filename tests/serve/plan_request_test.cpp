// Reading a planning request: defaults, and every refusal naming the field's JSON pointer.
#include "serve/plan/plan_request.hpp"
#include "serve/net/api_error.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

nlohmann::json minimal() {
    return nlohmann::json::parse(R"({
      "site": {"timezone": "Europe/Amsterdam", "grid": {"import_kw": 50},
               "chargers": [{"id": "CP1", "max_kw": 22}, {"id": "CP2", "max_kw": 11, "phases": 1}],
               "tariff": {"bands": [{"from": "00:00", "price": 0.1}, {"from": "07:00", "price": 0.3}]}},
      "start": "2026-11-24T00:00:00",
      "vehicles": [{"id": "A", "charger": "CP1", "arrival": "2026-11-24T08:00", "departure": "2026-11-24T12:00", "energy_kwh": 20}]
    })");
}

ScenarioZone no_scenarios() {
    return [](const std::string& name, const std::string& path) -> std::string {
        throw ApiError(422, path, "unknown scenario '" + name + "'");
    };
}

// The status and path of the error the request raises, "ok" when it is accepted.
std::string refusal(const nlohmann::json& body, RequestLimits limits = {}) {
    try {
        parse_plan_request(body, limits, no_scenarios());
    } catch (const ApiError& e) {
        return std::to_string(e.status) + " " + e.path;
    }
    return "ok";
}

TEST(PlanRequest, ReadsDefaultsAndLocalTimes) {
    const PlanRequest r = parse_plan_request(minimal(), {}, no_scenarios());
    EXPECT_EQ(r.horizon, Duration::hours(24));
    EXPECT_EQ(r.step, Duration::minutes(15));
    EXPECT_EQ(r.steps(), 96u);
    EXPECT_EQ(r.strategy.name, "mpc");
    EXPECT_EQ(r.baseline.name, "edf");
    EXPECT_FALSE(r.amps);
    // Midnight in Amsterdam in November is 23:00 UTC the day before.
    EXPECT_EQ(r.start, Time(1'795'474'800'000));
    EXPECT_EQ(r.vehicles.at(0).arrival, r.start + Duration::hours(8));
    EXPECT_EQ(r.site.export_kw, 50.0);
    EXPECT_EQ(r.site.chargers.at(1).phases, 1);
    ASSERT_EQ(r.site.tariff.bands.size(), 2u);
    EXPECT_EQ(r.site.tariff.bands[1].from_minute, 7 * 60);
}

TEST(PlanRequest, ReadsStrategyOptionsOfAnyScalarType) {
    nlohmann::json body = minimal();
    body["strategy"] = {{"name", "mpc"},
                        {"options", {{"horizon_h", 12}, {"wear", false}, {"solver", "cbc"}}}};
    const PlanRequest r = parse_plan_request(body, {}, no_scenarios());
    EXPECT_EQ(r.strategy.options.at("horizon_h"), "12");
    EXPECT_EQ(r.strategy.options.at("wear"), "false");
    EXPECT_EQ(r.strategy.options.at("solver"), "cbc");
}

TEST(PlanRequest, ReadsTheBaseLoadAsASeriesOrADailyProfile) {
    nlohmann::json body = minimal();
    body["site"]["base_load"] = {{"forecast_kw", std::vector<double>(96, 2.5)}};
    const PlanRequest series = parse_plan_request(body, {}, no_scenarios());
    ASSERT_TRUE(series.site.base_load);
    EXPECT_EQ(series.site.base_load->forecast_kw, std::vector<double>(96, 2.5));
    EXPECT_TRUE(series.site.base_load->profile.empty());

    body["site"]["base_load"] = nlohmann::json::parse(R"({"profile": [{"from": "00:00", "kw": 3},
                                                                       {"from": "07:30", "kw": 8.5}]})");
    const PlanRequest daily = parse_plan_request(body, {}, no_scenarios());
    ASSERT_EQ(daily.site.base_load->profile.size(), 2u);
    EXPECT_EQ(daily.site.base_load->profile[1].from_minute, 7 * 60 + 30);
    EXPECT_EQ(daily.site.base_load->profile[1].value, 8.5);
    EXPECT_TRUE(daily.site.base_load->forecast_kw.empty());
    EXPECT_FALSE(parse_plan_request(minimal(), {}, no_scenarios()).site.base_load);
}

TEST(PlanRequest, ReadsAnExportPricePerStep) {
    nlohmann::json body = minimal();
    std::vector<double> prices(96, 0.04);
    prices[40] = 0.25;
    body["site"]["tariff"]["export_prices"] = prices;
    const PlanRequest r = parse_plan_request(body, {}, no_scenarios());
    EXPECT_EQ(r.site.tariff.export_prices, prices);
    EXPECT_EQ(r.site.tariff.export_price, 0.0);
    EXPECT_TRUE(parse_plan_request(minimal(), {}, no_scenarios()).site.tariff.export_prices.empty());
}

TEST(PlanRequest, RefusesWhatIsWrongNamingTheField) {
    auto with = [](const std::string& pointer, nlohmann::json value) {
        nlohmann::json body = minimal();
        body[nlohmann::json::json_pointer(pointer)] = std::move(value);
        return body;
    };
    EXPECT_EQ(refusal(with("/site/grid/import_kw", "lots")), "422 /site/grid/import_kw");
    EXPECT_EQ(refusal(with("/site/grid/import_kw", -5)), "422 /site/grid/import_kw");
    EXPECT_EQ(refusal(with("/site/timezone", "Mars/Olympus")), "422 /site/timezone");
    EXPECT_EQ(refusal(with("/site/chargers/1/id", "CP1")), "422 /site/chargers/1/id");
    EXPECT_EQ(refusal(with("/site/chargers/1/id", "grid")), "422 /site/chargers/1/id");   // the grid's node
    EXPECT_EQ(refusal(with("/site/chargers/1/id", "CP1/1")), "422 /site/chargers/1/id");  // CP1's connector
    EXPECT_EQ(refusal(with("/site/chargers/0/phases", 2)), "422 /site/chargers/0/phases");
    EXPECT_EQ(refusal(with("/site/chargers/0/colour", "red")), "422 /site/chargers/0/colour");
    EXPECT_EQ(refusal(with("/site/tariff/bands/1/from", "25:00")), "422 /site/tariff/bands/1/from");
    EXPECT_EQ(refusal(with("/site/tariff/bands/0/from", "01:00")), "422 /site/tariff/bands/0/from");
    EXPECT_EQ(refusal(with("/site/tariff/prices", nlohmann::json::array({0.1, 0.2}))), "422 /site/tariff");
    EXPECT_EQ(refusal(with("/site/pv", {{"forecast_kw", {1, 2, 3}}})), "422 /site/pv/forecast_kw");
    EXPECT_EQ(refusal(with("/site/tariff/export_prices", nlohmann::json::array({0.1, 0.2}))),
              "422 /site/tariff/export_prices");
    EXPECT_EQ(refusal(with("/site/tariff/export_prices", 0.05)), "422 /site/tariff/export_prices");
    nlohmann::json one_is_text = nlohmann::json::array();
    for (int k = 0; k < 96; ++k) one_is_text.push_back(0.05);
    one_is_text[1] = "high";
    EXPECT_EQ(refusal(with("/site/tariff/export_prices", one_is_text)), "422 /site/tariff/export_prices/1");
    nlohmann::json both_export_prices = with("/site/tariff/export_prices", std::vector<double>(96, 0.05));
    EXPECT_EQ(refusal(both_export_prices), "ok");
    both_export_prices["site"]["tariff"]["export_price"] = 0.05;
    EXPECT_EQ(refusal(both_export_prices), "422 /site/tariff/export_prices");
    const auto base_load = [&](const char* text) {
        return with("/site/base_load", nlohmann::json::parse(text));
    };
    EXPECT_EQ(refusal(base_load(R"({"forecast_kw": [1, 2, 3]})")), "422 /site/base_load/forecast_kw");
    EXPECT_EQ(refusal(base_load(R"({})")), "422 /site/base_load");
    EXPECT_EQ(refusal(base_load(R"({"profile": []})")), "422 /site/base_load/profile");
    EXPECT_EQ(refusal(base_load(R"({"profile": [{"from": "06:00", "kw": 3}]})")),
              "422 /site/base_load/profile/0/from");
    EXPECT_EQ(refusal(base_load(R"({"profile": [{"from": "00:00", "kw": 3}, {"from": "00:00", "kw": 1}]})")),
              "422 /site/base_load/profile/1/from");
    EXPECT_EQ(refusal(base_load(R"({"profile": [{"from": "00:00", "kw": -1}]})")),
              "422 /site/base_load/profile/0/kw");
    EXPECT_EQ(refusal(base_load(R"({"profile": [{"from": "00:00", "kw": "some"}]})")),
              "422 /site/base_load/profile/0/kw");
    EXPECT_EQ(refusal(base_load(R"({"profile": [{"from": "00:00", "kw": 1}], "kw": 2})")),
              "422 /site/base_load/kw");
    EXPECT_EQ(refusal(with("/start", "tomorrow")), "422 /start");
    EXPECT_EQ(refusal(with("/step_min", 7.5)), "422 /step_min");
    EXPECT_EQ(refusal(with("/horizon_h", 1000)), "422 /horizon_h");
    EXPECT_EQ(refusal(with("/unit", "kW")), "422 /unit");
    EXPECT_EQ(refusal(with("/strategy", 3)), "422 /strategy");
    EXPECT_EQ(refusal(with("/surprise", 1)), "422 /surprise");
    EXPECT_EQ(refusal(with("/vehicles", nlohmann::json::array())), "422 /vehicles");
    EXPECT_EQ(refusal(with("/vehicles/0/departure", "2026-11-24T07:00")), "422 /vehicles/0/departure");
    EXPECT_EQ(refusal(with("/vehicles/0/departure", "2026-11-26T07:00")), "422 /vehicles/0/departure");
    EXPECT_EQ(refusal(with("/vehicles/0/arrival", "2026-11-23T07:00")), "422 /vehicles/0/arrival");
    EXPECT_EQ(refusal(with("/vehicles/0/energy_kwh", nullptr)), "422 /vehicles/0/energy_kwh");
    EXPECT_EQ(refusal(with("/vehicles/0/target_soc", 0.9)), "422 /vehicles/0/target_soc");
    EXPECT_EQ(refusal(with("/vehicles/0/energy_kwh", 500)), "422 /vehicles/0/energy_kwh");
    EXPECT_EQ(refusal(with("/vehicles/0/v2g", "yes")), "422 /vehicles/0/v2g");
    EXPECT_EQ(refusal(with("/site/scenario", "elsewhere")), "422 /site/scenario");
    EXPECT_EQ(refusal(nlohmann::json::array()), "422 ");  // the whole body: the empty pointer

    nlohmann::json twice = minimal();
    twice["vehicles"].push_back(twice["vehicles"][0]);
    EXPECT_EQ(refusal(twice), "422 /vehicles/1/id");
    RequestLimits one;
    one.max_vehicles = 1;
    EXPECT_EQ(refusal(twice, one), "422 /vehicles");
    nlohmann::json soc_form = minimal();
    soc_form["vehicles"][0].erase("energy_kwh");
    soc_form["vehicles"][0]["target_soc"] = 0.8;
    EXPECT_EQ(refusal(soc_form), "422 /vehicles/0/soc");
    soc_form["vehicles"][0]["soc"] = 0.3;
    EXPECT_EQ(refusal(soc_form), "ok");
}

}  // namespace
}  // namespace evtwin::serve
