#pragma once
// One run of a results database, loaded into columns with time indices for the viewer: site series,
// node flows, per-connector power/SoC/state, per-station charge and discharge, sessions, battery
// health and grades, events, violations, KPIs and tariff prices.
// Loaded once (a one-year, 200-charger run holds a few hundred thousand rows per table); every
// lookup at the cursor is a binary search.
#include "record/schema/records.hpp"
#include "viewer/data/batteries.hpp"
#include "viewer/data/feeder_map.hpp"
#include "viewer/data/stations.hpp"
#include "viewer/data/step_columns.hpp"
#include "viewer/timeline/event_marks.hpp"

#include <evtwin/ids.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin::viewer {

struct SiteColumns {
    std::vector<std::int64_t> t;
    std::vector<double> grid_kw, ev_kw, pv_kw, pv_curtailed_kw, ess_kw, ess_soc, load_kw;
    // EV charging and discharging apart (ev_kw is their net sum over connectors).
    std::vector<double> ev_charge_kw, ev_discharge_kw;
};

struct FlowColumns {
    std::vector<std::int64_t> t;
    std::vector<double> kw;
};

struct ConnectorColumns {
    std::vector<std::int64_t> t;
    std::vector<double> kw;  // grid side; negative = V2G
    std::vector<double> soc;
    std::vector<PilotState> state;
};

// The run's tariff prices (table tariff_prices), each in force until the next row.
struct PriceColumns {
    std::vector<std::int64_t> t;
    std::vector<double> import_price, export_price;
    bool empty() const { return t.empty(); }
};

struct EventColumns {
    std::vector<std::int64_t> t;  // sorted (events are written in time order)
    std::vector<EventKind> kind;
    std::vector<ConnectorIndex> connector;
    std::vector<SessionId> session;
    std::vector<std::string> detail;
    std::size_t size() const { return t.size(); }
};

struct ConnectorAt {
    double kw = 0.0;
    double soc = 0.0;
    PilotState state = PilotState::A;
    SessionId session = kNone;  // the session plugged in at that instant
};

class RunData {
public:
    // Opens `file` read-only and loads run `run` (the latest when empty). Throws ResultsError naming
    // the file for a file that is not an evtwin results database, another schema version, or an
    // unknown run.
    static RunData load(const std::filesystem::path& file, std::optional<RunId> run = std::nullopt);

    std::filesystem::path file;
    RunRecord run;
    SiteTree tree;
    SiteColumns site;
    std::vector<FlowColumns> nodes;            // by node index
    std::vector<ConnectorColumns> connectors;  // by connector index
    std::vector<StationColumns> stations;      // by charger
    std::vector<SessionRecord> sessions;       // by id
    std::vector<BatteryRow> batteries;         // by battery name ("ess", "ev:<vehicle>")
    std::optional<FeederMap> feeder;           // the distribution feeder behind the site, if any
    EventColumns events;
    std::vector<ViolationRow> violations;  // in time order
    std::vector<Kpi> kpis;
    PriceColumns prices;
    EventMarks marks;
    double load_seconds = 0.0;  // wall time load() took

    Time start() const { return run.start; }
    Time end() const { return run.data_end(); }

    ConnectorAt connector_at(ConnectorIndex c, Time t) const;
    double node_flow_at(NodeIndex n, Time t) const;  // 0 before its first row
    // Index of the first event at or after t.
    std::size_t first_event_at(Time t) const;
    const Kpi* kpi(const std::string& name) const;
    const SessionRecord* session(SessionId id) const;                   // nullptr when unknown
    const BatteryRow* battery(std::string_view name) const;             // nullptr when the run has none
    const BatteryRow* vehicle_battery(std::string_view vehicle) const;  // nullptr for "" or none

private:
    // Session plugged into each connector over time: sorted (arrival, departure, id) per connector.
    struct Plug {
        std::int64_t from, to;
        SessionId session;
    };
    std::vector<std::vector<Plug>> plugs_;
    void index_sessions();
};

}  // namespace evtwin::viewer
