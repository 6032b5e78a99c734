#include "jsonl_log.hpp"
#include "ocpp/import.hpp"

#include <gtest/gtest.h>

namespace evtwin::ocpp {
namespace {

using test::jsonl;
using test::rec;

TEST(OcppUnits, NormalisedToKiloUnits) {
    std::string unit = "Wh";
    double v = 2500;
    normalise_unit(unit, v);
    EXPECT_EQ(unit, "kWh");
    EXPECT_DOUBLE_EQ(v, 2.5);
    unit = "";  // OCPP's default unit is Wh
    v = 1000;
    normalise_unit(unit, v);
    EXPECT_EQ(unit, "kWh");
    EXPECT_DOUBLE_EQ(v, 1.0);
    unit = "W";  // 2.0.1 unitOfMeasure {unit W, multiplier 3} is kW
    v = 7.4;
    normalise_unit(unit, v, 3);
    EXPECT_EQ(unit, "kW");
    EXPECT_DOUBLE_EQ(v, 7.4);
    unit = "A";
    v = 16;
    normalise_unit(unit, v);
    EXPECT_EQ(unit, "A");
    EXPECT_DOUBLE_EQ(v, 16);
}

// A sampled value is in range after its multiplier too: 2.0.1's {"multiplier": 300} makes any
// reading infinite.
TEST(OcppUnits, ASampledValueBeyondRangeAfterItsMultiplierIsRefused) {
    const auto decode = [](const char* text, MeterValue& v, std::string& error) {
        return decode_sampled_value(nlohmann::json::parse(text), v, error);
    };
    MeterValue v;
    std::string error;
    ASSERT_TRUE(decode(R"({"value": 7.5, "unitOfMeasure": {"unit": "Wh", "multiplier": 3}})", v, error));
    EXPECT_DOUBLE_EQ(v.value, 7.5);
    EXPECT_EQ(v.unit, "kWh");
    for (const char* huge : {R"({"value": 5e14, "unitOfMeasure": {"unit": "Wh", "multiplier": 9}})",
                             R"({"value": 1, "unitOfMeasure": {"unit": "Wh", "multiplier": 400}})"}) {
        EXPECT_FALSE(decode(huge, v, error)) << huge;
        EXPECT_NE(error.find("within +-1e15"), std::string::npos) << error;
    }
}

TEST(OcppReconstruct, Ocpp16TransactionWithCsmsAssignedId) {
    const Import im = jsonl(
        rec("2024-01-01T10:00:00Z", R"([2,"r1","RemoteStartTransaction",{"connectorId":2,"idTag":"T"}])") +
        rec("2024-01-01T10:00:01Z", R"([3,"r1",{"status":"Accepted"}])") +
        rec("2024-01-01T10:00:02Z",
            R"([2,"s1","StartTransaction",{"connectorId":2,"idTag":"T","meterStart":1000,"timestamp":"2024-01-01T10:00:02Z"}])") +
        rec("2024-01-01T10:00:03Z", R"([3,"s1",{"transactionId":77,"idTagInfo":{"status":"Accepted"}}])") +
        rec("2024-01-01T10:30:00Z",
            R"([2,"m1","MeterValues",{"connectorId":2,"transactionId":77,"meterValue":[{"timestamp":"2024-01-01T10:30:00Z","sampledValue":[{"value":"4.5"},{"value":"7.2","unit":"kW","measurand":"Power.Active.Import"},{"value":"55","unit":"Percent","measurand":"SoC"},{"value":"16.1","unit":"A","measurand":"Current.Import","phase":"L2"}]}]}])") +
        rec("2024-01-01T10:30:01Z", R"([3,"m1",{}])") +
        rec("2024-01-01T11:00:00Z",
            R"([2,"e1","StopTransaction",{"transactionId":77,"meterStop":8500,"timestamp":"2024-01-01T11:00:00Z"}])") +
        rec("2024-01-01T11:00:01Z", R"([3,"e1",{}])"));
    EXPECT_TRUE(im.log.problems.empty()) << im.log.problems[0].kind << " " << im.log.problems[0].message;
    EXPECT_EQ(im.site.matched_responses, 4u);
    // Directions inferred from the actions; responses go the other way.
    EXPECT_EQ(im.log.frames[0].dir, Direction::csms_to_cs);
    EXPECT_EQ(im.log.frames[1].dir, Direction::cs_to_csms);
    EXPECT_EQ(im.log.frames[2].dir, Direction::cs_to_csms);
    EXPECT_EQ(im.log.frames[3].dir, Direction::csms_to_cs);
    EXPECT_EQ(im.log.frames[3].action, "StartTransaction");
    ASSERT_EQ(im.site.transactions.size(), 1u);
    const Transaction& t = im.site.transactions[0];
    EXPECT_EQ(t.id, "77");
    EXPECT_EQ(t.connector, 2);
    EXPECT_EQ(t.id_tag, "T");
    EXPECT_EQ(*t.stop_ms - t.start_ms, 3598000);
    EXPECT_DOUBLE_EQ(*t.energy_kwh, 7.5);  // (8500 - 1000) Wh
    EXPECT_EQ(t.stop_reason, "Local");
    ASSERT_EQ(im.site.meter_values.size(), 4u);
    EXPECT_EQ(im.site.meter_values[0].measurand, "Energy.Active.Import.Register");  // the 1.6 default
    EXPECT_EQ(im.site.meter_values[0].unit, "kWh");
    EXPECT_DOUBLE_EQ(im.site.meter_values[0].value, 0.0045);
    EXPECT_EQ(im.site.meter_values[1].unit, "kW");
    EXPECT_DOUBLE_EQ(im.site.meter_values[1].value, 7.2);
    EXPECT_EQ(im.site.meter_values[2].measurand, "SoC");
    EXPECT_DOUBLE_EQ(im.site.meter_values[2].value, 55);
    EXPECT_EQ(im.site.meter_values[3].phase, "L2");
    EXPECT_EQ(im.site.meter_values[3].transaction_id, "77");
}

TEST(OcppReconstruct, Ocpp201TransactionEventsWithMultiplier) {
    const std::string mv =
        R"("meterValue":[{"timestamp":"%T","sampledValue":[{"value":%V,"measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"Wh","multiplier":3}}]}])";
    auto with = [&](std::string ts, std::string v) {
        std::string s = mv;
        s.replace(s.find("%T"), 2, ts);
        s.replace(s.find("%V"), 2, v);
        return s;
    };
    const Import im = jsonl(
        rec("2024-01-01T10:00:00Z",
            R"([2,"a","TransactionEvent",{"eventType":"Started","timestamp":"2024-01-01T10:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"tx-9"},"idToken":{"idToken":"ID","type":"ISO14443"},"evse":{"id":3,"connectorId":1},)" +
                with("2024-01-01T10:00:00Z", "12.5") + "}]") +
        rec("2024-01-01T10:00:01Z", R"([3,"a",{}])") +
        rec("2024-01-01T10:15:00Z",
            R"([2,"b","TransactionEvent",{"eventType":"Updated","timestamp":"2024-01-01T10:15:00Z","triggerReason":"MeterValuePeriodic","seqNo":1,"transactionInfo":{"transactionId":"tx-9"},)" +
                with("2024-01-01T10:15:00Z", "14") + "}]") +
        rec("2024-01-01T10:15:01Z", R"([3,"b",{}])") +
        rec("2024-01-01T10:30:00Z",
            R"([2,"c","TransactionEvent",{"eventType":"Ended","timestamp":"2024-01-01T10:30:00Z","triggerReason":"EVDeparted","seqNo":2,"transactionInfo":{"transactionId":"tx-9","stoppedReason":"EVDisconnected"},)" +
                with("2024-01-01T10:30:00Z", "15.25") + "}]") +
        rec("2024-01-01T10:30:01Z", R"([3,"c",{}])") +
        rec("2024-01-01T10:31:00Z",
            R"([2,"d","StatusNotification",{"timestamp":"2024-01-01T10:31:00Z","connectorStatus":"Faulted","evseId":3,"connectorId":1}])"));
    ASSERT_EQ(im.site.transactions.size(), 1u);
    const Transaction& t = im.site.transactions[0];
    EXPECT_EQ(t.id, "tx-9");
    EXPECT_EQ(t.connector, 3);
    EXPECT_EQ(t.id_tag, "ID");
    EXPECT_DOUBLE_EQ(*t.meter_start_wh, 12500);
    EXPECT_DOUBLE_EQ(*t.meter_stop_wh, 15250);
    EXPECT_DOUBLE_EQ(*t.energy_kwh, 2.75);
    EXPECT_EQ(t.stop_reason, "EVDisconnected");
    EXPECT_EQ(*t.stop_ms - t.start_ms, 1800000);
    ASSERT_EQ(im.site.status_changes.size(), 1u);
    EXPECT_TRUE(im.site.status_changes[0].fault);
    EXPECT_EQ(im.site.faults, 1u);
    ASSERT_EQ(im.log.problems.size(), 1u);  // the StatusNotification is never answered
    EXPECT_EQ(im.log.problems[0].kind, "unanswered_call");
    EXPECT_EQ(im.log.problems[0].line, 7u);
}

