#include "serve/ocpi/ocpi_ledger.hpp"

#include "ocpi/export/grid_tariff.hpp"
#include "ocpi/format/connector_kind.hpp"
#include "ocpi/format/read.hpp"
#include "ocpi/format/session_cdr.hpp"
#include "ocpi/format/tariff_pricing.hpp"
#include "ocpi/format/write.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin::serve::ocpi {

namespace {

using evtwin::ocpi::ChargingPeriod;

// An id as OCPI allows it (CiString(36), printable ASCII) and as a URL segment takes it: other
// characters, and '/', become '_'.
std::string ocpi_id(const std::string& text) {
    std::string id;
    for (const char c : text) id += c > 0x20 && c <= 0x7E && c != '/' && c != '?' && c != '#' ? c : '_';
    return id.substr(0, 36);
}

// The site's energy prices over the run's span, one row per change (as the results writer keeps them).
std::vector<PriceRow> price_rows(const evtwin::Tariff& tariff, Time start, Time end) {
    std::vector<PriceRow> rows;
    for (Time t = start; t < end;) {
        const double buy = tariff.import_price(t), sell = tariff.export_price(t);
        if (rows.empty() || rows.back().import_price != buy || rows.back().export_price != sell)
            rows.push_back({t, buy, sell});
        t = std::max(tariff.next_change(t), t + Duration(1));
    }
    return rows;
}

}  // namespace

OcpiLedger::OcpiLedger(const ScenarioSpec& spec, const Site& site, const CpoIdentity& cpo, std::uint64_t run,
                       Time now)
    : cpo_(cpo), spec_(spec), zone_(spec.timezone.empty() ? "UTC" : spec.timezone), created_(now) {
    location_id_ = ocpi_id(spec.name.empty() ? "site" : spec.name);
    evtwin::ocpi::TariffIdentity id{cpo.country_code,
                                    cpo.party_id,
                                    "live-" + std::to_string(run),
                                    spec.tariff ? spec.tariff->currency().substr(0, 3) : "EUR",
                                    cpo.vat_percent,
                                    spec.start};
    // What drivers pay: the scenario's charging tariff when it gives one (economics.charging_tariff,
    // as its runs' charging_revenue prices sessions), else the site's own energy prices.
    if (!spec.economics.charging_tariff.empty()) {
        auto given =
            evtwin::ocpi::parse_tariffs(spec.economics.charging_tariff, "the scenario's charging tariff");
        if (given.size() == 1) tariff_ = std::move(given.front());
    }
    if (tariff_.id.empty())
        tariff_ = spec.tariff
                      ? evtwin::ocpi::tariff_from_prices(price_rows(*spec.tariff, spec.start, spec.end),
                                                         spec.start, spec.end, zone_, id)
                      : Tariff{};
    if (tariff_.id.empty()) {
        tariff_.country_code = cpo.country_code;
        tariff_.party_id = cpo.party_id;
        tariff_.id = id.id;
        tariff_.currency = id.currency;
        tariff_.last_updated = spec.start;
    }
    const auto& connectors = site.connectors();
    for (const SiteConnector& c : connectors) {
        const ChargerSpec& ch = spec.chargers[c.charger_spec];
        const auto n = c.name.substr(c.name.rfind('/') + 1);
        evse_uid_.push_back(ocpi_id(ch.connectors > 1 ? ch.name + "-" + n : ch.name));
        connector_id_.push_back("1");
        charger_of_.push_back(c.charger_spec);
    }
    status_.assign(connectors.size(), "");
    status_since_.assign(connectors.size(), now);
    changed_.assign(connectors.size(), std::nullopt);
}

void OcpiLedger::set_push(std::function<void(LedgerPush)> push) {
    std::lock_guard lock(mutex_);
    push_ = std::move(push);
}

void OcpiLedger::close_period(Tracked& t, Time at) const {
    if (t.session.charging_periods.empty()) return;
    ChargingPeriod& p = t.session.charging_periods.back();
    const double hours = std::max(0.0, (at - p.start_date_time).hours_f());
    const double kwh = t.register_kwh - t.period_register_kwh;
    // The power measured as the period began, or the register's rise over it where that is more: a
    // charger reports its power with its readings, so a period that began before the first one has
    // none measured though it charged.
    const double kw = std::max(t.period_power_kw, hours > 0.0 ? kwh / hours : 0.0);
    p.dimensions = {{"ENERGY", kwh}, {kw > 1e-9 ? "TIME" : "PARKING_TIME", hours}, {"MAX_POWER", kw}};
}

