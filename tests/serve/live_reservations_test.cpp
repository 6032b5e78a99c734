// Reservations on a live site over a real WebSocket: POST /v1/reservations sends ReserveNow to the
// charge point in its own version (1.6 on its connectorId, 2.0.1 on its evseId), the twin holds the
// connector for the token until the holder's transaction, DELETE sends CancelReservation, a 2.0.1
// station's ReservationStatusUpdate ends one, and every frame the central system sends is valid
// against the official schemas.
#include "live_station.hpp"
#include "openapi_schema.hpp"

#include "serve/csms/ocpp_validator.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <deque>

namespace evtwin::serve {
namespace {

using live_test::boot_notification;
using live_test::energy;
using live_test::LiveSite;
using nlohmann::json;

// A charge point double on its own thread: ReserveNow answered with the next status queued
// (Accepted when none is), every other CALL of the central system accepted; its own CALLs sent and
// their answers awaited.
class ReservingStation {
public:
    explicit ReservingStation(test::WsClient& client) : client_(client) {
        thread_ = std::thread([this] { run(); });
    }
    ~ReservingStation() { thread_.join(); }

    json call(const std::string& id, const std::string& action, const json& payload) {
        client_.send(json::array({2, id, action, payload}).dump());
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, std::chrono::seconds(20), [&] { return answers_.count(id) != 0; });
        return answers_.count(id) ? answers_.at(id) : json();
    }
    void answer_next_reservation(const std::string& status) {
        std::lock_guard lock(mutex_);
        statuses_.push_back(status);
    }
    // The central system's CALLs of one action, as received: their payloads.
    std::vector<json> received(const std::string& action) const {
        std::lock_guard lock(mutex_);
        std::vector<json> out;
        for (const json& frame : received_)
            if (frame[2] == action) out.push_back(frame[3]);
        return out;
    }

private:
    void run() {
        while (const std::optional<std::string> text = client_.read()) {
            const json frame = json::parse(*text);
            std::lock_guard lock(mutex_);
            if (frame[0] != 2) {
                answers_[frame[1].get<std::string>()] = frame;
                changed_.notify_all();
                continue;
            }
            received_.push_back(frame);
            json answer = {{"status", "Accepted"}};
            if (frame[2] == "ReserveNow" && !statuses_.empty()) {
                answer["status"] = statuses_.front();
                statuses_.pop_front();
            }
            if (frame[2] == "GetCompositeSchedule") answer["status"] = "Rejected";
            client_.send(json::array({3, frame[1], answer}).dump());
        }
    }

