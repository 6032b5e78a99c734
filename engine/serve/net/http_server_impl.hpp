#pragma once
// Inside the HTTP server: what its listener (http_server.cpp), its HTTP sessions
// (http_session.cpp) and its WebSocket sessions (websocket_session.cpp) share. Boost.Beast types;
// only those files include it.
#include "serve/net/connection_limits.hpp"
#include "serve/net/http_server.hpp"
#include "serve/net/message_rates.hpp"
#include "serve/net/websocket.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace evtwin::serve {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
using UpgradeRequest = boost::beast::http::request<boost::beast::http::string_body>;

// An open connection, as stop() sees it.
class ServerConnection {
public:
    virtual ~ServerConnection() = default;
    // From any thread: ends the connection gently (HTTP: once the request in flight is answered;
    // WebSocket: a close frame 1001 after the messages already queued).
    virtual void stop() = 0;
};

using ConnectionSlot = ConnectionLimits::Slot;

// Sessions hold the server by a shared pointer: a WebSocket connection a handler still holds after
// the server is gone keeps the I/O context its socket belongs to.
struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
    Impl(HttpServerOptions o, Handler h, AccessLog l);

    void accept();
    void stop();
    // Registers a new connection for stop(); when the server is already stopping, stops it.
    void add(const std::shared_ptr<ServerConnection>& connection);
    // Through the event log, when there is one.
    void report(const ServerEvent& event) const {
        if (events) events(event);
    }

    HttpServerOptions options;
    Handler handler;
    AccessLog log;
    EventLog events;
    std::string ws_prefix;
    std::optional<WsHandler> ws_handler;
    boost::asio::io_context ioc;
    std::optional<boost::asio::ssl::context> tls;
    boost::asio::ip::tcp::acceptor acceptor;
    boost::asio::signal_set signals;
    std::atomic<bool> stopping{false};
    ConnectionLimits limits;
    MessageRates rates{options.ws.messages_per_s, options.ws.burst};  // by WsAccept::rate_key
    std::mutex sessions_mutex;
    std::vector<std::weak_ptr<ServerConnection>> sessions;
};

// http_session.cpp: serves a connection from `remote` accepted in `slot` (after a TLS handshake
// when the server has TLS).
void start_http_session(boost::asio::ip::tcp::socket socket, std::string remote, ConnectionSlot slot,
                        const std::shared_ptr<HttpServer::Impl>& server);

// websocket_session.cpp: takes over `stream`, on which `request`, an upgrade the handler accepted
// (`accept`), was read, and completes the WebSocket handshake.
void start_websocket_session(PlainStream&& stream, UpgradeRequest request, const HttpRequest& info,
                             WsAccept accept, ConnectionSlot slot,
                             const std::shared_ptr<HttpServer::Impl>& server);
void start_websocket_session(TlsStream&& stream, UpgradeRequest request, const HttpRequest& info,
                             WsAccept accept, ConnectionSlot slot,
                             const std::shared_ptr<HttpServer::Impl>& server);

// tls_context.cpp: a TLS 1.2+ server context from the PEM files; throws std::runtime_error naming
// the file that cannot be read or does not fit.
boost::asio::ssl::context make_tls_context(const TlsFiles& files);

}  // namespace evtwin::serve
