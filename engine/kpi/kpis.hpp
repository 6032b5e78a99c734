#pragma once
// Key performance indicators of a run, computed from its results database through RunReader
// (definitions: docs/results-schema.md, section KPIs). A run that is being written gathers the same
// figures as it goes (KpiRecorder).
#include "kpi/run_totals.hpp"
#include "model/scenario_spec.hpp"
#include "model/tariff.hpp"
#include "record/schema/records.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace evtwin {

class RunReader;
namespace sqlite {
class Db;
}

// A session counts as fully served when it got its request to within this much energy.
inline constexpr double kServedToleranceKwh = 1e-3;

// The KPIs of run `id`, in a fixed order. Money is in the tariff's currency. Undefined ratios
// (e.g. PV self-consumption without PV) are NaN. Decision-time KPIs have reproducible == false;
// they come from `decision_times` when the caller has them at hand (the run that just ended), else
// from the file.
std::vector<Kpi> compute_kpis(const RunReader& reader, RunId id, const Tariff& tariff,
                              const Economics& economics,
                              const std::optional<DecisionTimeStats>& decision_times = std::nullopt);

// The figures of run `id` as far as its rows are committed, counted up to `bound`. Connector rows
// are read for every connector when `every_connector` (a run that goes on) or the run has a
// charging tariff (its sessions are priced from them), else only for those whose sessions fed
// energy back (all that a finished run's KPIs need).
RunTotals read_run_totals(const RunReader& reader, RunId id, Time bound, bool every_connector);

// The names of the KPIs compute_kpis returns, in its order (for checking a user's choice before a run).
const std::vector<std::string>& kpi_names();
// The KPIs a run with reservations has besides, after kpi_names()' (docs/results-schema.md).
const std::vector<std::string>& reservation_kpi_names();
// The KPI a run whose economics price curtailment has besides, after kpi_names()'.
inline constexpr const char* kPvCurtailmentCostKpi = "pv_curtailment_cost";
// The KPIs a run whose batteries have an end value or an end SoC has besides (after those): the value
// of the energy they gained by the end, and the kWh they ended short of the SoC wanted.
inline constexpr const char* kEssEndValueKpi = "ess_end_value";
inline constexpr const char* kEssEndShortKpi = "ess_end_short";

// Replaces the stored KPIs of run `id`: reproducible ones into table kpis, the others into
// timing_kpis. Throws ResultsError for a foreign file, another schema version or an unknown run.
void store_kpis(const std::filesystem::path& file, RunId id, const std::vector<Kpi>& kpis);
// The same through a connection already open on the results database.
void store_kpis(sqlite::Db& db, RunId id, const std::vector<Kpi>& kpis);
// The same within the transaction the caller holds on it, without checking the run.
void write_kpis(sqlite::Db& db, RunId id, const std::vector<Kpi>& kpis);

}  // namespace evtwin
