#pragma once
// Inside SqliteRunWriter (sqlite_run_writer.cpp): its prepared statements, and the rows reported and
// not yet written, kept table by table so that each table's rows go in one statement after another.
#include "record/writer/row_insert.hpp"
#include "record/writer/sqlite_run_writer.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace evtwin {

struct SqliteRunWriter::Statements {
    explicit Statements(sqlite::Db& db)
        : site(db,
               "site_series (run_id, t_ms, grid_kw, ev_kw, pv_kw, pv_curtailed_kw, ess_kw, ess_soc, load_kw)",
               9),
          node(db, "node_series (run_id, node, t_ms, flow_kw)", 4),
          connector(db, "connector_series (run_id, connector, t_ms, grid_kw, soc, state)", 6),
          session(
              db,
              "sessions (run_id, session, connector, vehicle_model, arrival_ms, departure_ms, "
              "declared_departure_ms, capacity_kwh, initial_soc, final_soc, requested_kwh, delivered_kwh, "
              "charged_kwh, discharged_kwh, grid_kwh, departed, vehicle_id, soh, fade_calendar, "
              "fade_cycling, value_per_fade, goal_kwh)",
              22),
          battery(
              db,
              "INSERT INTO battery_health (run_id, battery, vehicle, model, chemistry, model_year, "
              "age_years, "
              "capacity_kwh, soh_start, soh_end, expected_soh, calendar_fade, cycling_fade, value_per_fade, "
              "sessions, hours_seen, hours_high_soc, efc, mean_depth, max_depth, mean_c_rate, dc_share, "
              "deep_discharges, v2g_kwh) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
              "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)"),
          event(db, "events (run_id, seq, t_ms, kind, connector, session, detail)", 7),
          violation(
              db,
              "INSERT INTO violations (run_id, seq, t_ms, kind, node, connector, requested_kw, applied_kw, "
              "phase_constraint, ess) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
          decision(db, "decision_times (run_id, seq, t_ms, seconds)", 4),
          feeder(db,
                 "INSERT OR REPLACE INTO feeder_series (run_id, t_ms, source_kw, source_kvar, load_kw, "
                 "loss_kw) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
          bus_voltage(
              db,
              "INSERT OR REPLACE INTO bus_voltage_series (run_id, bus, phase, t_ms, v_pu) VALUES (?1, "
              "?2, ?3, ?4, ?5)"),
          branch_loading(
              db,
              "INSERT OR REPLACE INTO branch_loading_series (run_id, branch, t_ms, loading) VALUES "
              "(?1, ?2, ?3, ?4)"),
          feeder_violation(
              db,
              "INSERT INTO feeder_violations (run_id, seq, t_ms, kind, bus, phase, branch, value, "
              "limit_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
          ess(db,
              "INSERT OR REPLACE INTO ess_series (run_id, ess, t_ms, grid_kw, soc) VALUES (?1, ?2, ?3, ?4, "
              "?5)"),
          run_end(db, "UPDATE runs SET ended_ms = ?2, status = ?3 WHERE run_id = ?1"),
          run_wall(db, "UPDATE run_timing SET wall_seconds = ?2 WHERE run_id = ?1") {}
    RowInsert site, node, connector, session;
    sqlite::Stmt battery;
    RowInsert event;
    sqlite::Stmt violation;
    RowInsert decision;
    // The feeder's series, few beside the site's: a row each, replacing one of the same instant.
    sqlite::Stmt feeder, bus_voltage, branch_loading, feeder_violation;
    // Each battery's series: a row each, replacing one of the same instant.
    sqlite::Stmt ess;
    sqlite::Stmt run_end, run_wall;  // the run's row at its end
};

struct SqliteRunWriter::Rows {
    struct Site {
        Time t;
        SiteSample sample;
    };
    struct Node {
        Time t;
        NodeIndex node;
        double flow_kw;
    };
    struct Connector {
        Time t;
        ConnectorIndex connector;
        double grid_kw, soc;
        PilotState state;
    };
    struct Event {
        std::int64_t seq;
        Time t;
        EventKind kind;
        ConnectorIndex connector;
        SessionId session;
        std::string detail;
    };
    struct ViolationRow {
        std::int64_t seq;
        Time t;
        Violation violation;
    };
    struct Decision {
        std::int64_t seq;
        Time t;
        double seconds;
    };
    struct Feeder {
        Time t;
        FeederSample sample;
    };
    struct Voltage {
        Time t;
        std::uint32_t bus;
        int phase;
        double v_pu;
    };
    struct Loading {
        Time t;
        std::uint32_t branch;
        double loading;
    };
    struct Ess {
        Time t;
        std::uint32_t ess;
        double grid_kw;
        double soc;
    };
    struct FeederViolationRow {
        std::int64_t seq;
        Time t;
        FeederViolation violation;
    };
    std::vector<Site> site;
    std::vector<Node> node;
    std::vector<Connector> connector;
    std::vector<SessionRecord> sessions;
    std::vector<BatteryUsage> batteries;
    std::vector<Event> events;
    std::vector<ViolationRow> violations;
    std::vector<Decision> decisions;
    std::vector<Feeder> feeder;
    std::vector<Voltage> voltages;
    std::vector<Loading> loadings;
    std::vector<FeederViolationRow> feeder_violations;
    std::vector<Ess> ess;

    void clear() {
        site.clear();
        node.clear();
        connector.clear();
        sessions.clear();
        batteries.clear();
        events.clear();
        violations.clear();
        decisions.clear();
        feeder.clear();
        voltages.clear();
        loadings.clear();
        feeder_violations.clear();
        ess.clear();
    }
};

}  // namespace evtwin
