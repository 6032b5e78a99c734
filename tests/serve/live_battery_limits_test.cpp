// The live central system when a site battery stops giving between decisions: a node that the
// vehicles' limits kept within its limit only with the battery's power goes over it, and the
// central system decides at once instead of at the control period's end.
#include "live_station.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace evtwin::serve {
namespace {

using live_test::AnsweringStation;
using live_test::boot_notification;
using live_test::kFeederBatterySite;
using live_test::LiveSite;
using live_test::started_on_evse_1;
using nlohmann::json;

constexpr double kAmpereStepKw = 0.1 * 230.0 * 3 / 1000.0;

// TransactionEvent Updated of TX-1: the register and the power at `at`.
json metered(int seq, Time at, double wh, double w) {
    const auto sample = [](double value, const char* measurand, const char* unit) {
        return json{{"value", value},
                    {"context", "Sample.Periodic"},
                    {"measurand", measurand},
                    {"unitOfMeasure", {{"unit", unit}}}};
    };
    return {{"eventType", "Updated"},
            {"timestamp", format_utc(at)},
            {"triggerReason", "MeterValuePeriodic"},
            {"seqNo", seq},
            {"transactionInfo", {{"transactionId", "TX-1"}, {"chargingState", "Charging"}}},
            {"meterValue",
             json::array({{{"timestamp", format_utc(at)},
                           {"sampledValue", json::array({sample(wh, "Energy.Active.Import.Register", "Wh"),
                                                         sample(w, "Power.Active.Import", "W")})}}})}};
}

// The limits of the TxProfiles the station received, in kW (the station is on 230 V, 3 phases when
// the central system sends amperes, rounded down to 0.1 A a phase).
std::vector<double> tx_limits_kw(const AnsweringStation& station) {
    std::vector<double> out;
    for (const json& frame : station.received()) {
        if (frame[2] != "SetChargingProfile" ||
            frame[3]["chargingProfile"]["chargingProfilePurpose"] != "TxProfile")
            continue;
        const json& schedule = frame[3]["chargingProfile"]["chargingSchedule"][0];
        const double limit = schedule["chargingSchedulePeriod"][0]["limit"].get<double>();
        out.push_back(schedule["chargingRateUnit"] == "W" ? limit / 1000.0 : limit * 230.0 * 3 / 1000.0);
    }
    return out;
}

// The battery gives 5 kW from the first decision, so the vehicle may draw its 11 kW under the
// 10 kW feeder. Six minutes on, the battery reaches its floor: the reading at minute 7 finds the
// feeder at 11 kW, and the central system decides then, holding the vehicle to 10 kW, eight minutes
// before the period's end.
TEST(LiveBatteryLimits, ABatteryThatStopsGivingBringsTheDecisionForward) {
    LiveSite site(kFeederBatterySite,
                  std::string(EVTWIN_FIXTURE_PLUGIN_DIR) + "/libevtwin_discharges_the_battery.so");
    auto client = site.connect("CP");
    ASSERT_TRUE(client);
    const Time t0 = site.now();
    const auto minute = [&](int m) { return t0 + Duration::minutes(m); };
    {
        AnsweringStation station(*client, 0);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        ASSERT_EQ(station.call("2", "TransactionEvent", started_on_evse_1(t0))[0], 3);
        site.step_to(minute(1));
        ASSERT_EQ(tx_limits_kw(station).size(), 1u);
        EXPECT_NEAR(tx_limits_kw(station)[0], 11.0, kAmpereStepKw);
        ASSERT_EQ(station.call("3", "TransactionEvent", metered(1, minute(1), 11000.0 / 60, 11000.0))[0], 3);
        site.step_to(minute(5));
        ASSERT_EQ(station.call("4", "TransactionEvent", metered(2, minute(5), 11000.0 * 5 / 60, 11000.0))[0],
                  3);
        site.step_to(minute(7));
        EXPECT_EQ(tx_limits_kw(station).size(), 1u);  // no decision before the battery stopped
        ASSERT_EQ(station.call("5", "TransactionEvent", metered(3, minute(7), 11000.0 * 7 / 60, 11000.0))[0],
                  3);
        site.step_to(minute(8));
        const std::vector<double> limits = tx_limits_kw(station);
        ASSERT_EQ(limits.size(), 2u) << testing::PrintToString(limits);
        EXPECT_NEAR(limits[1], 10.0, kAmpereStepKw);
        client->close();
    }
    site.stop();
}

}  // namespace
}  // namespace evtwin::serve
