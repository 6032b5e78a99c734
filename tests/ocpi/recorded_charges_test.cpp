// A Session file as sessions the twin runs: ACTIVE and COMPLETED ones, by arrival, an ACTIVE one
// staying the assumed time, the others left out.
#include "ocpi/format/recorded_charges.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin::ocpi {
namespace {

std::string session(const std::string& id, const std::string& status, const std::string& start,
                    const std::string& end_field, double kwh) {
    return R"({"country_code": "BE", "party_id": "BEC", "id": ")" + id + R"(", "start_date_time": ")" +
           start + "\", " + end_field + R"("kwh": )" + std::to_string(kwh) +
           R"(, "cdr_token": {"country_code": "NL", "party_id": "TST", "uid": "tok-)" + id +
           R"(", "type": "APP_USER", "contract_id": "C1"},
      "auth_method": "COMMAND", "location_id": "LOC1", "evse_uid": "EVSE-)" +
           id + R"(", "connector_id": "1", "currency": "EUR",
      "charging_periods": [{"start_date_time": ")" +
           start + R"(", "dimensions": [{"type": "ENERGY", "volume": )" + std::to_string(kwh) +
           R"(}, {"type": "TIME", "volume": 2}]}],
      "status": ")" +
           status + R"(", "last_updated": ")" + start + R"("})";
}

TEST(OcpiRecordedCharges, ActiveAndCompletedSessionsByArrival) {
    const auto dir = test::temp_dir("ocpi-recorded-sessions");
    const auto file = test::write_file(
        dir / "sessions.json", "[" + session("A", "ACTIVE", "2024-07-01T12:00:00Z", "", 8) + "," +
                                   session("B", "COMPLETED", "2024-07-01T08:00:00Z",
                                           R"("end_date_time": "2024-07-01T11:00:00Z", )", 22) +
                                   "," + session("C", "PENDING", "2024-07-01T07:00:00Z", "", 0) + "]");
    OcpiImportOptions options;
    options.unknown_stay = Duration::hours(5);
    const auto charges = read_recorded_charges(file, options);
    ASSERT_EQ(charges.size(), 2u);
    EXPECT_EQ(charges[0].name, "Session 'B'");
    EXPECT_EQ(charges[0].session.id, 0u);
    EXPECT_EQ(charges[0].session.station, "EVSE-B");
    EXPECT_EQ(charges[0].session.vehicle_id, "ocpi-tok-B");
    EXPECT_EQ(charges[0].session.requested_kwh, 22);
    EXPECT_EQ(charges[0].charging_hours, 2);
    EXPECT_EQ(charges[0].session.vehicle.max_ac_kw, 11) << "22 kWh over 2 h of charging";
    EXPECT_EQ(charges[1].name, "Session 'A'");
    EXPECT_EQ(charges[1].session.departure - charges[1].session.arrival, Duration::hours(5));
    EXPECT_FALSE(charges[1].tariff);
}

}  // namespace
}  // namespace evtwin::ocpi
