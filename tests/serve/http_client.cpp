#include "http_client.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

namespace evtwin::serve::test {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string trimmed(const std::string& s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

[[noreturn]] void cut_short() {
    throw std::runtime_error("the server closed the connection before a whole HTTP response");
}

// Takes `n` bytes from the front of `pending`, reading more as needed.
std::string take(TestConnection& connection, std::string& pending, std::size_t n) {
    if (!connection.read_at_least(pending, n)) cut_short();
    std::string taken = pending.substr(0, n);
    pending.erase(0, n);
    return taken;
}

// The next CRLF-terminated line, without its CRLF.
std::string take_line(TestConnection& connection, std::string& pending) {
    std::size_t end;
    while ((end = pending.find("\r\n")) == std::string::npos)
        if (!connection.read_some(pending)) cut_short();
    std::string line = pending.substr(0, end);
    pending.erase(0, end + 2);
    return line;
}

std::string chunked_body(TestConnection& connection, std::string& pending) {
    std::string body;
    for (;;) {
        const std::string size_line = take_line(connection, pending);
        std::size_t size = 0;
        try {
            size = std::stoul(size_line, nullptr, 16);
        } catch (const std::exception&) {
            throw std::runtime_error("not a chunk size: '" + size_line + "'");
        }
        if (size == 0) break;
        body += take(connection, pending, size);
        take_line(connection, pending);  // the chunk's CRLF
    }
    while (!take_line(connection, pending).empty()) {  // trailer fields, up to the empty line
    }
    return body;
}

}  // namespace

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

HttpReply read_http_reply(TestConnection& connection, std::string& pending) {
    HttpReply reply;
    const std::string status_line = take_line(connection, pending);
    const auto code_is_number = [&] {
        const char* code = status_line.data() + 9;
        return std::from_chars(code, code + 3, reply.status).ptr == code + 3;
    };
    if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12 || !code_is_number())
        throw std::runtime_error("not an HTTP/1.x status line: '" + status_line.substr(0, 80) + "'");
    for (std::string line; !(line = take_line(connection, pending)).empty();) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) throw std::runtime_error("not a header field: '" + line + "'");
        reply.headers[lower(line.substr(0, colon))] = trimmed(line.substr(colon + 1));
    }
    if (reply.status < 200 || reply.status == 204 || reply.status == 304) return reply;
    if (const auto te = reply.headers.find("transfer-encoding");
        te != reply.headers.end() && lower(te->second).find("chunked") != std::string::npos) {
        reply.body = chunked_body(connection, pending);
    } else if (const auto length = reply.headers.find("content-length"); length != reply.headers.end()) {
        std::size_t bytes = 0;
        const std::string& field = length->second;
        const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), bytes);
        if (error != std::errc{} || end != field.data() + field.size())
            throw std::runtime_error("not a Content-Length: '" + field + "'");
        reply.body = take(connection, pending, bytes);
    } else {
        while (connection.read_some(pending)) {
        }
        reply.body = std::move(pending);
        pending.clear();
    }
    return reply;
}

namespace {

HttpReply exchange_with(TestConnection& connection, const std::string& method, const std::string& target,
                        const std::string& body, const std::vector<std::string>& header_lines,
                        const std::string& content_type) {
    std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const std::string& line : header_lines) request.append(line).append("\r\n");
    if (!body.empty()) request += "Content-Type: " + content_type + "\r\n";
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
        request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    request += "\r\n" + body;
    connection.write(request);
    std::string pending;
    return read_http_reply(connection, pending);
}

}  // namespace

HttpReply http_request(TestConnection& connection, const std::string& method, const std::string& target,
                       const std::string& body, const std::string& token, const std::string& content_type) {
    std::vector<std::string> lines;
    if (!token.empty()) lines.push_back("Authorization: Bearer " + token);
    return exchange_with(connection, method, target, body, lines, content_type);
}

HttpReply http_request_with(unsigned short port, const std::string& method, const std::string& target,
                            const std::string& body, const std::vector<std::string>& header_lines) {
    TestConnection connection(port);
    return exchange_with(connection, method, target, body, header_lines, "application/json");
}

HttpReply http_request(unsigned short port, const std::string& method, const std::string& target,
                       const std::string& body, const std::string& token, const std::string& content_type) {
    TestConnection connection(port);
    return http_request(connection, method, target, body, token, content_type);
}

}  // namespace evtwin::serve::test
