// GET /v1/drivers/{id}/next (serve/drivers): the 168 slots by the model, the most likely one, the
// next session's energy; 404 for an unknown driver, 422 naming the parameter for bad input.
#include "driver_sessions.hpp"
#include "serve/drivers/drivers_api.hpp"
#include "serve/net/api_error.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace evtwin::drivers {
namespace {

DriverModelParams route_model() {
    DriverModelParams p;
    p.hidden = 1;
    p.mean.assign(kSlotFeatures, 0.0);
    p.scale.assign(kSlotFeatures, 1.0);
    p.w1.assign(kSlotFeatures, 0.0);
    p.w1[0] = 1.0;  // the frequency feature alone: the most likely slot is the driver's usual one
    p.b1 = {0.0};
    p.w2 = {6.0};
    p.b2 = -3.0;
    p.energy_w = {1.0, 0.0, 0.0, 0.0};  // the driver's mean energy
    p.energy_b = 0.0;
    return p;
}

serve::DriversApi route_api() {
    const auto dir = test::temp_dir("drivers-route");
    const auto model = dir / "model.json";
    write_model(model, route_model());
    // Tuesdays 08:00 on three weeks, 10 and 14 kWh, Europe/Oslo wall clock (Norwegian CSV).
    const auto history = test::write_file(
        dir / "sessions.csv",
        "session_ID;Garage_ID;User_ID;User_type;Shared_ID;Start_plugin;Start_plugin_hour;End_plugout;"
        "End_plugout_hour;El_kWh;Duration_hours;month_plugin;weekdays_plugin\n"
        "1;G;G-1;Private;NA;01.06.2021 08:00;8;01.06.2021 09:00;9;10;1;Jun;Tuesday\n"
        "2;G;G-1;Private;NA;08.06.2021 08:00;8;08.06.2021 09:00;9;14;1;Jun;Tuesday\n"
        "3;G;G-1;Private;NA;15.06.2021 08:00;8;15.06.2021 09:00;9;12;1;Jun;Tuesday\n");
    HistorySource source;
    source.file = history;
    return serve::DriversApi(read_model(model), source,
                             [] { return parse_time("2021-06-20T12:00:00Z", TimeZone("UTC")); });
}

serve::HttpRequest get(const std::string& target) {
    serve::HttpRequest r;
    r.method = "GET";
    r.target = target;
    return r;
}

std::optional<serve::HttpResponse> ask(serve::DriversApi& api, const std::string& target) {
    return api.handle(get(target), target.substr(0, target.find('?')));
}

void expect_error(serve::DriversApi& api, const std::string& target, int status, const std::string& path) {
    try {
        ask(api, target);
        FAIL() << target << " answered";
    } catch (const serve::ApiError& e) {
        EXPECT_EQ(e.status, status) << target << ": " << e.what();
        EXPECT_EQ(e.path, path) << target << ": " << e.what();
    }
}

TEST(DriverRoute, AnswersTheWeeksSlots) {
    serve::DriversApi api = route_api();
    const auto answer = ask(api, "/v1/drivers/norway-user-G-1/next?from=2021-06-21T00:00");
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200);
    const auto body = nlohmann::json::parse(answer->body);
    EXPECT_EQ(body["driver"], "norway-user-G-1");
    EXPECT_EQ(body["timezone"], "Europe/Oslo");
    ASSERT_EQ(body["slots"].size(), 168u);
    EXPECT_EQ(body["most_likely"]["slot"], 32);  // Tuesday 08:00
    EXPECT_EQ(body["most_likely"]["start"], "2021-06-22 08:00");
    EXPECT_NEAR(body["next_session_kwh"].get<double>(), 12.0, 1e-5);  // (10 + 14 + 12) / 3, through floats
    const double p = body["slots"][32]["probability"];
    EXPECT_NEAR(p, 1.0 / (1.0 + std::exp(-3.0)), 1e-6);  // frequency 1: 6 - 3
    EXPECT_NEAR(body["slots"][32]["expected_kwh"].get<double>(), body["next_session_kwh"].get<double>() * p,
                1e-12);
    // Without `from`: the next whole hour after 2021-06-20 12:00 UTC, 14:00 in Oslo, is 15:00.
    const auto now = nlohmann::json::parse(ask(api, "/v1/drivers/norway-user-G-1/next")->body);
    EXPECT_EQ(now["from"], "2021-06-20 15:00");
}

TEST(DriverRoute, UnknownDriverIs404AndBadInput422) {
    serve::DriversApi api = route_api();
    expect_error(api, "/v1/drivers/nobody/next", 404, "id");
    expect_error(api, "/v1/drivers/norway-user-G-1/next?from=2021-05-01", 404, "id");  // nothing before
    expect_error(api, "/v1/drivers/norway-user-G-1/next?from=tuesday", 422, "from");
    expect_error(api, "/v1/drivers/norway-user-G-1/next?from=2021-06-21T08:30", 422, "from");
    expect_error(api, "/v1/drivers/norway-user-G-1/next?to=2021-06-21", 422, "to");
    expect_error(api, "/v1/drivers/norway-user-G-1/later", 404, "");
    EXPECT_FALSE(ask(api, "/v1/plans"));  // not this route's
    serve::HttpRequest post = get("/v1/drivers/norway-user-G-1/next");
    post.method = "POST";
    EXPECT_THROW(api.handle(post, post.target), serve::ApiError);
}

}  // namespace
}  // namespace evtwin::drivers
