#pragma once
// A blocking HTTP/1.1 client for the serve suites (one request per connection).
#include <map>
#include <string>

namespace evtwin::serve::test {

struct HttpReply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
};

// Throws std::runtime_error when the server cannot be reached or closes without answering.
HttpReply http_request(unsigned short port, const std::string& method, const std::string& target,
                       const std::string& body = "", const std::string& token = "",
                       const std::string& content_type = "application/json");

}  // namespace evtwin::serve::test
