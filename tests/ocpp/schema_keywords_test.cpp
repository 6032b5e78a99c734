#include "ocpp/schema_keywords.hpp"
#include "ocpp/schema_check.hpp"

#include "data/text_file.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin::ocpp {
namespace {

const std::filesystem::path kSchemaRoot = test::data_file("ocpp/schemas");

// 2.0.1 MeterValues with one sampled value of this measurand.
nlohmann::json meter_values(const nlohmann::json& measurand) {
    return {{"evseId", 1},
            {"meterValue",
             {{{"timestamp", "2024-01-01T10:00:00Z"},
               {"sampledValue", {{{"value", 1.0}, {"measurand", measurand}}}}}}}};
}

PayloadCheck meter_values_check(SchemaSet& set, const nlohmann::json& payload) {
    PayloadCheck out;
    std::string note;
    EXPECT_TRUE(set.check_payload("MeterValues", MessageType::call, payload, out, note)) << note;
    return out;
}

TEST(OcppSchemaKeywords, AStringEnumAcceptsEveryMemberOfTheSchemaFileAndNothingElse) {
    const nlohmann::json file =
        nlohmann::json::parse(read_text_file(kSchemaRoot / "v201" / "MeterValuesRequest.json"));
    const nlohmann::json& members = file.at("definitions").at("MeasurandEnumType").at("enum");
    ASSERT_EQ(members.size(), 25u);
    SchemaSet set(kSchemaRoot, "2.0.1");
    for (const nlohmann::json& m : members) {
        const PayloadCheck out = meter_values_check(set, meter_values(m));
        EXPECT_TRUE(out.valid) << m << ": " << out.path << " " << out.message;
    }
    for (const char* near_miss :
         {"Energy.Active.Import.Registe", "energy.active.import.register", "", "SoC "}) {
        const PayloadCheck out = meter_values_check(set, meter_values(near_miss));
        EXPECT_FALSE(out.valid) << near_miss;
        EXPECT_EQ(out.kind, ViolationKind::enum_value) << near_miss;
        EXPECT_EQ(out.path, "$.meterValue[0].sampledValue[0].measurand");
        EXPECT_EQ(out.message, "Failed to match against any enum values.");
    }
}

TEST(OcppSchemaKeywords, AValueOfAnotherTypeWhereAStringEnumIsExpectedIsATypeError) {
    SchemaSet set(kSchemaRoot, "2.0.1");
    for (const nlohmann::json& other :
         {nlohmann::json(3), nlohmann::json::array({"SoC"}), nlohmann::json()}) {
        const PayloadCheck out = meter_values_check(set, meter_values(other));
        EXPECT_FALSE(out.valid) << other;
        EXPECT_EQ(out.kind, ViolationKind::type) << other;
    }
}

TEST(OcppSchemaKeywords, DateTimesFollowRfc3339) {
    for (const char* valid :
         {"2024-01-01T10:00:00Z", "2024-01-01t10:00:00z", "2024-12-31T23:59:60Z", "2024-01-01T10:00:00.1Z",
          "2024-01-01T10:00:00.123456789Z", "2024-01-01T10:00:00+02:00", "2024-01-01T10:00:00.5-23:59"})
        EXPECT_TRUE(is_rfc3339_date_time(valid)) << valid;
    for (const char* invalid : {"",
                                "2024-01-01T10:00:00",
                                "2024-01-01 10:00:00Z",
                                "24-01-01T10:00:00Z",
                                "2024-13-01T10:00:00Z",
                                "2024-01-00T10:00:00Z",
                                "2024-01-32T10:00:00Z",
                                "2024-01-01T24:00:00Z",
                                "2024-01-01T10:60:00Z",
                                "2024-01-01T10:00:61Z",
                                "2024-01-01T10:00:00.Z",
                                "2024-01-01T10:00:00.1234567890Z",
                                "2024-01-01T10:00:00,5Z",
                                "2024-01-01T10:00:00+2:00",
                                "2024-01-01T10:00:00+24:00",
                                "2024-01-01T10:00:00+02:60",
                                "2024-01-01T10:00:00+0200",
                                "2024-01-01T10:00:00ZZ",
                                "2024-01-01T10:00:00.5",
                                "2024-01-01T10:00:00Z "})
        EXPECT_FALSE(is_rfc3339_date_time(invalid)) << invalid;
}

TEST(OcppSchemaKeywords, ADateTimeOfAnotherTypeIsATypeErrorAndABadOneNamesItsPath) {
    SchemaSet set(kSchemaRoot, "2.0.1");
    nlohmann::json payload = meter_values("SoC");
    payload["meterValue"][0]["timestamp"] = 20240101;
    PayloadCheck out = meter_values_check(set, payload);
    EXPECT_EQ(out.kind, ViolationKind::type);
    payload["meterValue"][0]["timestamp"] = "noon";
    out = meter_values_check(set, payload);
    EXPECT_EQ(out.kind, ViolationKind::date_time);
    EXPECT_EQ(out.path, "$.meterValue[0].timestamp");
    EXPECT_EQ(out.message, "String should be an RFC 3339 date-time.");
}

}  // namespace
}  // namespace evtwin::ocpp
