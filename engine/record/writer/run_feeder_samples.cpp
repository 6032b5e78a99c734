// How SqliteRunWriter takes a run's distribution feeder as it is solved (its totals, bus-phase
// voltages, branch loadings and violations) and writes them in its batches.
#include "record/writer/sqlite_run_writer.hpp"

#include "record/schema/sqlite_db.hpp"
#include "record/writer/writer_rows.hpp"

#include <algorithm>

namespace evtwin {

// The feeder's rows, each series in key order (as the node and connector rows).
void SqliteRunWriter::write_feeder_rows(Rows& rows) {
    const std::int64_t run = run_;
    for (const Rows::Feeder& r : rows.feeder)
        st_->feeder.bind(1, run)
            .bind(2, r.t.ms())
            .bind(3, r.sample.source_kw)
            .bind(4, r.sample.source_kvar)
            .bind(5, r.sample.load_kw)
            .bind(6, r.sample.loss_kw)
            .run();
    std::stable_sort(rows.voltages.begin(), rows.voltages.end(),
                     [](const Rows::Voltage& a, const Rows::Voltage& b) {
                         return a.bus != b.bus ? a.bus < b.bus : a.phase < b.phase;
                     });
    for (const Rows::Voltage& r : rows.voltages)
        st_->bus_voltage.bind(1, run)
            .bind(2, std::int64_t{r.bus})
            .bind(3, std::int64_t{r.phase})
            .bind(4, r.t.ms())
            .bind(5, r.v_pu)
            .run();
    std::stable_sort(rows.loadings.begin(), rows.loadings.end(),
                     [](const Rows::Loading& a, const Rows::Loading& b) { return a.branch < b.branch; });
    for (const Rows::Loading& r : rows.loadings)
        st_->branch_loading.bind(1, run)
            .bind(2, std::int64_t{r.branch})
            .bind(3, r.t.ms())
            .bind(4, r.loading)
            .run();
    for (const Rows::FeederViolationRow& r : rows.feeder_violations) {
        const FeederViolation& v = r.violation;
        auto& st = st_->feeder_violation;
        st.bind(1, run).bind(2, r.seq).bind(3, r.t.ms()).bind(4, v.kind);
        if (v.bus >= 0) {
            st.bind(5, v.bus).bind(6, std::int64_t{v.phase});
        } else {
            st.bind_null(5).bind_null(6);
        }
        if (v.branch >= 0) {
            st.bind(7, v.branch);
        } else {
            st.bind_null(7);
        }
        st.bind(8, v.value).bind(9, v.limit).run();
    }
}

void SqliteRunWriter::bus_voltage(Time t, std::uint32_t bus, int phase, double v_pu) {
    advance(t, "bus_voltage");
    refuse_nan("bus_voltage", {v_pu});
    pending_->voltages.push_back({t, bus, phase, v_pu});
    row_done();
}

void SqliteRunWriter::branch_loading(Time t, std::uint32_t branch, double loading) {
    advance(t, "branch_loading");
    refuse_nan("branch_loading", {loading});
    pending_->loadings.push_back({t, branch, loading});
    row_done();
}

void SqliteRunWriter::feeder_sample(Time t, const FeederSample& s) {
    advance(t, "feeder_sample");
    refuse_nan("feeder_sample", {s.source_kw, s.source_kvar, s.load_kw, s.loss_kw});
    pending_->feeder.push_back({t, s});
    row_done();
}

void SqliteRunWriter::feeder_violation(Time t, const FeederViolation& v) {
    advance(t, "feeder_violation");
    refuse_nan("feeder_violation", {v.value, v.limit});
    pending_->feeder_violations.push_back({++feeder_violation_seq_, t, v});
    row_done();
}

}  // namespace evtwin
