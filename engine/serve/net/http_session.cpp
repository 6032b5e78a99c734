// One HTTP connection of the server, plain or TLS (the same code on either stream): requests read
// one at a time, each answered by the server's handler; a WebSocket upgrade on the server's prefix
// is offered to the WebSocket handler and, accepted, hands the stream to a WebSocket session.
#include "serve/net/http_server_impl.hpp"
#include "serve/net/json_text.hpp"
#include "serve/net/request_head.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <type_traits>

namespace evtwin::serve {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

HttpResponse http_error_response(int status, const std::string& message) {
    HttpResponse r;
    r.status = status;
    r.body = json_text({{"error", {{"status", status}, {"path", ""}, {"message", message}}}});
    return r;
}

// The values of the Sec-WebSocket-Protocol header lines, in order.
std::vector<std::string> offered_subprotocols(const UpgradeRequest& request) {
    std::vector<std::string> offered;
    const auto [first, last] = request.equal_range(http::field::sec_websocket_protocol);
    for (auto field = first; field != last; ++field) {
        for (std::string& item :
             subprotocols_of(std::string_view(field->value().data(), field->value().size())))
            offered.push_back(std::move(item));
    }
    return offered;
}

}  // namespace

// Not in an anonymous namespace: GCC warns (-Wsubobject-linkage) when a unity build puts a type
// with internal linkage in a shared pointer held by this file's external-linkage code.
template <class Stream>
class HttpSession : public ServerConnection, public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

    HttpSession(tcp::socket socket, std::string remote, ConnectionSlot slot,
                const std::shared_ptr<HttpServer::Impl>& server)
        : server_(server),
          stream_(make_stream(std::move(socket), *server)),
          slot_(std::move(slot)),
          remote_(std::move(remote)) {}

    void start() {
        net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
            if constexpr (kTls) {
                self->lowest().expires_after(std::chrono::seconds(self->server_->options.head_timeout_s));
                self->stream_.async_handshake(net::ssl::stream_base::server, [self](beast::error_code ec) {
                    if (ec) {  // a plain client, a failed handshake or one too slow
                        self->report("closed",
                                     "TLS handshake: " + (ec == beast::error::timeout ? self->head_deadline()
                                                                                      : ec.message()));
                        return self->close();
                    }
                    self->read();
                });
            } else {
                self->read();
            }
        });
    }

    // From another thread: ends the connection unless a request is being handled.
    void stop() override {
        net::post(stream_.get_executor(), [self = this->shared_from_this()] {
            beast::error_code ignored;
            if (!self->busy_ && !self->upgraded_) self->lowest().socket().cancel(ignored);
        });
    }

