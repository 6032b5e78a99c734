#pragma once
// A run's energy prices (the tariff it was priced under, as the results database holds it) as an
// OCPI tariff of ENERGY price components: when the prices repeat every week on the site's clock, one
// element per stretch of a day at one price (the days with the same stretches share it, by
// day_of_week); otherwise one element per stretch and date (start_date, end_date). Prices change
// on whole minutes of the site's clock, as OCPI's restrictions can say.
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