// A 2.0.1 TransactionEvent of transaction "tx", its own time `at`, an energy register of `kwh`.
std::string tx_event(const std::string& id, const std::string& type, const std::string& at, double kwh,
                     int seq, bool offline = false, const std::string& evse = R"({"id":2})") {
    return R"([2,")" + id + R"(","TransactionEvent",{"eventType":")" + type + R"(","timestamp":")" + at +
           R"(","triggerReason":"MeterValuePeriodic","seqNo":)" + std::to_string(seq) +
           (offline ? R"(,"offline":true)" : "") + R"(,"transactionInfo":{"transactionId":"tx"},"evse":)" +
           evse + R"(,"meterValue":[{"timestamp":")" + at + R"(","sampledValue":[{"value":)" +
           std::to_string(kwh * 1000) + R"(,"measurand":"Energy.Active.Import.Register"}]}]}])";
}

TEST(OcppReconstruct, Ocpp201EvseOnlyIdsAndMeterValuesInUpdatedEvents) {
    // The EVSE without a connector id; energy only in Updated events' meter values.
    const Import im =
        jsonl(rec("2024-01-01T10:00:00Z", tx_event("a", "Started", "2024-01-01T10:00:00Z", 10, 0)) +
              rec("2024-01-01T10:00:01Z", R"([3,"a",{}])") +
              rec("2024-01-01T10:15:00Z", tx_event("b", "Updated", "2024-01-01T10:15:00Z", 12, 1)) +
              rec("2024-01-01T10:15:01Z", R"([3,"b",{}])") +
              rec("2024-01-01T10:30:00Z", tx_event("c", "Ended", "2024-01-01T10:30:00Z", 13.5, 2)) +
              rec("2024-01-01T10:30:01Z", R"([3,"c",{}])"));
    ASSERT_EQ(im.site.transactions.size(), 1u);
    const Transaction& t = im.site.transactions[0];
    EXPECT_EQ(t.connector, 2);
    EXPECT_DOUBLE_EQ(*t.energy_kwh, 3.5);
    EXPECT_EQ(im.site.meter_values.size(), 3u);
    EXPECT_TRUE(im.log.problems.empty());
}

