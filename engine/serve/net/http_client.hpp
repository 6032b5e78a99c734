#pragma once
// A blocking HTTP/1.1 client on Boost.Beast, for the server's own calls to other parties (live mode's
// OCPI calls to an eMSP: its versions, its receiver interfaces, a charging profile's result). One
// request per connection; the whole exchange (resolving, connecting, writing, reading) must finish
// within the timeout, so a party that does not answer never holds a caller for long. http:// and
// https:// (TLS 1.2 or later, the peer's certificate checked against the system's roots and the
// host name).
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace evtwin::serve {

struct HttpClientRequest {
    std::string method = "GET";
    std::string url;  // http://host[:port]/path?query or https://...
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;  // sent with Content-Type application/json when not empty
    std::chrono::milliseconds timeout{10'000};
};

struct HttpClientReply {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // names as the peer wrote them

    // The first header of that name (case-insensitive), or empty.
    std::string header(const std::string& name) const;
};

// The parts of an http(s) URL; throws std::invalid_argument naming the URL when it is not one.
struct UrlParts {
    bool tls = false;
    std::string host;
    std::string port;    // "80"/"443" when the URL gives none
    std::string target;  // path and query, "/" at least
};
UrlParts split_url(const std::string& url);

// Sends the request and reads the answer; throws std::runtime_error naming the URL and what failed
// (the timeout too), std::invalid_argument for a URL that is not http(s).
HttpClientReply http_call(const HttpClientRequest& request);

}  // namespace evtwin::serve
