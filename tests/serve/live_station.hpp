#pragma once
// The live suites' harness over a real WebSocket: a LiveService on a stepped clock behind a real
// HttpServer (LiveSite), raw CALLs, and a charging station double that answers the central system's
// CALLs (AnsweringStation).
#include "live_site.hpp"
#include "ws_client.hpp"

#include "record/schema/sqlite_db.hpp"
#include "serve/csms/live_service.hpp"
#include "serve/net/api_error.hpp"
#include "serve/net/http_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <thread>

namespace evtwin::serve::live_test {

using nlohmann::json;

// A live run of the live suites' site (uncontrolled), served on a free port; charge points connect
// to /ocpp/{id}.
class LiveSite {
public:
    explicit LiveSite(const std::string& site = kSite, const std::string& strategy = "uncontrolled")
        : db_(evtwin::test::temp_dir("live_frames") / "live.db") {
        LiveConfig config;
        config.spec = load_site(site);
        config.scenario_file = "site.lua";
        config.strategy = strategy;
        config.clock = "step";
        config.db = db_;
        config.observation_log = db_.parent_path() / "observations.jsonl";
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
    // A connection as charge point `id`, speaking OCPP 2.0.1 (or the subprotocol given).
    std::unique_ptr<test::WsClient> connect(const std::string& id,
                                            const std::string& subprotocol = "ocpp2.0.1") const {
        test::WsClientOptions options;
        options.subprotocols = {subprotocol};
        return test::WsClient::connect(port(), "/ocpp/" + id, options);
    }
    // POST /v1/clock: the present instant settled (decided, every CALL answered), the clock at `to`.
    void step_to(Time to) {
        HttpRequest r;
        r.method = "POST";
        r.target = "/v1/clock";
        r.body = json{{"to", format_utc(to)}}.dump();
        ASSERT_EQ(live_->handle(r, r.target)->status, 200);
    }
    // The strategy's notes and the central system's, as recorded (once the run is stopped).
    std::vector<std::string> notes() const {
        sqlite::Db results(db_, sqlite::Db::Mode::read_only);
        sqlite::Stmt s(results, "SELECT detail FROM events WHERE kind = 'strategy' ORDER BY seq");
        std::vector<std::string> out;
        while (s.step()) out.push_back(s.text(0));
        return out;
    }
    // GET /v1/live's answer.
    json state() const {
        HttpRequest r;
        r.method = "GET";
        r.target = "/v1/live";
        return json::parse(live_->handle(r, r.target)->body);
    }
    Time now() const { return live_->clock().now(); }
    // Any live route's answer (live routes only: GET /v1/live, /v1/reservations ...).
    HttpResponse request(const std::string& method, const std::string& target, const std::string& body = "") {
        HttpRequest r;
        r.method = method;
        r.target = target;
        r.body = body;
        try {
            const auto reply = live_->handle(r, target);
            return reply ? *reply : HttpResponse{404, "application/json", "{}", {}, {}};
        } catch (const ApiError& e) {  // as the API answers it: {"error": {"status", "path", "message"}}
            const json error = {{"error", {{"status", e.status}, {"path", e.path}, {"message", e.what()}}}};
            return HttpResponse{e.status, "application/json", error.dump(), {}, {}};
        }
    }
    // The strategy's Observations and Decisions so far (--observation-log), one object a decision.
    std::vector<json> decisions() const {
        std::ifstream in(db_.parent_path() / "observations.jsonl");
        std::vector<json> out;
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) out.push_back(json::parse(line));
        return out;
    }
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
inline json call(test::WsClient& client, const std::string& id, const std::string& action,
                 const json& payload) {
    client.send(json::array({2, id, action, payload}).dump());
    while (const std::optional<std::string> text = client.read()) {
        json frame = json::parse(*text);
        if (frame[0] != 2) return frame;
        // The central system's own CALL (a 2.1 station is asked its operation modes once booted):
        // this station implements none.
        client.send(json::array({4, frame[1], "NotImplemented", "", json::object()}).dump());
    }
    return json();
}

inline json boot_notification() {
    return {{"reason", "PowerUp"}, {"chargingStation", {{"model", "M"}, {"vendorName", "V"}}}};
}

inline json energy(double wh, const char* context, const std::string& at) {
    return {{"timestamp", at},
            {"sampledValue", json::array({{{"value", wh},
                                           {"context", context},
                                           {"measurand", "Energy.Active.Import.Register"},
                                           {"unitOfMeasure", {{"unit", "Wh"}}}}})}};
}

// A 2.0.1 charging station on its own thread, answering the central system's CALLs until the
// connection closes: SetChargingProfile accepted (the first `refusals` TxProfiles refused, as a
// station that has not registered the transaction yet refuses them), GetCompositeSchedule with what
// it applies: the EVSE's TxProfile limit capped by the station maximum, GetVariables of
// V2XChargingCtrlr.SupportedOperationModes with the modes it was given (UnknownComponent without).
// It records each CALL as "SetChargingProfile <purpose> <evse>", "GetCompositeSchedule <evse>" or
// "GetVariables", and the answers to its own CALLs by message id.
class AnsweringStation {
public:
    AnsweringStation(test::WsClient& client, int refusals) : client_(client), refusals_(refusals) {
        thread_ = std::thread([this] { run(); });
    }
    ~AnsweringStation() { thread_.join(); }