TEST(OcppReconstruct, Ocpp201TransactionWithoutEndedKeepsItsEnergySoFar) {
    const Import im =
        jsonl(rec("2024-01-01T10:00:00Z", tx_event("a", "Started", "2024-01-01T10:00:00Z", 10, 0)) +
              rec("2024-01-01T10:00:01Z", R"([3,"a",{}])") +
              rec("2024-01-01T10:15:00Z", tx_event("b", "Updated", "2024-01-01T10:15:00Z", 11.25, 1)) +
              rec("2024-01-01T10:15:01Z", R"([3,"b",{}])"));
    ASSERT_EQ(im.site.transactions.size(), 1u);
    const Transaction& t = im.site.transactions[0];
    EXPECT_FALSE(t.stop_ms);
    EXPECT_DOUBLE_EQ(*t.energy_kwh, 1.25);
    ASSERT_EQ(im.log.problems.size(), 1u);
    EXPECT_EQ(im.log.problems[0].kind, "transaction_without_stop");
    EXPECT_EQ(im.log.problems[0].line, 1u);
}

TEST(OcppReconstruct, Ocpp201EventsQueuedOfflineArriveOutOfOrder) {
    // Offline from 10:05: the station sends its queue at 10:40, after the Ended event it sent on
    // reconnecting; the Started event itself comes last.
    const Import im =
        jsonl(rec("2024-01-01T10:40:00Z", tx_event("e", "Ended", "2024-01-01T10:40:00Z", 14, 3)) +
              rec("2024-01-01T10:40:01Z", R"([3,"e",{}])") +
              rec("2024-01-01T10:40:02Z", tx_event("u2", "Updated", "2024-01-01T10:30:00Z", 13, 2, true)) +
              rec("2024-01-01T10:40:03Z", R"([3,"u2",{}])") +
              rec("2024-01-01T10:40:04Z", tx_event("u1", "Updated", "2024-01-01T10:15:00Z", 11, 1, true)) +
              rec("2024-01-01T10:40:05Z", R"([3,"u1",{}])") +
              rec("2024-01-01T10:40:06Z", tx_event("s", "Started", "2024-01-01T10:00:00Z", 10, 0, true)) +
              rec("2024-01-01T10:40:07Z", R"([3,"s",{}])"));
    ASSERT_EQ(im.site.transactions.size(), 1u);
    const Transaction& t = im.site.transactions[0];
    EXPECT_EQ(t.start_ms, 1704103200000);  // 10:00, the Started event's own time
    EXPECT_EQ(*t.stop_ms - t.start_ms, 40 * 60'000);
    EXPECT_DOUBLE_EQ(*t.meter_start_wh, 10000);
    EXPECT_DOUBLE_EQ(*t.meter_stop_wh, 14000);
    EXPECT_DOUBLE_EQ(*t.energy_kwh, 4.0);
    EXPECT_EQ(im.site.meter_values.size(), 4u);
    EXPECT_TRUE(im.log.problems.empty()) << im.log.problems.front().kind;
}

// A bidirectional station's TransactionEvent: import and export registers of `import_kwh` and
// `export_kwh` at its own time `at`.
std::string v2g_event(const std::string& id, const std::string& type, const std::string& at,
                      double import_kwh, double export_kwh, int seq) {
    return R"([2,")" + id + R"(","TransactionEvent",{"eventType":")" + type + R"(","timestamp":")" + at +
           R"(","triggerReason":"MeterValuePeriodic","seqNo":)" + std::to_string(seq) +
           R"(,"transactionInfo":{"transactionId":"v2g"},"evse":{"id":1},"meterValue":[{"timestamp":")" + at +
           R"(","sampledValue":[{"value":)" + std::to_string(import_kwh * 1000) +
           R"(,"measurand":"Energy.Active.Import.Register"},{"value":)" + std::to_string(export_kwh * 1000) +
           R"(,"measurand":"Energy.Active.Export.Register"}]}]}])";
}

