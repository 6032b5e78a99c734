#include "ocpi/format/session_cdr.hpp"

namespace evtwin::ocpi {

Cdr cdr_of_session(const Session& session, Time end, const SessionCosts& costs, CdrLocation place,
                   const ConnectorKind& kind) {
    Cdr cdr;
    cdr.country_code = session.country_code;
    cdr.party_id = session.party_id;
    cdr.id = session.id;
    cdr.start_date_time = session.start_date_time;
    cdr.end_date_time = end;
    cdr.session_id = session.id;
    cdr.cdr_token = session.cdr_token;
    cdr.auth_method = session.auth_method;
    cdr.cdr_location = std::move(place);
    CdrLocation& l = cdr.cdr_location;
    l.id = session.location_id;
    l.evse_uid = session.evse_uid;
    l.evse_id = session.evse_uid;
    l.connector_id = session.connector_id;
    l.connector_standard = kind.standard;
    l.connector_format = kind.format;
    l.connector_power_type = kind.power_type;
    cdr.currency = session.currency;
    cdr.charging_periods = session.charging_periods;
    cdr.total_cost = costs.total;
    cdr.total_fixed_cost = costs.fixed;
    cdr.total_energy = session.kwh;
    cdr.total_energy_cost = costs.energy;
    cdr.total_time = (end - session.start_date_time).hours_f();
    cdr.total_time_cost = costs.time;
    double parking_h = 0.0;
    for (const ChargingPeriod& p : session.charging_periods)
        parking_h += p.volume("PARKING_TIME").value_or(0.0);
    cdr.total_parking_time = parking_h;
    cdr.total_parking_cost = costs.parking;
    cdr.last_updated = end;
    return cdr;
}

}  // namespace evtwin::ocpi
