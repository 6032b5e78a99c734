// RunReader's queries of a window of a run: what a page shows of a long run without reading it whole.
#include "record/reader/reader_rows.hpp"
#include "record/reader/run_reader.hpp"

#include <algorithm>

namespace evtwin {
namespace {

// ?1 run, ?2 from, ?3 to, ?4 the kind or NULL for any. Ordered by time (then as written), so that the
// time index answers it: ordered by seq alone, SQLite walks every event of the run.
constexpr const char* kEventWindow =
    "FROM events WHERE run_id = ?1 AND t_ms >= ?2 AND t_ms < ?3 AND (?4 IS NULL OR kind = ?4)";

void bind_event_window(sqlite::Stmt& st, RunId id, Time from, Time to, std::optional<EventKind> kind) {
    reader_rows::bind_window(st, id, from, to);
    if (kind) st.bind(4, std::string_view(to_string(*kind)));
}

}  // namespace

std::vector<EventRow> RunReader::events(RunId id, Time from, Time to, std::size_t limit,
                                        std::optional<EventKind> kind) const {
    require_run(id);
    sqlite::Stmt st(*db_, std::string("SELECT t_ms, kind, connector, session, detail ") + kEventWindow +
                              " ORDER BY t_ms, seq LIMIT ?5");
    bind_event_window(st, id, from, to, kind);
    st.bind(5, static_cast<std::int64_t>(limit));
    std::vector<EventRow> out;
    while (st.step())
        out.push_back({Time(st.int64(0)), reader_rows::parse_event_kind(*db_, st.text(1)),
                       reader_rows::index_or_none(st, 2), reader_rows::index_or_none(st, 3), st.text(4)});
    return out;
}

std::int64_t RunReader::event_count(RunId id, Time from, Time to, std::optional<EventKind> kind) const {
    require_run(id);
    sqlite::Stmt st(*db_, std::string("SELECT count(*) ") + kEventWindow);
    bind_event_window(st, id, from, to, kind);
    return st.step() ? st.int64(0) : 0;
}

std::optional<Time> RunReader::last_instant(RunId id) const {
    require_run(id);
    std::optional<Time> last;
    // Each by its index: the series' and the events' by time, the decisions' in the order made.
    for (const char* query :
         {"SELECT max(t_ms) FROM site_series WHERE run_id = ?1",
          "SELECT max(t_ms) FROM events WHERE run_id = ?1",
          "SELECT t_ms FROM decision_times WHERE run_id = ?1 ORDER BY seq DESC LIMIT 1"}) {
        sqlite::Stmt st(*db_, query);
        st.bind(1, id);
        if (st.step() && !st.is_null(0)) last = std::max(last.value_or(Time::min()), Time(st.int64(0)));
    }
    return last;
}

std::vector<PriceRow> RunReader::tariff_prices(RunId id, Time from, Time to) const {
    require_run(id);
    sqlite::Stmt st(*db_, reader_rows::window_query("t_ms, import_price, export_price", "tariff_prices"));
    reader_rows::bind_window(st, id, from, to);
    std::vector<PriceRow> out;
    while (st.step()) out.push_back({Time(st.int64(0)), st.real(1), st.real(2)});
    return out;
}

}  // namespace evtwin
