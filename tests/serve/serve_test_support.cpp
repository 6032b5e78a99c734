#include "serve_test_support.hpp"

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace evtwin::serve::test {

nlohmann::json example_request() {
    return nlohmann::json::parse(
        evtwin::test::read_file(evtwin::test::source_file("docs/examples/plan_40ev.json")));
}

namespace {

// The energy a schedule gives the vehicle (kWh): its limits (W) over its periods.
double schedule_kwh(const nlohmann::json& schedule) {
    const auto& periods = schedule["chargingSchedulePeriod"];
    double kwh = 0.0;
    for (std::size_t i = 0; i < periods.size(); ++i) {
        const double from = periods[i]["startPeriod"].get<double>();
        const double to = i + 1 < periods.size() ? periods[i + 1]["startPeriod"].get<double>()
                                                 : schedule["duration"].get<double>();
        kwh += periods[i]["limit"].get<double>() / 1000.0 * (to - from) / 3600.0;
    }
    return kwh;
}

double seconds_from(const std::string& start, const std::string& t) {
    // Both are "YYYY-MM-DDTHH:MM:SS.mmmZ" from the same plan.
    auto parse = [](const std::string& s) {
        std::tm tm{};
        strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
        return static_cast<double>(timegm(&tm));
    };
    return parse(t) - parse(start);
}

}  // namespace

void expect_physical(const nlohmann::json& result, const nlohmann::json& response, double demand_rate) {
    const double capacity = response["capacity_kw"].get<double>();
    const double step_s = response["step_s"].get<double>();
    const double step_h = step_s / 3600.0;
    const auto& profile = result["site_profile"];
    const std::size_t steps = profile["t_s"].size();
    ASSERT_GT(steps, 0u);

    std::vector<double> ev_sum(steps, 0.0);
    double delivered = 0.0;
    for (const auto& v : result["vehicles"]) {
        const std::string id = v["id"];
        const auto& power = v["power_kw"];
        ASSERT_EQ(power.size(), steps) << id;
        const double arrival = seconds_from(response["start"], v["arrival"]);
        const double departure = seconds_from(response["start"], v["departure"]);
        for (std::size_t k = 0; k < steps; ++k) {
            ev_sum[k] += power[k].get<double>();
            const bool outside = (k + 1) * step_s <= arrival || k * step_s >= departure;
            if (outside) {
                EXPECT_EQ(power[k].get<double>(), 0.0) << id << " step " << k;
            }
        }
        delivered += v["delivered_kwh"].get<double>();
        EXPECT_LE(v["delivered_kwh"].get<double>(), v["requested_kwh"].get<double>() + 1e-6) << id;
        EXPECT_NEAR(v["unmet_kwh"].get<double>(),
                    std::max(0.0, v["requested_kwh"].get<double>() - v["delivered_kwh"].get<double>()), 1e-9)
            << id;
        if (!v["charging_schedule"].is_null()) {
            const auto& schedule = v["charging_schedule"];
            EXPECT_EQ(schedule["chargingSchedulePeriod"][0]["startPeriod"], 0) << id;
            EXPECT_EQ(schedule["duration"].get<double>(), departure - arrival) << id;
            // Periods start on whole seconds: each may shift up to half a second of its power.
            double slack_kwh = 1e-6;
            for (const auto& p : schedule["chargingSchedulePeriod"])
                slack_kwh += std::abs(p["limit"].get<double>()) / 1000.0 / 3600.0;
            EXPECT_NEAR(schedule_kwh(schedule), v["delivered_kwh"].get<double>(), slack_kwh) << id;
        }
    }
    double energy_cost = 0.0;
    double peak_step_kw = 0.0;
    for (std::size_t k = 0; k < steps; ++k) {
        const double import_kw = profile["import_kw"][k].get<double>();
        peak_step_kw = std::max(peak_step_kw, import_kw);
        EXPECT_LE(import_kw, capacity + 1e-6) << "step " << k;
        EXPECT_NEAR(ev_sum[k], profile["ev_kw"][k].get<double>(), 1e-3 * result["vehicles"].size())
            << "step " << k;
        const double balance = profile["ev_kw"][k].get<double>() + profile["ess_kw"][k].get<double>() +
                               profile["base_load_kw"][k].get<double>() - profile["pv_kw"][k].get<double>();
        EXPECT_NEAR(import_kw, balance, 3e-3) << "step " << k;
        energy_cost += std::max(0.0, import_kw) * step_h * profile["price"][k].get<double>();
    }
    const auto& kpis = result["kpis"];
    EXPECT_NEAR(delivered, kpis["energy_kwh"].get<double>(), 1e-6);
    EXPECT_NEAR(kpis["energy_cost"].get<double>(), energy_cost, 1e-3 * std::max(1.0, energy_cost));
    // The demand charge is billed on 15-minute averages of the import: the steps' averages here.
    ASSERT_EQ(step_s, 900.0);
    EXPECT_NEAR(kpis["demand_charge"].get<double>(), demand_rate * peak_step_kw, 1e-3 * demand_rate + 1e-9);
    EXPECT_GE(kpis["peak_kw"].get<double>(), peak_step_kw - 1e-3);
    EXPECT_NEAR(kpis["cost"].get<double>(),
                kpis["energy_cost"].get<double>() + kpis["demand_charge"].get<double>() -
                    kpis["export_revenue"].get<double>(),
                1e-9);
    EXPECT_LE(kpis["peak_kw"].get<double>(), capacity + 1e-6);
    EXPECT_EQ(kpis["violations"].get<double>(), 0.0);
}

}  // namespace evtwin::serve::test