TEST(OcppReconstruct, AV2gTransactionCountsWhatItsMeterExported) {
    // 1.5 kWh in, 1.7 kWh out: the vehicle gave 0.2 kWh more than it took.
    const Import im =
        jsonl(rec("2024-01-01T10:00:00Z", v2g_event("a", "Started", "2024-01-01T10:00:00Z", 1.0, 0.0, 0)) +
              rec("2024-01-01T10:00:01Z", R"([3,"a",{}])") +
              rec("2024-01-01T10:15:00Z", v2g_event("b", "Updated", "2024-01-01T10:15:00Z", 2.0, 0.5, 1)) +
              rec("2024-01-01T10:15:01Z", R"([3,"b",{}])") +
              rec("2024-01-01T10:30:00Z", v2g_event("c", "Ended", "2024-01-01T10:30:00Z", 2.5, 1.7, 2)) +
              rec("2024-01-01T10:30:01Z", R"([3,"c",{}])"));
    ASSERT_EQ(im.site.transactions.size(), 1u);
    const Transaction& t = im.site.transactions[0];
    EXPECT_DOUBLE_EQ(*t.energy_kwh, 1.5);
    EXPECT_DOUBLE_EQ(*t.export_start_wh, 0.0);
    EXPECT_DOUBLE_EQ(*t.export_stop_wh, 1700.0);
    EXPECT_DOUBLE_EQ(*t.exported_kwh, 1.7);
    EXPECT_TRUE(im.log.problems.empty()) << im.log.problems.front().kind;

    // Without an export register, nothing is exported; one that goes down is a problem.
    EXPECT_FALSE(jsonl(rec("2024-01-01T10:00:00Z", tx_event("a", "Started", "2024-01-01T10:00:00Z", 1, 0)) +
                       rec("2024-01-01T10:00:01Z", R"([3,"a",{}])"))
                     .site.transactions[0]
                     .exported_kwh);
    const Import down =
        jsonl(rec("2024-01-01T10:00:00Z", v2g_event("a", "Started", "2024-01-01T10:00:00Z", 1.0, 0.9, 0)) +
              rec("2024-01-01T10:00:01Z", R"([3,"a",{}])") +
              rec("2024-01-01T10:30:00Z", v2g_event("c", "Ended", "2024-01-01T10:30:00Z", 2.5, 0.4, 1)) +
              rec("2024-01-01T10:30:01Z", R"([3,"c",{}])"));
    EXPECT_FALSE(down.site.transactions[0].exported_kwh);
    ASSERT_EQ(down.log.problems.size(), 1u);
    EXPECT_EQ(down.log.problems[0].kind, "meter_decreased");
}

