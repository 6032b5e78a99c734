#pragma once
// The tiny run (tests/record/tiny_run.hpp) with battery health: session 1 (connector A, which
// discharges 5 kW from 02:00 to 03:00) is fleet vehicle "car-7" at SoH 0.83, below what its age
// leads one to expect (so it grades lower than the ESS), session 2 (connector B) a one-session
// vehicle at SoH 0.97; car-7 and the ESS have battery_health rows, graded and stored as a
// finished run's are.
#include "kpi/battery_grades.hpp"
#include "record/reader/run_reader.hpp"
#include "record/tiny_run.hpp"
#include "record/writer/sqlite_run_writer.hpp"

#include <filesystem>

namespace evtwin::test {

// Forwards to `out`, giving the sessions their vehicles and adding the batteries before the end.
class HealthSink final : public RunSink {
public:
    explicit HealthSink(RunSink& out) : out_(out) {}
    void begin_run(const RunInfo& info, const ScenarioSpec& spec) override { out_.begin_run(info, spec); }
    void site_sample(Time t, const SiteSample& s) override { out_.site_sample(t, s); }
    void node_sample(Time t, NodeIndex n, double kw) override { out_.node_sample(t, n, kw); }
    void ess_sample(Time t, std::uint32_t b, double kw, double soc) override {
        out_.ess_sample(t, b, kw, soc);
    }
    void connector_sample(Time t, ConnectorIndex c, double kw, double soc, PilotState st) override {
        out_.connector_sample(t, c, kw, soc, st);
    }
    void session_end(const SessionRecord& r) override {
        SessionRecord s = r;
        if (s.id == 1) {
            s.vehicle_id = "car-7";
            s.soh = 0.83;
            s.fade_calendar = 1e-6;
            s.fade_cycling = 4e-6;
        } else if (s.id == 2) {
            s.soh = 0.97;
        }
        out_.session_end(s);
    }
    void event(Time t, EventKind k, ConnectorIndex c, SessionId s, std::string_view d) override {
        out_.event(t, k, c, s, d);
    }
    void violation(Time t, const Violation& v) override { out_.violation(t, v); }
    void decision_time(Time t, double s) override { out_.decision_time(t, s); }
    void battery_health(const BatteryUsage& u) override { out_.battery_health(u); }
    void end_run(Time end, bool interrupted) override {
        out_.battery_health(car());
        out_.battery_health(ess());
        out_.end_run(end, interrupted);
    }

    static BatteryUsage car() {
        BatteryUsage u;
        u.battery = "ev:car-7";
        u.vehicle = "car-7";
        u.model = "EV-60";
        u.chemistry = "nmc";
        u.model_year = 2019;
        u.age_years = 5.0;
        u.capacity_kwh = 60.0;
        u.soh_start = 0.83;
        u.soh_end = 0.829995;
        u.expected_soh = 0.91;
        u.calendar_fade = 1e-6;
        u.cycling_fade = 4e-6;
        u.sessions = 1;
        u.hours_seen = 2.5;
        u.hours_high_soc = 0.0;
        u.efc = 20.0 / 120.0;
        u.mean_depth = 0.1;
        u.max_depth = 0.1;
        u.mean_c_rate = 0.15;
        u.v2g_kwh = 5.0;
        return u;
    }
    static BatteryUsage ess() {
        BatteryUsage u;
        u.battery = ess_battery_name("battery");  // tiny_spec()'s ESS
        u.chemistry = "lfp";
        u.capacity_kwh = 10.0;
        u.soh_start = 1.0;
        u.soh_end = 0.99999;
        u.expected_soh = 1.0;
        u.calendar_fade = 5e-6;
        u.cycling_fade = 5e-6;
        u.hours_seen = 4.0;
        u.efc = 0.3;
        u.mean_depth = 0.3;
        u.max_depth = 0.3;
        u.mean_c_rate = 0.3;
        return u;
    }

private:
    RunSink& out_;
};

// With `graded` false the run is left as the simulator writes it, before grading.
inline std::filesystem::path write_health_run(const std::filesystem::path& file, bool graded = true) {
    {
        SqliteRunWriter writer(file);
        HealthSink sink(writer);
        write_tiny_run(sink, tiny_spec());
    }
    if (graded) store_battery_grades(file, 1, grade_run_batteries(RunReader(file), 1));
    return file;
}

}  // namespace evtwin::test
