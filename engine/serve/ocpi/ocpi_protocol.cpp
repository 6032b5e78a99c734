#include "serve/ocpi/ocpi_protocol.hpp"

#include "ocpi/format/datetime.hpp"
#include "serve/net/api_error.hpp"
#include "serve/net/query_params.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>

namespace evtwin::serve::ocpi {

namespace {

constexpr const char* kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::optional<std::string> base64_decoded(const std::string& text) {
    if (text.empty() || text.size() % 4 != 0) return std::nullopt;
    std::string out;
    unsigned bits = 0;
    int count = 0;
    std::size_t padding = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '=') {
            if (i + 2 < text.size()) return std::nullopt;  // padding only at the end
            ++padding;
            continue;
        }
        if (padding) return std::nullopt;
        const char* at = std::char_traits<char>::find(kBase64, 64, c);
        if (!at) return std::nullopt;
        bits = (bits << 6) | static_cast<unsigned>(at - kBase64);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> count) & 0xFF);
        }
    }
    return out;
}

std::string base64_encoded(const std::string& bytes) {
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
        for (int s = 18; s >= 0; s -= 6) out += kBase64[(v >> s) & 63];
    }
    if (const std::size_t rest = bytes.size() - i; rest > 0) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += kBase64[(v >> 18) & 63];
        out += kBase64[(v >> 12) & 63];
        out += rest == 2 ? kBase64[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string hex(const unsigned char* bytes, std::size_t n) {
    std::string out;
    out.reserve(2 * n);
    char two[3];
    for (std::size_t i = 0; i < n; ++i) {
        std::snprintf(two, sizeof two, "%02x", bytes[i]);
        out.append(two, 2);
    }
    return out;
}

}  // namespace

OcpiError invalid(const std::string& field, const std::string& problem) {
    return OcpiError(400, kInvalidParameters, field.empty() ? problem : field + ": " + problem);
}

nlohmann::json parse_object(const std::string& body) {
    nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded()) throw invalid("body", "not JSON");
    if (!j.is_object()) throw invalid("body", "expected a JSON object");
    return j;
}

namespace {

std::string place_of(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
}

const nlohmann::json* field_of(const nlohmann::json& object, const std::string& name, const std::string& path,
                               bool required) {
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) {
        if (required) throw invalid(place_of(path, name), "required field missing");
        return nullptr;
    }
    return &*it;
}

}  // namespace

std::string text_field(const nlohmann::json& object, const std::string& name, const std::string& path,
                       std::size_t max, bool required) {
    const nlohmann::json* f = field_of(object, name, path, required);
    if (!f) return {};
    if (!f->is_string()) throw invalid(place_of(path, name), "expected a string");
    const std::string& text = f->get_ref<const std::string&>();
    if (text.size() > max)
        throw invalid(place_of(path, name),
                      "expected a string of at most " + std::to_string(max) + " characters");
    if (required && text.empty()) throw invalid(place_of(path, name), "must not be empty");
    return text;
}

std::optional<double> number_field(const nlohmann::json& object, const std::string& name,
                                   const std::string& path, bool required) {
    const nlohmann::json* f = field_of(object, name, path, required);
    if (!f) return std::nullopt;
    if (!f->is_number()) throw invalid(place_of(path, name), "expected a number");
    return f->get<double>();
}

std::optional<std::int64_t> integer_field(const nlohmann::json& object, const std::string& name,
                                          const std::string& path, bool required) {
    const nlohmann::json* f = field_of(object, name, path, required);
    if (!f) return std::nullopt;
    if (!f->is_number_integer()) throw invalid(place_of(path, name), "expected an integer");
    return f->get<std::int64_t>();
}

const nlohmann::json& object_field(const nlohmann::json& object, const std::string& name,
                                   const std::string& path) {
    const nlohmann::json& f = *field_of(object, name, path, true);
    if (!f.is_object()) throw invalid(place_of(path, name), "expected an object");
    return f;
}

const nlohmann::json& list_field(const nlohmann::json& object, const std::string& name,
                                 const std::string& path) {
    const nlohmann::json& f = *field_of(object, name, path, true);
    if (!f.is_array()) throw invalid(place_of(path, name), "expected a list");
    return f;
}