    // Sends a CALL of its own (while the central system waits for nothing) and waits for its answer.
    json call(const std::string& id, const std::string& action, const json& payload) {
        client_.send(json::array({2, id, action, payload}).dump());
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, std::chrono::seconds(20), [&] { return answers_.count(id) != 0; });
        return answers_.count(id) ? answers_.at(id) : json();
    }
    // What it answers GetVariables of V2XChargingCtrlr.SupportedOperationModes: "ChargingOnly,...".
    void say_operation_modes(std::string modes) {
        std::lock_guard lock(mutex_);
        operation_modes_ = std::move(modes);
    }
    std::vector<std::string> calls() const {
        std::lock_guard lock(mutex_);
        return calls_;
    }
    // The setpoints of the profiles received: "<purpose> <evse> <operationMode> <setpoint>".
    std::vector<std::string> setpoints() const {
        std::lock_guard lock(mutex_);
        return setpoints_;
    }
    // The central system's CALLs as received: [2, id, action, payload].
    std::vector<json> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }

private:
    void run() {
        while (const std::optional<std::string> text = client_.read()) {
            const json frame = json::parse(*text);
            if (frame[0] != 2) {
                std::lock_guard lock(mutex_);
                answers_[frame[1].get<std::string>()] = frame;
                changed_.notify_all();
                continue;
            }
            {
                std::lock_guard lock(mutex_);
                received_.push_back(frame);
            }
            client_.send(json::array({3, frame[1], answer(frame[2], frame[3])}).dump());
        }
    }

    json answer(const std::string& action, const json& p) {
        std::lock_guard lock(mutex_);
        if (action == "GetVariables") {
            calls_.push_back(action);
            json results = json::array();
            for (const json& asked : p["getVariableData"]) {
                json r = {{"component", asked["component"]}, {"variable", asked["variable"]}};
                r["attributeStatus"] = operation_modes_ ? "Accepted" : "UnknownComponent";
                if (operation_modes_) r["attributeValue"] = *operation_modes_;
                results.push_back(r);
            }
            return {{"getVariableResult", results}};
        }
        const int evse = p["evseId"].get<int>();
        if (action == "GetCompositeSchedule") {
            calls_.push_back(action + " " + std::to_string(evse));
            const double limit =
                std::min(tx_limit_.count(evse) ? tx_limit_[evse] : station_max_, station_max_);
            return {{"status", "Accepted"},
                    {"schedule",
                     {{"evseId", evse},
                      {"duration", p["duration"]},
                      {"scheduleStart", format_utc(Time(0))},
                      {"chargingRateUnit", unit_},
                      {"chargingSchedulePeriod", json::array({{{"startPeriod", 0}, {"limit", limit}}})}}}};
        }
        const json& profile = p["chargingProfile"];
        const std::string purpose = profile["chargingProfilePurpose"].get<std::string>();
        calls_.push_back(action + " " + purpose + " " + std::to_string(evse));
        if (purpose == "TxProfile" && refusals_ > 0) {
            --refusals_;
            return {{"status", "Rejected"}};
        }
        const json& schedule = profile["chargingSchedule"][0];
        unit_ = schedule["chargingRateUnit"].get<std::string>();
        const json& period = schedule["chargingSchedulePeriod"][0];
        // A 2.1 discharge setpoint draws nothing from the grid.
        const double limit = period.value("limit", 0.0);
        if (period.contains("setpoint"))
            setpoints_.push_back(purpose + " " + std::to_string(evse) + " " +
                                 period["operationMode"].get<std::string>() + " " +
                                 period["setpoint"].dump());
        if (purpose == "ChargingStationMaxProfile")
            station_max_ = limit;
        else
            tx_limit_[evse] = limit;
        return {{"status", "Accepted"}};
    }

    test::WsClient& client_;
    int refusals_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, json> answers_;
    std::vector<std::string> calls_;
    std::vector<json> received_;
    std::vector<std::string> setpoints_;
    std::map<int, double> tx_limit_;
    double station_max_ = 1e9;
    std::string unit_ = "W";
    std::optional<std::string> operation_modes_;
    std::thread thread_;  // last: it starts once the rest is made
};

inline json started_on_evse_1(Time now) {
    return {{"eventType", "Started"},
            {"timestamp", format_utc(now)},
            {"triggerReason", "CablePluggedIn"},
            {"seqNo", 0},
            {"transactionInfo", {{"transactionId", "TX-1"}, {"chargingState", "Charging"}}},
            {"evse", {{"id", 1}, {"connectorId", 1}}},
            {"idToken", {{"idToken", "CARD-1"}, {"type", "ISO14443"}}},
            {"meterValue", json::array({energy(0, "Transaction.Begin", format_utc(now))})}};
}

}  // namespace evtwin::serve::live_test
