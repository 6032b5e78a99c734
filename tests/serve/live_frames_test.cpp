// The live central system answering OCPP-J frames as a charge point sends them over its WebSocket:
// a LiveService on a stepped clock behind a real HttpServer, and a raw client (test::WsClient).
#include "live_station.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace evtwin::serve {
namespace {

using live_test::AnsweringStation;
using live_test::boot_notification;
using live_test::call;
using live_test::energy;
using live_test::LiveSite;
using live_test::started_on_evse_1;
using nlohmann::json;

// A decision that lowers a transaction's limit and raises the station maximum: the composite
// schedule is asked once the raised maximum is in force, so the charger reports the limit it was
// given (asked before, it reported the old maximum, and a false "composite schedule 0 kW, not the
// 11 kW accepted" was recorded).
TEST(LiveFrames, ACompositeScheduleIsAskedOnceEveryProfileOfTheDecisionIsInForce) {
    LiveSite site;
    auto client = site.connect("CP-A");
    ASSERT_TRUE(client);
    const Time now = site.now();
    {
        AnsweringStation station(*client, 0);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        site.step_to(now);  // no vehicle: a station maximum of 0
        ASSERT_EQ(station.call("2", "TransactionEvent", started_on_evse_1(now))[0], 3);
        site.step_to(now);  // the vehicle's 11 kW, the maximum raised to it
        const std::vector<std::string> calls = station.calls();
        const auto composite = std::find(calls.begin(), calls.end(), "GetCompositeSchedule 1");
        ASSERT_NE(composite, calls.end()) << testing::PrintToString(calls);
        EXPECT_EQ(std::count(composite, calls.end(), "SetChargingProfile ChargingStationMaxProfile 0"), 0)
            << testing::PrintToString(calls);
        EXPECT_EQ(std::count(calls.begin(), composite, "SetChargingProfile ChargingStationMaxProfile 0"), 2)
            << testing::PrintToString(calls);
        client->close();
    }
    site.stop();
    for (const std::string& note : site.notes())
        EXPECT_EQ(note.find("composite schedule"), std::string::npos) << note;
}

// A TxProfile refused once (the station had not registered the transaction yet) is sent again as
// it was: the connector keeps its unit and its TxProfiles (it went over to the other unit, then to
// TxDefaultProfile, for the rest of the connection).
TEST(LiveFrames, ATxProfileRefusedOnceIsSentAgainAsItWas) {
    LiveSite site;
    auto client = site.connect("CP-A");
    ASSERT_TRUE(client);
    const Time now = site.now();
    {
        AnsweringStation station(*client, 1);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        ASSERT_EQ(station.call("2", "TransactionEvent", started_on_evse_1(now))[0], 3);
        site.step_to(now);
        const std::vector<std::string> calls = station.calls();
        EXPECT_EQ(std::count(calls.begin(), calls.end(), "SetChargingProfile TxProfile 1"), 2)
            << testing::PrintToString(calls);
        EXPECT_EQ(std::count(calls.begin(), calls.end(), "SetChargingProfile TxDefaultProfile 1"), 0)
            << testing::PrintToString(calls);
        client->close();
    }
    site.stop();
    for (const std::string& note : site.notes()) {
        EXPECT_EQ(note.find("refused"), std::string::npos) << note;
        EXPECT_EQ(note.find("composite schedule"), std::string::npos) << note;
    }
}

// A transaction that began and ended while its charging station was offline reaches the central
// system as one queued TransactionEvent Ended, its first: the session is recorded with the energy
// its meter values give.
TEST(LiveFrames, ATransactionFirstSeenInItsEndedEventIsRecordedWithItsEnergy) {
    LiveSite site;
    auto client = site.connect("CP-B");
    ASSERT_TRUE(client);
    const std::string at = format_utc(site.now());
    const json boot = call(*client, "1", "BootNotification", boot_notification());
    ASSERT_EQ(boot[0], 3) << boot.dump();
    const json ended = call(
        *client, "2", "TransactionEvent",
        {{"eventType", "Ended"},
         {"timestamp", at},
         {"triggerReason", "EVDeparted"},
         {"seqNo", 2},
         {"offline", true},
         {"transactionInfo", {{"transactionId", "OFFLINE-7"}, {"stoppedReason", "EVDisconnected"}}},
         {"idToken", {{"idToken", "CARD-9"}, {"type", "ISO14443"}}},
         {"evse", {{"id", 1}, {"connectorId", 1}}},
         {"meterValue",
          json::array({energy(120'000, "Transaction.Begin", at), energy(126'500, "Transaction.End", at)})}});
    ASSERT_EQ(ended[0], 3) << ended.dump();
    client->close();
    site.stop();

    sqlite::Db results(site.db(), sqlite::Db::Mode::read_only);
    sqlite::Stmt s(results, "SELECT delivered_kwh FROM sessions");
    ASSERT_TRUE(s.step()) << "no session recorded";
    EXPECT_NEAR(s.real(0), 6.5, 1e-9);
    EXPECT_FALSE(s.step()) << "one session only";
    // The run's frames, as an import, count the transaction and its metered energy.
    sqlite::Stmt import(results, "SELECT transactions, energy_kwh FROM ocpp_imports");
    ASSERT_TRUE(import.step());
    EXPECT_EQ(import.int64(0), 1);
    EXPECT_NEAR(import.real(1), 6.5, 1e-9);
}

// ISO 15118 has the vehicle declare its needs before the power path closes, so NotifyEVChargingNeeds
// may come before TransactionEvent Started: they are held for the EVSE and become the transaction's.
TEST(LiveFrames, ChargingNeedsDeclaredBeforeTheTransactionStartsBecomeItsNeeds) {
    LiveSite site;
    auto client = site.connect("CP-B");
    ASSERT_TRUE(client);
    const Time now = site.now();
    ASSERT_EQ(call(*client, "1", "BootNotification", boot_notification())[0], 3);
    const json needs = call(
        *client, "2", "NotifyEVChargingNeeds",
        {{"evseId", 1},
         {"chargingNeeds",
          {{"requestedEnergyTransfer", "AC_three_phase"},
           {"departureTime", format_utc(now + Duration::hours(3))},
           {"acChargingParameters",
            {{"energyAmount", 22'000}, {"evMinCurrent", 0}, {"evMaxCurrent", 16}, {"evMaxVoltage", 400}}}}}});
    ASSERT_EQ(needs[0], 3) << needs.dump();
    const json started = call(*client, "3", "TransactionEvent", started_on_evse_1(now));
    ASSERT_EQ(started[0], 3) << started.dump();
    const json sessions = site.state()["sessions"];
    ASSERT_EQ(sessions.size(), 1u) << sessions.dump();
    EXPECT_EQ(sessions[0]["departure"], format_utc(now + Duration::hours(3)));
    EXPECT_NEAR(sessions[0]["requested_kwh"].get<double>(), 22.0, 1e-9);
    client->close();
}

}  // namespace
}  // namespace evtwin::serve
