#pragma once
// What drivers pay under the scenario's charging tariff (economics.charging_tariff, an OCPI 2.2.1
// tariff): each session with a connector priced as its CDR is (ocpi/format/tariff_pricing.hpp),
// its charging periods the connector's recorded power at the vehicle's inlet
// (ocpi/format/power_periods.hpp), excluding VAT: what `evtwin ocpi export --tariff` bills it.
// Rows and sessions may come in either order (a run being written sends a session after its rows,
// a results file is read sessions first); a connector's rows are kept only from the earliest
// session on it still to be priced.
#include "core/run_sink.hpp"
#include "model/local_time.hpp"
#include "model/scenario_spec.hpp"
#include "ocpi/format/objects.hpp"
#include "ocpi/format/power_periods.hpp"
#include "record/schema/records.hpp"

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace evtwin {

class SessionRevenue {
public:
    // `efficiency`: each connector's charger efficiency, grid side to inlet.
    SessionRevenue(ocpi::Tariff tariff, TimeZone zone, std::vector<double> efficiency);

    void connector_row(Time t, ConnectorIndex c, double grid_kw);
    void session(const SessionRecord& s);
    // Summed over the sessions in id order; a session still plugged in is priced up to `end`.
    double total(Time end) const;

private:
    struct Pending {
        SessionId id;
        Time arrival;
        Time departure;
        bool departed;
    };
    double price(ConnectorIndex c, const Pending& p, Time end) const;
    // Prices the pending sessions of `c` that its rows have passed, and forgets what they needed.
    void settle(ConnectorIndex c);

    ocpi::Tariff tariff_;
    TimeZone zone_;
    std::vector<double> efficiency_;
    std::vector<ocpi::ConnectorPower> power_;
    std::vector<std::deque<Pending>> pending_;  // by connector, in arrival order
    std::map<SessionId, double> priced_;
};

// The pricing of runs whose economics give a charging tariff (nullopt otherwise); `zone` is the
// site's. Throws DataError when the stored tariff cannot be read.
std::optional<SessionRevenue> session_revenue(const Economics& economics, const std::string& zone,
                                              const SiteTree& tree);

}  // namespace evtwin
