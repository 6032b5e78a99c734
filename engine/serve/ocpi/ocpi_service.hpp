#pragma once
// Live mode's OCPI 2.2.1 endpoints, as a CPO (docs/ocpi.md, "`evtwin serve`'s OCPI endpoints"):
// versions and version details; credentials (the registration handshake both ways, token A spent,
// token C issued, PUT to update, DELETE to unregister); the sender interfaces of locations (the
// EVSEs' statuses live from the central system), sessions (live from the twin), CDRs (one as each
// live session ends) and tariffs, paged and filtered by last_updated; and the charging profiles
// module's receiver interface, whose profiles cap a session's power in every decision of the twin
// and are recorded. Sessions and CDRs may be pushed to the eMSPs that registered receivers for them.
#include "serve/live/live_clock.hpp"
#include "serve/live/live_twin.hpp"
#include "serve/net/http_server.hpp"
#include "serve/ocpi/ocpi_ledger.hpp"
#include "serve/ocpi/ocpi_outbox.hpp"
#include "serve/ocpi/ocpi_parties.hpp"
#include "serve/ocpi/ocpi_protocol.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::serve::ocpi {

struct OcpiConfig {
    std::vector<std::string> registration_tokens;  // tokens A, as given to serve
    std::string base_url;  // public, e.g. "https://cpo.example.com": versions at BASE/ocpi/versions
    CpoIdentity cpo;
    bool push = false;            // sessions and CDRs to the eMSPs' receivers, as they change
    std::size_t max_limit = 100;  // a page's most objects (X-Limit)
    std::chrono::milliseconds call_timeout{5000};           // of every call to an eMSP
    PartiesState parties;                                   // as stored (a restart goes on with them)
    std::function<void(const PartiesState&)> save_parties;  // after each registration's change
};

// A charging profile set or cleared over OCPI, as the results database records it
// (table live_charging_profiles).
struct ProfileRecord {
    Time t;
    SessionId session = 0;
    std::string action;            // "set" or "cleared"
    std::optional<double> cap_kw;  // the cap in force as it was set (kW, grid side)
    std::string profile;           // the ChargingProfile as it came (JSON); empty when cleared
    std::string party;             // who set it: "<country_code>*<party_id>"
};

class OcpiService {
public:
    // Watches `twin` (its changes, from now on) until destroyed. `wake` asks the central system for a
    // decision now; `record` stores a profile record.
    OcpiService(OcpiConfig config, LiveTwin& twin, const ScenarioSpec& spec, const LiveClock& clock,
                std::uint64_t run, std::function<void()> wake,
                std::function<void(const ProfileRecord&)> record);
    ~OcpiService();

    // A request under /ocpi/; nothing for another path. Every answer is OCPI's envelope.
    std::optional<HttpResponse> handle(const HttpRequest& request, const std::string& path);

    const Outbox& outbox() const { return *outbox_; }
    void drain() { outbox_->drain(); }

private:
    HttpResponse dispatch(const HttpRequest& request, const std::string& path, const Caller& caller);
    HttpResponse versions() const;
    HttpResponse version_details() const;
    nlohmann::ordered_json own_credentials(const std::string& token) const;
    // ocpi_credentials.cpp
    HttpResponse credentials(const HttpRequest& request, const Caller& caller);
    Party handshake(const nlohmann::json& body) const;
    // ocpi_modules.cpp
    HttpResponse locations(const HttpRequest& request, const std::vector<std::string>& rest);
    HttpResponse sessions(const HttpRequest& request);
    HttpResponse cdrs(const HttpRequest& request);
    HttpResponse tariffs(const HttpRequest& request);
    Location location_now();
    // ocpi_charging_profiles.cpp
    HttpResponse charging_profiles(const HttpRequest& request, const std::string& session_id,
                                   const Caller& caller);
    void push(const LedgerPush& item);
    void post_result(const std::string& url, const Caller& caller, nlohmann::ordered_json result);

    std::string url(const std::string& rest) const;

    OcpiConfig config_;
    LiveTwin& twin_;
    const ScenarioSpec& spec_;
    const LiveClock& clock_;
    std::function<void()> wake_;
    std::function<void(const ProfileRecord&)> record_;
    Parties parties_;
    OcpiLedger ledger_;
    std::unique_ptr<Outbox> outbox_;
    std::mutex profiles_mutex_;
    std::map<SessionId, nlohmann::json> profiles_;  // the profile in force per open session, as it came
};

}  // namespace evtwin::serve::ocpi
