#pragma once
// A run's energy prices (the tariff it was priced under, as the results database holds it) as an
// OCPI tariff of ENERGY price components, one element per stretch of a day at one price. The run's
// dates fall into seasons, runs of consecutive dates whose prices repeat week by week (a date that
// breaks the week, such as a holiday or a new season's prices, starts the next one); within a
// season the days with the same stretches share their elements (day_of_week, none when every day
// is alike), and each season's elements hold its dates (start_date, end_date; the first season
// from any date before, the last to any date after). Prices change on whole minutes of the site's
// clock, as OCPI's restrictions can say.
#include "model/local_time.hpp"
#include "ocpi/format/objects.hpp"
#include "record/schema/records.hpp"

#include <vector>

namespace evtwin::ocpi {

struct TariffIdentity {
    std::string country_code;
    std::string party_id;
    std::string id;
    std::string currency;
    std::optional<double> vat_percent;
    Time last_updated;
};

// `prices` by time, the first in force from `start` (the one before `start` when the run has one).
Tariff tariff_from_prices(const std::vector<PriceRow>& prices, Time start, Time end, const TimeZone& zone,
                          const TariffIdentity& identity);

}  // namespace evtwin::ocpi
