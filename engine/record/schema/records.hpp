#pragma once
// Plain structs a results database is read into (see docs/results-schema.md). RunReader returns
// them; the KPIs, tests and the viewer work on them.
#include "core/run_sink.hpp"
#include "model/scenario_spec.hpp"

#include <evtwin/ids.hpp>
#include <evtwin/results.hpp>  // RunId, Kpi
#include <evtwin/time.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace evtwin {

enum class RunStatus : std::uint8_t {
    running,      // being written, or the writing process died
    complete,     // end_run(t, false)
    interrupted,  // end_run(t, true): stopped early (Ctrl-C); everything written so far is valid
    failed,       // the writer was destroyed without end_run (an error unwound the run)
};

const char* to_string(RunStatus status);

struct RunRecord {
    RunId id = 0;
    RunInfo info;
    Time start;  // scheduled start and end of the simulated horizon
    Time end;
    std::optional<Time> ended;  // the time end_run reported; empty while running / failed
    Duration control_period;
    Duration forecast_horizon;
    std::string timezone;
    std::string tariff_name;
    std::string currency;
    RunStatus status = RunStatus::running;
    Economics economics;
    std::string config_json;
    // End of the simulated data: `ended` when known, else the scheduled end.
    Time data_end() const { return ended ? *ended : end; }
};

struct NodeRecord {
    NodeIndex index = 0;
    NodeIndex parent = kNone;
    NodeKind kind = NodeKind::feeder;
    std::string name;
    double import_limit_kw = 0.0;  // kUnlimited when none
    double export_limit_kw = 0.0;
    bool operator==(const NodeRecord&) const = default;
};

struct ConnectorRecord {
    ConnectorIndex index = 0;
    std::string name;        // "<charger>/<n>", n from 1
    NodeIndex node = kNone;  // the connector's own node
    NodeIndex charger_node = kNone;
    std::uint32_t charger = 0;  // index into the scenario's chargers
    std::string charger_name;
    double max_kw = 0.0;  // charger rating, grid side (shared by its connectors)
    double min_kw = 0.0;
    double efficiency = 1.0;
    bool dc = false;
    bool v2g_capable = false;
    std::vector<double> setpoints_kw;  // empty: continuous
    double voltage_v = 230.0;          // the charger's, for phase constraints
    double phase_deg = 0.0;
    bool operator==(const ConnectorRecord&) const = default;
};

struct PhaseTermRecord {
    std::uint32_t charger = 0;  // index into the scenario's chargers
    std::string charger_name;
    double coefficient = 1.0;
    bool operator==(const PhaseTermRecord&) const = default;
};

// |Σ coefficient · I_charger · e^{j·phase}| <= limit_a (see docs/engine.md).
struct PhaseConstraintRecord {
    std::uint32_t index = 0;
    std::string name;
    double limit_a = 0.0;  // kUnlimited when none
    std::vector<PhaseTermRecord> terms;
    bool operator==(const PhaseConstraintRecord&) const = default;
};

struct PvRecord {
    std::uint32_t index = 0;
    std::string name;
    NodeIndex node = 0;
    double kwp = 0.0;
    bool operator==(const PvRecord&) const = default;
};

// A stationary battery as stored: its EssRating (the state of health is stored with the battery's health).
struct EssRecord : EssRating {
    bool operator==(const EssRecord&) const = default;
};

struct LoadRecord {
    std::uint32_t index = 0;
    std::string name;
    NodeIndex node = 0;
    bool operator==(const LoadRecord&) const = default;
};

struct SiteTree {
    std::vector<NodeRecord> nodes;
    std::vector<ConnectorRecord> connectors;
    std::vector<PhaseConstraintRecord> phase_constraints;
    std::vector<PvRecord> pv;
    std::vector<EssRecord> ess;  // per ScenarioSpec::ess
    std::vector<LoadRecord> loads;
};

struct SiteRow {
    Time t;
    SiteSample s;
};

struct NodeRow {
    Time t;
    NodeIndex node = 0;
    double flow_kw = 0.0;
};

struct ConnectorRow {
    Time t;
    ConnectorIndex connector = 0;
    double grid_kw = 0.0;
    double soc = 0.0;
    PilotState state = PilotState::A;
};

// A stationary battery's row (ess_series): its power and SoC from t.
struct EssRow {
    Time t;
    std::uint32_t ess = 0;  // index into SiteTree::ess
    double grid_kw = 0.0;
    double soc = 0.0;
};

struct EventRow {
    Time t;
    EventKind kind = EventKind::arrival;
    ConnectorIndex connector = kNone;
    SessionId session = kNone;
    std::string detail;
};

struct ViolationRow {
    Time t;
    Violation v;
};

// The tariff's prices from `t` until the next row (the run's tariff, price spikes included).
struct PriceRow {
    Time t;
    double import_price = 0.0;
    double export_price = 0.0;
};

struct DecisionTimeRow {
    Time t;
    double seconds = 0.0;
};

// The decision times of a run in sum.
struct DecisionTimeStats {
    std::int64_t count = 0;
    double mean_seconds = 0.0;
    double max_seconds = 0.0;
};

inline const char* to_string(RunStatus status) {
    switch (status) {
        case RunStatus::running:
            return "running";
        case RunStatus::complete:
            return "complete";
        case RunStatus::interrupted:
            return "interrupted";
        case RunStatus::failed:
            return "failed";
    }
    return "?";
}

}  // namespace evtwin
