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

PayloadCheck measurand_check(SchemaSet& set, const nlohmann::json& payload) {
    PayloadCheck out;
    std::string note;
    EXPECT_TRUE(set.check_payload("MeterValues", MessageType::call, payload, out, note)) << note;
    return out;
}

TEST(OcppSchemaStringEnum, AcceptsEveryMemberOfTheSchemaFileAndNothingElse) {
    const nlohmann::json file =
        nlohmann::json::parse(read_text_file(kSchemaRoot / "v201" / "MeterValuesRequest.json"));
    const nlohmann::json& members = file.at("definitions").at("MeasurandEnumType").at("enum");
    ASSERT_EQ(members.size(), 25u);
    SchemaSet set(kSchemaRoot, "2.0.1");
    for (const nlohmann::json& m : members) {
        const PayloadCheck out = measurand_check(set, meter_values(m));
        EXPECT_TRUE(out.valid) << m << ": " << out.path << " " << out.message;
    }
    for (const char* near_miss : {"Energy.Active.Import.Registe", "energy.active.import.register", "", "SoC "}) {
        const PayloadCheck out = measurand_check(set, meter_values(near_miss));
        EXPECT_FALSE(out.valid) << near_miss;
        EXPECT_EQ(out.kind, ViolationKind::enum_value) << near_miss;
        EXPECT_EQ(out.path, "$.meterValue[0].sampledValue[0].measurand");
        EXPECT_EQ(out.message, "Failed to match against any enum values.");
    }
}

TEST(OcppSchemaStringEnum, AValueOfAnotherTypeIsATypeError) {
    SchemaSet set(kSchemaRoot, "2.0.1");
    for (const nlohmann::json& other : {nlohmann::json(3), nlohmann::json::array({"SoC"}), nlohmann::json()}) {
        const PayloadCheck out = measurand_check(set, meter_values(other));
        EXPECT_FALSE(out.valid) << other;
        EXPECT_EQ(out.kind, ViolationKind::type) << other;
    }
}

}  // namespace
}  // namespace evtwin::ocpp