TEST(OcppReconstruct, ProtocolProblemsNameTheirLine) {
    const Import im = jsonl(
        rec("2024-01-01T10:00:00Z", R"([2,"h1","Heartbeat",{}])") +                          // 1
        rec("2024-01-01T10:00:01Z", R"([3,"h1",{"currentTime":"2024-01-01T10:00:01Z"}])") +  // 2
        rec("2024-01-01T09:59:00Z", R"([2,"h2","Heartbeat",{}])") +                          // 3 back in time
        rec("2024-01-01T10:00:02Z", R"([3,"h2",{}])") +                                      // 4
        rec("2024-01-01T10:00:03Z", R"([2,"h1","Heartbeat",{}])") +                          // 5 duplicate id
        rec("2024-01-01T10:00:04Z", R"([3,"h1",{}])") +                                      // 6
        rec("2024-01-01T10:00:05Z", R"([3,"zz",{}])") +                                      // 7 no CALL
        rec("2024-01-01T10:00:06Z",
            R"([2,"s","StartTransaction",{"connectorId":1,"idTag":"X","meterStart":5,"timestamp":"2024-01-01T10:00:06Z"}])") +  // 8
        rec("2024-01-01T10:00:07Z",
            R"([3,"s",{"transactionId":5,"idTagInfo":{"status":"Accepted"}}])") +  // 9
        rec("2024-01-01T10:00:08Z",
            R"([2,"p","StopTransaction",{"transactionId":6,"meterStop":9,"timestamp":"2024-01-01T10:00:08Z"}])") +  // 10 not open
        rec("2024-01-01T10:00:09Z", R"([3,"p",{}])") +                      // 11
        rec("2024-01-01T10:00:10Z", R"([4,"q","NotImplemented","",{}])"));  // 12 no CALL
    const std::vector<std::pair<std::size_t, std::string>> expected = {
        {3, "timestamp_out_of_order"},   {5, "duplicate_message_id"}, {7, "response_without_call"},
        {8, "transaction_without_stop"}, {10, "stop_without_start"},  {12, "response_without_call"}};
    ASSERT_EQ(im.log.problems.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(im.log.problems[i].line, expected[i].first) << i;
        EXPECT_EQ(im.log.problems[i].kind, expected[i].second) << i;
    }
    ASSERT_EQ(im.site.transactions.size(), 1u);
    EXPECT_FALSE(im.site.transactions[0].stop_ms);
    EXPECT_FALSE(im.site.transactions[0].energy_kwh);
}

