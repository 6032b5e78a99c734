#include "ocpi/export/run_export.hpp"

#include "ocpi/export/grid_tariff.hpp"
#include "ocpi/format/connector_kind.hpp"
#include "ocpi/format/power_periods.hpp"
#include "ocpi/format/session_cdr.hpp"
#include "ocpi/format/tariff_pricing.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace evtwin::ocpi {

namespace {

constexpr std::size_t kIdLength = 36;

// An id as OCPI allows it (CiString(36)): the text when it fits, else its start and a hash of it.
std::string fitted_id(const std::string& text) {
    std::string id;
    for (const char c : text) id += c >= 0x20 && c <= 0x7E ? c : '_';
    if (id.size() <= kIdLength) return id;
    std::uint64_t h = 1469598103934665603ULL;
    for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    char tail[20];
    std::snprintf(tail, sizeof tail, "~%016llx", static_cast<unsigned long long>(h));
    return id.substr(0, kIdLength - 17) + tail;
}

// The text's first `most` characters (UTF-8 code points, as OCPI counts a string's length).
std::string clipped(const std::string& text, std::size_t most) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (++chars > most) return text.substr(0, i);
    }
    return text;
}

// The site's place, for the Location and each CDR's location: the scenario's name and what the
// options say of its address.
template <class Place>
void fill_place(Place& l, const RunRecord& run, const ExportOptions& o) {
    l.name = clipped(run.info.scenario_name, 255);
    l.address = o.address;
    l.city = o.city;
    l.country = o.country;
    l.coordinates = {o.latitude, o.longitude};
}

Location site_location(const SiteTree& site, const RunRecord& run, const ExportOptions& o,
                       const std::map<std::uint32_t, bool>& charging_at_end, const std::string& tariff_id) {
    Location l;
    l.country_code = o.country_code;
    l.party_id = o.party_id;
    l.id = fitted_id(run.info.scenario_name.empty() ? "site" : run.info.scenario_name);
    l.publish = true;
    fill_place(l, run, o);
    l.time_zone = run.timezone.empty() ? "UTC" : run.timezone;
    l.last_updated = run.data_end();
    std::map<std::uint32_t, std::size_t> evse_of;
    for (const ConnectorRecord& c : site.connectors) {
        auto [it, fresh] = evse_of.emplace(c.charger, l.evses.size());
        if (fresh) {
            Evse e;
            e.uid = fitted_id(c.charger_name);
            e.evse_id = e.uid;
            const auto at_end = charging_at_end.find(c.charger);
            e.status = at_end != charging_at_end.end() && at_end->second ? "CHARGING" : "AVAILABLE";
            e.physical_reference = clipped(c.charger_name, 16);
            e.last_updated = run.data_end();
            l.evses.push_back(std::move(e));
        }
        Connector k;
        const auto slash = c.name.rfind('/');
        k.id = fitted_id(slash == std::string::npos ? c.name : c.name.substr(slash + 1));
        const ConnectorKind kind = connector_kind(c.dc, c.max_kw);
        k.standard = kind.standard;
        k.format = kind.format;
        k.power_type = kind.power_type;
        const double volts = c.voltage_v > 0 ? c.voltage_v : 230.0;
        k.max_voltage = static_cast<int>(std::lround(volts));
        k.max_amperage = static_cast<int>(std::lround(c.max_kw * 1000.0 / (volts * kind.phases)));
        k.max_electric_power = static_cast<int>(std::lround(c.max_kw * 1000.0));
        k.tariff_ids = {tariff_id};
        k.last_updated = run.data_end();
        l.evses[it->second].connectors.push_back(std::move(k));
    }
    return l;
}

}  // namespace

RunExport export_run(const RunReader& reader, RunId run_id, const ExportOptions& o) {
    const RunRecord run = reader.run(run_id);
    const SiteTree site = reader.site(run_id);
    const TimeZone zone(run.timezone.empty() ? "UTC" : run.timezone);
    RunExport out;
    TariffIdentity id{o.country_code,           o.party_id,    "run-" + std::to_string(run_id),
                      clipped(run.currency, 3), o.vat_percent, run.start};
    // What the site paid for energy, as a tariff (without VAT, which the site reclaims).
    id.vat_percent.reset();
    const Tariff grid = tariff_from_prices(reader.tariff_prices(run_id), run.start, run.data_end(), zone, id);
    id.vat_percent = o.vat_percent;
    out.grid_currency = grid.currency;
    out.tariff = o.tariff
                     ? *o.tariff
                     : tariff_from_prices(reader.tariff_prices(run_id), run.start, run.data_end(), zone, id);

    std::vector<ConnectorPower> power(site.connectors.size());
    reader.for_each_connector_row(run_id, [&](const ConnectorRow& r) {
        if (r.connector < power.size()) power[r.connector].add(r.t, r.grid_kw);
    });

    std::map<std::uint32_t, bool> charging_at_end;
    reader.for_each_session(run_id, [&](const SessionRecord& s) {
        if (s.connector == kNone || s.connector >= site.connectors.size()) {
            ++out.without_connector;
            return;
        }
        const ConnectorRecord& c = site.connectors[s.connector];
        const Time end = s.departed ? s.departure : std::min(s.departure, run.data_end());
        if (!s.departed) charging_at_end[c.charger] = true;
        Session session;
        session.country_code = o.country_code;
        session.party_id = o.party_id;
        session.id = std::to_string(s.id);
        session.start_date_time = s.arrival;
        if (s.departed) session.end_date_time = end;
        const std::string driver =
            fitted_id(s.vehicle_id.empty() ? "session-" + std::to_string(s.id) : s.vehicle_id);
        session.cdr_token = {o.country_code, o.party_id, driver, "RFID", driver};
        session.auth_method = "WHITELIST";
        session.location_id = fitted_id(run.info.scenario_name.empty() ? "site" : run.info.scenario_name);
        session.evse_uid = fitted_id(c.charger_name);
        const auto slash = c.name.rfind('/');
        session.connector_id = fitted_id(slash == std::string::npos ? c.name : c.name.substr(slash + 1));
        session.currency = out.tariff.currency;
        session.charging_periods =
            charging_periods(power[s.connector].during(s.arrival, end), c.efficiency, out.tariff.id);
        double kwh = 0.0;
        for (const ChargingPeriod& p : session.charging_periods) kwh += p.volume("ENERGY").value_or(0.0);
        session.kwh = kwh;
        const SessionCosts costs = price_session(out.tariff, session.charging_periods, s.arrival, end, zone);
        session.total_cost = costs.total;
        session.status = s.departed ? "COMPLETED" : "ACTIVE";
        session.last_updated = end;
        if (s.departed && !session.charging_periods.empty()) {
            CdrLocation place;
            fill_place(place, run, o);
            Cdr cdr = cdr_of_session(session, end, costs, std::move(place), connector_kind(c.dc, c.max_kw));
            out.revenue += cdr.total_cost.excl_vat;
            // The energy the charger drew from the site's connection, at the prices the site paid.
            const auto drawn = charging_periods(power[s.connector].during(s.arrival, end), 1.0, grid.id);
            out.energy_cost += price_session(grid, drawn, s.arrival, end, zone).total.excl_vat;
            out.cdrs.push_back(std::move(cdr));
        }
        out.sessions.push_back(std::move(session));
    });
    out.location = site_location(site, run, o, charging_at_end, out.tariff.id);
    return out;
}

}  // namespace evtwin::ocpi
