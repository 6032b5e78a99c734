#pragma once
// An HTTP/1.1 server on Boost.Beast: asynchronous connections served by a fixed pool of worker
// threads, each request answered by one handler function. Bodies above a size limit are refused
// with 413 before they are read; idle connections time out. stop() (or SIGINT/SIGTERM, see
// run()) stops accepting, lets requests in flight finish and closes idle connections.
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
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
};

// What the access log gets for each request answered.
struct AccessRecord {
    const HttpRequest& request;
    int status;
    std::size_t bytes;
    double seconds;  // from the request read to the response written
};

struct HttpServerOptions {
    std::string address = "127.0.0.1";
    unsigned short port = 8080;  // 0: any free port (see HttpServer::port)
    unsigned threads = 0;        // 0: the machine's cores, at least 2
    std::size_t max_body = 1 << 20;
    std::size_t max_connections = 512;
    int idle_timeout_s = 30;
};

class HttpServer {
public:
    using Handler = std::function<HttpResponse(const HttpRequest&)>;
    using AccessLog = std::function<void(const AccessRecord&)>;

    // Binds and listens; throws std::runtime_error naming the address when it cannot.
    HttpServer(HttpServerOptions options, Handler handler, AccessLog log);
    ~HttpServer();

    unsigned short port() const;
    // Serves until stop() or, with `handle_signals`, SIGINT or SIGTERM; returns when every
    // connection is closed.
    void run(bool handle_signals);
    void stop();

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace evtwin::serve
