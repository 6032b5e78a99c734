#include "serve/http_server.hpp"

#include "serve/json_text.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace evtwin::serve {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// One connection. Not in an anonymous namespace: HttpServer::Impl holds them, and GCC warns
// (-Wsubobject-linkage) about that when a unity build includes this file.
class HttpSession;

struct HttpServer::Impl {
    Impl(HttpServerOptions o, Handler h, AccessLog l)
        : options(std::move(o)), handler(std::move(h)), log(std::move(l)), acceptor(ioc), signals(ioc) {}

    void accept();
    void stop();
    void forget_closed_sessions();

    HttpServerOptions options;
    Handler handler;
    AccessLog log;
    net::io_context ioc;
    tcp::acceptor acceptor;
    net::signal_set signals;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> connections{0};
    std::mutex sessions_mutex;
    std::vector<std::weak_ptr<HttpSession>> sessions;
};

namespace {

HttpResponse error_response(int status, const std::string& message) {
    HttpResponse r;
    r.status = status;
    r.body = json_text({{"error", {{"status", status}, {"path", ""}, {"message", message}}}});
    return r;
}

}  // namespace

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket socket, HttpServer::Impl& server) : stream_(std::move(socket)), server_(server) {
        beast::error_code ec;
        const auto endpoint = stream_.socket().remote_endpoint(ec);
        remote_ = ec ? "?" : endpoint.address().to_string();
        ++server_.connections;
    }
    ~HttpSession() { --server_.connections; }

    void start() {
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
    }

    // From another thread: ends the connection unless a request is being handled.
    void stop_when_idle() {
        net::post(stream_.get_executor(), [self = shared_from_this()] {
            beast::error_code ignored;
            if (!self->busy_) self->stream_.socket().cancel(ignored);
        });
    }

private:
    void read() {
        if (server_.stopping) return close();
        busy_ = false;
        parser_.emplace();
        parser_->body_limit(server_.options.max_body);
        parser_->header_limit(16 * 1024);
        stream_.expires_after(std::chrono::seconds(server_.options.idle_timeout_s));
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::body_limit) {
            return respond(error_response(413, "request body larger than " +
                                                   std::to_string(server_.options.max_body) + " bytes"),
                           false);
        }
        if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
            ec == beast::error::timeout || ec == net::error::connection_reset || ec == net::error::eof) {
            return close();
        }
        if (ec) return respond(error_response(400, "malformed HTTP request: " + ec.message()), false);

        busy_ = true;
        started_ = std::chrono::steady_clock::now();
        const auto& message = parser_->get();
        request_.method = std::string(message.method_string());
        request_.target = std::string(message.target());
        request_.body = message.body();
        request_.authorization = std::string(message[http::field::authorization]);
        request_.content_type = std::string(message[http::field::content_type]);
        request_.remote = remote_;
        HttpResponse response;
        try {
            response = server_.handler(request_);
        } catch (const std::exception& e) {
            response = error_response(500, "internal error");
        }
        respond(std::move(response), message.keep_alive());
    }

    void respond(HttpResponse r, bool keep_alive) {
        if (!busy_) {  // answered before a request was read whole
            request_ = HttpRequest{};
            request_.remote = remote_;
            started_ = std::chrono::steady_clock::now();
            busy_ = true;
        }
        keep_alive = keep_alive && !server_.stopping;
        response_ = {};
        response_.result(static_cast<unsigned>(r.status));
        response_.version(11);
        response_.set(http::field::server, "evtwin");
        response_.set(http::field::content_type, r.content_type);
        for (const auto& [name, value] : r.headers) response_.set(name, value);
        response_.body() = std::move(r.body);
        response_.keep_alive(keep_alive);
        response_.prepare_payload();
        status_ = r.status;
        stream_.expires_after(std::chrono::seconds(server_.options.idle_timeout_s));
        http::async_write(stream_, response_,
                          [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t bytes) {
                              self->on_write(ec, bytes, keep_alive);
                          });
    }

    void on_write(beast::error_code ec, std::size_t bytes, bool keep_alive) {
        if (server_.log) {
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
            server_.log(AccessRecord{request_, status_, bytes, seconds});
        }
        if (ec || !keep_alive) return close();
        read();
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
    }

    beast::tcp_stream stream_;
    HttpServer::Impl& server_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> response_;
    HttpRequest request_;
    std::string remote_;
    std::chrono::steady_clock::time_point started_;
    int status_ = 0;
    bool busy_ = false;
};

void HttpServer::Impl::accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
        if (!ec) {
            if (connections >= options.max_connections) {
                beast::error_code ignored;
                socket.close(ignored);
            } else {
                auto session = std::make_shared<HttpSession>(std::move(socket), *this);
                {
                    std::lock_guard lock(sessions_mutex);
                    forget_closed_sessions();
                    sessions.push_back(session);
                }
                session->start();
            }
        }
        accept();
    });
}

void HttpServer::Impl::forget_closed_sessions() {
    sessions.erase(
        std::remove_if(sessions.begin(), sessions.end(), [](const auto& s) { return s.expired(); }),
        sessions.end());
}

void HttpServer::Impl::stop() {
    net::post(ioc, [this] {
        if (stopping.exchange(true)) return;
        beast::error_code ignored;
        acceptor.close(ignored);
        signals.cancel(ignored);
        std::lock_guard lock(sessions_mutex);
        for (auto& weak : sessions) {
            if (auto session = weak.lock()) session->stop_when_idle();
        }
    });
}

HttpServer::HttpServer(HttpServerOptions options, Handler handler, AccessLog log)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(handler), std::move(log))) {
    const std::string where = impl_->options.address + ":" + std::to_string(impl_->options.port);
    try {
        const tcp::endpoint endpoint(net::ip::make_address(impl_->options.address), impl_->options.port);
        impl_->acceptor.open(endpoint.protocol());
        impl_->acceptor.set_option(net::socket_base::reuse_address(true));
        impl_->acceptor.bind(endpoint);
        impl_->acceptor.listen(net::socket_base::max_listen_connections);
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot listen on " + where + ": " + e.what());
    }
}

HttpServer::~HttpServer() = default;

unsigned short HttpServer::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void HttpServer::run(bool handle_signals) {
    if (handle_signals) {
        impl_->signals.add(SIGINT);
        impl_->signals.add(SIGTERM);
        impl_->signals.async_wait([this](beast::error_code ec, int) {
            if (!ec) stop();
        });
    }
    impl_->accept();
    unsigned threads = impl_->options.threads;
    if (threads == 0) threads = std::max(2u, std::thread::hardware_concurrency());
    std::vector<std::thread> workers;
    for (unsigned i = 1; i < threads; ++i) workers.emplace_back([this] { impl_->ioc.run(); });
    impl_->ioc.run();
    for (auto& w : workers) w.join();
}

void HttpServer::stop() {
    impl_->stop();
}

}  // namespace evtwin::serve
