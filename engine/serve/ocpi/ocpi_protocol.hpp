#pragma once
// OCPI 2.2.1's transport (transport_and_format.asciidoc, status_codes.asciidoc): every answer is an
// envelope {data, status_code, status_message, timestamp}; the credentials token comes as
// "Authorization: Token <base64 of the token>"; a list is paged by offset and limit, filtered by
// date_from (inclusive) and date_to (exclusive) on last_updated, and told X-Total-Count, X-Limit and
// a Link to the next page.
#include "serve/net/http_server.hpp"

#include <evtwin/time.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace evtwin::serve::ocpi {

// OCPI status codes this CPO answers.
inline constexpr int kSuccess = 1000;
inline constexpr int kClientError = 2000;
inline constexpr int kInvalidParameters = 2001;  // invalid or missing parameters (the field named)
inline constexpr int kUnknownLocation = 2003;
inline constexpr int kServerError = 3000;
inline constexpr int kClientApiError = 3001;  // the other party's API could not be used
inline constexpr int kUnsupportedVersion = 3002;
inline constexpr int kNoMatchingEndpoints = 3003;

// An OCPI error answer: the HTTP status and the envelope's status code and message.
struct OcpiError : std::runtime_error {
    OcpiError(int http, int code, const std::string& message)
        : std::runtime_error(message), http_status(http), status_code(code) {}
    int http_status;
    int status_code;
};

// A malformed body or parameter: HTTP 400, status 2001, the message naming the field.
OcpiError invalid(const std::string& field, const std::string& problem);

// A request's body as a JSON object; invalid() when it is not one.
nlohmann::json parse_object(const std::string& body);
// `object[name]`, whose place is `path` ("roles[0].party_id"): a string of at most `max` characters
// (empty when absent and not required), a number, an integer, an object or a list; invalid() naming
// the place when it is missing (and required) or not of its kind.
std::string text_field(const nlohmann::json& object, const std::string& name, const std::string& path,
                       std::size_t max, bool required = true);
std::optional<double> number_field(const nlohmann::json& object, const std::string& name,
                                   const std::string& path, bool required = true);
std::optional<std::int64_t> integer_field(const nlohmann::json& object, const std::string& name,
                                          const std::string& path, bool required = true);
const nlohmann::json& object_field(const nlohmann::json& object, const std::string& name,
                                   const std::string& path);
const nlohmann::json& list_field(const nlohmann::json& object, const std::string& name,
                                 const std::string& path);

// The envelope of an answer, its timestamp `now`.
nlohmann::ordered_json envelope(nlohmann::ordered_json data, int status_code, const std::string& message,
                                Time now);
HttpResponse ocpi_response(int http_status, nlohmann::ordered_json data, Time now);
HttpResponse ocpi_error_response(const OcpiError& e, Time now);

// The credentials token of an Authorization header "Token <...>": the base64 text decoded, as 2.2.1
// requires, and also the text as it stands (2.1.1 and 2.2 parties send it unencoded); empty when
// the header is missing or of another scheme.
std::vector<std::string> credentials_tokens(const std::string& authorization);
// The header value that sends `token` as 2.2.1 asks: "Token " and its base64.
std::string token_header(const std::string& token);

// SHA-256 of the text, as hex: how credentials tokens are stored (they are random and long, so a
// plain hash keeps them as well as a slow one would, and costs a request nothing).
std::string sha256_hex(const std::string& text);
// A new credentials token: 32 random bytes as hex.
std::string new_token();

// A list request's paging and filters.
struct Page {
    std::size_t offset = 0;
    std::size_t limit = 0;
    std::optional<Time> date_from;  // inclusive
    std::optional<Time> date_to;    // exclusive
};

// Reads offset, limit (at most `max_limit`; default it), date_from and date_to from the request's
// query; a bad one is invalid() naming it; another parameter is refused too.
Page read_page(const std::string& target, std::size_t max_limit);

// Whether an object updated at `last_updated` is within the page's dates.
bool in_dates(const Page& page, Time last_updated);

// The answer to a list request: `items`, the page's objects (those of [offset, offset + limit) of
// the `total` matching the dates), with X-Total-Count, X-Limit and, unless it is the last page,
// Link: <url of the next page, its filters kept>; rel="next". `base_url` is the list's public URL,
// without query.
HttpResponse page_response(nlohmann::ordered_json items, std::size_t total, const Page& page,
                           std::size_t max_limit, const std::string& base_url, Time now);

}  // namespace evtwin::serve::ocpi