    test::WsClient& client_;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, json> answers_;
    std::vector<json> received_;
    std::deque<std::string> statuses_;
};

json body_of(const HttpResponse& r) {
    return json::parse(r.body);
}

std::string reserve_body(const std::string& id_tag, Time to, const std::string& charger = "") {
    json b = {{"id_tag", id_tag}, {"to", format_utc(to)}};
    if (!charger.empty()) b["charger"] = charger;
    return b.dump();
}

// The reservation KPIs of the live run (once it is stopped).
std::map<std::string, double> reservation_kpis(const std::filesystem::path& db) {
    sqlite::Db results(db, sqlite::Db::Mode::read_only);
    sqlite::Stmt s(results, "SELECT name, value FROM kpis WHERE name LIKE 'reserv%'");
    std::map<std::string, double> out;
    while (s.step()) out[s.text(0)] = s.real(1);
    return out;
}

json started(Time now, const std::string& tx, int evse, const std::string& token) {
    return {{"eventType", "Started"},
            {"timestamp", format_utc(now)},
            {"triggerReason", "Authorized"},
            {"seqNo", 0},
            {"transactionInfo", {{"transactionId", tx}, {"chargingState", "Charging"}}},
            {"evse", {{"id", evse}, {"connectorId", 1}}},
            {"idToken", {{"idToken", token}, {"type", "ISO14443"}}},
            {"meterValue", json::array({energy(0, "Transaction.Begin", format_utc(now))})}};
}

TEST(LiveReservations, A201ReserveNowHoldsTheConnectorForItsTokenUntilTheHoldersTransaction) {
    LiveSite site;
    OcppValidator schemas;
    auto client = site.connect("CP-A");
    ASSERT_TRUE(client);
    const Time now = site.now();
    {
        ReservingStation station(*client);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);

        // On CP1 (CP-A's EVSE 1) for car-17 until half an hour from now.
        const HttpResponse made = site.request("POST", "/v1/reservations",
                                               reserve_body("car-17", now + Duration::minutes(30), "CP1"));
        ASSERT_EQ(made.status, 201) << made.body;
        EXPECT_EQ(body_of(made)["id"], 1);
        EXPECT_EQ(body_of(made)["state"], "held");
        EXPECT_EQ(body_of(made)["status"], "Accepted");
        EXPECT_EQ(body_of(made)["charge_point"], "CP-A");
        EXPECT_EQ(body_of(made)["connector"], 1);
        EXPECT_EQ(test::schema_errors(body_of(made), "Reservation"), "");
        const std::vector<json> sent = station.received("ReserveNow");
        ASSERT_EQ(sent.size(), 1u);
        EXPECT_EQ(sent[0], (json{{"id", 1},
                                 {"expiryDateTime", format_utc(now + Duration::minutes(30))},
                                 {"idToken", {{"idToken", "car-17"}, {"type", "Central"}}},
                                 {"evseId", 1}}));
        const PayloadVerdict verdict = schemas.check_request(OcppVersion::v201, "ReserveNow", sent[0]);
        EXPECT_TRUE(verdict.valid) << verdict.message;
        // A 2.1 station gets the same payload, which 2.1's schema takes too.
        EXPECT_TRUE(schemas.check_request(OcppVersion::v21, "ReserveNow", sent[0]).valid);

        // GET /v1/live shows it, and the strategy sees it.
        const json connectors = site.state()["connectors"];
        EXPECT_EQ(connectors[0]["reservation"], 1);
        EXPECT_EQ(connectors[0]["reserved_until"], format_utc(now + Duration::minutes(30)));
        EXPECT_TRUE(connectors[1]["reservation"].is_null());
        site.step_to(now);
        const json shown = site.decisions().back()["observation"]["connectors"];
        EXPECT_EQ(shown[0]["reserved_until_ms"], (now + Duration::minutes(30)).ms());
        EXPECT_FALSE(shown[1].contains("reserved_until_ms"));

        // The holder's transaction ends the reservation, honoured, with its session.
        ASSERT_EQ(station.call("2", "TransactionEvent", started(now, "TX-1", 1, "car-17"))[0], 3);
        const json honoured = body_of(site.request("GET", "/v1/reservations/1"));
        EXPECT_EQ(honoured["state"], "honoured");
        EXPECT_EQ(honoured["session"], 1);

        // Any free connector: CP2 (EVSE 2), the only one left; cancelled by the operator.
        const HttpResponse any =
            site.request("POST", "/v1/reservations", reserve_body("car-18", now + Duration::minutes(20)));
        ASSERT_EQ(any.status, 201) << any.body;
        EXPECT_EQ(body_of(any)["charger"], "CP2");
        const HttpResponse cancelled = site.request("DELETE", "/v1/reservations/2");
        ASSERT_EQ(cancelled.status, 200) << cancelled.body;
        EXPECT_EQ(body_of(cancelled)["state"], "cancelled");
        const std::vector<json> cancels = station.received("CancelReservation");
        ASSERT_EQ(cancels.size(), 1u);
        EXPECT_EQ(cancels[0], (json{{"reservationId", 2}}));
        EXPECT_TRUE(schemas.check_request(OcppVersion::v201, "CancelReservation", cancels[0]).valid);
        EXPECT_EQ(site.request("DELETE", "/v1/reservations/2").status, 409);  // ended already

        // The station reports the third expired (ReservationStatusUpdate): a no-show.
        ASSERT_EQ(site.request("POST", "/v1/reservations",
                               reserve_body("car-19", now + Duration::minutes(20), "CP2"))
                      .status,
                  201);
        const json update = {{"reservationId", 3}, {"reservationUpdateStatus", "Expired"}};
        EXPECT_EQ(station.call("3", "ReservationStatusUpdate", update)[0], 3);
        EXPECT_EQ(body_of(site.request("GET", "/v1/reservations/3"))["state"], "expired");

        // A station that answers Occupied: refused, 409 with its status.
        station.answer_next_reservation("Occupied");
        const HttpResponse occupied = site.request(
            "POST", "/v1/reservations", reserve_body("car-20", now + Duration::minutes(20), "CP2"));
        EXPECT_EQ(occupied.status, 409) << occupied.body;
        EXPECT_EQ(body_of(occupied)["status"], "Occupied");
        EXPECT_EQ(body_of(occupied)["state"], "refused");

        EXPECT_EQ(test::schema_errors(body_of(occupied), "Reservation"), "");
        const json all = body_of(site.request("GET", "/v1/reservations"));
        EXPECT_EQ(test::schema_errors(all, "Reservations"), "");
        ASSERT_EQ(all["reservations"].size(), 4u);
        client->close();
    }
    site.stop();
    const auto k = reservation_kpis(site.db());
    EXPECT_EQ(k.at("reservations"), 3.0);
    EXPECT_EQ(k.at("reservations_refused"), 1.0);
    EXPECT_EQ(k.at("reservations_honoured"), 1.0);
    EXPECT_EQ(k.at("reservation_no_shows"), 1.0);
    EXPECT_EQ(k.at("reservations_cancelled"), 1.0);
}

