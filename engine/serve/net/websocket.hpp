#pragma once
// WebSocket connections of the HTTP server (RFC 6455, Boost.Beast inside websocket_session.cpp): an
// upgrade request on a path is offered to a WsHandler, which answers it, then or later and from any
// thread, accepting it with one of the offered subprotocols or refusing it with an HTTP status. Text
// messages then go to the handler, one at a time per connection, in order; different connections
// are handled concurrently.
#include "serve/net/http_server.hpp"

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
    // Accepted: the connections with the same key share one message rate limit (WsLimits), which
    // reconnecting does not refill (empty: the path is the key).
    std::string rate_key;
};

// Answers an upgrade request; the first call counts, later ones are ignored. Callable from any
// thread; the connection waits (no deadline) until it is called or destroyed uncalled (then the
// connection closes).
using WsAnswer = std::function<void(WsAccept)>;

// WsLimits, the limits of every connection, is in http_server.hpp (HttpServerOptions::ws).

struct WsHandler {
    // `request.target` is the path; `offered` are the Sec-WebSocket-Protocol values, in order. Both
    // live only during the call: a handler that answers later copies what it needs. An exception
    // out of the call answers 500 unless it answered first. None: every upgrade is accepted.
    std::function<void(const HttpRequest& request, const std::vector<std::string>& offered, WsAnswer answer)>
        upgrade;
    std::function<void(const std::shared_ptr<WsConnection>&)> opened;
    std::function<void(const std::shared_ptr<WsConnection>&, std::string text)> message;
    // Once per opened connection, after its last message, whatever ended it.
    std::function<void(const std::shared_ptr<WsConnection>&)> closed;
};

}  // namespace evtwin::serve
