// One WebSocket connection of the server, plain or TLS (the same code on either stream), on its own
// strand: text messages are read one at a time and given to the handler; what send() queues is
// written in order; limits (message size, rate, idle time) close the connection, and the server's
// event log says why. The rate limit's bucket is the charge point's (WsAccept::rate_key), kept by
// the server across reconnects.
#include "serve/net/http_server_impl.hpp"
#include "serve/net/token_bucket.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <deque>
#include <sstream>

namespace evtwin::serve {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace websocket = beast::websocket;

template <class Stream>
class WsSession : public WsConnection,
                  public ServerConnection,
                  public std::enable_shared_from_this<WsSession<Stream>> {
public:
    WsSession(Stream&& stream, const HttpRequest& info, WsAccept accept, ConnectionSlot slot,
              const std::shared_ptr<HttpServer::Impl>& server)
        : server_(server),
          ws_(std::move(stream)),
          slot_(std::move(slot)),
          path_(info.target.substr(0, info.target.find('?'))),
          subprotocol_(std::move(accept.subprotocol)),
          remote_(info.remote),
          bucket_(server->rates.bucket(accept.rate_key.empty() ? path_ : accept.rate_key,
                                       TokenBucket::Clock::now())) {}

    void start(UpgradeRequest request) {
        request_ = std::move(request);
        // The WebSocket stream keeps its own time (idle pings, handshakes), not the TCP stream.
        beast::get_lowest_layer(ws_).expires_never();
        const WsLimits& limits = server_->options.ws;
        auto timeout = websocket::stream_base::timeout::suggested(beast::role_type::server);
        timeout.handshake_timeout = std::chrono::seconds(10);
        timeout.idle_timeout = websocket::stream_base::none();
        if (limits.idle_timeout_s > 0) timeout.idle_timeout = std::chrono::seconds(limits.idle_timeout_s);
        timeout.keep_alive_pings = true;
        ws_.set_option(timeout);
        ws_.set_option(
            websocket::stream_base::decorator([protocol = subprotocol_](websocket::response_type& r) {
                r.set(http::field::server, "evtwin");
                if (!protocol.empty()) r.set(http::field::sec_websocket_protocol, protocol);
            }));
        ws_.read_message_max(limits.max_message);  // above it Beast closes with 1009 (too big)
        ws_.async_accept(request_,
                         [self = this->shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
    }

    void send(std::string text) override {
        if (ended_) return;
        net::post(ws_.get_executor(), [self = this->shared_from_this(), text = std::move(text)]() mutable {
            self->enqueue({std::move(text), false, {}});
        });
    }

    void close(std::string reason) override { close_with(websocket::close_code::normal, std::move(reason)); }

    void stop() override { close_with(websocket::close_code::going_away, "server stopping"); }

    const std::string& path() const override { return path_; }
    const std::string& subprotocol() const override { return subprotocol_; }
    const std::string& remote() const override { return remote_; }

private:
    struct Outgoing {
        std::string text;
        bool close = false;
        websocket::close_reason reason;
    };

    void close_with(websocket::close_code code, std::string reason) {
        if (ended_) return;
        if (reason.size() > 123) reason.resize(123);  // a close frame's reason fits in 123 bytes
        net::post(ws_.get_executor(), [self = this->shared_from_this(), code, reason = std::move(reason)] {
            if (!self->opened_) {
                self->stop_on_open_ = true;  // still in the handshake
                return;
            }
            self->enqueue({"", true, websocket::close_reason(code, reason)});
        });
    }

    void on_accept(beast::error_code ec) {
        request_ = {};
        if (ec) return end();
        opened_ = true;
        const auto self = this->shared_from_this();
        if (handler().opened) guarded([&] { handler().opened(self); });
        if (stop_on_open_ || server_->stopping)
            enqueue(
                {"", true, websocket::close_reason(websocket::close_code::going_away, "server stopping")});
        read();
    }

    void read() {
        ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            self->on_read(ec);
        });
    }

    void on_read(beast::error_code ec) {
        if (ec == websocket::error::message_too_big)  // Beast has sent the close frame (1009)
            report("message larger than " + std::to_string(server_->options.ws.max_message) +
                   " bytes (1009)");
        if (ec) return end();
        std::string text = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        if (closing_) return read();  // until the peer answers the close frame
        if (!ws_.got_text()) {
            report("binary message (1003)");
            enqueue({"", true,
                     websocket::close_reason(websocket::close_code::unknown_data, "text messages only")});
        } else if (!bucket_->take(TokenBucket::Clock::now())) {
            const WsLimits& limits = server_->options.ws;
            report("message rate above " + number(limits.messages_per_s) + "/s after a burst of " +
                   number(limits.burst) + " (1008)");
            enqueue({"", true, websocket::close_reason(websocket::close_code::policy_error, "rate limit")});
        } else if (handler().message) {
            const auto self = this->shared_from_this();
            guarded([&] { handler().message(self, std::move(text)); });
        }
        read();
    }

    // Calls the handler; an exception it lets out ends the connection (1011), never the server.
    template <class F>
    void guarded(F&& call) {
        try {
            call();
        } catch (const std::exception&) {
            enqueue(
                {"", true, websocket::close_reason(websocket::close_code::internal_error, "internal error")});
        }
    }

    void enqueue(Outgoing out) {
        if (closing_ || ended_) return;  // nothing goes after a close frame
        closing_ = out.close;
        queue_.push_back(std::move(out));
        if (!writing_) write_next();
    }

    void write_next() {
        writing_ = !queue_.empty();
        if (!writing_) return;
        auto self = this->shared_from_this();
        if (queue_.front().close) {
            if (!ws_.is_open()) {  // the peer's close came first: Beast has answered it
                queue_.clear();
                writing_ = false;
                return;
            }
            ws_.async_close(queue_.front().reason, [self](beast::error_code ec) { self->on_write(ec); });
        } else {
            ws_.text(true);
            ws_.async_write(net::buffer(queue_.front().text),
                            [self](beast::error_code ec, std::size_t) { self->on_write(ec); });
        }
    }

    void on_write(beast::error_code ec) {
        queue_.pop_front();
        if (ec) {
            queue_.clear();
            writing_ = false;
            return;
        }
        write_next();
    }

    // The read loop ended: the connection is over, whatever ended it.
    void end() {
        ended_ = true;
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);  // any write still pending fails
        if (opened_ && handler().closed) {
            try {
                handler().closed(this->shared_from_this());
            } catch (const std::exception&) {
            }
        }
    }

