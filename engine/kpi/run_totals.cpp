#include "kpi/run_totals.hpp"

#include "kpi/kpis.hpp"
#include "model/ess_energy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace evtwin {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio_pct(double part, double whole) {
    return whole > 0.0 ? 100.0 * part / whole : kNaN;
}

// Energy at constant `kw` over [from, to), each piece weighted by the import price in force.
double import_priced(const Tariff& tariff, Time from, Time to, double kw) {
    double sum = 0.0;
    for (Time t = from; t < to;) {
        Time next = std::min(to, tariff.next_change(t));
        if (next <= t) next = to;  // a tariff that does not advance: price holds to the end
        sum += kw * (next - t).hours_f() * tariff.import_price(t);
        t = next;
    }
    return sum;
}

// EV2Gym's user satisfaction of a departing vehicle (EV.get_user_satisfaction): the energy it holds
// over the energy it wanted to hold, 1 when within the served tolerance. EV2Gym's vehicles want a
// full battery; here they want their initial energy plus their request.
double user_satisfaction(const SessionRecord& s) {
    const double initial = s.initial_soc * s.capacity_kwh;
    const double wanted = initial + s.requested_kwh;
    const double held = initial + s.delivered_kwh;
    if (held >= wanted - kServedToleranceKwh || wanted <= 0.0) return 1.0;
    return std::max(held, 0.0) / wanted;
}

}  // namespace

void RunTotals::Wear::add(double calendar_fade, double cycling_fade, double value_per_fade) {
    calendar_cost += calendar_fade * value_per_fade;
    cycling_cost += cycling_fade * value_per_fade;
    fade_pct += 100.0 * (calendar_fade + cycling_fade);
}

void RunTotals::SessionSums::add(const SessionRecord& s, const SiteTree& tree) {
    ++sessions;
    ev_wear.add(s.fade_calendar, s.fade_cycling, s.value_per_fade);
    if (s.departed) {
        satisfaction += user_satisfaction(s);
        ++departed;
    }
    delivered += s.delivered_kwh;
    requested += s.requested_kwh;
    served += std::min(std::max(s.delivered_kwh, 0.0), s.requested_kwh);
    required += s.required_kwh();
    met += std::min(std::max(s.delivered_kwh, 0.0), s.required_kwh());
    ev_discharged += s.discharged_kwh;
    if (s.delivered_kwh >= s.required_kwh() - kServedToleranceKwh) ++fully;
    if (s.connector == kNone || s.connector >= tree.connectors.size()) {
        ++rejected;
        return;
    }
    ++connected;
    // A negative connector row lasting any time adds to its session's discharged_kwh.
    if (s.discharged_kwh > 0.0) discharging.insert(s.connector);
    const ConnectorRecord& c = tree.connectors[s.connector];
    const double dwell_h = std::max((s.departure - s.arrival).hours_f(), 0.0);
    const double feasible = std::min({s.requested_kwh, s.capacity_kwh * std::max(1.0 - s.initial_soc, 0.0),
                                      c.max_kw * c.efficiency * dwell_h});
    if (s.delivered_kwh >= feasible - kServedToleranceKwh) ++fully_feasible;
    feasible_total += feasible;
    served_of_feasible += std::clamp(s.delivered_kwh, 0.0, feasible);
}

void RunTotals::SiteEnergy::add(const SiteSample& r, Time from, Time to) {
    if (!(from < to)) return;
    const double h = (to - from).hours_f();
    const double export_kw = std::max(-r.grid_kw, 0.0);
    pv_kwh += r.pv_kw * h;
    pv_curtailed_kwh += r.pv_curtailed_kw * h;
    // PV used on site is what PV produced beyond the export.
    pv_used_kwh += (r.pv_kw - std::min(r.pv_kw, export_kw)) * h;
}

void RunTotals::EssEnergy::add(double kw, Time from, Time to) {
    if (!(from < to)) return;
    const double h = (to - from).hours_f();
    in_kwh += std::max(kw, 0.0) * h;
    out_kwh += std::max(-kw, 0.0) * h;
}

RunTotals::RunTotals(SiteTree tree, Time start, Time bound, std::optional<SessionRevenue> revenue)
    : tree_(std::move(tree)),
      start_(start),
      bound_(bound),
      ess_(tree_.ess.size()),
      connector_held_(tree_.connectors.size()),
      feeds_(tree_.connectors.size()),
      revenue_(std::move(revenue)) {}

