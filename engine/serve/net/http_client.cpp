#include "serve/net/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>

#include <openssl/ssl.h>

#include <strings.h>
#include <stdexcept>

namespace evtwin::serve {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string HttpClientReply::header(const std::string& name) const {
    for (const auto& [key, value] : headers)
        if (key.size() == name.size() && strncasecmp(key.c_str(), name.c_str(), name.size()) == 0)
            return value;
    return {};
}

UrlParts split_url(const std::string& url) {
    UrlParts p;
    std::string rest;
    if (url.rfind("http://", 0) == 0) {
        rest = url.substr(7);
    } else if (url.rfind("https://", 0) == 0) {
        p.tls = true;
        rest = url.substr(8);
    } else {
        throw std::invalid_argument("not an http(s) URL: '" + url + "'");
    }
    const std::size_t slash = rest.find_first_of("/?");
    std::string authority = rest.substr(0, slash);
    p.target = slash == std::string::npos ? "/" : rest.substr(slash);
    if (p.target.front() == '?') p.target.insert(0, "/");
    if (authority.find('@') != std::string::npos)
        throw std::invalid_argument("an http(s) URL with credentials in it: '" + url + "'");
    std::size_t colon = authority.rfind(':');
    if (!authority.empty() && authority.front() == '[') {  // [v6 address]:port
        const std::size_t close = authority.find(']');
        if (close == std::string::npos) throw std::invalid_argument("a bad host in URL '" + url + "'");
        p.host = authority.substr(1, close - 1);
        colon = authority.size() > close + 1 && authority[close + 1] == ':' ? close + 1 : std::string::npos;
    } else {
        p.host = authority.substr(0, colon);
    }
    p.port = colon == std::string::npos ? (p.tls ? "443" : "80") : authority.substr(colon + 1);
    if (p.host.empty() || p.port.empty() || p.port.find_first_not_of("0123456789") != std::string::npos)
        throw std::invalid_argument("a bad host or port in URL '" + url + "'");
    return p;
}

namespace {

template <class Stream>
HttpClientReply exchange(Stream& stream, beast::tcp_stream& timed, const UrlParts& url,
                         const HttpClientRequest& request) {
    http::request<http::string_body> req;
    req.method_string(request.method);
    req.target(url.target);
    req.version(11);
    req.set(http::field::host, url.host);
    req.set(http::field::user_agent, "evtwin");
    req.set(http::field::connection, "close");
    for (const auto& [name, value] : request.headers) req.set(name, value);
    if (!request.body.empty()) {
        req.set(http::field::content_type, "application/json");
        req.body() = request.body;
    }
    req.prepare_payload();
    timed.expires_after(request.timeout);
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    http::read(stream, buffer, parser);
    HttpClientReply reply;
    reply.status = static_cast<int>(parser.get().result_int());
    reply.body = std::move(parser.get().body());
    for (const auto& field : parser.get())
        reply.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    return reply;
}

}  // namespace

HttpClientReply http_call(const HttpClientRequest& request) {
    const UrlParts url = split_url(request.url);
    try {
        asio::io_context io;
        tcp::resolver resolver(io);
        const auto endpoints = resolver.resolve(url.host, url.port);
        if (!url.tls) {
            beast::tcp_stream stream(io);
            stream.expires_after(request.timeout);
            stream.connect(endpoints);
            HttpClientReply reply = exchange(stream, stream, url, request);
            beast::error_code ignored;
            stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
            return reply;
        }
        asio::ssl::context ctx(asio::ssl::context::tls_client);
        ctx.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                        asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
        ctx.set_default_verify_paths();
        ctx.set_verify_mode(asio::ssl::verify_peer);
        beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
        if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()))
            throw std::runtime_error("cannot name the host for TLS");
        stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
        beast::get_lowest_layer(stream).expires_after(request.timeout);
        beast::get_lowest_layer(stream).connect(endpoints);
        stream.handshake(asio::ssl::stream_base::client);
        HttpClientReply reply = exchange(stream, beast::get_lowest_layer(stream), url, request);
        beast::error_code ignored;
        stream.shutdown(ignored);
        return reply;
    } catch (const beast::system_error& e) {
        const bool late = e.code() == beast::error::timeout;
        throw std::runtime_error(request.method + " " + request.url + ": " +
                                 (late ? "no answer within " + std::to_string(request.timeout.count()) + " ms"
                                       : e.code().message()));
    }
}

}  // namespace evtwin::serve