void OcpiLedger::apply(const LiveChange& change) {
    std::lock_guard lock(mutex_);
    // What may change the EVSE's status (a meter reading does not).
    if (change.kind != LiveChange::Kind::session_metered) changed_[change.connector] = change.t;
    if (change.kind == LiveChange::Kind::connector) return;
    const LiveSession& s = change.session;
    auto it = sessions_.find(s.id);
    if (change.kind == LiveChange::Kind::session_started || it == sessions_.end()) {
        Tracked t;
        Session& o = t.session;
        o.country_code = cpo_.country_code;
        o.party_id = cpo_.party_id;
        o.id = std::to_string(s.id);
        o.start_date_time = s.arrival;
        const std::string uid = ocpi_id(s.id_tag.empty() ? "session-" + o.id : s.id_tag);
        o.cdr_token = {cpo_.country_code, cpo_.party_id, uid, "RFID", uid};
        o.auth_method = "WHITELIST";
        o.location_id = location_id_;
        o.evse_uid = evse_uid_[s.connector];
        o.connector_id = connector_id_[s.connector];
        o.currency = tariff_.currency;
        o.status = "ACTIVE";
        o.last_updated = change.t;
        t.meter_start_kwh = s.meter_start_kwh;
        t.register_kwh = t.period_register_kwh = s.register_kwh;
        t.period_start = s.arrival;
        t.connector = s.connector;
        ChargingPeriod first;
        first.start_date_time = s.arrival;
        first.tariff_id = tariff_.id;
        o.charging_periods.push_back(first);
        it = sessions_.insert_or_assign(s.id, std::move(t)).first;
        if (push_)
            push_({LedgerPush::Kind::session_created, it->second.session.id,
                   evtwin::ocpi::to_json(snapshot(it->second, change.t))});
        if (change.kind == LiveChange::Kind::session_started) return;
    }
    Tracked& t = it->second;
    if (!t.open) return;
    t.register_kwh = s.register_kwh;
    t.session.kwh = s.register_kwh - t.meter_start_kwh;
    t.session.last_updated = change.t;
    bool new_period = false;
    if (change.kind == LiveChange::Kind::session_metered &&
        std::fabs(change.power_kw - t.period_power_kw) > 1e-3) {
        // The power changed: the period so far ends here and one at the new power begins.
        close_period(t, change.t);
        if (change.t > t.session.charging_periods.back().start_date_time) {
            ChargingPeriod next;
            next.start_date_time = change.t;
            next.tariff_id = tariff_.id;
            t.session.charging_periods.push_back(next);
        }
        t.period_register_kwh = s.register_kwh;
        t.period_power_kw = change.power_kw;
        new_period = true;
    }
    if (change.kind == LiveChange::Kind::session_ended) {
        close_period(t, change.t);
        // A period begun by the last reading, at the end itself, holds nothing.
        auto& periods = t.session.charging_periods;
        if (periods.size() > 1 && periods.back().start_date_time >= change.t) periods.pop_back();
        t.open = false;
        t.session.status = "COMPLETED";
        t.session.end_date_time = change.t;
        t.session = snapshot(t, change.t);
        cdrs_.push_back(cdr_of(t));
        if (push_) {
            push_({LedgerPush::Kind::session_updated, t.session.id, evtwin::ocpi::to_json(t.session)});
            push_({LedgerPush::Kind::cdr, cdrs_.back().id, evtwin::ocpi::to_json(cdrs_.back())});
        }
        return;
    }
    if (new_period && push_)
        push_(
            {LedgerPush::Kind::session_updated, t.session.id, evtwin::ocpi::to_json(snapshot(t, change.t))});
}

Session OcpiLedger::snapshot(const Tracked& t, Time now) const {
    Tracked copy = t;
    Session& o = copy.session;
    const Time end = o.end_date_time.value_or(std::max(now, o.last_updated));
    if (copy.open) close_period(copy, end);
    double kwh = 0.0;
    for (const ChargingPeriod& p : o.charging_periods) kwh += p.volume("ENERGY").value_or(0.0);
    o.kwh = std::max(0.0, kwh);
    o.total_cost =
        evtwin::ocpi::price_session(tariff_, o.charging_periods, o.start_date_time, end, zone_).total;
    return o;
}