TEST(LiveReservations, A16ReserveNowAndCancelReservationGoToTheConnectorId) {
    LiveSite site;
    OcppValidator schemas;
    auto client = site.connect("CP-B", "ocpp1.6");
    ASSERT_TRUE(client);
    const Time now = site.now();
    {
        ReservingStation station(*client);
        ASSERT_EQ(
            station.call("1", "BootNotification", {{"chargePointVendor", "V"}, {"chargePointModel", "M"}})[0],
            3);
        const Time to = now + Duration::minutes(15);
        ASSERT_EQ(site.request("POST", "/v1/reservations", reserve_body("TAG-7", to, "CP3")).status, 201);
        std::vector<json> sent = station.received("ReserveNow");
        ASSERT_EQ(sent.size(), 1u);
        EXPECT_EQ(sent[0], (json{{"connectorId", 1},
                                 {"expiryDate", format_utc(to)},
                                 {"idTag", "TAG-7"},
                                 {"reservationId", 1}}));
        EXPECT_TRUE(schemas.check_request(OcppVersion::v16, "ReserveNow", sent[0]).valid);

        // The charge point shows the connector Reserved: not a fault.
        const json reserved = {{"connectorId", 1}, {"errorCode", "NoError"}, {"status", "Reserved"}};
        EXPECT_EQ(station.call("2", "StatusNotification", reserved)[0], 3);
        EXPECT_FALSE(site.state()["connectors"][2]["faulted"].get<bool>());

        ASSERT_EQ(site.request("DELETE", "/v1/reservations/1").status, 200);
        const std::vector<json> cancels = station.received("CancelReservation");
        ASSERT_EQ(cancels.size(), 1u);
        EXPECT_EQ(cancels[0], (json{{"reservationId", 1}}));
        EXPECT_TRUE(schemas.check_request(OcppVersion::v16, "CancelReservation", cancels[0]).valid);

        // Another token's reservation, taken by a StartTransaction that names it: the charge point let
        // in a token of the holder's group.
        ASSERT_EQ(site.request("POST", "/v1/reservations", reserve_body("TAG-8", to, "CP3")).status, 201);
        const json start = {{"connectorId", 1},
                            {"idTag", "TAG-8-GROUP"},
                            {"meterStart", 0},
                            {"reservationId", 2},
                            {"timestamp", format_utc(now)}};
        EXPECT_EQ(station.call("3", "StartTransaction", start)[0], 3);
        const json taken = body_of(site.request("GET", "/v1/reservations/2"));
        EXPECT_EQ(taken["state"], "honoured");
        EXPECT_EQ(taken["session"], 1);
        client->close();
    }
    site.stop();
    const auto k = reservation_kpis(site.db());
    EXPECT_EQ(k.at("reservations"), 2.0);
    EXPECT_EQ(k.at("reservations_honoured"), 1.0);
    EXPECT_EQ(k.at("reservations_cancelled"), 1.0);
}

// An OCPP 2.1 station gets 2.1's ReserveNow on the EVSE of the charger asked for (CP5's second
// connector: CP-C's EVSE 2) and a CancelReservation, both valid against 2.1's schemas.
TEST(LiveReservations, A21StationGetsReserveNowOnItsEvse) {
    LiveSite site;
    OcppValidator schemas;
    auto client = site.connect("CP-C", "ocpp2.1");
    ASSERT_TRUE(client);
    const Time now = site.now();
    {
        ReservingStation station(*client);
        // Booted first: the central system knows the station before the reservation is asked for.
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        const json body = {{"id_tag", "car-21"},
                           {"charger", "CP5"},
                           {"connector", 2},
                           {"to", format_utc(now + Duration::minutes(15))}};
        const HttpResponse made = site.request("POST", "/v1/reservations", body.dump());
        ASSERT_EQ(made.status, 201) << made.body;
        EXPECT_EQ(body_of(made)["connector"], 2);
        const std::vector<json> sent = station.received("ReserveNow");
        ASSERT_EQ(sent.size(), 1u);
        EXPECT_EQ(sent[0]["evseId"], 2);
        const PayloadVerdict reserve = schemas.check_request(OcppVersion::v21, "ReserveNow", sent[0]);
        EXPECT_TRUE(reserve.valid) << reserve.message;
        ASSERT_EQ(site.request("DELETE", "/v1/reservations/1").status, 200);
        const std::vector<json> cancels = station.received("CancelReservation");
        ASSERT_EQ(cancels.size(), 1u);
        EXPECT_TRUE(schemas.check_request(OcppVersion::v21, "CancelReservation", cancels[0]).valid);
        client->close();
    }
    site.stop();
}

