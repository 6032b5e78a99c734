#include "ws_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <cctype>
#include <chrono>
#include <stdexcept>
#include <type_traits>

namespace evtwin::serve::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace websocket = beast::websocket;

namespace {

template <class Next>
class BeastWsClient final : public WsClient {
public:
    static constexpr bool kTls = !std::is_same_v<Next, beast::tcp_stream>;

    explicit BeastWsClient(const WsClientOptions& options) {
        if constexpr (kTls) {
            tls_.emplace(net::ssl::context::tls_client);
            tls_->load_verify_file(options.tls_ca->string());
            tls_->set_verify_mode(net::ssl::verify_peer);
            if (!options.client_certificate.empty()) {
                tls_->use_certificate_chain_file(options.client_certificate.string());
                tls_->use_private_key_file(options.client_key.string(), net::ssl::context::pem);
            }
            ws_.emplace(ioc_, *tls_);
        } else {
            ws_.emplace(ioc_);
        }
    }

    ~BeastWsClient() override {
        beast::error_code ignored;
        beast::get_lowest_layer(*ws_).socket().close(ignored);
    }

    // False when the server refused the upgrade.
    bool handshake(unsigned short port, const std::string& target, const WsClientOptions& options,
                   WsHandshakeReply* reply) {
        const net::ip::tcp::endpoint server(net::ip::make_address("127.0.0.1"), port);
        wait([&](auto done) { beast::get_lowest_layer(*ws_).async_connect(server, done); }, "connect");
        if constexpr (kTls) {
            SSL_set_tlsext_host_name(ws_->next_layer().native_handle(), "localhost");
            wait([&](auto done) { ws_->next_layer().async_handshake(net::ssl::stream_base::client, done); },
                 "TLS handshake");
        }
        ws_->set_option(websocket::stream_base::decorator([options](websocket::request_type& r) {
            std::string offered;
            for (const auto& p : options.subprotocols) offered += (offered.empty() ? "" : ", ") + p;
            if (!offered.empty()) r.set(http::field::sec_websocket_protocol, offered);
            if (!options.authorization.empty()) r.set(http::field::authorization, options.authorization);
        }));
        websocket::response_type response;
        beast::error_code declined;
        try {
            wait([&](auto done) { ws_->async_handshake(response, "localhost", target, done); }, "upgrade");
        } catch (const boost::system::system_error& e) {
            if (e.code() != websocket::error::upgrade_declined) throw;
            declined = e.code();
        }
        if (reply) {
            reply->status = static_cast<int>(response.result_int());
            reply->body = response.body();
            for (const auto& field : response) {
                std::string name(field.name_string());
                for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                reply->headers[name] = std::string(field.value());
            }
        }
        return !declined;
    }

    void send(const std::string& text) override {
        ws_->text(true);
        wait([&](auto done) { ws_->async_write(net::buffer(text), done); }, "write");
    }

    void send_binary(const std::string& bytes) override {
        ws_->binary(true);
        wait([&](auto done) { ws_->async_write(net::buffer(bytes), done); }, "write");
    }

    std::optional<std::string> read() override {
        if (closed_) return std::nullopt;
        beast::flat_buffer buffer;
        try {
            wait([&](auto done) { ws_->async_read(buffer, done); }, "read");
        } catch (const boost::system::system_error&) {
            closed_ = true;
            code_ = ws_->reason().code;
            reason_ = std::string(ws_->reason().reason.c_str());
            return std::nullopt;
        }
        return beast::buffers_to_string(buffer.data());
    }

    int close_code() const override { return code_; }
    std::string close_reason() const override { return reason_; }

    void close() override {
        if (closed_) return;
        closed_ = true;
        try {
            wait([&](auto done) { ws_->async_close(websocket::close_code::normal, done); }, "close");
        } catch (const boost::system::system_error&) {
        }
    }

private:
    // Runs one asynchronous operation to its end, or fails after a minute.
    template <class Start>
    void wait(Start&& start, const char* what) {
        bool done = false;
        beast::error_code result;
        start([&](beast::error_code ec, auto&&...) {
            result = ec;
            done = true;
        });
        ioc_.restart();
        ioc_.run_for(std::chrono::seconds(60));
        if (!done) {
            beast::error_code ignored;
            beast::get_lowest_layer(*ws_).socket().close(ignored);
            ioc_.restart();
            ioc_.run();
            throw std::runtime_error(std::string(what) + ": no answer from the server within a minute");
        }
        if (result) throw boost::system::system_error(result, what);
    }

    net::io_context ioc_;
    std::optional<net::ssl::context> tls_;
    std::optional<websocket::stream<Next>> ws_;
    bool closed_ = false;
    int code_ = 0;
    std::string reason_;
};

template <class Next>
std::unique_ptr<WsClient> connect_with(unsigned short port, const std::string& target,
                                       const WsClientOptions& options, WsHandshakeReply* reply) {
    auto client = std::make_unique<BeastWsClient<Next>>(options);
    if (!client->handshake(port, target, options, reply)) return nullptr;
    return client;
}

}  // namespace

std::unique_ptr<WsClient> WsClient::connect(unsigned short port, const std::string& target,
                                            const WsClientOptions& options, WsHandshakeReply* reply) {
    if (options.tls_ca)
        return connect_with<beast::ssl_stream<beast::tcp_stream>>(port, target, options, reply);
    return connect_with<beast::tcp_stream>(port, target, options, reply);
}

}  // namespace evtwin::serve::test