Cdr OcpiLedger::cdr_of(const Tracked& t) const {
    const Session& s = t.session;
    const Time end = *s.end_date_time;
    const auto costs =
        evtwin::ocpi::price_session(tariff_, s.charging_periods, s.start_date_time, end, zone_);
    const ChargerSpec& ch = spec_.chargers[charger_of_[t.connector]];
    evtwin::ocpi::CdrLocation place;
    place.name = spec_.name.substr(0, 255);
    place.address = cpo_.address;
    place.city = cpo_.city;
    place.country = cpo_.country;
    place.coordinates = {cpo_.latitude, cpo_.longitude};
    Cdr cdr = evtwin::ocpi::cdr_of_session(s, end, costs, std::move(place),
                                           evtwin::ocpi::connector_kind(ch.dc, ch.max_kw));
    cdr.total_energy = t.register_kwh - t.meter_start_kwh;  // the meter's
    return cdr;
}

std::vector<Session> OcpiLedger::sessions(Time now) const {
    std::lock_guard lock(mutex_);
    std::vector<Session> out;
    out.reserve(sessions_.size());
    for (const auto& [id, t] : sessions_) out.push_back(t.open ? snapshot(t, now) : t.session);
    return out;
}

std::vector<Cdr> OcpiLedger::cdrs() const {
    std::lock_guard lock(mutex_);
    return cdrs_;
}

std::optional<SessionId> OcpiLedger::open_session(const std::string& id) const {
    std::lock_guard lock(mutex_);
    for (const auto& [sid, t] : sessions_)
        if (t.open && t.session.id == id) return sid;
    return std::nullopt;
}

std::optional<ConnectorIndex> OcpiLedger::connector_of(SessionId id) const {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(id);
    if (it == sessions_.end() || !it->second.open) return std::nullopt;
    return it->second.connector;
}

Location OcpiLedger::location(const std::vector<LiveConnectorState>& connectors,
                              const std::vector<bool>& held, Time now) {
    Location l;
    l.country_code = cpo_.country_code;
    l.party_id = cpo_.party_id;
    l.id = location_id_;
    l.publish = true;
    l.name = spec_.name.substr(0, 255);
    l.address = cpo_.address;
    l.city = cpo_.city;
    l.country = cpo_.country;
    l.coordinates = {cpo_.latitude, cpo_.longitude};
    l.time_zone = spec_.timezone.empty() ? "UTC" : spec_.timezone;
    l.last_updated = created_;
    std::lock_guard lock(mutex_);
    for (std::size_t c = 0; c < connectors.size() && c < evse_uid_.size(); ++c) {
        const LiveConnectorState& s = connectors[c];
        const std::string status = !s.online                    ? "UNKNOWN"
                                   : s.faulted                  ? "OUTOFORDER"
                                   : s.session                  ? "CHARGING"
                                   : c < held.size() && held[c] ? "RESERVED"
                                                                : "AVAILABLE";
        if (status != status_[c]) {
            // Seen to change: when the twin told of it, else (a reservation) now; first seen as it
            // was from the start unless the twin told of a change.
            status_since_[c] = changed_[c].value_or(status_[c].empty() ? created_ : now);
            status_[c] = status;
        }
        changed_[c].reset();
        const ChargerSpec& ch = spec_.chargers[charger_of_[c]];
        const auto kind = evtwin::ocpi::connector_kind(ch.dc, ch.max_kw);
        evtwin::ocpi::Evse e;
        e.uid = evse_uid_[c];
        e.evse_id = e.uid;
        e.status = status;
        e.capabilities = {"CHARGING_PROFILE_CAPABLE"};
        e.physical_reference = e.uid.substr(0, 16);
        e.last_updated = status_since_[c];
        evtwin::ocpi::Connector k;
        k.id = connector_id_[c];
        k.standard = kind.standard;
        k.format = kind.format;
        k.power_type = kind.power_type;
        const double volts = ch.voltage_v > 0 ? ch.voltage_v : 230.0;
        k.max_voltage = static_cast<int>(std::lround(volts));
        k.max_amperage = static_cast<int>(std::lround(ch.max_kw * 1000.0 / (volts * kind.phases)));
        k.max_electric_power = static_cast<int>(std::lround(ch.max_kw * 1000.0));
        k.tariff_ids = {tariff_.id};
        k.last_updated = created_;
        e.connectors.push_back(std::move(k));
        l.evses.push_back(std::move(e));
        l.last_updated = std::max(l.last_updated, status_since_[c]);
    }
    return l;
}

}  // namespace evtwin::serve::ocpi
