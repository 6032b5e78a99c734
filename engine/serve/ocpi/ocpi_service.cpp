#include "serve/ocpi/ocpi_service.hpp"

#include "ocpi/format/datetime.hpp"

namespace evtwin::serve::ocpi {

namespace {

constexpr const char* kVersion = "2.2.1";
constexpr const char* kPrefix = "/ocpi/";

// The path's segments after /ocpi/.
std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::size_t at = std::string(kPrefix).size();
    while (at <= path.size()) {
        const std::size_t slash = path.find('/', at);
        const std::string part = path.substr(at, slash == std::string::npos ? std::string::npos : slash - at);
        if (!part.empty()) out.push_back(part);
        if (slash == std::string::npos) break;
        at = slash + 1;
    }
    return out;
}

void require(const HttpRequest& request, const char* method) {
    if (request.method != method)
        throw OcpiError(405, kClientError,
                        "method " + request.method + " not allowed here (use " + method + ")");
}

}  // namespace

OcpiService::OcpiService(OcpiConfig config, LiveTwin& twin, const ScenarioSpec& spec, const LiveClock& clock,
                         std::uint64_t run, std::function<void()> wake,
                         std::function<void(const ProfileRecord&)> record)
    : config_(std::move(config)),
      twin_(twin),
      spec_(spec),
      clock_(clock),
      wake_(std::move(wake)),
      record_(std::move(record)),
      parties_(config_.registration_tokens, config_.parties, config_.save_parties),
      ledger_(spec, twin.site(), config_.cpo, run, clock.now()),
      outbox_(std::make_unique<Outbox>(config_.call_timeout)) {
    while (!config_.base_url.empty() && config_.base_url.back() == '/') config_.base_url.pop_back();
    if (config_.push) ledger_.set_push([this](LedgerPush item) { push(item); });
    twin_.set_change_observer([this](const LiveChange& change) { ledger_.apply(change); });
}

OcpiService::~OcpiService() {
    twin_.set_change_observer({});
    outbox_.reset();  // what is queued is sent first
}

std::string OcpiService::url(const std::string& rest) const {
    std::string out = config_.base_url;
    out.append(kPrefix).append(rest);
    return out;
}

std::optional<HttpResponse> OcpiService::handle(const HttpRequest& request, const std::string& path) {
    if (path.rfind(kPrefix, 0) != 0 && path != "/ocpi") return std::nullopt;
    const Time now = clock_.now();
    try {
        const Caller caller = parties_.identify(credentials_tokens(request.authorization));
        if (caller.kind == Caller::Kind::nobody)
            throw OcpiError(401, kClientError,
                            request.authorization.empty()
                                ? "missing Authorization: Token <base64 of the credentials token>"
                                : "unknown credentials token");
        return dispatch(request, path, caller);
    } catch (const OcpiError& e) {
        return ocpi_error_response(e, now);
    } catch (const std::exception& e) {
        return ocpi_error_response(OcpiError(500, kServerError, std::string("internal error: ") + e.what()),
                                   now);
    }
}

HttpResponse OcpiService::dispatch(const HttpRequest& request, const std::string& path,
                                   const Caller& caller) {
    const std::vector<std::string> parts = segments(path);
    if (parts.size() == 1 && parts[0] == "versions") {
        require(request, "GET");
        return versions();
    }
    if (parts.empty() || parts[0] != kVersion)
        throw OcpiError(404, kUnsupportedVersion,
                        "no such OCPI version or path: " + path + " (this CPO speaks 2.2.1)");
    if (parts.size() == 1) {
        require(request, "GET");
        return version_details();
    }
    const std::string& module = parts[1];
    if (module == "credentials" && parts.size() == 2) return credentials(request, caller);
    // Token A opens the versions and credentials alone (credentials.asciidoc).
    if (caller.kind != Caller::Kind::party)
        throw OcpiError(401, kClientError, "this token only registers: POST your credentials first");
    const std::vector<std::string> rest(parts.begin() + 2, parts.end());
    if (module == "locations") return locations(request, rest);
    if (module == "sessions" && rest.empty()) return sessions(request);
    if (module == "cdrs" && rest.empty()) return cdrs(request);
    if (module == "tariffs" && rest.empty()) return tariffs(request);
    if (module == "chargingprofiles" && rest.size() == 1) return charging_profiles(request, rest[0], caller);
    throw OcpiError(404, kClientError, "no such OCPI endpoint: " + path);
}

HttpResponse OcpiService::versions() const {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    list.push_back({{"version", kVersion}, {"url", url(kVersion)}});
    return ocpi_response(200, std::move(list), clock_.now());
}

HttpResponse OcpiService::version_details() const {
    nlohmann::ordered_json endpoints = nlohmann::ordered_json::array();
    const std::string base = std::string(kVersion) + "/";
    for (const auto& [module, role] : {std::pair{"credentials", "SENDER"},
                                       {"locations", "SENDER"},
                                       {"sessions", "SENDER"},
                                       {"cdrs", "SENDER"},
                                       {"tariffs", "SENDER"},
                                       {"chargingprofiles", "RECEIVER"}})
        endpoints.push_back({{"identifier", module}, {"role", role}, {"url", url(base + module)}});
    return ocpi_response(200, {{"version", kVersion}, {"endpoints", std::move(endpoints)}}, clock_.now());
}

nlohmann::ordered_json OcpiService::own_credentials(const std::string& token) const {
    nlohmann::ordered_json role = {{"role", "CPO"},
                                   {"business_details", {{"name", config_.cpo.name}}},
                                   {"party_id", config_.cpo.party_id},
                                   {"country_code", config_.cpo.country_code}};
    return {{"token", token}, {"url", url("versions")}, {"roles", nlohmann::ordered_json::array({role})}};
}

void OcpiService::push(const LedgerPush& item) {
    for (const Party& p : parties_.all()) {
        HttpClientRequest r;
        r.headers = {{"Authorization", token_header(p.token_b)}};
        if (item.kind == LedgerPush::Kind::cdr) {
            r.url = p.url("cdrs", "RECEIVER");
            r.method = "POST";
            r.body = item.object.dump();
        } else {
            r.url = p.url("sessions", "RECEIVER");
            if (r.url.empty()) continue;
            while (!r.url.empty() && r.url.back() == '/') r.url.pop_back();
            r.url.append("/").append(config_.cpo.country_code).append("/").append(config_.cpo.party_id);
            r.url.append("/").append(item.object_id);
            if (item.kind == LedgerPush::Kind::session_created) {
                r.method = "PUT";
                r.body = item.object.dump();
            } else {
                // PATCH: what a session's change touches, with last_updated (mod_sessions.asciidoc).
                r.method = "PATCH";
                nlohmann::ordered_json changed;
                for (const char* field :
                     {"kwh", "end_date_time", "charging_periods", "total_cost", "status", "last_updated"})
                    if (item.object.contains(field)) changed[field] = item.object[field];
                r.body = changed.dump();
            }
        }
        if (!r.url.empty()) outbox_->send(std::move(r));
    }
}

void OcpiService::post_result(const std::string& url, const Caller& caller, nlohmann::ordered_json result) {
    HttpClientRequest r;
    r.method = "POST";
    r.url = url;
    if (caller.party) r.headers = {{"Authorization", token_header(caller.party->token_b)}};
    r.body = result.dump();
    outbox_->send(std::move(r));
}

}  // namespace evtwin::serve::ocpi
