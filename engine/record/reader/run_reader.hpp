#pragma once
// Reads an evtwin results database (docs/results-schema.md), read-only. The only way other code
// (KPIs, reports, tests, the viewer) reads results. Opening checks the format and schema version
// and throws ResultsError naming the file for a foreign, older or newer file.
#include <evtwin/errors.hpp>
#include "record/schema/records.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin {

namespace sqlite {
class Db;
}

// A run's distribution feeder as recorded (feeders, feeder_buses, feeder_branches, feeder_sites).
struct RecordedFeederBus {
    std::string name;
    std::string phases;  // its conductors as digits, "123", "2"
    double v_min_pu = 0.0, v_max_pu = 0.0;
};
struct RecordedFeederBranch {
    bool transformer = false;  // else a line
    std::string name;
    std::uint32_t from_bus = 0, to_bus = 0;
};
struct RecordedFeeder {
    std::string name;
    std::uint32_t source_bus = 0;
    std::vector<RecordedFeederBus> buses;        // by bus index
    std::vector<RecordedFeederBranch> branches;  // lines, then transformers
    std::vector<std::uint32_t> site_buses;       // the buses the site's nodes are attached at
};
// A bus-phase's recorded voltage, held until its next row.
struct BusVoltageRow {
    Time t;
    std::uint32_t bus = 0;
    int phase = 0;  // 1..3
    double v_pu = 0.0;
};

struct RunTiming {
    std::string wall_started_utc;        // ISO 8601
    std::optional<double> wall_seconds;  // empty until the run ended
};

// A battery's health grade as stored after the run (docs/battery.md, section Health grade).
struct BatterySubScoreRow {
    std::string name;  // soh, charging_pattern, ...
    double score = 0.0;
    double weight = 0.0;
    std::string reason;
};

struct BatteryGradeRow {
    std::string battery;                         // "ev:<vehicle>" or "ess:<name>" (ess_battery_name)
    double score = 0.0;                          // 0-100
    char grade = 'D';                            // A-D
    std::vector<BatterySubScoreRow> sub_scores;  // by position
};

class RunReader {
public:
    explicit RunReader(const std::filesystem::path& file);
    ~RunReader();
    RunReader(RunReader&&) noexcept;
    RunReader& operator=(RunReader&&) noexcept;

    const std::filesystem::path& file() const;

    std::vector<RunRecord> runs() const;  // by run id
    RunRecord run(RunId id) const;        // throws ResultsError when there is no such run
    RunId latest_run() const;             // highest run id; throws when the file holds no run

    SiteTree site(RunId id) const;
    std::vector<SessionRecord> sessions(RunId id) const;  // by session id
    // Streams the sessions by id without building a vector (the record is reused between calls).
    void for_each_session(RunId id, const std::function<void(const SessionRecord&)>& fn) const;
    // The batteries that persist through the run (vehicles with an id, the ESS), by battery name.
    std::vector<BatteryUsage> battery_health(RunId id) const;
    // Their grades (battery_health score and grade, battery_scores), by battery name; a battery not
    // graded (yet) has no row.
    std::vector<BatteryGradeRow> battery_grades(RunId id) const;
    // The run's distribution feeder; empty for a run without one.
    std::optional<RecordedFeeder> feeder(RunId id) const;
    // Its bus-phase voltages as recorded (on change), by time, then bus and phase.
    std::vector<BusVoltageRow> bus_voltages(RunId id) const;

    // Series hold their value from a row's t until the next row of the same series. With a window
    // [from, to), the rows in effect during it: the last one at or before `from`, then the rest.
    std::vector<SiteRow> site_series(RunId id, Time from = Time::min(), Time to = Time::max()) const;
    // The latest instant the run's rows reach: its last site row, event or decision (a run being
    // written, whose series change rarely, still decides every control period); empty when it has
    // none (yet).
    std::optional<Time> last_instant(RunId id) const;
    void for_each_site_row(RunId id, const std::function<void(const SiteRow&)>& fn, Time from = Time::min(),
                           Time to = Time::max()) const;
    std::vector<NodeRow> node_series(RunId id, NodeIndex node, Time from = Time::min(),
                                     Time to = Time::max()) const;
    std::vector<NodeRow> node_series(RunId id) const;  // every node, by node then time
    std::vector<ConnectorRow> connector_series(RunId id, ConnectorIndex c, Time from = Time::min(),
                                               Time to = Time::max()) const;
    std::vector<ConnectorRow> connector_series(RunId id) const;  // every connector, by connector then time
    std::vector<EssRow> ess_series(RunId id) const;              // every battery, by battery then time
    // Streams every connector row (by connector then time) without building a vector.
    void for_each_connector_row(RunId id, const std::function<void(const ConnectorRow&)>& fn) const;

    std::vector<EventRow> events(RunId id) const;  // in the order they were written
    // The events at [from, to) (of one kind, when given), by time and at one instant in the order
    // they were written: at most `limit` of them; event_count counts them all.
    std::vector<EventRow> events(RunId id, Time from, Time to, std::size_t limit,
                                 std::optional<EventKind> kind = std::nullopt) const;
    std::int64_t event_count(RunId id, Time from, Time to,
                             std::optional<EventKind> kind = std::nullopt) const;
    std::vector<ViolationRow> violations(RunId id) const;  // in the order they were written
    // What the tariff charged and paid over the run, by time: one row per price change.
    std::vector<PriceRow> tariff_prices(RunId id) const;
    // Those in force during [from, to): the last at or before `from`, then the rest.
    std::vector<PriceRow> tariff_prices(RunId id, Time from, Time to) const;
    // Stored KPIs: the reproducible ones (table kpis), then the wall-clock ones (timing_kpis).
    std::vector<Kpi> kpis(RunId id) const;

    // Not reproducible: wall-clock measurements.
    std::vector<DecisionTimeRow> decision_times(RunId id) const;
    DecisionTimeStats decision_time_stats(RunId id) const;  // summed by SQLite, without a row each
    RunTiming timing(RunId id) const;

    // Any table of the file, as columns (evtwin/results.hpp): with `run`, that run's rows only.
    ResultTable table(std::string_view name, std::optional<RunId> run) const;
    std::vector<std::string> tables() const;

    // Every reproducible row of the run (tables in docs/results-schema.md), without run ids, in key
    // order, doubles in exact hexadecimal: two runs of the same scenario and seed give equal text.
    std::string results_dump(RunId id) const;

private:
    void require_run(RunId id) const;
    std::unique_ptr<sqlite::Db> db_;
};

}  // namespace evtwin
