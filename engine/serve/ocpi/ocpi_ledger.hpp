#pragma once
// What live mode's OCPI endpoints show of the site, kept beside the live twin from its changes
// (LiveChange): each session of the run as an OCPI Session, ACTIVE while plugged in and COMPLETED
// once it ended, its charging periods cut where the measured power changes, each period's ENERGY the
// rise of the charger's register over it (so a session's kWh, and its CDR's total_energy, are the
// meter's: its register at the end minus at the start); a CDR once a session ends, priced under the
// site's tariff as `evtwin ocpi export` prices a run (ocpi/export/grid_tariff.hpp, the site's own
// energy prices, tariff_pricing.hpp); the site as one Location whose EVSEs are the site's connectors
// (a charger of one connector is an EVSE named as the charger, one of several an EVSE per connector,
// "<charger>-<n>"), their statuses live: UNKNOWN while the charge point is away, OUTOFORDER when
// faulted, CHARGING with a session, RESERVED when held for a driver, else AVAILABLE.
// Thread-safe; apply() is called under the twin's lock and does not call the twin.
#include "model/local_time.hpp"
#include "model/scenario_spec.hpp"
#include "model/site.hpp"
#include "ocpi/format/objects.hpp"
#include "serve/live/live_twin.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::serve::ocpi {

using evtwin::ocpi::Cdr;
using evtwin::ocpi::Location;
using evtwin::ocpi::Session;
using evtwin::ocpi::Tariff;

// Who the CPO is and where its site is, as its OCPI objects say.
struct CpoIdentity {
    std::string country_code = "ZZ";  // ISO 3166 alpha-2 (ZZ: unknown)
    std::string party_id = "EVT";
    std::string name = "evtwin";  // business details
    std::string country = "ZZZ";  // the location's, ISO 3166 alpha-3
    std::string address = "unknown";
    std::string city = "unknown";
    std::string latitude = "0.000000";
    std::string longitude = "0.000000";
    std::optional<double> vat_percent;  // of the tariff's prices
};

// A session or CDR to send to the eMSPs that registered a receiver for it (ocpi_outbox.hpp).
struct LedgerPush {
    enum class Kind { session_created, session_updated, cdr } kind = Kind::session_updated;
    std::string object_id;
    nlohmann::ordered_json object;
};

class OcpiLedger {
public:
    // The site of `spec` (its chargers, the tariff's prices over its span, its time zone) as the run
    // `run` knows it from `now` on.
    OcpiLedger(const ScenarioSpec& spec, const Site& site, const CpoIdentity& cpo, std::uint64_t run,
               Time now);

    // A change of the twin; `push`, when set, gets the Session created or updated and each CDR.
    void apply(const LiveChange& change);
    void set_push(std::function<void(LedgerPush)> push);

    const std::string& location_id() const { return location_id_; }
    const Tariff& tariff() const { return tariff_; }
    // The site as a Location, its EVSEs' statuses from the twin's connectors and held reservations;
    // an EVSE's last_updated is when its status was last seen to change.
    Location location(const std::vector<LiveConnectorState>& connectors, const std::vector<bool>& held,
                      Time now);
    // Every session of the run so far, by start; an ACTIVE one as of `now` (its open period's time).
    std::vector<Session> sessions(Time now) const;
    std::vector<Cdr> cdrs() const;
    // The open session of an OCPI session id, if any: the twin's id.
    std::optional<SessionId> open_session(const std::string& id) const;
    // The EVSE of a connector, and the connector of an open session.
    std::string evse_uid(ConnectorIndex c) const { return evse_uid_[c]; }
    std::optional<ConnectorIndex> connector_of(SessionId id) const;

private:
    struct Tracked {
        Session session;
        double meter_start_kwh = 0.0;
        double register_kwh = 0.0;         // the last reading
        double period_register_kwh = 0.0;  // at the open period's start
        double period_power_kw = 0.0;
        Time period_start;
        ConnectorIndex connector = kNone;
        bool open = true;
    };
    // The session as of `now`: its open period's ENERGY and time up to `now`, its cost so far.
    Session snapshot(const Tracked& t, Time now) const;
    void close_period(Tracked& t, Time at) const;
    Cdr cdr_of(const Tracked& t) const;

    CpoIdentity cpo_;
    const ScenarioSpec& spec_;
    TimeZone zone_;
    std::string location_id_;
    Tariff tariff_;
    std::vector<std::string> evse_uid_;  // per connector
    std::vector<std::string> connector_id_;
    std::vector<std::size_t> charger_of_;  // per connector: its charger's spec
    mutable std::mutex mutex_;
    std::map<SessionId, Tracked> sessions_;
    std::vector<Cdr> cdrs_;
    std::vector<std::string> status_;           // per connector: as last seen
    std::vector<Time> status_since_;            // and since when
    std::vector<std::optional<Time>> changed_;  // a change the twin told, not yet seen in a status
    Time created_;
    std::function<void(LedgerPush)> push_;
};

}  // namespace evtwin::serve::ocpi
