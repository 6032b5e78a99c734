// The server's WebSocket connections: messages answered in order, one connection's flood closed
// (1008) without holding the others up, oversize (1009) and binary (1003) messages refused, the
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

}  // namespace
}  // namespace evtwin::serve
