// The credentials module (credentials.asciidoc): an eMSP registers with token A, giving its token B
// and versions URL; this CPO reads the eMSP's versions and 2.2.1 endpoints with token B and answers
// its own credentials with a new token C, which from then on is the eMSP's only way in.
#include "serve/ocpi/ocpi_service.hpp"

namespace evtwin::serve::ocpi {

namespace {

// The data of an OCPI answer of the eMSP's, or OcpiError 3001 saying why it cannot be used.
nlohmann::json their_data(const std::string& url, const std::string& token_b,
                          std::chrono::milliseconds timeout) {
    HttpClientRequest r;
    r.url = url;
    r.headers = {{"Authorization", token_header(token_b)}};
    r.timeout = timeout;
    HttpClientReply reply;
    try {
        reply = http_call(r);
    } catch (const std::exception& e) {
        throw OcpiError(400, kClientApiError, std::string("cannot use the client's API: ") + e.what());
    }
    const nlohmann::json body = nlohmann::json::parse(reply.body, nullptr, false);
    if (reply.status != 200 || !body.is_object() || body.value("status_code", 0) != kSuccess ||
        !body.contains("data"))
        throw OcpiError(
            400, kClientApiError,
            "cannot use the client's API: GET " + url + " answered HTTP " + std::to_string(reply.status) +
                (body.is_object() && body.contains("status_code") ? " status " + body["status_code"].dump()
                                                                  : std::string()));
    return body["data"];
}

}  // namespace

Party OcpiService::handshake(const nlohmann::json& body) const {
    Party p;
    p.token_b = text_field(body, "token", "", 64);
    p.versions_url = text_field(body, "url", "", 255);
    const nlohmann::json& roles = list_field(body, "roles", "");
    if (roles.empty()) throw invalid("roles", "expected at least one role");
    for (std::size_t i = 0; i < roles.size(); ++i) {
        const std::string at = "roles[" + std::to_string(i) + "]";
        if (!roles[i].is_object()) throw invalid(at, "expected an object");
        const std::string role = text_field(roles[i], "role", at, 16);
        static const std::vector<std::string> kRoles = {"CPO", "EMSP", "HUB", "NAP", "NSP", "OTHER", "SCSP"};
        if (std::find(kRoles.begin(), kRoles.end(), role) == kRoles.end())
            throw invalid(at + ".role",
                          "expected one of CPO, EMSP, HUB, NAP, NSP, OTHER, SCSP, got '" + role + "'");
        const std::string country = text_field(roles[i], "country_code", at, 2);
        const std::string party = text_field(roles[i], "party_id", at, 3);
        const std::string name =
            text_field(object_field(roles[i], "business_details", at), "name", at + ".business_details", 100);
        if (i == 0) {
            p.country_code = country;
            p.party_id = party;
            p.name = name;
        }
    }
    // Its versions, then the details of 2.2.1, with its token B (credentials.asciidoc's sequence).
    const nlohmann::json versions = their_data(p.versions_url, p.token_b, config_.call_timeout);
    if (!versions.is_array()) throw OcpiError(400, kClientApiError, "the client's versions are not a list");
    for (const nlohmann::json& v : versions)
        if (v.is_object() && v.value("version", "") == "2.2.1" && v.contains("url") && v["url"].is_string())
            p.version_url = v["url"].get<std::string>();
    if (p.version_url.empty())
        throw OcpiError(400, kUnsupportedVersion, "the client offers no version 2.2.1 at " + p.versions_url);
    const nlohmann::json details = their_data(p.version_url, p.token_b, config_.call_timeout);
    if (!details.is_object() || !details.contains("endpoints") || !details["endpoints"].is_array())
        throw OcpiError(400, kClientApiError, "the client's version details hold no endpoints list");
    for (const nlohmann::json& e : details["endpoints"]) {
        if (!e.is_object()) continue;
        Endpoint ep{e.value("identifier", ""), e.value("role", ""), e.value("url", "")};
        if (!ep.identifier.empty() && !ep.url.empty()) p.endpoints.push_back(std::move(ep));
    }
    if (p.endpoints.empty())
        throw OcpiError(400, kNoMatchingEndpoints, "the client's version 2.2.1 lists no endpoints");
    return p;
}

HttpResponse OcpiService::credentials(const HttpRequest& request, const Caller& caller) {
    const bool registered = caller.kind == Caller::Kind::party;
    const Time now = clock_.now();
    if (request.method == "GET") {
        if (!registered) throw OcpiError(405, kClientError, "not registered: POST your credentials first");
        // The token it called with is its token C (only its hash is kept).
        const auto tokens = credentials_tokens(request.authorization);
        for (const std::string& t : tokens)
            if (sha256_hex(t) == caller.token_hash) return ocpi_response(200, own_credentials(t), now);
    }
    if (request.method == "POST" || request.method == "PUT") {
        if (request.method == "POST" && registered)
            throw OcpiError(405, kClientError, "already registered: PUT to update the credentials");
        if (request.method == "PUT" && !registered)
            throw OcpiError(405, kClientError, "not registered: POST your credentials first");
        Party party = handshake(parse_object(request.body));
        const std::string token_c = new_token();
        party.token_c_hash = sha256_hex(token_c);
        if (registered) {
            if (!parties_.update(caller.token_hash, party))
                throw OcpiError(401, kClientError, "unregistered meanwhile");
        } else {
            parties_.add(party, caller.token_hash);
        }
        return ocpi_response(200, own_credentials(token_c), now);
    }
    if (request.method == "DELETE") {
        if (!registered || !parties_.remove(caller.token_hash))
            throw OcpiError(405, kClientError, "not registered");
        return ocpi_response(200, nullptr, now);
    }
    throw OcpiError(405, kClientError,
                    "method " + request.method + " not allowed here (GET, POST, PUT or DELETE)");
}

}  // namespace evtwin::serve::ocpi
