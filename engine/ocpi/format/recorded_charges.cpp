#include "ocpi/format/recorded_charges.hpp"

#include "data/text_file.hpp"
#include "ocpi/format/read.hpp"

#include <algorithm>

namespace evtwin::ocpi {

namespace {

bool holds_cdrs(const std::string& text) {
    // The first object's keys tell; a document that is no JSON is reported by the CDR reader.
    const auto cdr = text.find("\"cdr_location\"");
    const auto session = text.find("\"location_id\"");
    return session == std::string::npos || (cdr != std::string::npos && cdr < session);
}

double charging_hours_of(const std::vector<ChargingPeriod>& periods, Time end) {
    double hours = 0.0;
    for (std::size_t i = 0; i < periods.size(); ++i) {
        if (const auto t = periods[i].volume("TIME")) {
            hours += *t;
        } else if (!periods[i].volume("PARKING_TIME") && periods[i].volume("ENERGY").value_or(0.0) > 0) {
            const Time to = i + 1 < periods.size() ? periods[i + 1].start_date_time : end;
            hours += (to - periods[i].start_date_time).hours_f();
        }
    }
    return hours;
}

RecordedCharge charge_of(std::string name, const std::string& evse, const CdrToken& token, Time start,
                         Time end, double kwh, std::vector<ChargingPeriod> periods,
                         const OcpiImportOptions& o) {
    RecordedCharge c;
    c.name = std::move(name);
    c.kwh = kwh;
    c.charging_hours = charging_hours_of(periods, end);
    SessionSpec& s = c.session;
    s.station = evse;
    s.vehicle_id = "ocpi-" + token.uid;
    s.arrival = start;
    s.departure = std::max(end, start + Duration::seconds(1));
    s.declared_departure = s.departure;
    s.initial_soc = o.initial_soc;
    s.requested_kwh = std::max(kwh, 0.0);
    double max_kw = 0.0;
    for (const ChargingPeriod& p : periods) max_kw = std::max(max_kw, p.volume("MAX_POWER").value_or(0.0));
    if (!(max_kw > 0) && c.charging_hours > 0) max_kw = kwh / c.charging_hours;
    s.vehicle.model = "OCPI " + token.type + " driver (unknown EV)";
    s.vehicle.max_ac_kw = max_kw > 0 ? max_kw : o.max_kw;
    s.vehicle.max_dc_kw = s.vehicle.max_ac_kw;
    const double needed = s.requested_kwh * s.vehicle.charge_efficiency / (1.0 - o.initial_soc);
    s.vehicle.capacity_kwh = std::max(o.capacity_kwh, needed);
    c.periods = std::move(periods);
    return c;
}

}  // namespace

std::vector<RecordedCharge> read_recorded_charges(const std::filesystem::path& file,
                                                  const OcpiImportOptions& options) {
    if (!(options.initial_soc >= 0.0 && options.initial_soc < 1.0) || !(options.capacity_kwh > 0) ||
        !(options.max_kw > 0) || options.unknown_stay.ms() <= 0) {
        throw DataError(file.string() +
                        ": OCPI import options: initial_soc must be in [0, 1); capacity_kwh, max_kw and "
                        "unknown_stay must be > 0");
    }
    const std::string text = read_text_file(file);
    std::vector<RecordedCharge> charges;
    if (holds_cdrs(text)) {
        for (Cdr& cdr : parse_cdrs(text, file.string())) {
            if (cdr.start_date_time < options.start || cdr.start_date_time >= options.end) continue;
            RecordedCharge c = charge_of("CDR '" + cdr.id + "'", cdr.cdr_location.evse_uid, cdr.cdr_token,
                                         cdr.start_date_time, cdr.end_date_time, cdr.total_energy,
                                         std::move(cdr.charging_periods), options);
            c.total_cost = cdr.total_cost;
            if (!cdr.tariffs.empty()) c.tariff = std::move(cdr.tariffs.front());
            charges.push_back(std::move(c));
        }
    } else {
        for (Session& s : parse_sessions(text, file.string())) {
            if (s.status != "ACTIVE" && s.status != "COMPLETED") continue;
            if (s.start_date_time < options.start || s.start_date_time >= options.end) continue;
            const Time end = s.end_date_time.value_or(s.start_date_time + options.unknown_stay);
            RecordedCharge c = charge_of("Session '" + s.id + "'", s.evse_uid, s.cdr_token, s.start_date_time,
                                         end, s.kwh, std::move(s.charging_periods), options);
            c.total_cost = s.total_cost;
            charges.push_back(std::move(c));
        }
    }
    std::stable_sort(charges.begin(), charges.end(), [](const RecordedCharge& a, const RecordedCharge& b) {
        return a.session.arrival != b.session.arrival ? a.session.arrival < b.session.arrival
                                                      : a.session.departure < b.session.departure;
    });
    for (std::size_t i = 0; i < charges.size(); ++i) charges[i].session.id = static_cast<SessionId>(i);
    return charges;
}

std::vector<SessionSpec> load_ocpi_sessions(const std::filesystem::path& file,
                                            const OcpiImportOptions& options) {
    std::vector<SessionSpec> sessions;
    for (RecordedCharge& c : read_recorded_charges(file, options)) sessions.push_back(std::move(c.session));
    return sessions;
}

}  // namespace evtwin::ocpi
