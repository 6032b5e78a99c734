#pragma once
// WebSocket connections of the HTTP server (RFC 6455, Boost.Beast inside websocket_session.cpp): an
// upgrade request on a path is offered to a WsHandler, which accepts it with one of the offered
// subprotocols or refuses it with an HTTP status. Text messages then go to the handler, one at a
// time per connection, in order; different connections are handled concurrently.
#include "serve/http_server.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace evtwin::serve {

// One open WebSocket connection. send() and close() may be called from any thread.
class WsConnection {
public:
    virtual ~WsConnection() = default;
    // Queues a text message; messages leave in the order they were queued.
    virtual void send(std::string text) = 0;
    // Sends a close frame with this reason (after the queued messages) and ends the connection.
    virtual void close(std::string reason) = 0;
    virtual const std::string& path() const = 0;         // "/ocpp/CP-1"
    virtual const std::string& subprotocol() const = 0;  // the one accepted, e.g. "ocpp1.6"
    virtual const std::string& remote() const = 0;       // peer address
};

// The answer to an upgrade request.
struct WsAccept {
    int status = 101;         // 101: accepted; anything else: refused with this HTTP status
    std::string subprotocol;  // accepted: echoed in Sec-WebSocket-Protocol (empty: none)
    std::string message;      // refused: the response body
    std::vector<std::pair<std::string, std::string>> headers;  // refused: e.g. WWW-Authenticate
};

// WsLimits, the limits of every connection, is in http_server.hpp (HttpServerOptions::ws).

struct WsHandler {
    // `request.target` is the path; `offered` are the Sec-WebSocket-Protocol values, in order.
    std::function<WsAccept(const HttpRequest& request, const std::vector<std::string>& offered)> upgrade;
    std::function<void(const std::shared_ptr<WsConnection>&)> opened;
    std::function<void(const std::shared_ptr<WsConnection>&, std::string text)> message;
    // Once per opened connection, after its last message, whatever ended it.
    std::function<void(const std::shared_ptr<WsConnection>&)> closed;
};

}  // namespace evtwin::serve