    const WsHandler& handler() const { return *server_->ws_handler; }

    void report(std::string reason) const { server_->report({remote_, "closed", std::move(reason), path_}); }

    static std::string number(double x) {
        std::ostringstream text;
        text << x;
        return text.str();
    }

    std::shared_ptr<HttpServer::Impl> server_;  // first: destroyed last
    websocket::stream<Stream> ws_;
    ConnectionSlot slot_;
    std::string path_;
    std::string subprotocol_;
    std::string remote_;
    std::shared_ptr<MessageRates::Bucket> bucket_;
    UpgradeRequest request_;
    beast::flat_buffer buffer_;
    std::deque<Outgoing> queue_;
    std::atomic<bool> ended_{false};  // read by send() and close() on any thread
    bool opened_ = false;
    bool stop_on_open_ = false;
    bool closing_ = false;  // a close frame is queued or sent
    bool writing_ = false;
};

template <class Stream>
void start_websocket_session_on(Stream&& stream, UpgradeRequest request, const HttpRequest& info,
                                WsAccept accept, ConnectionSlot slot,
                                const std::shared_ptr<HttpServer::Impl>& server) {
    auto session = std::make_shared<WsSession<Stream>>(std::move(stream), info, std::move(accept),
                                                       std::move(slot), server);
    session->start(std::move(request));  // on the stream's strand: called from the HTTP session's handler
    server->add(session);
}

void start_websocket_session(PlainStream&& stream, UpgradeRequest request, const HttpRequest& info,
                             WsAccept accept, ConnectionSlot slot,
                             const std::shared_ptr<HttpServer::Impl>& server) {
    start_websocket_session_on(std::move(stream), std::move(request), info, std::move(accept),
                               std::move(slot), server);
}

void start_websocket_session(TlsStream&& stream, UpgradeRequest request, const HttpRequest& info,
                             WsAccept accept, ConnectionSlot slot,
                             const std::shared_ptr<HttpServer::Impl>& server) {
    start_websocket_session_on(std::move(stream), std::move(request), info, std::move(accept),
                               std::move(slot), server);
}

}  // namespace evtwin::serve
