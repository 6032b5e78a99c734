#pragma once
// A session's charging periods cut into slices over which no tariff restriction can change its
// answer: at the times of day and dates the tariff's restrictions name (local midnight too, for the
// weekday), at the durations they name from the session's start, and where the running energy
// crosses the kWh they name. A period's energy, charging time and parking time are spread evenly
// over it.
#include "model/local_time.hpp"
#include "ocpi/format/objects.hpp"

#include <optional>
#include <vector>

namespace evtwin::ocpi {

struct UsageSlice {
    Time start;
    Time end;
    double kwh = 0.0;
    double charging_hours = 0.0;
    double parking_hours = 0.0;
    double kwh_before = 0.0;          // the session's energy at the slice's start
    std::optional<double> power_kw;   // the charging power, where the period tells it
    std::optional<double> current_a;  // summed over the phases, where the period tells it
};

std::vector<UsageSlice> usage_slices(const Tariff& tariff, const std::vector<ChargingPeriod>& periods,
                                     Time start, Time end, const TimeZone& zone);

}  // namespace evtwin::ocpi