// A reservation from a later instant waits, goes out when the clock reaches it, and the twin ends
// it as a no-show at its expiry when the holder does not come, whatever the station says.
TEST(LiveReservations, ALaterReservationStartsOnTheClockAndExpiresWithoutItsHolder) {
    LiveSite site;
    auto client = site.connect("CP-A");
    ASSERT_TRUE(client);
    const Time now = site.now();
    {
        ReservingStation station(*client);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        const json body = {{"id_tag", "car-30"},
                           {"charger", "CP2"},
                           {"from", format_utc(now + Duration::minutes(10))},
                           {"to", format_utc(now + Duration::minutes(25))}};
        const HttpResponse made = site.request("POST", "/v1/reservations", body.dump());
        ASSERT_EQ(made.status, 202) << made.body;
        EXPECT_EQ(body_of(made)["state"], "waiting");
        EXPECT_TRUE(station.received("ReserveNow").empty());
        site.step_to(now + Duration::minutes(10));
        site.step_to(now + Duration::minutes(10));  // decides at 10 min: the reservation starts
        EXPECT_EQ(station.received("ReserveNow").size(), 1u);
        EXPECT_EQ(body_of(site.request("GET", "/v1/reservations/1"))["state"], "held");
        site.step_to(now + Duration::minutes(25));
        site.step_to(now + Duration::minutes(25));
        EXPECT_EQ(body_of(site.request("GET", "/v1/reservations/1"))["state"], "expired");
        client->close();
    }
    site.stop();
    EXPECT_EQ(reservation_kpis(site.db()).at("reservation_no_shows"), 1.0);
}

TEST(LiveReservations, BadRequestsNameTheField) {
    LiveSite site;
    const Time now = site.now();
    const auto error = [&](const std::string& method, const std::string& target, const std::string& body) {
        const HttpResponse r = site.request(method, target, body);
        return std::make_pair(r.status, r.body);
    };
    const auto [malformed, malformed_body] = error("POST", "/v1/reservations", "{\"id_tag\": ");
    EXPECT_EQ(malformed, 400) << malformed_body;
    const auto [unknown, unknown_body] =
        error("POST", "/v1/reservations", reserve_body("car-1", now + Duration::minutes(5), "CP9"));
    EXPECT_EQ(unknown, 422);
    EXPECT_NE(unknown_body.find("\"path\":\"/charger\""), std::string::npos) << unknown_body;
    EXPECT_NE(unknown_body.find("no charger 'CP9'"), std::string::npos) << unknown_body;
    const json backwards = {{"id_tag", "car-1"},
                            {"from", format_utc(now + Duration::minutes(10))},
                            {"to", format_utc(now + Duration::minutes(5))}};
    const auto [order, order_body] = error("POST", "/v1/reservations", backwards.dump());
    EXPECT_EQ(order, 422);
    EXPECT_NE(order_body.find("\"path\":\"/to\""), std::string::npos) << order_body;
    EXPECT_NE(order_body.find("must come after from"), std::string::npos) << order_body;
    const auto [no_tag, no_tag_body] =
        error("POST", "/v1/reservations", json{{"to", format_utc(now + Duration::minutes(5))}}.dump());
    EXPECT_EQ(no_tag, 422);
    EXPECT_NE(no_tag_body.find("id_tag"), std::string::npos) << no_tag_body;
    const auto [long_tag, long_tag_body] =
        error("POST", "/v1/reservations", reserve_body(std::string(21, 'x'), now + Duration::minutes(5)));
    EXPECT_EQ(long_tag, 422);
    EXPECT_NE(long_tag_body.find("\"path\":\"/id_tag\""), std::string::npos) << long_tag_body;
    const json extra = {{"id_tag", "car-1"}, {"to", format_utc(now + Duration::minutes(5))}, {"until", 3}};
    const auto [unread, unread_body] = error("POST", "/v1/reservations", extra.dump());
    EXPECT_EQ(unread, 422);
    EXPECT_NE(unread_body.find("until"), std::string::npos) << unread_body;
    EXPECT_EQ(error("DELETE", "/v1/reservations/7", "").first, 404);
    EXPECT_EQ(error("GET", "/v1/reservations/x", "").first, 404);
    EXPECT_EQ(error("PUT", "/v1/reservations", "").first, 405);
    site.stop();
}

}  // namespace
}  // namespace evtwin::serve
