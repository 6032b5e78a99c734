// The live central system answering OCPP-J frames as a charge point sends them over its WebSocket:
// a LiveService on a stepped clock behind a real HttpServer, and a raw client (test::WsClient).
#include "live_site.hpp"
#include "ws_client.hpp"

#include "record/schema/sqlite_db.hpp"
#include "serve/csms/live_service.hpp"
#include "serve/net/http_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <future>

namespace evtwin::serve {
namespace {

using nlohmann::json;

// A live run of the live suites' site (uncontrolled), served on a free port; charge points connect
// to /ocpp/{id}.
class LiveSite {
public:
    LiveSite() : db_(evtwin::test::temp_dir("live_frames") / "live.db") {
        LiveConfig config;
        config.spec = live_test::load_site(live_test::kSite);
        config.scenario_file = "site.lua";
        config.strategy = "uncontrolled";
        config.clock = "step";
        config.db = db_;
        live_ = std::make_unique<LiveService>(std::move(config));
        HttpServerOptions options;
        options.address = "127.0.0.1";
        options.port = 0;
        options.threads = 2;
        server_ = std::make_unique<HttpServer>(
            options,
            [](const HttpRequest&) {
                return HttpResponse{404, "application/json", "{}", {}, {}};
            },
            nullptr);
        server_->set_websocket("/ocpp/", live_->websocket());
        live_->start();
        running_ = std::async(std::launch::async, [this] { server_->run(); });
    }
    ~LiveSite() { stop(); }

    unsigned short port() const { return server_->port(); }
    // GET /v1/live's answer.
    json state() const {
        HttpRequest r;
        r.method = "GET";
        r.target = "/v1/live";
        return json::parse(live_->handle(r, r.target)->body);
    }
    Time now() const { return live_->clock().now(); }
    const std::filesystem::path& db() const { return db_; }

    // Ends the run and the server: the run's rows are in the database from then on.
    void stop() {
        if (!live_) return;
        live_->stop(false);
        server_->stop();
        running_.wait();
        live_.reset();
    }

private:
    std::filesystem::path db_;
    std::unique_ptr<LiveService> live_;
    std::unique_ptr<HttpServer> server_;
    std::future<void> running_;
};

// Sends one CALL and returns its answer's frame.
json call(test::WsClient& client, const std::string& id, const std::string& action, const json& payload) {
    client.send(json::array({2, id, action, payload}).dump());
    const std::optional<std::string> answer = client.read();
    return answer ? json::parse(*answer) : json();
}

json energy(double wh, const char* context, const std::string& at) {
    return {{"timestamp", at},
            {"sampledValue", json::array({{{"value", wh},
                                           {"context", context},
                                           {"measurand", "Energy.Active.Import.Register"},
                                           {"unitOfMeasure", {{"unit", "Wh"}}}}})}};
}

// A transaction that began and ended while its charging station was offline reaches the central
// system as one queued TransactionEvent Ended, its first: the session is recorded with the energy
// its meter values give.
TEST(LiveFrames, ATransactionFirstSeenInItsEndedEventIsRecordedWithItsEnergy) {
    LiveSite site;
    test::WsClientOptions options;
    options.subprotocols = {"ocpp2.0.1"};
    auto client = test::WsClient::connect(site.port(), "/ocpp/CP-B", options);
    ASSERT_TRUE(client);
    const std::string at = format_utc(site.now());
    const json boot =
        call(*client, "1", "BootNotification",
             {{"reason", "PowerUp"}, {"chargingStation", {{"model", "M"}, {"vendorName", "V"}}}});
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
}

// ISO 15118 has the vehicle declare its needs before the power path closes, so NotifyEVChargingNeeds
// may come before TransactionEvent Started: they are held for the EVSE and become the transaction's.
TEST(LiveFrames, ChargingNeedsDeclaredBeforeTheTransactionStartsBecomeItsNeeds) {
    LiveSite site;
    test::WsClientOptions options;
    options.subprotocols = {"ocpp2.0.1"};
    auto client = test::WsClient::connect(site.port(), "/ocpp/CP-B", options);
    ASSERT_TRUE(client);
    const Time now = site.now();
    ASSERT_EQ(call(*client, "1", "BootNotification",
                   {{"reason", "PowerUp"}, {"chargingStation", {{"model", "M"}, {"vendorName", "V"}}}})[0],
              3);
    const json needs = call(
        *client, "2", "NotifyEVChargingNeeds",
        {{"evseId", 1},
         {"chargingNeeds",
          {{"requestedEnergyTransfer", "AC_three_phase"},
           {"departureTime", format_utc(now + Duration::hours(3))},
           {"acChargingParameters",
            {{"energyAmount", 22'000}, {"evMinCurrent", 0}, {"evMaxCurrent", 16}, {"evMaxVoltage", 400}}}}}});
    ASSERT_EQ(needs[0], 3) << needs.dump();
    const json started =
        call(*client, "3", "TransactionEvent",
             {{"eventType", "Started"},
              {"timestamp", format_utc(now)},
              {"triggerReason", "CablePluggedIn"},
              {"seqNo", 0},
              {"transactionInfo", {{"transactionId", "TX-1"}, {"chargingState", "EVConnected"}}},
              {"evse", {{"id", 1}, {"connectorId", 1}}},
              {"idToken", {{"idToken", "CARD-1"}, {"type", "ISO14443"}}},
              {"meterValue", json::array({energy(1'000, "Transaction.Begin", format_utc(now))})}});
    ASSERT_EQ(started[0], 3) << started.dump();
    const json sessions = site.state()["sessions"];
    ASSERT_EQ(sessions.size(), 1u) << sessions.dump();
    EXPECT_EQ(sessions[0]["departure"], format_utc(now + Duration::hours(3)));
    EXPECT_NEAR(sessions[0]["requested_kwh"].get<double>(), 22.0, 1e-9);
    client->close();
}

}  // namespace
}  // namespace evtwin::serve
