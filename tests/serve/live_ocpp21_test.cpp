// OCPP 2.1 charging stations at the live central system: the `ocpp2.1` subprotocol, every frame
// checked against 2.1's own schemas, and the 2.0.1 messages both versions share served to 2.1.
#include "live_station.hpp"

#include "ocpp/schema_check.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace evtwin::serve {
namespace {

using live_test::AnsweringStation;
using live_test::boot_notification;
using live_test::call;
using live_test::energy;
using live_test::LiveSite;
using live_test::started_on_evse_1;
using nlohmann::json;

// Each CALL the central system sent, against the 2.1 request schema of its action: "" when all are
// valid, else the first that is not and why.
std::string first_invalid_v21_call(const std::vector<json>& calls) {
    ocpp::SchemaSet schemas(evtwin::test::data_file("ocpp/schemas"), "2.1");
    for (const json& frame : calls) {
        ocpp::PayloadCheck check;
        std::string note;
        if (!schemas.check_payload(frame[2].get<std::string>(), ocpp::MessageType::call, frame[3], check,
                                   note))
            return frame.dump() + ": no 2.1 schema " + note;
        if (!check.valid) return frame.dump() + ": " + check.path + ": " + check.message;
    }
    return "";
}

TEST(LiveOcpp21, AStationBootsOverOcpp21AndGetsProfilesValidIn21) {
    LiveSite site;
    test::WsHandshakeReply reply;
    test::WsClientOptions options;
    options.subprotocols = {"ocpp2.1", "ocpp2.0.1"};
    auto client = test::WsClient::connect(site.port(), "/ocpp/CP-A", options, &reply);
    ASSERT_TRUE(client);
    EXPECT_EQ(reply.headers["sec-websocket-protocol"], "ocpp2.1");
    const Time now = site.now();
    {
        AnsweringStation station(*client, 0);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        ASSERT_EQ(station.call("2", "TransactionEvent", started_on_evse_1(now))[0], 3);
        site.step_to(now);
        const std::vector<json> received = station.received();
        const std::vector<std::string> calls = station.calls();
        EXPECT_NE(std::find(calls.begin(), calls.end(), "SetChargingProfile TxProfile 1"), calls.end())
            << testing::PrintToString(calls);
        EXPECT_EQ(first_invalid_v21_call(received), "");
        client->close();
    }
    const json sessions = site.state()["sessions"];
    EXPECT_EQ(sessions.size(), 1u) << sessions.dump();
    site.stop();
    // The frame log names the station's version on each of its lines, for the importer.
    std::ifstream log(site.db().string() + ".ocpp.jsonl");
    std::size_t lines = 0;
    for (std::string text; std::getline(log, text); ++lines)
        EXPECT_EQ(json::parse(text).value("ocpp", ""), "2.1") << text;
    EXPECT_GT(lines, 3u);
}

// A field only 2.1 has is valid from a 2.1 station and refused from a 2.0.1 one; a 2.1 frame that
// breaks its schema gets 2.1's CALLERROR and changes nothing.
TEST(LiveOcpp21, FramesAreCheckedAgainstTheStationsOwnVersion) {
    LiveSite site;
    const Time now = site.now();
    json needs = {
        {"evseId", 1},
        {"timestamp", format_utc(now)},
        {"chargingNeeds",
         {{"requestedEnergyTransfer", "AC_three_phase"},
          {"departureTime", format_utc(now + Duration::hours(3))},
          {"acChargingParameters",
           {{"energyAmount", 22'000}, {"evMinCurrent", 0}, {"evMaxCurrent", 16}, {"evMaxVoltage", 400}}}}}};
    auto v21 = site.connect("CP-A", "ocpp2.1");
    auto v201 = site.connect("CP-B", "ocpp2.0.1");
    ASSERT_TRUE(v21 && v201);
    ASSERT_EQ(call(*v21, "1", "BootNotification", boot_notification())[0], 3);
    ASSERT_EQ(call(*v201, "1", "BootNotification", boot_notification())[0], 3);
    const json accepted = call(*v21, "2", "NotifyEVChargingNeeds", needs);
    EXPECT_EQ(accepted[0], 3) << accepted.dump();
    const json refused = call(*v201, "2", "NotifyEVChargingNeeds", needs);
    ASSERT_EQ(refused[0], 4) << refused.dump();
    EXPECT_EQ(refused[2], "FormatViolation") << refused.dump();

    needs["chargingNeeds"]["v2xChargingParameters"] = {{"targetSoC", "80"}};
    const json wrong_type = call(*v21, "3", "NotifyEVChargingNeeds", needs);
    ASSERT_EQ(wrong_type[0], 4) << wrong_type.dump();
    EXPECT_EQ(wrong_type[2], "TypeConstraintViolation") << wrong_type.dump();
    const json missing = call(*v21, "4", "NotifyEVChargingNeeds", {{"evseId", 1}});
    ASSERT_EQ(missing[0], 4) << missing.dump();
    EXPECT_EQ(missing[2], "OccurrenceConstraintViolation") << missing.dump();
    const json not_an_object = call(*v21, "5", "Heartbeat", json::array());
    ASSERT_EQ(not_an_object[0], 4) << not_an_object.dump();
    EXPECT_EQ(not_an_object[2], "FormatViolation") << not_an_object.dump();
    EXPECT_TRUE(site.state()["sessions"].empty());
    v21->close();
    v201->close();
}

// The live suites' site with bidirectional chargers: CP1..CP4 (CP-A, CP-B) may discharge.
std::string v2g_site() {
    std::string site = live_test::kSite;
    const std::string plain = "max_kw = 11, efficiency = 1.0 }";
    site.replace(site.find(plain), plain.size(), "max_kw = 11, efficiency = 1.0, v2g = true }");
    return site;
}

json bidirectional_needs(Time now, double max_discharge_w) {
    return {{"evseId", 1},
            {"chargingNeeds",
             {{"requestedEnergyTransfer", "AC_BPT"},
              {"availableEnergyTransfer", json::array({"AC_three_phase", "AC_BPT"})},
              {"controlMode", "ScheduledControl"},
              {"departureTime", format_utc(now + Duration::hours(5))},
              {"v2xChargingParameters",
               {{"evTargetEnergyRequest", 18'000},
                {"evMinEnergyRequest", -9'000},
                {"evMaxEnergyRequest", 30'000},
                {"maxChargePower", 11'000},
                {"maxDischargePower", max_discharge_w},
                {"targetSoC", 80}}}}}};
}

// ISO 15118-20 bidirectional needs (2.1's V2X parameters) become the session's: its departure and
// energy, and in a bidirectional mode its V2G permission and discharge rating in the Observation.
TEST(LiveOcpp21, BidirectionalNeedsGiveTheSessionItsV2gPermissionAndRating) {
    LiveSite site(v2g_site());
    auto client = site.connect("CP-A", "ocpp2.1");
    ASSERT_TRUE(client);
    const Time now = site.now();
    {
        AnsweringStation station(*client, 0);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        const json needs = station.call("2", "NotifyEVChargingNeeds", bidirectional_needs(now, 7'000));
        ASSERT_EQ(needs[0], 3) << needs.dump();
        ASSERT_EQ(station.call("3", "TransactionEvent", started_on_evse_1(now))[0], 3);
        const json sessions = site.state()["sessions"];
        ASSERT_EQ(sessions.size(), 1u) << sessions.dump();
        EXPECT_EQ(sessions[0]["departure"], format_utc(now + Duration::hours(5)));
        EXPECT_NEAR(sessions[0]["requested_kwh"].get<double>(), 18.0, 1e-9);
        site.step_to(now);
        client->close();
    }
    const std::vector<json> decisions = site.decisions();
    ASSERT_FALSE(decisions.empty());
    const json& seen = decisions.back()["observation"]["sessions"];
    ASSERT_EQ(seen.size(), 1u) << seen.dump();
    EXPECT_EQ(seen[0]["v2g_allowed"], true) << seen[0].dump();
    EXPECT_NEAR(seen[0]["rated_discharge_kw"].get<double>(), 7.0, 1e-9) << seen[0].dump();
    // evMinEnergyRequest -9 kWh: its SoC floor is 9 kWh below its SoC when it declared it.
    EXPECT_NEAR(seen[0]["min_soc"].get<double>(),
                seen[0]["soc"].get<double>() - 9.0 / seen[0]["capacity_kwh"].get<double>(), 1e-9)
        << seen[0].dump();
}

// A vehicle that asks for charging only (no bidirectional mode) is not discharged, whatever its
// V2X parameters say.
TEST(LiveOcpp21, NeedsWithoutABidirectionalModeAllowNoV2g) {
    LiveSite site(v2g_site());
    auto client = site.connect("CP-A", "ocpp2.1");
    ASSERT_TRUE(client);
    const Time now = site.now();
    {
        AnsweringStation station(*client, 0);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        json needs = bidirectional_needs(now, 7'000);
        needs["chargingNeeds"]["requestedEnergyTransfer"] = "AC_three_phase";
        ASSERT_EQ(station.call("2", "NotifyEVChargingNeeds", needs)[0], 3);
        ASSERT_EQ(station.call("3", "TransactionEvent", started_on_evse_1(now))[0], 3);
        site.step_to(now);
        client->close();
    }
    const std::vector<json> decisions = site.decisions();
    ASSERT_FALSE(decisions.empty());
    const json& seen = decisions.back()["observation"]["sessions"];
    ASSERT_EQ(seen.size(), 1u) << seen.dump();
    EXPECT_EQ(seen[0]["v2g_allowed"], false) << seen[0].dump();
}

// A site where discharging pays: energy at 0.60 EUR/kWh for the first two hours and 0.05 after,
// exported at the same price; drivers neither pay nor are paid, and the wear costs little. CP1 and
// CP2 (CP-A, OCPP 2.1) and CP3 (CP-B, OCPP 2.0.1) are bidirectional.
std::string discharge_pays_site() {
    const auto tariff = evtwin::test::temp_dir("live_v2g_tariff") / "tariff.json";
    std::ofstream(tariff) << R"({
  "format": "evtwin-tariff", "version": 1, "name": "dear now, cheap later", "currency": "EUR",
  "timezone": "UTC", "seasons": {"year": [[1, 12]]},
  "eras": [{"name": "all", "bands": {"all": {"all": [
    {"hours": "00-02", "band": "high"}, {"hours": "02-24", "band": "low"}]}}}],
  "prices": {"all": {"high": 0.60, "low": 0.05}}
})";
    return R"(
scenario { name = "live-v2g", timezone = "UTC", start = "2024-07-01", duration = days(1),
           control_period = minutes(5), forecast_horizon = hours(12) }
grid { import_kw = 40, export_kw = 40 }
for i = 1, 3 do charger { name = "CP" .. i, max_kw = 11, efficiency = 1.0, v2g = true } end
tariff { file = ")" +
           tariff.string() +
           R"(", export_factor = 1 }
economics { charging_price_per_kwh = 0, v2g_price_factor = 0, ev_degradation_per_kwh = 0 }
battery { ev_cost_per_kwh = 0 }
-- The 2.0.1 station's vehicle may discharge: 2.0.1 cannot declare it, the scenario's fleet does.
session { vehicle = "CARD-TX-B", station = "CP3", arrival = "2024-07-01T00:00", departure = "2024-07-01T08:00",
          requested_kwh = 10, initial_soc = 0.5, capacity_kwh = 60, max_ac_kw = 11, charge_efficiency = 1,
          discharge_efficiency = 1, v2g = true, max_discharge_kw = 7 }
live { charge_points = { ["CP-A"] = { "CP1", "CP2" }, ["CP-B"] = "CP3" }, unit = "W", energy_kwh = 10,
       stay = hours(8), soc = 0.5, capacity_kwh = 60 }
)";
}

json started(Time now, const std::string& transaction) {
    json event = started_on_evse_1(now);
    event["transactionInfo"]["transactionId"] = transaction;
    event["idToken"]["idToken"] = "CARD-" + transaction;
    return event;
}

// A discharge decision of v2g_profit_max reaches a 2.1 station as a CentralSetpoint profile with a
// negative setpoint, valid against the 2.1 schema; the same vehicle on a 2.0.1 station gets zero.
TEST(LiveOcpp21, ADischargeGoesToA21StationAsANegativeSetpointAndTo201AsZero) {
    LiveSite site(discharge_pays_site(), "v2g_profit_max");
    auto v21 = site.connect("CP-A", "ocpp2.1");
    auto v201 = site.connect("CP-B", "ocpp2.0.1");
    ASSERT_TRUE(v21 && v201);
    const Time now = site.now();
    {
        AnsweringStation a(*v21, 0), b(*v201, 0);
        ASSERT_EQ(a.call("1", "BootNotification", boot_notification())[0], 3);
        ASSERT_EQ(b.call("1", "BootNotification", boot_notification())[0], 3);
        ASSERT_EQ(a.call("2", "NotifyEVChargingNeeds", bidirectional_needs(now, 7'000))[0], 3);
        ASSERT_EQ(a.call("3", "TransactionEvent", started(now, "TX-A"))[0], 3);
        ASSERT_EQ(b.call("3", "TransactionEvent", started(now, "TX-B"))[0], 3);
        site.step_to(now);
        const std::vector<std::string> setpoints = a.setpoints();
        ASSERT_EQ(setpoints.size(), 1u) << testing::PrintToString(a.calls());
        EXPECT_EQ(setpoints[0], "TxProfile 1 CentralSetpoint -7000.0") << setpoints[0];
        EXPECT_EQ(first_invalid_v21_call(a.received()), "");
        EXPECT_TRUE(b.setpoints().empty()) << testing::PrintToString(b.setpoints());
        v21->close();
        v201->close();
    }
    site.stop();
    const std::vector<json> decisions = site.decisions();
    ASSERT_FALSE(decisions.empty());
    // The strategy asked both vehicles to discharge; only the 2.1 station could be told so.
    const json& decided = decisions.back()["decision"]["connector_kw"];
    EXPECT_LT(decided[0].get<double>(), 0.0) << decided.dump();
    EXPECT_LT(decided[2].get<double>(), 0.0) << decided.dump();
    sqlite::Db results(site.db(), sqlite::Db::Mode::read_only);
    sqlite::Stmt unsupported(results, "SELECT count(*) FROM violations WHERE kind = 'discharge_unsupported'");
    ASSERT_TRUE(unsupported.step());
    EXPECT_GE(unsupported.int64(0), 1);
}

// A 2.1 station is asked which operation modes each EVSE supports: one without CentralSetpoint is
// sent no discharge (zero, and a discharge_unsupported violation), one with it the setpoint.
TEST(LiveOcpp21, OnlyAStationThatTakesCentralSetpointsIsSentADischarge) {
    for (const std::string modes : {"ChargingOnly,ExternalLimits", "ChargingOnly, CentralSetpoint"}) {
        LiveSite site(discharge_pays_site(), "v2g_profit_max");
        auto client = site.connect("CP-A", "ocpp2.1");
        ASSERT_TRUE(client);
        const Time now = site.now();
        {
            AnsweringStation a(*client, 0);
            a.say_operation_modes(modes);
            ASSERT_EQ(a.call("1", "BootNotification", boot_notification())[0], 3);
            ASSERT_EQ(a.call("2", "NotifyEVChargingNeeds", bidirectional_needs(now, 7'000))[0], 3);
            ASSERT_EQ(a.call("3", "TransactionEvent", started(now, "TX-A"))[0], 3);
            site.step_to(now);
            const std::vector<std::string> calls = a.calls();
            EXPECT_EQ(std::count(calls.begin(), calls.end(), "GetVariables"), 1)
                << testing::PrintToString(calls);
            const std::vector<std::string> setpoints = a.setpoints();
            if (modes.find("CentralSetpoint") != std::string::npos) {
                ASSERT_EQ(setpoints.size(), 1u) << testing::PrintToString(calls);
                EXPECT_EQ(setpoints[0], "TxProfile 1 CentralSetpoint -7000.0");
            } else {
                EXPECT_TRUE(setpoints.empty()) << testing::PrintToString(setpoints);
            }
            EXPECT_EQ(first_invalid_v21_call(a.received()), "");
            client->close();
        }
        site.stop();
        sqlite::Db results(site.db(), sqlite::Db::Mode::read_only);
        sqlite::Stmt unsupported(results,
                                 "SELECT count(*) FROM violations WHERE kind = 'discharge_unsupported'");
        ASSERT_TRUE(unsupported.step());
        if (modes.find("CentralSetpoint") != std::string::npos)
            EXPECT_EQ(unsupported.int64(0), 0) << modes;
        else
            EXPECT_GE(unsupported.int64(0), 1) << modes;
    }
}

// A V2G charger's meter counts export as well as import: the session's energy is import minus
// export since the transaction began, and its power is negative while it gives energy back.
json bidirectional_meter(double import_wh, double export_wh, std::optional<double> export_w,
                         const char* context, const std::string& at) {
    json sampled = json::array({{{"value", import_wh},
                                 {"context", context},
                                 {"measurand", "Energy.Active.Import.Register"},
                                 {"unitOfMeasure", {{"unit", "Wh"}}}},
                                {{"value", export_wh},
                                 {"context", context},
                                 {"measurand", "Energy.Active.Export.Register"},
                                 {"unitOfMeasure", {{"unit", "Wh"}}}}});
    if (export_w)
        sampled.push_back({{"value", *export_w},
                           {"context", context},
                           {"measurand", "Power.Active.Export"},
                           {"unitOfMeasure", {{"unit", "W"}}}});
    return {{"timestamp", at}, {"sampledValue", sampled}};
}

TEST(LiveOcpp21, ExportRegistersMoveTheSessionAsDischarge) {
    LiveSite site(v2g_site());
    auto client = site.connect("CP-A", "ocpp2.1");
    ASSERT_TRUE(client);
    const Time now = site.now();
    const std::string at = format_utc(now);
    {
        AnsweringStation station(*client, 0);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        json start = started_on_evse_1(now);
        start["meterValue"] =
            json::array({bidirectional_meter(10'000, 2'000, std::nullopt, "Transaction.Begin", at)});
        ASSERT_EQ(station.call("2", "TransactionEvent", start)[0], 3);
        const json meter =
            station.call("3", "MeterValues",
                         {{"evseId", 1},
                          {"meterValue",
                           json::array({bidirectional_meter(10'000, 3'750, 7'000, "Sample.Periodic", at)})}});
        ASSERT_EQ(meter[0], 3) << meter.dump();
        const json sessions = site.state()["sessions"];
        ASSERT_EQ(sessions.size(), 1u) << sessions.dump();
        EXPECT_NEAR(sessions[0]["delivered_kwh"].get<double>(), -1.75, 1e-9) << sessions.dump();
        EXPECT_NEAR(sessions[0]["power_kw"].get<double>(), -7.0, 1e-9) << sessions.dump();
        json ended = start;
        ended["eventType"] = "Ended";
        ended["seqNo"] = 1;
        ended["triggerReason"] = "EVDeparted";
        ended["meterValue"] =
            json::array({bidirectional_meter(12'000, 3'750, std::nullopt, "Transaction.End", at)});
        ASSERT_EQ(station.call("4", "TransactionEvent", ended)[0], 3);
        client->close();
    }
    site.stop();
    sqlite::Db results(site.db(), sqlite::Db::Mode::read_only);
    sqlite::Stmt s(results, "SELECT delivered_kwh, charged_kwh, discharged_kwh FROM sessions");
    ASSERT_TRUE(s.step()) << "no session recorded";
    EXPECT_NEAR(s.real(0), 0.25, 1e-9);
    EXPECT_NEAR(s.real(1), 2.0, 1e-9);   // imported
    EXPECT_NEAR(s.real(2), 1.75, 1e-9);  // exported
}

// ISO 15118 renegotiation (K15-K17): the EV's own schedule is accepted and noted in the run's events,
// and needs declared again during the transaction are the session's at once.
TEST(LiveOcpp21, TheEvsScheduleIsNotedAndNewNeedsAreTheSessions) {
    LiveSite site(v2g_site());
    auto client = site.connect("CP-A", "ocpp2.1");
    ASSERT_TRUE(client);
    const Time now = site.now();
    {
        AnsweringStation station(*client, 0);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        ASSERT_EQ(station.call("2", "NotifyEVChargingNeeds", bidirectional_needs(now, 7'000))[0], 3);
        ASSERT_EQ(station.call("3", "TransactionEvent", started_on_evse_1(now))[0], 3);
        site.step_to(now);
        const json schedule = station.call(
            "4", "NotifyEVChargingSchedule",
            {{"timeBase", format_utc(now)},
             {"evseId", 1},
             {"chargingSchedule",
              {{"id", 1},
               {"chargingRateUnit", "W"},
               {"chargingSchedulePeriod", json::array({{{"startPeriod", 0}, {"limit", 7000}},
                                                       {{"startPeriod", 3600}, {"limit", 11000}}})}}}});
        ASSERT_EQ(schedule[0], 3) << schedule.dump();
        EXPECT_EQ(schedule[2]["status"], "Accepted") << schedule.dump();
        json again = bidirectional_needs(now, 0);
        again["chargingNeeds"]["v2xChargingParameters"]["evTargetEnergyRequest"] = 25'000;
        ASSERT_EQ(station.call("5", "NotifyEVChargingNeeds", again)[0], 3);
        const json sessions = site.state()["sessions"];
        ASSERT_EQ(sessions.size(), 1u) << sessions.dump();
        EXPECT_NEAR(sessions[0]["requested_kwh"].get<double>(), 25.0, 1e-9);
        site.step_to(now + Duration::minutes(1));
        client->close();
    }
    const std::vector<json> decisions = site.decisions();
    ASSERT_FALSE(decisions.empty());
    const json& seen = decisions.back()["observation"]["sessions"];
    ASSERT_EQ(seen.size(), 1u) << seen.dump();
    EXPECT_EQ(seen[0]["v2g_allowed"], false) << seen[0].dump();  // renegotiated without discharge
    site.stop();
    const std::vector<std::string> notes = site.notes();
    EXPECT_NE(std::find(notes.begin(), notes.end(),
                        "EV charging schedule of CP-A/1: 2 periods in W from " + format_utc(now)),
              notes.end())
        << testing::PrintToString(notes);
}

// ISO 15118's energy requests count from the moment they are made: needs renegotiated after 5 kWh
// asking 10 kWh more make the session's request 15 kWh; a request by target SoC alone is the energy
// from the SoC now to it, never above what the vehicle says it can still take.
TEST(LiveOcpp21, RenegotiatedNeedsCountFromWhatTheMeterHasDelivered) {
    LiveSite site(v2g_site());
    auto client = site.connect("CP-A", "ocpp2.1");
    ASSERT_TRUE(client);
    const Time now = site.now();
    {
        AnsweringStation station(*client, 0);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        ASSERT_EQ(station.call("2", "TransactionEvent", started_on_evse_1(now))[0], 3);
        json updated = started_on_evse_1(now);
        updated["eventType"] = "Updated";
        updated["triggerReason"] = "MeterValuePeriodic";
        updated["seqNo"] = 1;
        updated.erase("idToken");
        updated["meterValue"] = json::array({energy(5'000, "Sample.Periodic", format_utc(now))});
        ASSERT_EQ(station.call("3", "TransactionEvent", updated)[0], 3);
        json needs = bidirectional_needs(now, 7'000);
        json& v2x = needs["chargingNeeds"]["v2xChargingParameters"];
        v2x["evTargetEnergyRequest"] = 10'000;
        ASSERT_EQ(station.call("4", "NotifyEVChargingNeeds", needs)[0], 3);
        EXPECT_NEAR(site.state()["sessions"][0]["requested_kwh"].get<double>(), 15.0, 1e-9);

        // targetSoC 80 % alone, from the SoC the twin has now; then capped at 2 kWh more.
        v2x.erase("evTargetEnergyRequest");
        v2x.erase("evMaxEnergyRequest");
        ASSERT_EQ(station.call("5", "NotifyEVChargingNeeds", needs)[0], 3);
        const json session = site.state()["sessions"][0];
        const double capacity_kwh = 60.0;  // v2g_site's live {} battery
        EXPECT_NEAR(session["requested_kwh"].get<double>(),
                    5.0 + (0.8 - session["soc"].get<double>()) * capacity_kwh, 1e-9)
            << session.dump();
        v2x["evMaxEnergyRequest"] = 2'000;
        ASSERT_EQ(station.call("6", "NotifyEVChargingNeeds", needs)[0], 3);
        EXPECT_NEAR(site.state()["sessions"][0]["requested_kwh"].get<double>(), 7.0, 1e-9);
        client->close();
    }
    site.stop();
}

}  // namespace
}  // namespace evtwin::serve
