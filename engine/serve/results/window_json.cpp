#include "serve/results/results_json.hpp"

namespace evtwin::serve {

nlohmann::json window_events(const RunReader& reader, const RunRecord& run, const RunWindow& w,
                             std::size_t limit, std::optional<EventKind> kind) {
    const SiteTree site = reader.site(run.id);
    nlohmann::json list = nlohmann::json::array();
    for (const EventRow& e : reader.events(run.id, w.from, w.to, limit, kind)) {
        nlohmann::json connector = nullptr;
        if (e.connector != kNone && e.connector < site.connectors.size())
            connector = site.connectors[e.connector].name;
        list.push_back({{"t_ms", e.t.ms()},
                        {"kind", to_string(e.kind)},
                        {"connector", connector},
                        {"session", e.session == kNone ? nlohmann::json(nullptr) : nlohmann::json(e.session)},
                        {"detail", e.detail}});
    }
    const std::int64_t total = reader.event_count(run.id, w.from, w.to, kind);
    return {{"run", run.id},
            {"from_ms", w.from.ms()},
            {"to_ms", w.to.ms()},
            {"total", total},
            {"truncated", total > static_cast<std::int64_t>(list.size())},
            {"events", list}};
}

nlohmann::json window_limits(const RunReader& reader, const RunRecord& run, const RunWindow& w) {
    const SiteTree site = reader.site(run.id);
    nlohmann::json prices = nlohmann::json::array();
    for (const PriceRow& p : reader.tariff_prices(run.id, w.from, w.to))
        prices.push_back(
            {{"t_ms", p.t.ms()}, {"import_price", p.import_price}, {"export_price", p.export_price}});
    nlohmann::json changes = nlohmann::json::array();
    for (const EventRow& e : reader.events(run.id, w.from, w.to, 10'000, EventKind::limit_change))
        changes.push_back({{"t_ms", e.t.ms()}, {"detail", e.detail}});
    const NodeRecord* grid = site.nodes.empty() ? nullptr : &site.nodes.front();
    return {{"run", run.id},
            {"from_ms", w.from.ms()},
            {"to_ms", w.to.ms()},
            {"currency", run.currency},
            {"grid_import_kw", grid ? number_or_null(grid->import_limit_kw) : nlohmann::json(nullptr)},
            {"grid_export_kw", grid ? number_or_null(grid->export_limit_kw) : nlohmann::json(nullptr)},
            {"prices", prices},
            {"limit_changes", changes}};
}

}  // namespace evtwin::serve
