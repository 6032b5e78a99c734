#include "serve/results/results_json.hpp"

#include <cmath>

namespace evtwin::serve {

nlohmann::json number_or_null(double value) {
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

nlohmann::json number_or_null(std::optional<double> value) {
    return value ? number_or_null(*value) : nlohmann::json(nullptr);
}

nlohmann::json run_summary(const RunKey& key, const std::filesystem::path& file, const RunRecord& run,
                           const std::vector<Kpi>& kpis) {
    nlohmann::json values = nlohmann::json::object();
    for (const Kpi& k : kpis)
        if (k.reproducible) values[k.name] = number_or_null(k.value);
    return {{"id", key.text()},
            {"file", file.filename().string()},
            {"run", run.id},
            {"scenario", run.info.scenario_name},
            {"strategy", run.info.strategy_name},
            {"strategy_options", run.info.strategy_options},
            {"seed", run.info.seed},
            {"status", to_string(run.status)},
            {"start_ms", run.start.ms()},
            {"end_ms", run.end.ms()},
            {"ended_ms", run.ended ? nlohmann::json(run.ended->ms()) : nlohmann::json(nullptr)},
            {"timezone", run.timezone},
            {"currency", run.currency},
            {"kpis", values}};
}

nlohmann::json run_detail(const RunKey& key, const std::filesystem::path& file, const RunReader& reader,
                          const RunRecord& run) {
    const std::vector<Kpi> kpis = reader.kpis(run.id);
    nlohmann::json out = run_summary(key, file, run, kpis);
    out["scenario_file"] = run.info.scenario_file;
    out["strategy_version"] = run.info.strategy_version;
    out["engine_version"] = run.info.engine_version;
    out["tariff"] = run.tariff_name;
    out["control_period_ms"] = run.control_period.ms();
    out["data_end_ms"] = data_end_of(reader, run).ms();
    nlohmann::json list = nlohmann::json::array();
    for (const Kpi& k : kpis)
        list.push_back({{"name", k.name},
                        {"value", number_or_null(k.value)},
                        {"unit", k.unit},
                        {"reproducible", k.reproducible}});
    out["kpi_list"] = list;

    const SiteTree site = reader.site(run.id);
    nlohmann::json chargers = nlohmann::json::array();
    for (const ConnectorRecord& c : site.connectors) {
        if (chargers.empty() || chargers.back()["index"] != c.charger)
            chargers.push_back({{"index", c.charger},
                                {"name", c.charger_name},
                                {"max_kw", c.max_kw},
                                {"v2g", c.v2g_capable},
                                {"dc", c.dc},
                                {"connectors", nlohmann::json::array()}});
        chargers.back()["connectors"].push_back({{"index", c.index}, {"name", c.name}});
    }
    double pv_kwp = 0;
    for (const PvRecord& pv : site.pv) pv_kwp += pv.kwp;
    const NodeRecord* grid = site.nodes.empty() ? nullptr : &site.nodes.front();
    nlohmann::json ess = nlohmann::json::array();
    for (const EssRecord& e : site.ess)
        ess.push_back({{"name", e.name},
                       {"capacity_kwh", e.capacity_kwh},
                       {"max_charge_kw", e.max_charge_kw},
                       {"max_discharge_kw", e.max_discharge_kw},
                       {"grid_charge", e.grid_charge},
                       {"grid_discharge", e.grid_discharge},
                       {"priority", e.priority}});
    out["site"] = {{"grid_import_kw", grid ? number_or_null(grid->import_limit_kw) : nlohmann::json(nullptr)},
                   {"grid_export_kw", grid ? number_or_null(grid->export_limit_kw) : nlohmann::json(nullptr)},
                   {"chargers", chargers},
                   {"connectors", site.connectors.size()},
                   {"pv_kwp", pv_kwp},
                   {"ess", std::move(ess)}};
    return out;
}

}  // namespace evtwin::serve
