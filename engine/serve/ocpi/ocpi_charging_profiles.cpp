// The charging profiles module's receiver interface (mod_charging_profiles.asciidoc): a smart-charging
// service provider sets (PUT), asks (GET) or clears (DELETE) the profile of a session. The CPO
// answers a ChargingProfileResponse at once and POSTs the result to the request's response_url. A
// profile set becomes a cap on the session's power (SessionCap) that every decision of the twin is
// clipped to where decisions are checked, from the next decision on; each set and clear is recorded
// (table live_charging_profiles).
#include "serve/ocpi/ocpi_service.hpp"

#include "ocpi/format/datetime.hpp"
#include "serve/net/api_error.hpp"
#include "serve/net/query_params.hpp"

#include <cmath>

namespace evtwin::serve::ocpi {

namespace {

// How long the eMSP may wait for the result (ChargingProfileResponse.timeout): the twin applies a
// profile at its next decision, which a profile set asks for at once.
constexpr int kResultTimeoutS = 30;

// The profile as a cap in kW (grid side): W over 1000; A per phase times the charger's voltage and
// phases (one for DC), as live mode converts its own limits (docs/live.md).
SessionCap cap_of(const nlohmann::json& profile, Time charging_start, const ChargerSpec& charger,
                  int phases) {
    const std::string at = "charging_profile";
    const std::string unit = text_field(profile, "charging_rate_unit", at, 1);
    if (unit != "W" && unit != "A")
        throw invalid(at + ".charging_rate_unit", "expected W or A, got '" + unit + "'");
    const double kw_per_unit = unit == "W" ? 0.001 : charger.voltage_v * (charger.dc ? 1 : phases) / 1000.0;
    Time start = charging_start;
    const std::string start_text = text_field(profile, "start_date_time", at, 25, false);
    if (!start_text.empty()) {
        const auto t = evtwin::ocpi::parse_datetime(start_text);
        if (!t) throw invalid(at + ".start_date_time", "expected a DateTime such as 2015-06-29T20:39:09Z");
        start = *t;
    }
    SessionCap cap;
    if (const auto duration = integer_field(profile, "duration", at, false)) {
        if (*duration < 0) throw invalid(at + ".duration", "expected seconds, at least 0");
        cap.until = start + Duration::seconds(*duration);
    }
    if (const auto min_rate = number_field(profile, "min_charging_rate", at, false);
        min_rate && *min_rate < 0)
        throw invalid(at + ".min_charging_rate", "expected at least 0");
    const nlohmann::json& periods = list_field(profile, "charging_profile_period", at);
    std::int64_t previous = -1;
    for (std::size_t i = 0; i < periods.size(); ++i) {
        const std::string pat = at + ".charging_profile_period[" + std::to_string(i) + "]";
        if (!periods[i].is_object()) throw invalid(pat, "expected an object");
        const std::int64_t from = *integer_field(periods[i], "start_period", pat);
        if (from < 0 || from <= previous)
            throw invalid(pat + ".start_period", "expected seconds from the profile's start, rising from 0");
        if (i == 0 && from != 0) throw invalid(pat + ".start_period", "the first period starts at 0");
        previous = from;
        const double limit = *number_field(periods[i], "limit", pat);
        if (!(limit >= 0) || !std::isfinite(limit))
            throw invalid(pat + ".limit", "expected a limit of at least 0");
        cap.steps.emplace_back(start + Duration::seconds(from), limit * kw_per_unit);
    }
    return cap;
}

std::string party_name(const Caller& caller) {
    if (!caller.party) return {};
    std::string out = caller.party->country_code;
    out.append("*").append(caller.party->party_id);
    return out;
}

}  // namespace

HttpResponse OcpiService::charging_profiles(const HttpRequest& request, const std::string& session_id,
                                            const Caller& caller) {
    const Time now = clock_.now();
    auto respond = [&](const char* result) {
        return ocpi_response(200, {{"result", result}, {"timeout", kResultTimeoutS}}, now);
    };
    if (session_id.size() > 36) throw invalid("session_id", "expected at most 36 characters");
    std::string response_url;
    std::optional<std::int64_t> duration;
    nlohmann::json body;
    if (request.method == "PUT") {
        body = parse_object(request.body);
        response_url = text_field(body, "response_url", "", 255);
        object_field(body, "charging_profile", "");
    } else if (request.method == "GET" || request.method == "DELETE") {
        try {
            const QueryParams q(request.target,
                                request.method == "GET"
                                    ? std::initializer_list<const char*>{"duration", "response_url"}
                                    : std::initializer_list<const char*>{"response_url"});
            if (request.method == "GET") {
                duration = q.integer("duration", 0, 7 * 24 * 3600);
                if (!duration) throw invalid("duration", "required parameter missing");
            }
            response_url = q.text("response_url").value_or("");
        } catch (const ApiError& e) {
            throw invalid(e.path, e.what());
        }
        if (response_url.empty()) throw invalid("response_url", "required parameter missing");
    } else {
        throw OcpiError(405, kClientError,
                        "method " + request.method + " not allowed here (PUT, GET or DELETE)");
    }
    if (response_url.rfind("http://", 0) != 0 && response_url.rfind("https://", 0) != 0)
        throw invalid("response_url", "expected an http(s) URL");

    // The open session, from the twin.
    std::optional<LiveSessionState> open;
    for (const LiveSessionState& s : twin_.sessions())
        if (std::to_string(s.id) == session_id) open = s;
    if (twin_.site().connectors().empty()) return respond("UNKNOWN_SESSION");
    if (request.method == "PUT") {
        // The profile is read whether or not the session is known: a malformed one is the caller's error.
        const ChargerSpec& charger =
            spec_.chargers[twin_.site().connectors()[open ? open->connector : 0].charger_spec];
        SessionCap cap =
            cap_of(body["charging_profile"], open ? open->arrival : now, charger, spec_.live.phases);
        if (!open || !twin_.set_session_cap(open->id, cap)) return respond("UNKNOWN_SESSION");
        {
            std::lock_guard lock(profiles_mutex_);
            profiles_[open->id] = body["charging_profile"];
        }
        const double in_force = cap.at(now);
        record_({now, open->id, "set",
                 std::isfinite(in_force) ? std::optional<double>(in_force) : std::nullopt,
                 body["charging_profile"].dump(), party_name(caller)});
        if (wake_) wake_();
        post_result(response_url, caller, {{"result", "ACCEPTED"}});
        return respond("ACCEPTED");
    }
    if (!open) return respond("UNKNOWN_SESSION");
    if (request.method == "DELETE") {
        bool had = false;
        {
            std::lock_guard lock(profiles_mutex_);
            had = profiles_.erase(open->id) > 0;
        }
        if (had) {
            twin_.set_session_cap(open->id, std::nullopt);
            record_({now, open->id, "cleared", std::nullopt, "", party_name(caller)});
            if (wake_) wake_();
        }
        post_result(response_url, caller, {{"result", had ? "ACCEPTED" : "UNKNOWN"}});
        return respond("ACCEPTED");
    }
    // GET: the limit the session is under now, over the duration asked: what the twin last told its
    // charger, capped by a profile's steps within it.
    const std::vector<LiveConnectorState> connectors = twin_.connectors();
    const double limit_kw = connectors[open->connector].limit_kw;
    std::optional<SessionCap> cap;
    {
        std::lock_guard lock(profiles_mutex_);
        if (const auto it = profiles_.find(open->id); it != profiles_.end()) {
            const ChargerSpec& charger =
                spec_.chargers[twin_.site().connectors()[open->connector].charger_spec];
            cap = cap_of(it->second, open->arrival, charger, spec_.live.phases);
        }
    }
    nlohmann::ordered_json periods = nlohmann::ordered_json::array();
    auto add = [&](Time at) {
        const double kw = std::min(limit_kw, cap ? cap->at(at) : kUnlimited);
        const double watts = std::floor(kw * 10000.0) / 10.0;  // one decimal, never above the limit
        if (!periods.empty() && periods.back()["limit"].get<double>() == watts) return;
        periods.push_back({{"start_period", (at - now).ms() / 1000}, {"limit", watts}});
    };
    add(now);
    if (cap) {
        const Time end = now + Duration::seconds(*duration);
        for (const auto& step : cap->steps)
            if (step.first > now && step.first < end) add(step.first);
        if (cap->until > now && cap->until < end) add(cap->until);
    }
    nlohmann::ordered_json active = {{"start_date_time", evtwin::ocpi::format_datetime(now)},
                                     {"charging_profile",
                                      {{"duration", *duration},
                                       {"charging_rate_unit", "W"},
                                       {"charging_profile_period", std::move(periods)}}}};
    post_result(response_url, caller, {{"result", "ACCEPTED"}, {"profile", std::move(active)}});
    return respond("ACCEPTED");
}

}  // namespace evtwin::serve::ocpi
