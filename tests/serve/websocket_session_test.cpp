// The server's WebSocket connections: messages answered in order, one connection's flood closed
// (1008) without holding the others up, the rate limit kept per charge point across reconnects,
// oversize (1009) and binary (1003) messages refused, each close of the server's own logged, the
// handler's close after its queued messages, stop() closing every connection (1001).
#include "ws_client.hpp"
#include "ws_test_server.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace evtwin::serve {
namespace {

using test::EchoServer;
using test::WsClient;

TEST(WebSocketSession, EchoesMessagesInOrder) {
    EchoServer server;
    auto client = WsClient::connect(server.port(), "/ocpp/CP-1", {});
    ASSERT_TRUE(client);
    for (int i = 0; i < 100; ++i) client->send("message " + std::to_string(i));
    for (int i = 0; i < 100; ++i) ASSERT_EQ(client->read(), "message " + std::to_string(i));
    client->close();
    EXPECT_TRUE(server.wait_closed(1));
    EXPECT_EQ(server.opened(), 1);
    EXPECT_EQ(server.closed(), 1);
}

TEST(WebSocketSession, AFloodIsClosedWhileOtherConnectionsAreServed) {
    HttpServerOptions options;
    options.ws.messages_per_s = 0.001;  // next to nothing accrues while the test runs
    options.ws.burst = 20;
    EchoServer server(options);
    auto flooder = WsClient::connect(server.port(), "/ocpp/FLOOD", {});
    auto a = WsClient::connect(server.port(), "/ocpp/A", {});
    auto b = WsClient::connect(server.port(), "/ocpp/B", {});
    ASSERT_TRUE(flooder && a && b);

    auto flood = std::async(std::launch::async, [&] {
        try {
            for (int i = 0; i < 200; ++i) flooder->send("flood " + std::to_string(i));
        } catch (const std::runtime_error&) {  // the server may be gone before the last ones
        }
        int echoed = 0;
        while (flooder->read()) ++echoed;
        return echoed;
    });
    for (int i = 0; i < 10; ++i) {
        a->send(std::string("a").append(std::to_string(i)));
        b->send(std::string("b").append(std::to_string(i)));
        ASSERT_EQ(a->read(), std::string("a").append(std::to_string(i)));
        ASSERT_EQ(b->read(), std::string("b").append(std::to_string(i)));
    }
    ASSERT_EQ(flood.wait_for(std::chrono::minutes(1)), std::future_status::ready);
    EXPECT_EQ(flood.get(), 20);  // the burst, then the close
    EXPECT_EQ(flooder->close_code(), 1008);
    EXPECT_EQ(flooder->close_reason(), "rate limit");
    a->send("after");
    EXPECT_EQ(a->read(), "after");
    b->send("after");
    EXPECT_EQ(b->read(), "after");
}

TEST(WebSocketSession, AnOversizeMessageClosesWith1009) {
    HttpServerOptions options;
    options.ws.max_message = 1024;
    EchoServer server(options);
    auto client = WsClient::connect(server.port(), "/ocpp/CP-1", {});
    ASSERT_TRUE(client);
    client->send(std::string(1024, 'x'));
    EXPECT_EQ(client->read(), std::string(1024, 'x'));
    client->send(std::string(2000, 'x'));
    EXPECT_EQ(client->read(), std::nullopt);
    EXPECT_EQ(client->close_code(), 1009);
    EXPECT_TRUE(server.wait_closed(1));
}

TEST(WebSocketSession, ABinaryMessageClosesWith1003) {
    EchoServer server;
    auto client = WsClient::connect(server.port(), "/ocpp/CP-1", {});
    ASSERT_TRUE(client);
    client->send_binary("\x01\x02");
    EXPECT_EQ(client->read(), std::nullopt);
    EXPECT_EQ(client->close_code(), 1003);
}

TEST(WebSocketSession, TheHandlersCloseComesAfterItsQueuedMessages) {
    EchoServer server;
    auto client = WsClient::connect(server.port(), "/ocpp/CP-1", {});
    ASSERT_TRUE(client);
    client->send("close-me");
    EXPECT_EQ(client->read(), "bye");
    EXPECT_EQ(client->read(), std::nullopt);
    EXPECT_EQ(client->close_code(), 1000);
    EXPECT_EQ(client->close_reason(), "asked to");
    EXPECT_TRUE(server.wait_closed(1));
}

TEST(WebSocketSession, StopClosesOpenConnectionsAndRunReturns) {
    EchoServer server;
    auto first = WsClient::connect(server.port(), "/ocpp/CP-1", {});
    auto second = WsClient::connect(server.port(), "/ocpp/CP-2", {});
    ASSERT_TRUE(first && second);
    first->send("ping");
    ASSERT_EQ(first->read(), "ping");

    auto stopped = std::async(std::launch::async, [&] { return server.stop_and_wait(); });
    EXPECT_EQ(first->read(), std::nullopt);
    EXPECT_EQ(first->close_code(), 1001);
    EXPECT_EQ(second->read(), std::nullopt);
    EXPECT_EQ(second->close_code(), 1001);
    EXPECT_TRUE(stopped.get());
    EXPECT_EQ(server.closed(), 2);
}

// Sends `n` messages, then reads until the connection ends: how many came back.
int echoed_of(WsClient& client, int n) {
    try {
        for (int i = 0; i < n; ++i) client.send("m" + std::to_string(i));
    } catch (const std::runtime_error&) {  // the server may be gone before the last ones
    }
    int echoed = 0;
    while (client.read()) ++echoed;
    return echoed;
}

TEST(WebSocketSession, TheRateLimitIsTheChargePointsAndSurvivesAReconnect) {
    HttpServerOptions options;
    options.ws.messages_per_s = 0.001;  // next to nothing accrues while the test runs
    options.ws.burst = 20;
    EchoServer server(options);
    auto first = WsClient::connect(server.port(), "/ocpp/CP-1", {});
    ASSERT_TRUE(first);
    for (int i = 0; i < 15; ++i) first->send("m" + std::to_string(i));
    for (int i = 0; i < 15; ++i) ASSERT_EQ(first->read(), "m" + std::to_string(i));
    first->close();
    ASSERT_TRUE(server.wait_closed(1));

    auto again = WsClient::connect(server.port(), "/ocpp/CP-1", {});
    ASSERT_TRUE(again);
    EXPECT_EQ(echoed_of(*again, 10), 5);  // what the first connection left of the burst
    EXPECT_EQ(again->close_code(), 1008);
    auto other = WsClient::connect(server.port(), "/ocpp/CP-2", {});
    ASSERT_TRUE(other);
    for (int i = 0; i < 20; ++i) other->send("m" + std::to_string(i));
    for (int i = 0; i < 20; ++i) ASSERT_EQ(other->read(), "m" + std::to_string(i));

    ASSERT_TRUE(server.wait_events(1));
    const ServerEvent e = server.events().at(0);
    EXPECT_EQ(e.remote, "127.0.0.1");
    EXPECT_EQ(e.event, "closed");
    EXPECT_EQ(e.reason, "message rate above 0.001/s after a burst of 20 (1008)");
    EXPECT_EQ(e.path, "/ocpp/CP-1");
}

TEST(WebSocketSession, SizeAndBinaryClosesAreLoggedWithTheirReason) {
    HttpServerOptions options;
    options.ws.max_message = 1024;
    EchoServer server(options);
    auto big = WsClient::connect(server.port(), "/ocpp/CP-1", {});
    ASSERT_TRUE(big);
    big->send(std::string(2000, 'x'));
    EXPECT_EQ(big->read(), std::nullopt);
    EXPECT_EQ(big->close_code(), 1009);
    ASSERT_TRUE(server.wait_events(1));
    auto binary = WsClient::connect(server.port(), "/ocpp/CP-2", {});
    ASSERT_TRUE(binary);
    binary->send_binary("\x01\x02");
    EXPECT_EQ(binary->read(), std::nullopt);
    ASSERT_TRUE(server.wait_events(2));
    const std::vector<ServerEvent> events = server.events();
    EXPECT_EQ(events[0].reason, "message larger than 1024 bytes (1009)");
    EXPECT_EQ(events[0].path, "/ocpp/CP-1");
    EXPECT_EQ(events[1].reason, "binary message (1003)");
    EXPECT_EQ(events[1].path, "/ocpp/CP-2");
    for (const ServerEvent& e : events) EXPECT_EQ(e.event, "closed");
}

}  // namespace
}  // namespace evtwin::serve
