#pragma once
// What a run's KPIs are computed from, gathered row by row: read back from its results database
// (compute_kpis) or taken as the run is written (KpiRecorder). Both hand over the same rows, each
// series in time order, and the sums are taken in the database's order (sessions by id, V2G rows by
// connector then time): the KPIs agree to the last bit.
#include "model/bill.hpp"
#include "model/scenario_spec.hpp"
#include "record/records.hpp"

#include <optional>
#include <vector>

namespace evtwin {

class RunTotals {
public:
    // `start`: the run's start; `bound`: no row counts past it (the run's scheduled end, or less).
    RunTotals(SiteTree tree, Time start, Time bound);

    void site_row(Time t, const SiteSample& s);
    // A connector's rows matter only while it feeds energy back (V2G); others may be left out.
    void connector_row(Time t, ConnectorIndex c, double grid_kw);
    void session(const SessionRecord& s);
    void battery(const BatteryUsage& u);
    void violation(Time t, const Violation& v);
    // Decisions matter only after a violation, whose clipped power holds until the next decision.
    void decision(Time t);

    // The KPIs of the run whose data ends at `end`, in kpi_names()' order (definitions:
    // docs/results-schema.md, section KPIs).
    std::vector<Kpi> kpis(Time end, const Tariff& tariff, const Economics& economics,
                          const DecisionTimeStats& decision_times) const;
    // The batteries reported, by name, as the results database orders them.
    std::vector<BatteryUsage> batteries() const;

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
        double pv_kwh = 0.0, pv_curtailed_kwh = 0.0, pv_used_kwh = 0.0, ess_in_kwh = 0.0, ess_out_kwh = 0.0;
        void add(const SiteSample& r, Time from, Time to);
    };

    SiteTree tree_;
    Time start_, bound_;
    std::vector<PowerStep> grid_;
    std::optional<SiteRow> site_held_;
    SiteEnergy site_energy_;  // up to the held row
    std::vector<std::optional<HeldRow>> connector_held_;
    std::vector<std::vector<Feed>> feeds_;  // by connector
    std::vector<SessionRecord> sessions_;
    std::vector<BatteryUsage> batteries_;
    std::vector<ViolationRow> violations_;
    std::vector<Time> decisions_;  // those after the first violation
};

}  // namespace evtwin
