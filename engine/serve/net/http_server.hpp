#pragma once
// An HTTP/1.1 server on Boost.Beast: asynchronous connections served by a fixed pool of worker
// threads, each request answered by one handler function. Bodies above a size limit are refused
// with 413 before they are read; a request head (or TLS handshake) slower than its deadline ends
// the connection; connections are capped in all, per peer address and, for WebSocket ones, in
// slots of their own (connection_limits.hpp). stop() (or SIGINT/SIGTERM, see run()) stops
// accepting, lets requests in flight finish and closes idle connections.
// WebSocket upgrades on one path prefix go to a WsHandler (websocket.hpp); with TLS files every
// connection, HTTP and WebSocket alike, is TLS (1.2 or later).
#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace evtwin::serve {

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path and query, e.g. "/v1/plans/p000001"
    std::string body;
    std::string authorization;  // the Authorization header, empty when absent
    std::string content_type;
    std::string remote;  // peer address
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // When set, the body is this file, streamed from disk (`body` is ignored); a file that cannot
    // be opened any more is answered with 404.
    std::filesystem::path file;
};

// An answer of JSON text (the default content type).
inline HttpResponse json_response(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

// What the access log gets for each request answered.
struct AccessRecord {
    const HttpRequest& request;
    int status;
    std::size_t bytes;
    double seconds;  // from the request read to the response written
};

// What the server refused or ended on its own, for the log: a connection over a cap, a request head
// or TLS handshake too slow, a WebSocket closed for its message rate or size, a failed password.
struct ServerEvent {
    std::string remote;  // peer address
    std::string event;   // "refused" (a connection or upgrade turned away) or "closed"
    std::string reason;  // e.g. "per-address connection cap (32)"
    std::string path;    // the request's path when one was read, else empty
};

struct WsHandler;  // websocket.hpp

struct WsLimits {
    std::size_t max_message = 64 * 1024;  // larger messages close the connection (1009)
    double messages_per_s = 50;           // sustained rate per charge point (WsAccept::rate_key), across
    double burst = 200;                   // reconnects (0: none); above it (after `burst` messages) the
                                          // connection is closed (1008)
    int idle_timeout_s = 300;             // no frame (pings count) for this long closes it
};

// PEM files of a TLS server (OCPP security profile 2; with `client_ca`, profile 3).
struct TlsFiles {
    std::filesystem::path certificate_chain;  // the server's certificate, then any intermediates
    std::filesystem::path private_key;
    std::filesystem::path client_ca;  // when set, clients must present a certificate it signed
};

struct HttpServerOptions {
    std::string address = "127.0.0.1";
    unsigned short port = 8080;  // 0: any free port (see HttpServer::port)
    unsigned threads = 0;        // 0: the machine's cores, at least 2
    std::size_t max_body = 1 << 20;
    std::size_t max_connections = 512;  // HTTP connections, those not past their first request too
    std::size_t max_per_address = 32;   // of those, from one peer address (at least 1)
    std::size_t max_websockets = 512;   // WebSocket connections, in slots of their own
    int head_timeout_s = 10;            // a TLS handshake, and each request's head, within this
    int idle_timeout_s = 30;            // each request's body, and each response's write, within this
    WsLimits ws;
    std::optional<TlsFiles> tls;  // none: plain TCP
};

class HttpServer {
public:
    using Handler = std::function<HttpResponse(const HttpRequest&)>;
    using AccessLog = std::function<void(const AccessRecord&)>;
    using EventLog = std::function<void(const ServerEvent&)>;

    // Binds and listens; throws std::runtime_error naming the address when it cannot, or naming
    // the file when a TLS file cannot be read or does not fit.
    HttpServer(HttpServerOptions options, Handler handler, AccessLog log);
    ~HttpServer();

    // Before run(): WebSocket upgrade requests whose path starts with `path_prefix` (e.g.
    // "/ocpp/") go to `handler`; an upgrade elsewhere gets 404, and a plain request under the
    // prefix 426 (Upgrade Required).
    void set_websocket(std::string path_prefix, WsHandler handler);

    // Before run(): where refusals and the server's own closes are reported (none: nowhere).
    void set_event_log(EventLog log);
    // From any thread, e.g. a WebSocket handler's refusal: reported through the event log.
    void report(const ServerEvent& event) const;

    unsigned short port() const;
    bool tls() const;
    // The connections open now: HTTP ones (those not past their first request too) and WebSocket ones.
    std::size_t http_connections() const;
    std::size_t websocket_connections() const;
    // From now on SIGINT and SIGTERM stop the server as stop() does, one that comes before run() too:
    // called before the server says it is ready, no signal can kill it unawares.
    void stop_on_signals();
    // Serves until stop(); returns when every connection is closed.
    void run();
    void stop();

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace evtwin::serve
