#include "kpi/session_revenue.hpp"

#include "ocpi/format/read.hpp"
#include "ocpi/format/tariff_pricing.hpp"

#include <algorithm>

namespace evtwin {

SessionRevenue::SessionRevenue(ocpi::Tariff tariff, TimeZone zone, std::vector<double> efficiency)
    : tariff_(std::move(tariff)),
      zone_(std::move(zone)),
      efficiency_(std::move(efficiency)),
      power_(efficiency_.size()),
      pending_(efficiency_.size()) {}

void SessionRevenue::connector_row(Time t, ConnectorIndex c, double grid_kw) {
    if (c >= power_.size()) return;
    power_[c].add(t, grid_kw);
    settle(c);
}

void SessionRevenue::session(const SessionRecord& s) {
    if (s.connector == kNone || s.connector >= power_.size()) return;  // turned away: nothing to pay
    std::deque<Pending>& queue = pending_[s.connector];
    const Pending p{s.id, s.arrival, s.departure, s.departed};
    queue.insert(std::upper_bound(queue.begin(), queue.end(), p,
                                  [](const Pending& a, const Pending& b) { return a.arrival < b.arrival; }),
                 p);
    settle(s.connector);
}

double SessionRevenue::price(ConnectorIndex c, const Pending& p, Time end) const {
    const auto periods = ocpi::charging_periods(power_[c].during(p.arrival, end), efficiency_[c], tariff_.id);
    return ocpi::price_session(tariff_, periods, p.arrival, end, zone_).total.excl_vat;
}

void SessionRevenue::settle(ConnectorIndex c) {
    std::deque<Pending>& queue = pending_[c];
    Time done = Time::min();
    // A session is priced once a row at or after its departure shows nothing more can change it.
    while (!queue.empty() && queue.front().departed && power_[c].last_row() >= queue.front().departure) {
        const Pending& p = queue.front();
        priced_[p.id] = price(c, p, p.departure);
        done = p.departure;
        queue.pop_front();
    }
    if (!queue.empty())
        power_[c].forget_before(queue.front().arrival);
    else if (done != Time::min())
        power_[c].forget_before(done);
}

double SessionRevenue::total(Time end) const {
    std::map<SessionId, double> all = priced_;
    for (ConnectorIndex c = 0; c < pending_.size(); ++c)
        for (const Pending& p : pending_[c])
            all[p.id] = price(c, p, p.departed ? p.departure : std::min(p.departure, end));
    double sum = 0.0;
    for (const auto& [id, paid] : all) sum += paid;
    return sum;
}

std::optional<SessionRevenue> session_revenue(const Economics& economics, const std::string& zone,
                                              const SiteTree& tree) {
    if (economics.charging_tariff.empty()) return std::nullopt;
    auto tariffs = ocpi::parse_tariffs(economics.charging_tariff, "the run's charging tariff");
    if (tariffs.size() != 1) throw DataError("the run's charging tariff: expected one OCPI tariff");
    std::vector<double> efficiency;
    for (const ConnectorRecord& c : tree.connectors) efficiency.push_back(c.efficiency);
    return SessionRevenue(std::move(tariffs.front()), TimeZone(zone.empty() ? "UTC" : zone),
                          std::move(efficiency));
}

}  // namespace evtwin
