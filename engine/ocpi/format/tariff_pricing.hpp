#pragma once
// What a charging session costs under an OCPI tariff, as the specification's Tariffs and CDRs modules
// define it. The session is its charging periods, each lasting to the next one's start and the last
// to the session's end, its energy and its charging and parking time spread evenly over it. Each
// period is cut where a restriction could change its answer (a time of day, a date, a duration, a
// kWh total); in each piece, per dimension (ENERGY, TIME while charging, PARKING_TIME while not),
// the first element with a price component of that dimension whose restrictions all hold sets the
// price, and FLAT is charged once. Elements with a reservation restriction price reservations and
// are left out. step_size applies once per session to the total billed: to the energy, at the last
// ENERGY component used, and to the time dimension billed last (the parking time when a parking
// time was billed after the charging), at its last component, as mod_cdrs.asciidoc requires (its
// SHALL, where the tariff module's worked examples of tariff_14 round the whole session's time).
// min_price and max_price bound the totals excluding and, when both are known, including VAT.
#include "model/local_time.hpp"
#include "ocpi/format/objects.hpp"

#include <vector>

namespace evtwin::ocpi {

struct SessionCosts {
    Price total;
    Price fixed;  // FLAT
    Price energy;
    Price time;  // while charging
    Price parking;
    double billed_kwh = 0.0;  // step_size included
    double billed_charging_hours = 0.0;
    double billed_parking_hours = 0.0;
};

// Throws DataError for a session longer than a year (not priced) or periods out of order.
SessionCosts price_session(const Tariff& tariff, const std::vector<ChargingPeriod>& periods, Time start,
                           Time end, const TimeZone& zone);

}  // namespace evtwin::ocpi
