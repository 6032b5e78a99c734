#pragma once
// A RunSink in front of another (the results writer): everything goes on to it, and the figures
// the run's KPIs and battery grades come from are gathered on the way, so that they need not be
// read back from the file.
#include "core/run_sink.hpp"
#include "kpi/battery_grades.hpp"
#include "kpi/feeder_totals.hpp"
#include "kpi/run_totals.hpp"

#include <exception>
#include <optional>
#include <vector>

namespace evtwin {

class RunReader;
class SqliteRunWriter;

class KpiRecorder final : public RunSink {
public:
    explicit KpiRecorder(RunSink& next) : next_(next) {}

    // The run's totals, from its begin_run on.
    const RunTotals& totals() const;
    // The run's last instant: its end_run's time.
    Time end() const { return end_; }
    // The wall-clock time the strategy took, over the run's decisions.
    DecisionTimeStats decision_times() const;

    // Has `writer` (the sink behind this one) store the run's KPIs and its batteries' grades with
    // its last rows (SqliteRunWriter::at_end); kpis() holds them after end_run. A failure to compute
    // them is a ResultsError naming the run.
    void store_at_end(SqliteRunWriter& writer, const Tariff& tariff, const Economics& economics);
    const std::vector<Kpi>& kpis() const { return kpis_; }

    // Goes on with run `id` of `reader`'s file, which the sink behind resumes: the totals start
    // from its committed rows (counted up to `bound`, the run's scheduled end), and its decision
    // times from theirs.
    void resume(const RunReader& reader, RunId id, Time bound);

    void begin_run(const RunInfo& info, const ScenarioSpec& spec) override;
    void site_sample(Time t, const SiteSample& s) override;
    void node_sample(Time t, NodeIndex node, double flow_kw) override;
    void ess_sample(Time t, std::uint32_t ess, double grid_kw, double soc) override;
    void connector_sample(Time t, ConnectorIndex c, double grid_kw, double soc, PilotState state) override;
    void session_end(const SessionRecord& r) override;
    void event(Time t, EventKind kind, ConnectorIndex c, SessionId session, std::string_view detail) override;
    void violation(Time t, const Violation& v) override;
    void decision_time(Time t, double seconds) override;
    void battery_health(const BatteryUsage& u) override;
    void bus_voltage(Time t, std::uint32_t bus, int phase, double v_pu) override;
    void branch_loading(Time t, std::uint32_t branch, double loading) override;
    void feeder_sample(Time t, const FeederSample& s) override;
    void feeder_violation(Time t, const FeederViolation& v) override;
    void flush() override;
    void end_run(Time end, bool interrupted) override;

private:
    RunSink& next_;
    std::optional<RunTotals> totals_;
    std::optional<FeederTotals> feeder_;  // a run with a distribution feeder
    Time end_;
    std::uint64_t decisions_ = 0;
    double decision_seconds_sum_ = 0.0, decision_seconds_max_ = 0.0;
    std::vector<Kpi> kpis_;
    // What store_at_end has the writer store, and what it needs.
    struct AtEnd {
        const Tariff* tariff;
        const Economics* economics;
        std::vector<GradedBattery> graded;
        std::exception_ptr failure;  // computing them failed
    };
    std::optional<AtEnd> at_end_;
};

}  // namespace evtwin