nlohmann::ordered_json envelope(nlohmann::ordered_json data, int status_code, const std::string& message,
                                Time now) {
    nlohmann::ordered_json e;
    if (!data.is_null()) e["data"] = std::move(data);
    e["status_code"] = status_code;
    if (!message.empty()) e["status_message"] = message;
    e["timestamp"] = evtwin::ocpi::format_datetime(now);
    return e;
}

HttpResponse ocpi_response(int http_status, nlohmann::ordered_json data, Time now) {
    return json_response(http_status, envelope(std::move(data), kSuccess, "Success", now).dump());
}

HttpResponse ocpi_error_response(const OcpiError& e, Time now) {
    return json_response(e.http_status, envelope(nullptr, e.status_code, e.what(), now).dump());
}

std::vector<std::string> credentials_tokens(const std::string& authorization) {
    const std::string scheme = "Token ";
    if (authorization.size() <= scheme.size() || authorization.compare(0, scheme.size(), scheme) != 0)
        return {};
    std::string text = authorization.substr(scheme.size());
    while (!text.empty() && text.back() == ' ') text.pop_back();
    std::vector<std::string> out;
    if (auto decoded = base64_decoded(text); decoded && !decoded->empty()) {
        // Some parties encode the token with a line end (the specification's own example does).
        while (!decoded->empty() && (decoded->back() == '\n' || decoded->back() == '\r')) decoded->pop_back();
        out.push_back(*decoded);
    }
    if (!text.empty()) out.push_back(text);
    return out;
}

std::string token_header(const std::string& token) {
    std::string out = "Token ";
    out.append(base64_encoded(token));
    return out;
}

std::string sha256_hex(const std::string& text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    return hex(digest, size);
}

std::string new_token() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes for a token");
    return hex(bytes, sizeof bytes);
}

Page read_page(const std::string& target, std::size_t max_limit) {
    Page page;
    page.limit = max_limit;
    try {
        const QueryParams q(target, {"offset", "limit", "date_from", "date_to"});
        if (auto offset = q.integer("offset", 0, 1'000'000'000))
            page.offset = static_cast<std::size_t>(*offset);
        if (auto limit = q.integer("limit", 1, 1'000'000'000))
            page.limit = std::min(max_limit, static_cast<std::size_t>(*limit));
        for (const char* name : {"date_from", "date_to"}) {
            const auto text = q.text(name);
            if (!text) continue;
            const auto t = evtwin::ocpi::parse_datetime(*text);
            if (!t)
                throw invalid(name, "expected a DateTime such as 2015-06-29T20:39:09Z, got '" + *text + "'");
            (std::string(name) == "date_from" ? page.date_from : page.date_to) = *t;
        }
    } catch (const ApiError& e) {
        throw invalid(e.path, e.what());
    }
    return page;
}

bool in_dates(const Page& page, Time last_updated) {
    return (!page.date_from || last_updated >= *page.date_from) &&
           (!page.date_to || last_updated < *page.date_to);
}

HttpResponse page_response(nlohmann::ordered_json items, std::size_t total, const Page& page,
                           std::size_t max_limit, const std::string& base_url, Time now) {
    const std::size_t to = std::min(total, page.offset + page.limit);
    HttpResponse r = ocpi_response(200, std::move(items), now);
    r.headers.emplace_back("X-Total-Count", std::to_string(total));
    r.headers.emplace_back("X-Limit", std::to_string(max_limit));
    if (to < total) {
        std::string next = "<";
        next.append(base_url).append("?offset=").append(std::to_string(to));
        next.append("&limit=").append(std::to_string(page.limit));
        if (page.date_from) next.append("&date_from=").append(evtwin::ocpi::format_datetime(*page.date_from));
        if (page.date_to) next.append("&date_to=").append(evtwin::ocpi::format_datetime(*page.date_to));
        next.append(">; rel=\"next\"");
        r.headers.emplace_back("Link", std::move(next));
    }
    return r;
}

}  // namespace evtwin::serve::ocpi
