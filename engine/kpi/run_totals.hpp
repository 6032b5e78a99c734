#pragma once
// What a run's KPIs are computed from, gathered row by row: read back from its results database
// (compute_kpis) or taken as the run is written (KpiRecorder). Both hand over the same rows, each
// series in time order, and the sums are taken in the database's order (sessions by id, V2G rows by
// connector then time): the KPIs agree to the last bit. What is kept is what the sums need: a
// session waits only for those before it (by id) to end, a violation for the next decision.
#include "core/run_sink.hpp"
#include "kpi/session_revenue.hpp"
#include "model/bill.hpp"
#include "model/scenario_spec.hpp"
#include "record/schema/records.hpp"

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace evtwin {

class RunTotals {
public:
    // `start`: the run's start; `bound`: no row counts past it (the run's scheduled end, or less).
    // `revenue`: how drivers pay when the run has a charging tariff (session_revenue()), which
    // then needs every connector's rows.
    RunTotals(SiteTree tree, Time start, Time bound, std::optional<SessionRevenue> revenue = std::nullopt);

    void site_row(Time t, const SiteSample& s);
    // Without a charging tariff, a connector's rows matter only while it feeds energy back (V2G);
    // others may be left out.
    void connector_row(Time t, ConnectorIndex c, double grid_kw);
    // Battery `ess`'s power and SoC from t (each battery's rows in time order).
    void ess_row(Time t, std::uint32_t ess, double grid_kw, double soc);
    void session(const SessionRecord& s);
    void battery(const BatteryUsage& u);
    void violation(Time t, const Violation& v);
    // An event of the run; only reservations' count (an honoured one before its session's end).
    void event(EventKind kind, SessionId session);
    // Each decision of the run: the power a violation clipped stays clipped until the next one.
    void decision(Time t);

    // The KPIs of the run whose data ends at `end`, in kpi_names()' order, then, for a run that prices
    // curtailment, pv_curtailment_cost, for a run whose batteries have end wishes, ess_end_value and
    // ess_end_short, and for a run with reservations, reservation_kpi_names()' (definitions:
    // docs/results-schema.md, section KPIs).
    std::vector<Kpi> kpis(Time end, const Tariff& tariff, const Economics& economics,
                          const DecisionTimeStats& decision_times) const;
    // The batteries reported, by name, as the results database orders them.
    std::vector<BatteryUsage> batteries() const;
    bool prices_sessions() const { return revenue_.has_value(); }

private:
    struct Feed {  // a connector's stretch of negative grid power
        Time from, to;
        double kw;
    };
    struct HeldRow {
        Time t;
        double kw;
    };
    // Energies over the site rows, export counted as PV first.
    struct SiteEnergy {
        double pv_kwh = 0.0, pv_curtailed_kwh = 0.0, pv_used_kwh = 0.0;
        void add(const SiteSample& r, Time from, Time to);
    };
    // Modelled battery wear summed over batteries: fade in % SoH points, and its cost.
    struct Wear {
        double calendar_cost = 0.0, cycling_cost = 0.0, fade_pct = 0.0;
        void add(double calendar_fade, double cycling_fade, double value_per_fade);
        double cost() const { return calendar_cost + cycling_cost; }
    };
    // The sessions' totals and the modelled fade the site caused to their batteries (docs/battery.md).
    struct SessionSums {
        double delivered = 0.0, requested = 0.0, served = 0.0, ev_discharged = 0.0;
        double required = 0.0, met = 0.0;  // SessionRecord::required_kwh, and what of it was delivered
        double feasible_total = 0.0, served_of_feasible = 0.0, satisfaction = 0.0;
        std::size_t sessions = 0, rejected = 0, fully = 0, connected = 0, fully_feasible = 0, departed = 0;
        std::set<ConnectorIndex> discharging;  // connectors whose sessions fed energy back
        Wear ev_wear;
        void add(const SessionRecord& s, const SiteTree& tree);
    };

    SiteTree tree_;
    Time start_, bound_;
    std::vector<PowerStep> grid_;
    std::optional<SiteRow> site_held_;
    SiteEnergy site_energy_;  // up to the held row
    // Per battery (SiteTree::ess): the row held, and the grid energy in and out up to it.
    struct EssEnergy {
        std::optional<HeldRow> held;
        double held_soc = 0.0;
        double in_kwh = 0.0, out_kwh = 0.0;
        void add(double kw, Time from, Time to);
    };
    std::vector<EssEnergy> ess_;
    // Each battery's stored energy at `end` (kWh), from its last row, and the value it gained and the
    // kWh it is short of the SoC wanted then, summed; false where no battery has an end wish.
    bool ess_end(Time end, double& value, double& short_kwh) const;
    std::vector<std::optional<HeldRow>> connector_held_;
    std::vector<std::vector<Feed>> feeds_;  // by connector
    SessionSums sessions_;                  // of sessions 0 .. next_session_ - 1
    SessionId next_session_ = 0;
    // Reservations: held, refused, honoured, expired, cancelled; the sessions that honoured one and
    // the energy delivered to them (summed in the sessions' order).
    struct ReservationCounts {
        std::size_t held = 0, refused = 0, honoured = 0, expired = 0, cancelled = 0;
        std::set<SessionId> sessions;
        double delivered_kwh = 0.0;
    } reservations_;
    void add_session(const SessionRecord& s);
    std::map<SessionId, SessionRecord> waiting_;  // sessions ended before one with a smaller id
    std::vector<BatteryUsage> batteries_;
    std::size_t violations_ = 0;
    std::optional<SessionRevenue> revenue_;
    double clipped_kwh_ = 0.0;               // of the violations a decision has followed
    std::deque<ViolationRow> clipped_open_;  // the others
};

}  // namespace evtwin