void RunTotals::ess_row(Time t, std::uint32_t ess, double grid_kw, double soc) {
    if (ess >= ess_.size()) return;  // no battery of the site's
    EssEnergy& e = ess_[ess];
    if (e.held) e.add(e.held->kw, std::max(e.held->t, start_), std::min(t, bound_));
    e.held = HeldRow{t, grid_kw};
    e.held_soc = soc;
}

bool RunTotals::ess_end(Time end, double& value, double& short_kwh) const {
    bool wishes = false;
    value = short_kwh = 0.0;
    for (std::size_t b = 0; b < ess_.size(); ++b) {
        const EssRecord& r = tree_.ess[b];
        if (r.end_value_per_kwh <= 0.0 && !r.end_soc) continue;
        wishes = true;
        // Its SoC is of its usable capacity: nominal × its state of health at the start.
        double soh = 1.0;
        for (const BatteryUsage& u : batteries_)
            if (u.battery == ess_battery_name(r.name)) soh = u.soh_start;
        const double usable = r.capacity_kwh * soh;
        const EssEnergy& e = ess_[b];
        double stored = r.soc_initial * usable;
        if (e.held) {
            const double hours = std::max(0.0, (std::min(end, bound_) - e.held->t).hours_f());
            stored = e.held_soc * usable +
                     stored_change_kwh(e.held->kw, hours, r.charge_efficiency, r.discharge_efficiency);
        }
        value += r.end_value_per_kwh * (stored - r.soc_initial * usable);
        if (r.end_soc) short_kwh += std::max(0.0, *r.end_soc * usable - stored);
    }
    return wishes;
}

void RunTotals::site_row(Time t, const SiteSample& s) {
    grid_.push_back({t, s.grid_kw});
    if (site_held_) site_energy_.add(site_held_->s, std::max(site_held_->t, start_), std::min(t, bound_));
    site_held_ = SiteRow{t, s};
}

void RunTotals::connector_row(Time t, ConnectorIndex c, double grid_kw) {
    if (c >= connector_held_.size()) return;  // no session of the site's counts it
    if (revenue_) revenue_->connector_row(t, c, grid_kw);
    std::optional<HeldRow>& held = connector_held_[c];
    if (held && held->kw < 0.0) {
        const Time from = std::max(held->t, start_);
        const Time to = std::min(t, bound_);
        if (from < to) feeds_[c].push_back({from, to, held->kw});
    }
    held = HeldRow{t, grid_kw};
}

void RunTotals::session(const SessionRecord& s) {
    if (revenue_) revenue_->session(s);
    if (s.id != next_session_) {
        waiting_.emplace(s.id, s);
        return;
    }
    add_session(s);
    ++next_session_;
    for (auto next = waiting_.begin(); next != waiting_.end() && next->first == next_session_;
         next = waiting_.erase(next)) {
        add_session(next->second);
        ++next_session_;
    }
}

void RunTotals::add_session(const SessionRecord& s) {
    sessions_.add(s, tree_);
    if (!reservations_.sessions.empty() && reservations_.sessions.count(s.id))
        reservations_.delivered_kwh += s.delivered_kwh;
}

void RunTotals::event(EventKind kind, SessionId session) {
    switch (kind) {
        case EventKind::reservation:
            ++reservations_.held;
            break;
        case EventKind::reservation_refused:
            ++reservations_.refused;
            break;
        case EventKind::reservation_honoured:
            ++reservations_.honoured;
            if (session != kNone) reservations_.sessions.insert(session);
            break;
        case EventKind::reservation_expired:
            ++reservations_.expired;
            break;
        case EventKind::reservation_cancelled:
            ++reservations_.cancelled;
            break;
        default:
            break;
    }
}

void RunTotals::battery(const BatteryUsage& u) {
    batteries_.push_back(u);
}

void RunTotals::violation(Time t, const Violation& v) {
    ++violations_;
    if (clips_power(v)) clipped_open_.push_back({t, v});
}

