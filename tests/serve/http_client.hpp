#pragma once
// A blocking HTTP/1.1 client for the serve suites (one request per connection), on TestConnection.
#include "test_connection.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin::serve::test {

struct HttpReply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
};

// RFC 4648 base64 with padding (HTTP Basic credentials, the WebSocket key).
std::string base64(std::string_view bytes);

// Reads one response from `connection`. `pending` holds the bytes read so far and keeps those
// beyond the response. The body is read by Content-Length or chunks, up to the end of the stream
// when neither is given; a 1xx, 204 or 304 answer has none. Throws std::runtime_error when the
// connection ends before a whole response, or what came is not HTTP/1.x.
HttpReply read_http_reply(TestConnection& connection, std::string& pending);

// Sends one request on `connection` and reads its answer (the throws of read_http_reply).
HttpReply http_request(TestConnection& connection, const std::string& method, const std::string& target,
                       const std::string& body = "", const std::string& token = "",
                       const std::string& content_type = "application/json");

// The same on a new plain connection to 127.0.0.1:port; it also throws when the server cannot be
// reached.
HttpReply http_request(unsigned short port, const std::string& method, const std::string& target,
                       const std::string& body = "", const std::string& token = "",
                       const std::string& content_type = "application/json");

// The same with these header lines ("Name: value") instead of a bearer token, e.g. OCPI's
// "Authorization: Token ...".
HttpReply http_request_with(unsigned short port, const std::string& method, const std::string& target,
                            const std::string& body, const std::vector<std::string>& header_lines);

}  // namespace evtwin::serve::test