private:
    static Stream make_stream(tcp::socket socket, HttpServer::Impl& server) {
        if constexpr (kTls) {
            return Stream(std::move(socket), *server.tls);
        } else {
            return Stream(std::move(socket));
        }
    }

    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

    std::string head_deadline() const {
        return "not complete within " + std::to_string(server_->options.head_timeout_s) + " s";
    }

    void report(std::string event, std::string reason) {
        server_->report({remote_, std::move(event), std::move(reason), request_.target});
    }

    // The head within its deadline, then the body within the idle timeout: a client that sends its
    // head a byte at a time holds a connection for no longer than the head's deadline.
    void read() {
        if (server_->stopping) return close();
        busy_ = false;
        request_ = HttpRequest{};
        parser_.emplace();
        parser_->body_limit(server_->options.max_body);
        parser_->header_limit(kMaxHeadBytes);
        lowest().expires_after(std::chrono::seconds(server_->options.head_timeout_s));
        http::async_read_header(
            stream_, buffer_, *parser_,
            [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_head(ec); });
    }

    void on_head(beast::error_code ec) {
        // A connection idle between requests ends quietly; one that began a head, or never sent a
        // request, is logged.
        if (ec == beast::error::timeout && (buffer_.size() > 0 || requests_ == 0))
            report("closed", "request head " + head_deadline());
        if (ec) return on_read(ec);
        ++requests_;
        lowest().expires_after(std::chrono::seconds(server_->options.idle_timeout_s));
        http::async_read(
            stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec == beast::error::timeout)
                    self->report("closed", "request body not complete within " +
                                               std::to_string(self->server_->options.idle_timeout_s) + " s");
                self->on_read(ec);
            });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::body_limit) {
            return respond(http_error_response(413, "request body larger than " +
                                                        std::to_string(server_->options.max_body) + " bytes"),
                           false);
        }
        if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
            ec == beast::error::timeout || ec == net::error::connection_reset || ec == net::error::eof ||
            ec == net::ssl::error::stream_truncated) {
            return close();
        }
        if (ec) {
            report("refused", "malformed HTTP request: " + ec.message());
            return respond(http_error_response(400, "malformed HTTP request: " + ec.message()), false);
        }

        busy_ = true;
        started_ = std::chrono::steady_clock::now();
        const auto& message = parser_->get();
        request_.method = std::string(message.method_string());
        request_.target = std::string(message.target());
        request_.body = message.body();
        request_.authorization = std::string(message[http::field::authorization]);
        request_.content_type = std::string(message[http::field::content_type]);
        request_.remote = remote_;
        const std::string path(path_of(request_.target));
        const bool websocket_path = server_->ws_handler && path.rfind(server_->ws_prefix, 0) == 0;
        if (beast::websocket::is_upgrade(message)) {
            if (!websocket_path)
                return respond(http_error_response(404, "no WebSocket endpoint at " + path), false);
            std::string refusal;
            if (!server_->limits.upgrade(slot_, refusal)) {
                report("refused", refusal);
                return respond(http_error_response(503, "the server is full: try again later"), false);
            }
            return upgrade();
        }
        if (websocket_path) {
            HttpResponse r =
                http_error_response(426, path + " is a WebSocket endpoint: upgrade the connection");
            r.headers = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}};
            return respond(std::move(r), false);
        }
        HttpResponse response;
        try {
            response = server_->handler(request_);
        } catch (const std::exception& e) {
            response = http_error_response(500, "internal error");
        }
        respond(std::move(response), message.keep_alive());
    }

    // The handler answers now or later, from any thread; the answer is handled on this connection's
    // strand, whose executor counts as busy meanwhile, so that the server's run() waits for it.
    void upgrade() {
        const auto once = std::make_shared<std::atomic<bool>>(false);
        const WsAnswer answer = [self = this->shared_from_this(), once,
                                 work =
                                     net::prefer(stream_.get_executor(),
                                                 net::execution::outstanding_work.tracked)](WsAccept accept) {
            if (once->exchange(true)) return;
            net::post(work,
                      [self, accept = std::move(accept)]() mutable { self->on_answer(std::move(accept)); });
        };
        try {
            if (server_->ws_handler->upgrade) {
                server_->ws_handler->upgrade(request_, offered_subprotocols(parser_->get()), answer);
            } else {
                answer(WsAccept{});
            }
        } catch (const std::exception&) {
            answer(WsAccept{500, "", "internal error", {}, ""});
        }
    }

    void on_answer(WsAccept accept) {
        if (accept.status != 101) {
            HttpResponse r;
            r.status = accept.status;
            r.content_type = "text/plain; charset=utf-8";
            r.body = std::move(accept.message);
            r.headers = std::move(accept.headers);
            return respond(std::move(r), false);
        }
        if (server_->log) server_->log(AccessRecord{request_, 101, 0, 0.0});
        upgraded_ = true;
        // The upgrade request is the last thing read: a client sends nothing before the 101.
        start_websocket_session(std::move(stream_), parser_->release(), request_, std::move(accept),
                                std::move(slot_), server_);
    }

    void respond(HttpResponse r, bool keep_alive) {
        if (!busy_) {  // answered before a request was read whole
            request_ = HttpRequest{};
            request_.remote = remote_;
            started_ = std::chrono::steady_clock::now();
            busy_ = true;
        }
        keep_alive = keep_alive && !server_->stopping;
        lowest().expires_after(std::chrono::seconds(server_->options.idle_timeout_s));
        if (!r.file.empty()) {
            beast::error_code ec;
            file_response_ = {};
            file_response_.body().open(r.file.c_str(), beast::file_mode::scan, ec);
            if (!ec) return write(file_response_, std::move(r), keep_alive);
            r = http_error_response(404, "no such page");
        }
        response_ = {};
        response_.body() = std::move(r.body);
        write(response_, std::move(r), keep_alive);
    }

    // Writes `message`, whose body is set, with the status and headers of `r`.
    template <class Message>
    void write(Message& message, HttpResponse r, bool keep_alive) {
        message.result(static_cast<unsigned>(r.status));
        message.version(11);
        message.set(http::field::server, "evtwin");
        message.set(http::field::content_type, r.content_type);
        for (const auto& [name, value] : r.headers) message.set(name, value);
        message.keep_alive(keep_alive);
        message.prepare_payload();
        status_ = r.status;
        http::async_write(
            stream_, message,
            [self = this->shared_from_this(), keep_alive](beast::error_code ec, std::size_t bytes) {
                self->on_write(ec, bytes, keep_alive);
            });
    }

    void on_write(beast::error_code ec, std::size_t bytes, bool keep_alive) {
        if (server_->log) {
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
            server_->log(AccessRecord{request_, status_, bytes, seconds});
        }
        if (ec || !keep_alive) return close();
        read();
    }

    // Without a TLS close_notify: every response has its length, so a client loses nothing.
    void close() {
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
        lowest().socket().close(ignored);
    }

    std::shared_ptr<HttpServer::Impl> server_;  // first: destroyed last
    Stream stream_;
    ConnectionSlot slot_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> response_;
    http::response<http::file_body> file_response_;
    HttpRequest request_;
    std::string remote_;
    std::chrono::steady_clock::time_point started_;
    int status_ = 0;
    std::size_t requests_ = 0;  // whose head was read
    bool busy_ = false;
    bool upgraded_ = false;  // the stream went to a WebSocket session
};

void start_http_session(tcp::socket socket, std::string remote, ConnectionSlot slot,
                        const std::shared_ptr<HttpServer::Impl>& server) {
    // Small frames leave at once: Nagle's algorithm would hold a close frame written just after a
    // message until the peer's delayed acknowledgement (40 ms).
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::shared_ptr<ServerConnection> session;
    if (server->tls) {
        auto s = std::make_shared<HttpSession<TlsStream>>(std::move(socket), std::move(remote),
                                                          std::move(slot), server);
        s->start();
        session = s;
    } else {
        auto s = std::make_shared<HttpSession<PlainStream>>(std::move(socket), std::move(remote),
                                                            std::move(slot), server);
        s->start();
        session = s;
    }
    server->add(session);
}

}  // namespace evtwin::serve
