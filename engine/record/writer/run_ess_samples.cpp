// How SqliteRunWriter takes each stationary battery's power and SoC and writes them in its batches.
#include "record/writer/sqlite_run_writer.hpp"

#include "record/schema/sqlite_db.hpp"
#include "record/writer/writer_rows.hpp"

#include <algorithm>

namespace evtwin {

// Each battery's rows in key order (as the node and connector rows).
void SqliteRunWriter::write_ess_rows(Rows& rows) {
    const std::int64_t run = run_;
    std::stable_sort(rows.ess.begin(), rows.ess.end(),
                     [](const Rows::Ess& a, const Rows::Ess& b) { return a.ess < b.ess; });
    for (const Rows::Ess& r : rows.ess)
        st_->ess.bind(1, run)
            .bind(2, std::int64_t{r.ess})
            .bind(3, r.t.ms())
            .bind(4, r.grid_kw)
            .bind(5, r.soc)
            .run();
}

void SqliteRunWriter::ess_sample(Time t, std::uint32_t ess, double grid_kw, double soc) {
    advance(t, "ess_sample");
    refuse_nan("ess_sample", {grid_kw, soc});
    pending_->ess.push_back({t, ess, grid_kw, soc});
    row_done();
}

}  // namespace evtwin