// Meter readings no meter gives, and a register that went down: problems, and no energy (the
// replay leaves such a transaction out and says why).
TEST(OcppReconstruct, MeterReadingsOutOfRangeOrGoingDownAreProblemsWithoutEnergy) {
    const auto session = [](const std::string& start, const std::string& sampled, const std::string& stop) {
        return jsonl(
            rec("2024-01-01T10:00:02Z",
                R"([2,"s1","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":)" + start +
                    R"(,"timestamp":"2024-01-01T10:00:02Z"}])") +  // 1
            rec("2024-01-01T10:00:03Z",
                R"([3,"s1",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}])") +  // 2
            rec("2024-01-01T10:30:00Z",
                R"([2,"m1","MeterValues",{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2024-01-01T10:30:00Z","sampledValue":[{"value":")" +
                    sampled + R"("}]}]}])") +                // 3
            rec("2024-01-01T10:30:01Z", R"([3,"m1",{}])") +  // 4
            rec("2024-01-01T11:00:00Z", R"([2,"e1","StopTransaction",{"transactionId":7,"meterStop":)" +
                                            stop + R"(,"timestamp":"2024-01-01T11:00:00Z"}])") +  // 5
            rec("2024-01-01T11:00:01Z", R"([3,"e1",{}])"));
    };
    const auto kinds = [](const Import& im) {
        std::vector<std::pair<std::size_t, std::string>> found;
        for (const auto& p : im.log.problems) found.emplace_back(p.line, p.kind);
        return found;
    };
    using Found = std::vector<std::pair<std::size_t, std::string>>;

    const Import fine = session("1000", "4500", "8500");
    EXPECT_EQ(kinds(fine), Found{});
    EXPECT_DOUBLE_EQ(*fine.site.transactions.at(0).energy_kwh, 7.5);

    const Import huge_start = session("1e308", "4500", "8500");
    EXPECT_EQ(kinds(huge_start), (Found{{1, "bad_meter_value"}}));
    EXPECT_EQ(huge_start.log.problems[0].message, "expected meterStart in Wh from 0 to 1e15, got 1e+308");
    EXPECT_FALSE(huge_start.site.transactions.at(0).energy_kwh);

    const Import negative_stop = session("1000", "4500", "-3");
    EXPECT_EQ(kinds(negative_stop), (Found{{5, "bad_meter_value"}}));
    EXPECT_FALSE(negative_stop.site.transactions.at(0).energy_kwh);

    const Import huge_sample = session("1000", "1e308", "8500");
    EXPECT_EQ(kinds(huge_sample), (Found{{3, "bad_meter_value"}}));
    EXPECT_TRUE(huge_sample.site.meter_values.empty());
    EXPECT_DOUBLE_EQ(*huge_sample.site.transactions.at(0).energy_kwh, 7.5);

    const Import down = session("8500", "4500", "1000");
    EXPECT_EQ(kinds(down), (Found{{1, "meter_decreased"}}));
    EXPECT_EQ(down.log.problems[0].message,
              "transaction 7 on CP1: the meter went from 8500 Wh down to 1000 Wh");
    EXPECT_FALSE(down.site.transactions.at(0).energy_kwh);
}

}  // namespace
}  // namespace evtwin::ocpp
