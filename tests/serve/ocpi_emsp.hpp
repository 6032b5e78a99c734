#pragma once
// The OCPI suites' harness: a live site (LiveService on a stepped clock) whose OCPI endpoints are
// served by a real HttpServer (OcpiSite), and a scripted eMSP (Emsp) that speaks OCPI 2.2.1 to it
// over real HTTP: it calls the CPO with the test's HTTP client (Authorization: Token <base64>) and
// serves its own versions, version details and receiver endpoints on an HttpServer of its own,
// where it records every call the CPO makes. Both sides' exchanges go into one transcript.
#include "http_client.hpp"
#include "live_station.hpp"

#include "serve/ocpi/ocpi_service.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <vector>

namespace evtwin::serve::ocpi_test {

using nlohmann::json;

inline constexpr const char* kTokenA = "registration-token-A-5f1c";
inline constexpr const char* kTokenB = "emsp-token-B-91d2";

// What went over the wire, in order: "EMSP -> CPO ..." and "CPO -> EMSP ...", each with its answer.
class Transcript {
public:
    void add(std::string line) {
        std::lock_guard lock(mutex_);
        lines_.push_back(std::move(line));
    }
    std::vector<std::string> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

// A call the eMSP received from the CPO.
struct Received {
    std::string method;
    std::string target;
    std::string authorization;
    json body;
};

class Emsp {
public:
    explicit Emsp(Transcript& transcript) : transcript_(transcript) {
        HttpServerOptions options;
        options.port = 0;
        options.threads = 2;
        server_ = std::make_unique<HttpServer>(
            options, [this](const HttpRequest& r) { return serve(r); }, nullptr);
        running_ = std::async(std::launch::async, [this] { server_->run(); });
    }
    ~Emsp() {
        server_->stop();
        running_.wait();
    }

    std::string base() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/emsp"; }
    // The credentials it registers with: token B, its versions URL, its role.
    json credentials(const std::string& token_b = kTokenB) const {
        return {{"token", token_b},
                {"url", base() + "/versions"},
                {"roles", json::array({{{"role", "EMSP"},
                                        {"business_details", {{"name", "Scripted eMSP"}}},
                                        {"party_id", "MSP"},
                                        {"country_code", "NL"}}})}};
    }
    // Waits (at most 20 s) until `count` calls match; returns those that do.
    std::vector<Received> wait_for(const std::function<bool(const Received&)>& match, std::size_t count = 1) {
        std::unique_lock lock(mutex_);
        auto matching = [&] {
            std::vector<Received> out;
            for (const Received& r : received_)
                if (match(r)) out.push_back(r);
            return out;
        };
        changed_.wait_for(lock, std::chrono::seconds(20), [&] { return matching().size() >= count; });
        return matching();
    }
    std::vector<Received> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }
    void set_token_b(std::string token) {
        std::lock_guard lock(mutex_);
        token_b_ = std::move(token);
    }

private:
    HttpResponse serve(const HttpRequest& r) {
        const std::string path = r.target.substr(0, r.target.find('?'));
        json data;
        int status = 200;
        {
            std::lock_guard lock(mutex_);
            const json body = r.body.empty() ? json() : json::parse(r.body, nullptr, false);
            received_.push_back({r.method, r.target, r.authorization, body});
            if (r.authorization != "Token " + test::base64(token_b_)) status = 401;
        }
        if (status == 200 && path == "/emsp/versions")
            data = json::array({{{"version", "2.2.1"}, {"url", base() + "/2.2.1"}}});
        else if (status == 200 && path == "/emsp/2.2.1")
            data = {
                {"version", "2.2.1"},
                {"endpoints",
                 json::array(
                     {{{"identifier", "credentials"},
                       {"role", "SENDER"},
                       {"url", base() + "/2.2.1/credentials"}},
                      {{"identifier", "sessions"}, {"role", "RECEIVER"}, {"url", base() + "/2.2.1/sessions"}},
                      {{"identifier", "cdrs"}, {"role", "RECEIVER"}, {"url", base() + "/2.2.1/cdrs"}}})}};
        json answer = {{"status_code", status == 200 ? 1000 : 2000}, {"timestamp", "2024-07-01T00:00:00Z"}};
        if (!data.is_null()) answer["data"] = data;
        transcript_.add("CPO -> EMSP " + r.method + " " + r.target + (r.body.empty() ? "" : " " + r.body) +
                        "\n  <- " + std::to_string(status) + " " + answer.dump());
        {
            std::lock_guard lock(mutex_);
            changed_.notify_all();
        }
        return json_response(status, answer.dump());
    }

