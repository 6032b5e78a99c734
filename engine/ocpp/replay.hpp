#pragma once
// The logged sessions of an imported OCPP log replayed by the twin on a scenario's site
// (`evtwin ocpp validate` / `whatif`), and the comparison of the twin's run with the log.
// docs/ocpp.md describes the mapping, the metrics and the tables.
#include "model/bill.hpp"
#include "model/scenario_spec.hpp"
#include "ocpp/import.hpp"
#include "record/reader/run_reader.hpp"

#include <evtwin/strategy.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::ocpp {

struct ReplaySession {
    SessionId id = 0;                    // the twin's session id (1, 2, ... in arrival order)
    Transaction tx;                      // the logged transaction
    std::string charger;                 // the scenario's charger it is mapped to (named as the charge point)
    std::vector<EffectiveLimit> limits;  // of its connector, from the composed charging profiles
    // Its meter's net register (ocpp/transaction_meter.hpp), read once for the replay and the comparisons.
    std::vector<std::pair<std::int64_t, double>> net_register;
    // A session that gave energy back: its net power at the inlet as its meter shows it
    // (ocpp/transaction_meter.hpp), which LoggedLimitsStrategy follows; empty for one that only charged.
    std::vector<PowerStep> metered;
};

struct Replay {
    ScenarioSpec spec;  // the scenario with the log's sessions, start and end; no hooks of its own
    std::vector<ReplaySession> sessions;
    std::vector<std::string> skipped;  // transactions not replayed, and why
};

struct ReplayOptions {
    // With it (validate), the charging profiles limit the twin: a hook wakes the strategy at every
    // limit change and sets a station maximum on the charger's node. Without (whatif), none.
    bool follow_limits = true;
};

// The scenario's site and tariff with the log's transactions as sessions: arrival = start,
// departure = stop, requested energy = logged energy, a vehicle that never limits the power.
// A transaction that gave energy back (its export register rose) is a V2G session: it asks for its
// net energy (import less export) under whatif, and for the most its net register rose to under
// validate, which then follows its meter. Every charge point and connector of the log must be a
// charger of the scenario with that name and at least that many connectors, and one that
// discharged a V2G-capable charger; else throws DataError "<scenario>: ...".
Replay build_replay(const Import& im, const ScenarioSpec& scenario, const ReplayOptions& options = {});

// A strategy that charges every session as fast as its composed OCPP limit (at the inlet) and the
// charger allow, within the charger node's limit, and a V2G session as its meter shows (charging
// within the same limits): the twin's idea of what the logged site did.
class LoggedLimitsStrategy final : public Strategy {
public:
    explicit LoggedLimitsStrategy(const Replay& replay);
    void decide(const Observation& obs, Decision& out) override;

private:
    const Replay& replay_;
};

struct SessionComparison {
    SessionId session_id = 0;
    std::string cs, transaction_id;
    int connector = 0;
    std::string charger;  // the twin's charger ("" when the twin found no free connector)
    std::int64_t start_ms = 0, stop_ms = 0;
    double logged_kwh = 0, twin_kwh = 0;
    std::optional<double> energy_error_pct;  // (twin - logged) / logged; none when logged is 0
    std::size_t power_points = 0;            // Power.Active.Import samples compared with the twin's power
    std::optional<double> power_mae_kw, power_rmse_kw;
    std::size_t register_points = 0;  // energy-register intervals compared (average powers)
    std::optional<double> register_mae_kw, register_rmse_kw;
    std::optional<double> start_error_s, stop_error_s;  // twin - logged, start/end of charging
    std::string logged_states, twin_states;             // IEC 61851 letters, e.g. "C B"
    bool passed = true;
    std::string failures;  // "energy power timing", "not served"

    // The power metric thresholds apply to: samples where the log has them, else the register.
    std::optional<double> mae_kw() const { return power_mae_kw ? power_mae_kw : register_mae_kw; }
};

struct Thresholds {
    std::optional<double> energy_error_pct, power_mae_kw, timing_error_s;
};

// Compares every replayed session with the twin's run `run` in `reader`'s file.
std::vector<SessionComparison> compare_run(const Import& im, const Replay& replay, const RunReader& reader,
                                           RunId run, const Thresholds& thresholds);

// The site's grid power as the log shows it: every transaction's net power at the inlet from its
// energy registers (ocpp/transaction_meter.hpp: import less export, the average power between
// readings), on the grid side of its charger's losses (charging divided by its efficiency,
// discharging times it), summed over the site; negative where the site exports.
std::vector<PowerStep> logged_grid_power(const Replay& replay);
// The twin's grid import (the site series) of run `run`.
std::vector<PowerStep> twin_grid_power(const RunReader& reader, RunId run);

void store_validation(sqlite::Db& db, std::int64_t import_id, RunId run, const std::string& scenario,
                      const std::vector<SessionComparison>& rows, const Thresholds& thresholds);

struct WhatIf {
    std::string strategy, currency;
    double logged_kwh = 0, twin_kwh = 0;  // grid side
    Bill logged, twin;
};
void store_whatif(sqlite::Db& db, std::int64_t import_id, RunId run, const WhatIf& w);

}  // namespace evtwin::ocpp
