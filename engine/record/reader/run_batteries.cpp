// A run's batteries as the fleet model left them: their use and health, their grades and the
// sub-scores behind each (docs/results-schema.md, battery_health and battery_scores).
#include "record/reader/run_reader.hpp"

#include "record/schema/sqlite_db.hpp"

namespace evtwin {

std::vector<BatteryUsage> RunReader::battery_health(RunId id) const {
    require_run(id);
    sqlite::Stmt st(
        *db_,
        "SELECT battery, vehicle, model, chemistry, model_year, age_years, capacity_kwh, soh_start, soh_end, "
        "expected_soh, calendar_fade, cycling_fade, value_per_fade, sessions, hours_seen, hours_high_soc, "
        "efc, mean_depth, max_depth, mean_c_rate, dc_share, deep_discharges, v2g_kwh FROM battery_health "
        "WHERE run_id = ?1 ORDER BY battery");
    st.bind(1, id);
    std::vector<BatteryUsage> out;
    while (st.step()) {
        BatteryUsage u;
        u.battery = st.text(0);
        u.vehicle = st.text(1);
        u.model = st.text(2);
        u.chemistry = st.text(3);
        u.model_year = st.is_null(4) ? 0 : static_cast<int>(st.int64(4));
        u.age_years = st.real(5);
        u.capacity_kwh = st.real(6);
        u.soh_start = st.real(7);
        u.soh_end = st.real(8);
        u.expected_soh = st.real(9);
        u.calendar_fade = st.real(10);
        u.cycling_fade = st.real(11);
        u.value_per_fade = st.real(12);
        u.sessions = static_cast<int>(st.int64(13));
        u.hours_seen = st.real(14);
        u.hours_high_soc = st.real(15);
        u.efc = st.real(16);
        u.mean_depth = st.real(17);
        u.max_depth = st.real(18);
        u.mean_c_rate = st.real(19);
        u.dc_share = st.real(20);
        u.deep_discharges = static_cast<int>(st.int64(21));
        u.v2g_kwh = st.real(22);
        out.push_back(std::move(u));
    }
    return out;
}

std::vector<BatteryGradeRow> RunReader::battery_grades(RunId id) const {
    require_run(id);
    sqlite::Stmt st(
        *db_,
        "SELECT battery, score, grade FROM battery_health WHERE run_id = ?1 AND score IS NOT NULL "
        "AND grade IS NOT NULL ORDER BY battery");
    st.bind(1, id);
    std::vector<BatteryGradeRow> out;
    while (st.step()) {
        const std::string grade = st.text(2);
        out.push_back({st.text(0), st.real(1), grade.empty() ? '?' : grade[0], {}});
    }
    sqlite::Stmt sub(*db_,
                     "SELECT battery, name, score, weight, reason FROM battery_scores WHERE run_id = ?1 "
                     "ORDER BY battery, position");
    sub.bind(1, id);
    auto it = out.begin();
    while (sub.step()) {
        const std::string battery = sub.text(0);
        while (it != out.end() && it->battery < battery) ++it;
        if (it == out.end() || it->battery != battery) continue;  // sub-scores of an ungraded battery
        it->sub_scores.push_back({sub.text(1), sub.real(2), sub.real(3), sub.text(4)});
    }
    return out;
}

}  // namespace evtwin