void RunTotals::decision(Time t) {
    // Violations arrive in time order: those before this decision are the front ones.
    while (!clipped_open_.empty() && clipped_open_.front().t < t) {
        const ViolationRow& v = clipped_open_.front();
        const Time until = std::min(t, bound_);
        if (v.t < until)
            clipped_kwh_ += std::abs(v.v.requested_kw - v.v.applied_kw) * (until - v.t).hours_f();
        clipped_open_.pop_front();
    }
}

std::vector<BatteryUsage> RunTotals::batteries() const {
    std::vector<BatteryUsage> out = batteries_;
    std::stable_sort(out.begin(), out.end(),
                     [](const BatteryUsage& a, const BatteryUsage& b) { return a.battery < b.battery; });
    return out;
}

std::vector<Kpi> RunTotals::kpis(Time end, const Tariff& tariff, const Economics& economics,
                                 const DecisionTimeStats& decision_times) const {
    const std::string cur = tariff.currency();
    const Bill bill = compute_bill(tariff, grid_, start_, end);
    SiteEnergy site = site_energy_;
    if (site_held_) site.add(site_held_->s, std::max(site_held_->t, start_), std::min(end, bound_));

    SessionSums s = sessions_;
    for (const auto& [id, r] : waiting_) s.add(r, tree_);

    // The batteries' grid energy in and out, each from its own rows, and their full cycles together:
    // the stored energy moved through their efficiencies over twice their capacity.
    double ess_throughput = 0.0, stored_moved_kwh = 0.0, capacity_kwh = 0.0;
    for (std::size_t b = 0; b < ess_.size(); ++b) {
        EssEnergy e = ess_[b];
        if (e.held) e.add(e.held->kw, std::max(e.held->t, start_), std::min(end, bound_));
        const EssRecord& r = tree_.ess[b];
        ess_throughput += e.in_kwh + e.out_kwh;
        stored_moved_kwh += e.in_kwh * r.charge_efficiency;
        if (r.discharge_efficiency > 0.0) stored_moved_kwh += e.out_kwh / r.discharge_efficiency;
        capacity_kwh += r.capacity_kwh;
    }
    const double ess_cycles = capacity_kwh > 0.0 ? stored_moved_kwh / (2.0 * capacity_kwh) : 0.0;

    // Energy the vehicles fed back, at the chargers' grid side, and its value at the import price.
    double v2g_kwh = 0.0, v2g_value = 0.0;
    const auto add_feed = [&](Time from, Time to, double kw) {
        v2g_kwh += -kw * (to - from).hours_f();
        v2g_value += import_priced(tariff, from, to, -kw);
    };
    for (const ConnectorIndex c : s.discharging) {
        if (c >= feeds_.size()) continue;
        for (const Feed& f : feeds_[c]) add_feed(f.from, f.to, f.kw);
        const std::optional<HeldRow>& held = connector_held_[c];
        if (!held || !(held->kw < 0.0)) continue;
        const Time from = std::max(held->t, start_);
        const Time to = std::min(end, bound_);
        if (from < to) add_feed(from, to, held->kw);
    }
    const double v2g_payments = v2g_value * economics.v2g_price_factor;
    const double charging_revenue =
        revenue_ ? revenue_->total(std::min(end, bound_)) : s.delivered * economics.charging_price_per_kwh;
    // Wear: the modelled fade at what the battery is worth, plus the economics' flat charges per kWh.
    Wear ess_wear;
    for (const auto& b : batteries_)
        if (is_ess_battery(b.battery)) ess_wear.add(b.calendar_fade, b.cycling_fade, b.value_per_fade);
    const double ev_degradation = s.ev_discharged * economics.ev_degradation_per_kwh + s.ev_wear.cost();
    const double ess_degradation = ess_throughput * economics.ess_degradation_per_kwh + ess_wear.cost();
    const double curtailment_cost = site.pv_curtailed_kwh * economics.pv_curtailment_cost_per_kwh;
    const double profit = charging_revenue + bill.export_revenue - bill.energy_cost - bill.demand_charge -
                          v2g_payments - ev_degradation - ess_degradation - curtailment_cost;

    // Violations: clipped power times how long the clipped decision stood (to the next decision).
    double clipped_kwh = clipped_kwh_;
    for (const ViolationRow& v : clipped_open_)
        if (v.t < end) clipped_kwh += std::abs(v.v.requested_kw - v.v.applied_kw) * (end - v.t).hours_f();

    double decision_mean_ms = kNaN, decision_max_ms = kNaN;
    if (decision_times.count > 0) {
        decision_mean_ms = 1000.0 * decision_times.mean_seconds;
        decision_max_ms = 1000.0 * decision_times.max_seconds;
    }

    const double n_sessions = static_cast<double>(s.sessions);
    std::vector<Kpi> out{
        {"energy_cost", bill.energy_cost, cur},
        {"demand_charge", bill.demand_charge, cur},
        {"export_revenue", bill.export_revenue, cur},
        {"charging_revenue", charging_revenue, cur},
        {"v2g_revenue", v2g_payments, cur},
        {"ev_degradation_cost", ev_degradation, cur},
        {"ess_degradation_cost", ess_degradation, cur},
        {"ev_degradation_calendar", s.ev_wear.calendar_cost, cur},
        {"ev_degradation_cycling", s.ev_wear.cycling_cost, cur},
        {"ess_degradation_calendar", ess_wear.calendar_cost, cur},
        {"ess_degradation_cycling", ess_wear.cycling_cost, cur},
        {"ev_fade", s.ev_wear.fade_pct, "% SoH, all EVs"},  // summed over every session
        {"ess_fade", ess_wear.fade_pct, "% SoH"},
        {"cpo_profit", profit, cur},
        {"grid_import", bill.import_kwh, "kWh"},
        {"grid_export", bill.export_kwh, "kWh"},
        {"peak_import", bill.peak_import_kw, "kW"},
        {"sessions", n_sessions, "count"},
        {"sessions_rejected", static_cast<double>(s.rejected), "count"},
        {"sessions_fully_served", ratio_pct(static_cast<double>(s.fully), n_sessions), "%"},
        {"sessions_fully_served_feasible",
         ratio_pct(static_cast<double>(s.fully_feasible), static_cast<double>(s.connected)), "%"},
        {"energy_requested", s.requested, "kWh"},
        {"energy_delivered", s.delivered, "kWh"},
        {"energy_served", ratio_pct(s.served, s.requested), "%"},
        {"energy_served_feasible", ratio_pct(s.served_of_feasible, s.feasible_total), "%"},
        {"user_satisfaction", ratio_pct(s.satisfaction, static_cast<double>(s.departed)), "%"},
        {"unmet_energy", s.required - s.met, "kWh"},
        {"limit_violations", static_cast<double>(violations_), "count"},
        {"clipped_energy", clipped_kwh, "kWh"},
        {"pv_energy", site.pv_kwh, "kWh"},
        {"pv_curtailed", site.pv_curtailed_kwh, "kWh"},
        {"pv_self_consumption", ratio_pct(site.pv_used_kwh, site.pv_kwh), "%"},
        {"ess_throughput", ess_throughput, "kWh"},
        {"ess_equivalent_cycles", ess_cycles, "cycles"},
        {"ev_v2g_throughput", s.ev_discharged, "kWh"},
        {"v2g_grid_energy", v2g_kwh, "kWh"},
        {"decision_time_mean", decision_mean_ms, "ms", false},
        {"decision_time_max", decision_max_ms, "ms", false},
    };
    if (economics.pv_curtailment_cost_per_kwh > 0)
        out.push_back({kPvCurtailmentCostKpi, curtailment_cost, cur});
    if (double value = 0.0, short_kwh = 0.0; ess_end(end, value, short_kwh)) {
        out.push_back({kEssEndValueKpi, value, cur});
        out.push_back({kEssEndShortKpi, short_kwh, "kWh"});
    }
    if (reservations_.held + reservations_.refused == 0) return out;
    const ReservationCounts& r = reservations_;
    const auto count = [](std::size_t n) { return static_cast<double>(n); };
    out.push_back({"reservations", count(r.held), "count"});
    out.push_back({"reservations_refused", count(r.refused), "count"});
    out.push_back({"reservations_honoured", count(r.honoured), "count"});
    out.push_back({"reservation_no_shows", count(r.expired), "count"});
    out.push_back({"reservations_cancelled", count(r.cancelled), "count"});
    out.push_back({"reserved_energy", r.delivered_kwh, "kWh"});
    return out;
}

}  // namespace evtwin
