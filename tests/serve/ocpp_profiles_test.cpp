// Charging profiles the central system sends, checked against the official request schemas of both
// versions (../shared/data/ocpp/schemas), and the answers it reads: profile status, composite schedules.
#include "serve/csms/ocpp_profiles.hpp"

#include "ocpp/schema_check.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace evtwin::serve {
namespace {

using nlohmann::json;
using ocpp::ProfilePurpose;

using enum OcppVersion;
constexpr std::int64_t kProfileStart = 1704103200000;  // 2024-01-01T10:00:00Z

// "valid" or the first error, against the version's request schema.
std::string request_verdict(OcppVersion v, const char* action, const json& payload) {
    ocpp::SchemaSet set(evtwin::test::data_file("ocpp/schemas"), version_name(v));
    ocpp::PayloadCheck out;
    std::string note;
    if (!set.check_payload(action, ocpp::MessageType::call, payload, out, note)) return "unchecked: " + note;
    return out.valid ? "valid" : out.path + ": " + out.message;
}

ProfileLimit limit_of(ProfilePurpose purpose, double value, char unit) {
    ProfileLimit p;
    p.connector = purpose == ProfilePurpose::station_max ? 0 : 2;
    p.profile_id = 42;
    p.stack_level = 3;
    p.purpose = purpose;
    if (purpose == ProfilePurpose::tx) p.transaction_id = "1017";
    p.start_ms = kProfileStart + 250;
    p.limit = value;
    p.unit = unit;
    p.phases = 3;
    p.duration_s = 900;
    return p;
}

TEST(OcppProfiles, SetChargingProfile16IsSchemaValidForEveryPurpose) {
    for (const ProfilePurpose purpose :
         {ProfilePurpose::tx, ProfilePurpose::tx_default, ProfilePurpose::station_max})
        for (const char unit : {'A', 'W'})
            for (const double value : {16.0, 7.34, 11000.0, 0.0, 31.96}) {
                const json payload = set_charging_profile_payload(v16, limit_of(purpose, value, unit));
                EXPECT_EQ(request_verdict(v16, "SetChargingProfile", payload), "valid") << payload;
            }
    const json p = set_charging_profile_payload(v16, limit_of(ProfilePurpose::tx, 7.34, 'A'));
    EXPECT_EQ(p, json::parse(R"({"connectorId": 2, "csChargingProfiles": {
        "chargingProfileId": 42, "transactionId": 1017, "stackLevel": 3, "chargingProfilePurpose": "TxProfile",
        "chargingProfileKind": "Absolute", "chargingSchedule": {"startSchedule": "2024-01-01T10:00:00.250Z",
        "duration": 900, "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 7.3, "numberPhases": 3}]}}})"));
    EXPECT_EQ(
        set_charging_profile_payload(v16, limit_of(ProfilePurpose::station_max, 1,
                                                   'W'))["csChargingProfiles"]["chargingProfilePurpose"],
        "ChargePointMaxProfile");
}

TEST(OcppProfiles, SetChargingProfile201IsSchemaValidForEveryPurpose) {
    for (const ProfilePurpose purpose :
         {ProfilePurpose::tx, ProfilePurpose::tx_default, ProfilePurpose::station_max})
        for (const char unit : {'A', 'W'}) {
            const json payload = set_charging_profile_payload(v201, limit_of(purpose, 22080.04, unit));
            EXPECT_EQ(request_verdict(v201, "SetChargingProfile", payload), "valid") << payload;
        }
    ProfileLimit tx = limit_of(ProfilePurpose::tx, 10.06, 'A');
    tx.transaction_id = "f3c1-tx";
    tx.duration_s.reset();
    tx.phases = 1;
    const json p = set_charging_profile_payload(v201, tx);
    EXPECT_EQ(p, json::parse(R"({"evseId": 2, "chargingProfile": {"id": 42, "stackLevel": 3,
        "chargingProfilePurpose": "TxProfile", "chargingProfileKind": "Absolute", "transactionId": "f3c1-tx",
        "chargingSchedule": [{"id": 42, "startSchedule": "2024-01-01T10:00:00.250Z", "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 10.1, "numberPhases": 1}]}]}})"));
    EXPECT_EQ(request_verdict(v201, "SetChargingProfile", p), "valid");
    EXPECT_EQ(set_charging_profile_payload(v201, limit_of(ProfilePurpose::station_max, 1,
                                                          'W'))["chargingProfile"]["chargingProfilePurpose"],
              "ChargingStationMaxProfile");
    // Phases outside 1..3 are left out (OCPP assumes 3).
    tx.phases = 0;
    EXPECT_FALSE(set_charging_profile_payload(
                     v201, tx)["chargingProfile"]["chargingSchedule"][0]["chargingSchedulePeriod"][0]
                     .contains("numberPhases"));
}

// OCPP 2.1's V2X profile: a discharge is a CentralSetpoint period whose setpoint and discharge
// limit are negative, without a charging limit; 1.6 and 2.0.1 cannot say it.
TEST(OcppProfiles, ADischargeIsA21CentralSetpoint) {
    ProfileLimit p = limit_of(ProfilePurpose::tx, 0, 'W');
    p.transaction_id = "tx-7";
    p.discharge = 7000.04;
    const json payload = set_charging_profile_payload(v21, p);
    EXPECT_EQ(request_verdict(v21, "SetChargingProfile", payload), "valid") << payload;
    const json& period = payload["chargingProfile"]["chargingSchedule"][0]["chargingSchedulePeriod"][0];
    EXPECT_EQ(period["operationMode"], "CentralSetpoint");
    EXPECT_DOUBLE_EQ(period["setpoint"].get<double>(), -7000.0);
    EXPECT_DOUBLE_EQ(period["dischargeLimit"].get<double>(), -7000.0);
    EXPECT_FALSE(period.contains("limit"));
    EXPECT_THROW(set_charging_profile_payload(v201, p), std::invalid_argument);
    EXPECT_THROW(set_charging_profile_payload(v16, p), std::invalid_argument);
    p.discharge = -1;
    EXPECT_THROW(set_charging_profile_payload(v21, p), std::invalid_argument);
    // A charging limit to a 2.1 station is 2.0.1's, valid in 2.1.
    p.discharge = 0;
    p.limit = 16;
    EXPECT_EQ(request_verdict(v21, "SetChargingProfile", set_charging_profile_payload(v21, p)), "valid");
}

TEST(OcppProfiles, WhatAVersionCannotSayIsRefused) {
    ProfileLimit p = limit_of(ProfilePurpose::tx, 16, 'A');
    p.transaction_id = "tx-7";
    EXPECT_THROW(set_charging_profile_payload(v16, p), std::invalid_argument);  // 1.6: an integer
    EXPECT_NO_THROW(set_charging_profile_payload(v201, p));
    p.transaction_id = "99999999999999999999999";
    EXPECT_THROW(set_charging_profile_payload(v16, p), std::invalid_argument);
    p = limit_of(ProfilePurpose::tx_default, -1, 'W');
    EXPECT_THROW(set_charging_profile_payload(v201, p), std::invalid_argument);
    p.limit = std::nan("");
    EXPECT_THROW(set_charging_profile_payload(v16, p), std::invalid_argument);
    p = limit_of(ProfilePurpose::tx_default, 1, 'k');
    EXPECT_THROW(set_charging_profile_payload(v16, p), std::invalid_argument);
    p = limit_of(ProfilePurpose::external, 1, 'W');
    EXPECT_THROW(set_charging_profile_payload(v16, p), std::invalid_argument);
    EXPECT_THROW(set_charging_profile_payload(v201, p), std::invalid_argument);
}

TEST(OcppProfiles, GetCompositeScheduleAndClearChargingProfileRequestsAreSchemaValid) {
    for (const OcppVersion v : {v16, v201}) {
        for (const std::optional<char> unit :
             {std::optional<char>{}, std::optional<char>{'W'}, std::optional<char>{'A'}})
            EXPECT_EQ(
                request_verdict(v, "GetCompositeSchedule", get_composite_schedule_payload(v, 1, 3600, unit)),
                "valid");
        ocpp::ProfileCriteria by_id;
        by_id.profile_id = 42;
        by_id.connector = 1;  // 2.0.1: the id alone
        ocpp::ProfileCriteria by_criteria;
        by_criteria.connector = 0;
        by_criteria.purpose = ProfilePurpose::tx_default;
        by_criteria.stack_level = 3;
        for (const auto& c : {by_id, by_criteria, ocpp::ProfileCriteria{}})
            EXPECT_EQ(request_verdict(v, "ClearChargingProfile", clear_charging_profile_payload(v, c)),
                      "valid");
    }
    EXPECT_EQ(get_composite_schedule_payload(v16, 2, 600, 'A'),
              json::parse(R"({"connectorId": 2, "duration": 600, "chargingRateUnit": "A"})"));
    EXPECT_EQ(get_composite_schedule_payload(v201, 2, 600), json::parse(R"({"evseId": 2, "duration": 600})"));
    ocpp::ProfileCriteria c;
    c.profile_id = 42;
    c.connector = 1;
    EXPECT_EQ(clear_charging_profile_payload(v16, c), json::parse(R"({"id": 42, "connectorId": 1})"));
    EXPECT_EQ(clear_charging_profile_payload(v201, c), json::parse(R"({"chargingProfileId": 42})"));
    c = {};
    c.connector = 1;
    c.purpose = ProfilePurpose::station_max;
    EXPECT_EQ(clear_charging_profile_payload(v16, c),
              json::parse(R"({"connectorId": 1, "chargingProfilePurpose": "ChargePointMaxProfile"})"));
    EXPECT_EQ(clear_charging_profile_payload(v201, c),
              json::parse(R"({"chargingProfileCriteria": {"evseId": 1,
                  "chargingProfilePurpose": "ChargingStationMaxProfile"}})"));
    EXPECT_THROW(get_composite_schedule_payload(v16, 1, 60, 'k'), std::invalid_argument);
}

TEST(OcppProfiles, ResponseStatusIsRead) {
    EXPECT_EQ(profile_status({{"status", "Accepted"}}), ProfileStatus::accepted);
    EXPECT_EQ(profile_status({{"status", "Rejected"}, {"statusInfo", {{"reasonCode", "x"}}}}),
              ProfileStatus::rejected);
    EXPECT_EQ(profile_status({{"status", "NotSupported"}}), ProfileStatus::not_supported);
    EXPECT_FALSE(profile_status({{"status", "Maybe"}}));
    EXPECT_FALSE(profile_status({{"status", 1}}));
    EXPECT_FALSE(profile_status(json::object()));
    EXPECT_FALSE(profile_status(json::array()));
}

TEST(OcppProfiles, CompositeSchedule16GivesTheLimitInForce) {
    const json r =
        json::parse(R"({"status": "Accepted", "connectorId": 1, "scheduleStart": "2024-01-01T10:00:00Z",
        "chargingSchedule": {"duration": 3600, "chargingRateUnit": "A", "chargingSchedulePeriod": [
          {"startPeriod": 0, "limit": 32.0}, {"startPeriod": 600, "limit": 16.0, "numberPhases": 1},
          {"startPeriod": 1800, "limit": 6.0}]}})");
    EXPECT_FALSE(composite_limit_at(v16, r, kProfileStart - 1));
    auto l = composite_limit_at(v16, r, kProfileStart);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->limit, 32.0);
    EXPECT_EQ(l->unit, 'A');
    EXPECT_EQ(l->phases, 3);
    EXPECT_EQ(l->connector, 1);
    EXPECT_EQ(l->from_ms, kProfileStart);
    EXPECT_EQ(l->until_ms, kProfileStart + 600'000);
    l = composite_limit_at(v16, r, kProfileStart + 600'000);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->limit, 16.0);
    EXPECT_EQ(l->phases, 1);
    l = composite_limit_at(v16, r, kProfileStart + 3'599'999);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->limit, 6.0);
    EXPECT_EQ(l->until_ms, kProfileStart + 3'600'000);
    EXPECT_FALSE(composite_limit_at(v16, r, kProfileStart + 3'600'000));  // past its duration
    // The schedule's own startSchedule wins over scheduleStart.
    json shifted = r;
    shifted["chargingSchedule"]["startSchedule"] = "2024-01-01T11:00:00Z";
    l = composite_limit_at(v16, shifted, kProfileStart + 3'600'000);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->limit, 32.0);
    // Rejected, without a schedule, or malformed: nothing.
    json rejected = r;
    rejected["status"] = "Rejected";
    EXPECT_FALSE(composite_limit_at(v16, rejected, kProfileStart));
    EXPECT_FALSE(composite_limit_at(v16, {{"status", "Accepted"}}, kProfileStart));
    json broken = r;
    broken["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"] = "32";
    EXPECT_FALSE(composite_limit_at(v16, broken, kProfileStart));
    broken = r;
    broken.erase("scheduleStart");
    EXPECT_FALSE(composite_limit_at(v16, broken, kProfileStart));
    // The 2.0.1 shape read as 1.6: nothing.
    EXPECT_FALSE(
        composite_limit_at(v16, json::parse(R"({"status": "Accepted", "schedule": {}})"), kProfileStart));
}

TEST(OcppProfiles, CompositeSchedule201GivesTheLimitInForce) {
    const json r = json::parse(R"({"status": "Accepted", "schedule": {"evseId": 2, "duration": 900,
        "scheduleStart": "2024-01-01T10:00:00Z", "chargingRateUnit": "W", "chargingSchedulePeriod": [
          {"startPeriod": 300, "limit": 7400.0}, {"startPeriod": 0, "limit": 11000.0}]}})");
    auto l = composite_limit_at(v201, r, kProfileStart + 299'999);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->limit, 11000.0);
    EXPECT_EQ(l->unit, 'W');
    EXPECT_EQ(l->connector, 2);
    EXPECT_EQ(l->until_ms, kProfileStart + 300'000);
    l = composite_limit_at(v201, r, kProfileStart + 300'000);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->limit, 7400.0);
    EXPECT_EQ(l->until_ms, kProfileStart + 900'000);
    EXPECT_FALSE(composite_limit_at(v201, r, kProfileStart + 900'000));
    json no_unit = r;
    no_unit["schedule"].erase("chargingRateUnit");
    EXPECT_FALSE(composite_limit_at(v201, no_unit, kProfileStart));
    json late_start = r;
    late_start["schedule"]["chargingSchedulePeriod"] = json::parse(R"([{"startPeriod": 60, "limit": 1.0}])");
    EXPECT_FALSE(composite_limit_at(v201, late_start, kProfileStart + 59'999));
    // What a 2.0.1 station answers validates against the schema the reader assumes.
    ocpp::SchemaSet set(evtwin::test::data_file("ocpp/schemas"), "2.0.1");
    ocpp::PayloadCheck out;
    std::string note;
    ASSERT_TRUE(set.check_payload("GetCompositeSchedule", ocpp::MessageType::call_result, r, out, note));
    EXPECT_TRUE(out.valid) << out.path << ": " << out.message;
}

TEST(OcppProfiles, KilowattsAndAmpsPerPhase) {
    EXPECT_NEAR(amps_per_phase(11.04, 230, 3), 16.0, 1e-9);
    EXPECT_NEAR(amps_per_phase(7.36, 230, 1), 32.0, 1e-9);
    EXPECT_NEAR(kw_from_amps(16, 230, 3), 11.04, 1e-9);
    EXPECT_NEAR(kw_from_amps(32, 230), 22.08, 1e-9);
    EXPECT_NEAR(kw_from_amps(amps_per_phase(5.5, 240, 2), 240, 2), 5.5, 1e-12);
    EXPECT_NEAR(amps_per_phase(2.3, 230, 0), 10.0, 1e-9);  // phases < 1 count as 1
}

}  // namespace
}  // namespace evtwin::serve
