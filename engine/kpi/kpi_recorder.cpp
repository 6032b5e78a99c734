#include "kpi/kpi_recorder.hpp"

#include "kpi/battery_grades.hpp"
#include "kpi/kpis.hpp"
#include "model/scenario_spec.hpp"
#include "record/reader/run_reader.hpp"
#include "record/writer/site_layout.hpp"
#include "record/writer/sqlite_run_writer.hpp"

#include <algorithm>
#include <stdexcept>

namespace evtwin {

const RunTotals& KpiRecorder::totals() const {
    if (!totals_) throw std::logic_error("KpiRecorder::totals before begin_run");
    return *totals_;
}

void KpiRecorder::begin_run(const RunInfo& info, const ScenarioSpec& spec) {
    next_.begin_run(info, spec);
    SiteTree tree = site_tree(spec);
    auto revenue = session_revenue(spec.economics, spec.timezone, tree);
    totals_.emplace(std::move(tree), spec.start, spec.end, std::move(revenue));
    feeder_.reset();
    if (spec.feeder) feeder_.emplace(feeder_limits(*spec.feeder), spec.end);
}

void KpiRecorder::resume(const RunReader& reader, RunId id, Time bound) {
    totals_.emplace(read_run_totals(reader, id, bound, true));
    const DecisionTimeStats before = reader.decision_time_stats(id);
    decisions_ = static_cast<std::uint64_t>(before.count);
    decision_seconds_sum_ = before.mean_seconds * static_cast<double>(before.count);
    decision_seconds_max_ = before.max_seconds;
}

void KpiRecorder::site_sample(Time t, const SiteSample& s) {
    next_.site_sample(t, s);
    totals_->site_row(t, s);
}

void KpiRecorder::node_sample(Time t, NodeIndex node, double flow_kw) {
    next_.node_sample(t, node, flow_kw);
}

void KpiRecorder::ess_sample(Time t, std::uint32_t ess, double grid_kw, double soc) {
    next_.ess_sample(t, ess, grid_kw, soc);
    totals_->ess_row(t, ess, grid_kw, soc);
}

void KpiRecorder::connector_sample(Time t, ConnectorIndex c, double grid_kw, double soc, PilotState state) {
    next_.connector_sample(t, c, grid_kw, soc, state);
    totals_->connector_row(t, c, grid_kw);
}

void KpiRecorder::session_end(const SessionRecord& r) {
    next_.session_end(r);
    totals_->session(r);
}

void KpiRecorder::event(Time t, EventKind kind, ConnectorIndex c, SessionId session,
                        std::string_view detail) {
    next_.event(t, kind, c, session, detail);
    totals_->event(kind, session);
}

void KpiRecorder::violation(Time t, const Violation& v) {
    next_.violation(t, v);
    totals_->violation(t, v);
}

void KpiRecorder::bus_voltage(Time t, std::uint32_t bus, int phase, double v_pu) {
    next_.bus_voltage(t, bus, phase, v_pu);
    if (feeder_) feeder_->voltage_row(t, bus, phase, v_pu);
}

void KpiRecorder::branch_loading(Time t, std::uint32_t branch, double loading) {
    next_.branch_loading(t, branch, loading);
    if (feeder_) feeder_->loading_row(t, branch, loading);
}

void KpiRecorder::feeder_sample(Time t, const FeederSample& s) {
    next_.feeder_sample(t, s);
    if (feeder_) feeder_->feeder_row(t, s);
}

void KpiRecorder::feeder_violation(Time t, const FeederViolation& v) {
    next_.feeder_violation(t, v);
    if (feeder_) feeder_->violation();
}

void KpiRecorder::decision_time(Time t, double seconds) {
    next_.decision_time(t, seconds);
    totals_->decision(t);
    ++decisions_;
    decision_seconds_sum_ += seconds;
    decision_seconds_max_ = std::max(decision_seconds_max_, seconds);
}

DecisionTimeStats KpiRecorder::decision_times() const {
    if (decisions_ == 0) return {};
    return {static_cast<std::int64_t>(decisions_), decision_seconds_sum_ / static_cast<double>(decisions_),
            decision_seconds_max_};
}

void KpiRecorder::store_at_end(SqliteRunWriter& writer, const Tariff& tariff, const Economics& economics) {
    at_end_.emplace(AtEnd{&tariff, &economics, {}, nullptr});
    writer.at_end([this, &writer](sqlite::Db& db, RunId run) {
        try {
            if (at_end_->failure) std::rethrow_exception(at_end_->failure);
        } catch (const std::exception& e) {
            throw ResultsError(writer.file().string() + ": run " + std::to_string(run) +
                               "'s KPIs: " + e.what());
        }
        write_kpis(db, run, kpis_);
        write_battery_grades(db, run, at_end_->graded);
    });
}

void KpiRecorder::battery_health(const BatteryUsage& u) {
    next_.battery_health(u);
    totals_->battery(u);
}

void KpiRecorder::flush() {
    next_.flush();
}

void KpiRecorder::end_run(Time end, bool interrupted) {
    end_ = end;
    // Worked out here, while the writer's thread writes the last rows; the writer stores them with
    // the run's last transaction, where a failure fails the run.
    if (at_end_) {
        try {
            kpis_ = totals().kpis(end_, *at_end_->tariff, *at_end_->economics, decision_times());
            if (feeder_)
                for (Kpi& k : feeder_->kpis(end_)) kpis_.push_back(std::move(k));
            at_end_->graded = grade_batteries(totals().batteries(), end_);
        } catch (const std::exception&) {
            at_end_->failure = std::current_exception();
        }
    }
    next_.end_run(end, interrupted);
}

}  // namespace evtwin