    Transcript& transcript_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Received> received_;
    std::string token_b_ = kTokenB;
    std::unique_ptr<HttpServer> server_;
    std::future<void> running_;
};

// A live run of the live suites' site with OCPI endpoints at http://127.0.0.1:PORT/ocpi/, on a
// stepped clock; charge points connect to /ocpp/{id}.
class OcpiSite {
public:
    // `db`: the results database (default: a new one).
    explicit OcpiSite(Transcript& transcript, bool push = true, const std::string& strategy = "uncontrolled",
                      std::filesystem::path db = {}, const std::string& site = live_test::kSite)
        : transcript_(transcript), db_(db.empty() ? evtwin::test::temp_dir("ocpi_site") / "live.db" : db) {
        HttpServerOptions options;
        options.port = 0;
        options.threads = 2;
        server_ = std::make_unique<HttpServer>(
            options, [this](const HttpRequest& r) { return route(r); }, nullptr);
        LiveConfig config;
        config.spec = live_test::load_site(site);
        config.scenario_file = "site.lua";
        config.strategy = strategy;
        config.clock = "step";
        config.db = db_;
        ocpi::OcpiConfig o;
        o.registration_tokens = {kTokenA};
        o.base_url = "http://127.0.0.1:" + std::to_string(server_->port());
        o.cpo.country_code = "DE";
        o.cpo.party_id = "EVT";
        o.push = push;
        o.max_limit = 100;
        config.ocpi = o;
        live_ = std::make_unique<LiveService>(std::move(config));
        server_->set_websocket("/ocpp/", live_->websocket());
        live_->start();
        running_ = std::async(std::launch::async, [this] { server_->run(); });
    }
    ~OcpiSite() { stop(); }

    unsigned short port() const { return server_->port(); }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port()); }
    Time now() const { return live_->clock().now(); }
    std::unique_ptr<test::WsClient> connect(const std::string& id) const {
        test::WsClientOptions options;
        options.subprotocols = {"ocpp2.0.1"};
        return test::WsClient::connect(port(), "/ocpp/" + id, options);
    }
    // POST /v1/clock: the present instant settled, the clock at `to`.
    void step_to(Time to) {
        HttpRequest r;
        r.method = "POST";
        r.target = "/v1/clock";
        r.body = json{{"to", format_utc(to)}}.dump();
        ASSERT_EQ(live_->handle(r, r.target)->status, 200);
    }
    json live_state() {
        HttpRequest r;
        r.method = "GET";
        r.target = "/v1/live";
        return json::parse(live_->handle(r, r.target)->body);
    }
    // An OCPI call as the eMSP makes it: the token in 2.2.1's form, the exchange in the transcript.
    test::HttpReply call(const std::string& method, const std::string& target, const std::string& token,
                         const std::string& body = "") {
        std::vector<std::string> headers;
        if (!token.empty()) headers.push_back("Authorization: Token " + test::base64(token));
        test::HttpReply reply = test::http_request_with(port(), method, target, body, headers);
        transcript_.add("EMSP -> CPO " + method + " " + target + (body.empty() ? "" : " " + body) +
                        "\n  <- " + std::to_string(reply.status) + " " + reply.body);
        return reply;
    }
    // Pushes and results sent (or failed) so far.
    void drain() { live_->ocpi()->drain(); }
    std::vector<std::string> live_ocpi_failures() const { return live_->ocpi()->outbox().failures(); }
    const std::filesystem::path& db() const { return db_; }
    void stop() {
        if (!live_) return;
        live_->stop(false);
        server_->stop();
        running_.wait();
        live_.reset();
    }

private:
    HttpResponse route(const HttpRequest& r) {
        const std::string path = r.target.substr(0, r.target.find('?'));
        if (auto answer = live_->handle_ocpi(r, path)) return *answer;
        return json_response(404, "{}");
    }

    Transcript& transcript_;
    std::filesystem::path db_;
    std::unique_ptr<HttpServer> server_;
    std::unique_ptr<LiveService> live_;
    std::future<void> running_;
};

// Registers `emsp` with token A; its token C.
inline std::string register_emsp(OcpiSite& site, const Emsp& emsp) {
    const auto reply = site.call("POST", "/ocpi/2.2.1/credentials", kTokenA, emsp.credentials().dump());
    EXPECT_EQ(reply.status, 200) << reply.body;
    return json::parse(reply.body)["data"]["token"].get<std::string>();
}

// A 2.0.1 TransactionEvent of transaction `tx` on EVSE `evse` at `t` with the register (Wh) and,
// when given, the power (W).
inline json transaction_event(const char* type, const std::string& tx, int evse, Time t, double wh,
                              std::optional<double> watts = std::nullopt, int seq = 0) {
    const std::string at = format_utc(t);
    json values = json::array({{{"value", wh},
                                {"measurand", "Energy.Active.Import.Register"},
                                {"unitOfMeasure", {{"unit", "Wh"}}}}});
    if (watts)
        values.push_back(
            {{"value", *watts}, {"measurand", "Power.Active.Import"}, {"unitOfMeasure", {{"unit", "W"}}}});
    json e = {{"eventType", type},
              {"timestamp", at},
              {"triggerReason", std::string(type) == "Ended" ? "EVDeparted" : "MeterValuePeriodic"},
              {"seqNo", seq},
              {"transactionInfo", {{"transactionId", tx}}},
              {"evse", {{"id", evse}, {"connectorId", 1}}},
              {"meterValue", json::array({{{"timestamp", at}, {"sampledValue", values}}})}};
    if (std::string(type) == "Started") {
        e["triggerReason"] = "CablePluggedIn";
        e["idToken"] = {{"idToken", "CARD-" + tx}, {"type", "ISO14443"}};
    }
    return e;
}

// The data of a paged list's answer.
inline json data_of(const test::HttpReply& reply) {
    return json::parse(reply.body)["data"];
}

}  // namespace evtwin::serve::ocpi_test
