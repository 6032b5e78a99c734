#pragma once
// The answers of the results routes (docs/serve.md, "Results"), built from what the results reader
// gives. Numbers are the database's: averages over a bucket weigh each stored value by the time it
// held; limits that are unlimited, and KPIs that are undefined, are null.
#include "record/reader/run_reader.hpp"
#include "serve/results/results_library.hpp"
#include "serve/results/run_window.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>

namespace evtwin::serve {

// A run's identity, status, horizon and reproducible KPIs ({name: value}).
nlohmann::json run_summary(const RunKey& key, const std::filesystem::path& file, const RunRecord& run,
                           const std::vector<Kpi>& kpis);
// The summary, the site (grid limits, chargers and their connectors, PV, ESS) and every KPI with its unit.
nlohmann::json run_detail(const RunKey& key, const std::filesystem::path& file, const RunReader& reader,
                          const RunRecord& run);

// The site's power averaged over at most `points` buckets of the window, the grid's extremes in
// each, and the window's energies.
nlohmann::json site_power(const RunReader& reader, const RunRecord& run, const RunWindow& w,
                          std::size_t points);
// Each connector's average power and plugged-in share per bucket (the vehicles × time view).
nlohmann::json connector_power(const RunReader& reader, const RunRecord& run, const RunWindow& w,
                               std::size_t points);
// Each charger's energy charged and discharged (grid side) over the window, and its power per bucket.
nlohmann::json station_energy(const RunReader& reader, const RunRecord& run, const RunWindow& w,
                              std::size_t points);
// The events of the window (connectors by name), at most `limit`, of one kind when given.
nlohmann::json window_events(const RunReader& reader, const RunRecord& run, const RunWindow& w,
                             std::size_t limit, std::optional<EventKind> kind);
// The grid connection's limits, the tariff's prices in force during the window and the limit
// changes announced in it.
nlohmann::json window_limits(const RunReader& reader, const RunRecord& run, const RunWindow& w);

// The batteries that persist through the run: each vehicle's health (SoH, grade A–D, score and
// sub-scores), the fleet grouped by model and model year, the ESS; with `vehicle`, its SoH at each
// of its sessions' arrivals (a 422 naming `vehicle` when the run has no such vehicle).
nlohmann::json battery_fleet(const RunReader& reader, const RunRecord& run,
                             const std::optional<std::string>& vehicle);

// A finite number, or null.
nlohmann::json number_or_null(double value);
nlohmann::json number_or_null(std::optional<double> value);

}  // namespace evtwin::serve
