// The HTTP side of the server's connections: WebSocket upgrades offered to the handler (its
// subprotocol echoed, its refusals answered as it said), upgrades elsewhere and plain requests to
// the WebSocket prefix refused, WebSocket connections counted with HTTP ones.
#include "http_client.hpp"
#include "serve/csms/charge_point_passwords.hpp"
#include "ws_client.hpp"
#include "ws_test_server.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

using test::EchoServer;
using test::WsClient;
using test::WsClientOptions;
using test::WsHandshakeReply;

std::string basic(const std::string& user_and_password) {
    return "Basic " + test::base64(user_and_password);
}

TEST(HttpSession, EchoesTheSubprotocolTheHandlerChose) {
    EchoServer server;
    WsClientOptions options;
    options.subprotocols = {"ocpp2.0.1", "ocpp1.6"};
    WsHandshakeReply reply;
    auto client = WsClient::connect(server.port(), "/ocpp/CP-1", options, &reply);
    ASSERT_TRUE(client);
    EXPECT_EQ(reply.status, 101);
    EXPECT_EQ(reply.headers["sec-websocket-protocol"], "ocpp1.6");
    EXPECT_EQ(server.last_offered(), (std::vector<std::string>{"ocpp2.0.1", "ocpp1.6"}));

    options.subprotocols = {" ocpp2.0.1 ,, "};
    auto second = WsClient::connect(server.port(), "/ocpp/CP-2", options, &reply);
    ASSERT_TRUE(second);
    EXPECT_EQ(reply.headers["sec-websocket-protocol"], "ocpp2.0.1");
    EXPECT_EQ(server.last_offered(), (std::vector<std::string>{"ocpp2.0.1"}));
}

TEST(HttpSession, ARefusedUpgradeGetsTheHandlersStatusHeadersAndBody) {
    auto passwords = std::make_unique<ChargePointPasswords>();
    passwords->set("CP-1", "correct horse battery");
    EchoServer server({}, passwords.get());
    WsClientOptions options;
    options.subprotocols = {"ocpp1.6"};

    WsHandshakeReply reply;
    EXPECT_FALSE(WsClient::connect(server.port(), "/ocpp/CP-1", options, &reply));
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(reply.headers["www-authenticate"], "Basic realm=\"evtwin\"");
    EXPECT_EQ(reply.body, "charge point 'CP-1' needs its password");

    options.authorization = basic("CP-1:wrong password here");
    EXPECT_FALSE(WsClient::connect(server.port(), "/ocpp/CP-1", options, &reply));
    EXPECT_EQ(reply.status, 401);
    options.authorization = basic("CP-2:correct horse battery");  // the user must be the path's id
    EXPECT_FALSE(WsClient::connect(server.port(), "/ocpp/CP-1", options, &reply));
    EXPECT_EQ(reply.status, 401);

    options.authorization = basic("CP-1:correct horse battery");
    auto client = WsClient::connect(server.port(), "/ocpp/CP-1", options, &reply);
    ASSERT_TRUE(client);
    client->send("hello");
    EXPECT_EQ(client->read(), "hello");
    EXPECT_EQ(server.opened(), 1);
}

TEST(HttpSession, AnUpgradeOutsideThePrefixGets404) {
    EchoServer server;
    WsHandshakeReply reply;
    EXPECT_FALSE(WsClient::connect(server.port(), "/v1/ocpp/CP-1", {}, &reply));
    EXPECT_EQ(reply.status, 404);
    EXPECT_EQ(server.opened(), 0);
    EXPECT_TRUE(server.last_offered().empty());
}

TEST(HttpSession, APlainRequestToThePrefixGets426AndTheApiStillAnswers) {
    EchoServer server;
    const auto refused = test::http_request(server.port(), "GET", "/ocpp/CP-1");
    EXPECT_EQ(refused.status, 426);
    EXPECT_EQ(refused.headers.at("upgrade"), "websocket");
    const auto health = test::http_request(server.port(), "GET", "/v1/health");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.body, R"({"status":"ok"})");
}

TEST(HttpSession, AWebSocketConnectionHasASlotOfItsOwn) {
    HttpServerOptions options;
    options.max_connections = 1;
    options.max_websockets = 1;
    EchoServer server(options);
    auto client = WsClient::connect(server.port(), "/ocpp/CP-1", {});
    ASSERT_TRUE(client);
    EXPECT_EQ(server.server().websocket_connections(), 1u);
    EXPECT_EQ(test::http_request(server.port(), "GET", "/v1/health").status, 200);
    ASSERT_TRUE(server.wait_http_connections(0));  // the health request's connection has ended

    WsHandshakeReply reply;
    EXPECT_FALSE(WsClient::connect(server.port(), "/ocpp/CP-2", {}, &reply));
    EXPECT_EQ(reply.status, 503);
    ASSERT_TRUE(server.wait_events(1));
    EXPECT_EQ(server.events()[0].event, "refused");
    EXPECT_EQ(server.events()[0].reason, "WebSocket connection cap (1)");
    client->send("still here");
    EXPECT_EQ(client->read(), "still here");
}

TEST(HttpSession, OneClientHoldingIdleConnectionsPastItsCapLocksOutNeitherTheApiNorChargePoints) {
    const HttpServerOptions defaults;
    EchoServer server;
    const std::size_t held = defaults.max_per_address + 8;
    std::vector<std::unique_ptr<test::TestConnection>> idle;
    for (std::size_t i = 0; i < held; ++i)
        idle.push_back(std::make_unique<test::TestConnection>(server.port(), std::nullopt, "127.0.0.2"));
    ASSERT_TRUE(server.wait_events(8));
    for (const ServerEvent& e : server.events()) {
        EXPECT_EQ(e.remote, "127.0.0.2");
        EXPECT_EQ(e.event, "refused");
        EXPECT_EQ(e.reason, "per-address connection cap (32)");
    }
    EXPECT_EQ(server.events().size(), 8u);

    EXPECT_EQ(test::http_request(server.port(), "GET", "/v1/health").status, 200);
    auto charge_point = WsClient::connect(server.port(), "/ocpp/CP-1", {});
    ASSERT_TRUE(charge_point);
    charge_point->send("connected");
    EXPECT_EQ(charge_point->read(), "connected");
}

TEST(HttpSession, AHeadSentTooSlowlyEndsTheConnectionAndIsLogged) {
    HttpServerOptions options;
    options.head_timeout_s = 1;
    EchoServer server(options);
    test::TestConnection slow(server.port());
    slow.write("GET /v1/health HTTP/1.1\r\nHost: x\r\n");  // and never the blank line
    std::string got;
    EXPECT_FALSE(slow.read_some(got));  // closed by the server
    EXPECT_TRUE(got.empty());
    ASSERT_TRUE(server.wait_events(1));
    EXPECT_EQ(server.events()[0].event, "closed");
    EXPECT_EQ(server.events()[0].reason, "request head not complete within 1 s");
}

TEST(HttpSession, AKeptAliveConnectionIdleBetweenRequestsEndsQuietly) {
    HttpServerOptions options;
    options.head_timeout_s = 1;
    EchoServer server(options);
    test::TestConnection connection(server.port());
    EXPECT_EQ(test::http_request(connection, "GET", "/v1/health").status, 200);
    std::string got;
    EXPECT_FALSE(connection.read_some(got));
    EXPECT_TRUE(server.events().empty());
}

}  // namespace
}  // namespace evtwin::serve
