#pragma once
// Each station (charger) over time as the sum of its connectors, charging and discharging (V2G)
// kept apart: a charger whose one connector charges while another discharges shows both. Energies
// are grid side, integrated exactly over the step series.
#include "record/schema/records.hpp"
#include "viewer/data/step_columns.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace evtwin::viewer {

struct ConnectorColumns;

struct StationEnergy {
    double charged_kwh = 0.0;     // >= 0
    double discharged_kwh = 0.0;  // >= 0: what the station fed back
};

struct StationColumns {
    std::string name;  // the charger's
    std::uint32_t charger = 0;
    std::vector<ConnectorIndex> connectors;
    double max_kw = 0.0;  // the charger's rating
    bool v2g_capable = false;
    // On change, like connector_series: a row holds until the next.
    std::vector<std::int64_t> t;
    std::vector<double> charge_kw;     // >= 0: sum of the charging connectors
    std::vector<double> discharge_kw;  // <= 0: sum of the discharging connectors
    StationEnergy run_total;           // over the whole run
};

// One entry per charger of `tree`, in charger order; `connectors` by connector index, `end` the run's.
std::vector<StationColumns> station_columns(const SiteTree& tree,
                                            const std::vector<ConnectorColumns>& connectors, Time end);

// Energy charged and discharged by the station over [from, to) (cut at the run's `end`).
StationEnergy station_energy(const StationColumns& s, Time end, Time from, Time to);

// Mean charging (>= 0) and discharging (<= 0) power per bucket of [from, to), as bucketize.
struct StationBuckets {
    std::vector<Bucket> charge, discharge;
};
StationBuckets station_buckets(const StationColumns& s, Time end, Time from, Time to, std::size_t buckets);

}  // namespace evtwin::viewer
