// GET /v1/live/outlook: the live twin's state forked into simulations of the next hours, one per
// strategy asked and future drawn (serve/live/live_outlook.hpp, docs/live.md).
#include "serve/csms/live_service.hpp"

#include "model/local_time.hpp"
#include "run/strategy_options.hpp"
#include "serve/net/api_error.hpp"
#include "serve/net/json_text.hpp"
#include "serve/net/query_params.hpp"

#include <evtwin/errors.hpp>

namespace evtwin::serve {

namespace {

constexpr std::int64_t kMaxDraws = 64;
constexpr std::size_t kMaxStrategies = 8;
constexpr std::int64_t kDefaultDraws = 8;

std::vector<std::string> names_in(const std::string& list) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from <= list.size()) {
        const std::size_t comma = std::min(list.find(',', from), list.size());
        out.push_back(list.substr(from, comma - from));
        from = comma + 1;
    }
    return out;
}

}  // namespace

HttpResponse LiveService::outlook(const HttpRequest& request) {
    const QueryParams query(request.target, {"hours", "strategies", "draws", "seed"});
    const auto forecast_hours = spec_.forecast_horizon.ms() / Duration::hours(1).ms();
    const std::int64_t hours =
        query.integer("hours", 1, std::max<std::int64_t>(1, forecast_hours)).value_or(4);
    OutlookRequest asked;
    asked.draws = static_cast<int>(query.integer("draws", 1, kMaxDraws).value_or(kDefaultDraws));
    asked.seed = static_cast<std::uint64_t>(query.integer("seed", 0, std::numeric_limits<std::int64_t>::max())
                                                .value_or(std::int64_t(spec_.seed)));
    asked.strategies = names_in(query.text("strategies").value_or(strategy_spec_));
    if (asked.strategies.size() > kMaxStrategies)
        throw ApiError(422, "strategies", "at most " + std::to_string(kMaxStrategies) + " strategies");
    for (const std::string& name : asked.strategies)
        if (name.empty()) throw ApiError(422, "strategies", "a strategy's name is empty");

    const auto make = [this](const std::string& name) {
        const bool live = name == strategy_spec_ || name == strategy_.name();
        const StrategyOptions options =
            merged_strategy_options(spec_, name, live ? options_ : StrategyOptions{});
        return load_strategy(name, options);
    };
    std::lock_guard one_at_a_time(outlook_mutex_);
    const OutlookStart start = twin_->outlook_start(clock_->now(), Duration::hours(hours));
    if (start.spec.end <= start.spec.start)
        throw ApiError(409, "", "the live run ended at " + format_utc(spec_.end) + ": nothing lies ahead");
    Outlook out;
    try {
        out = compute_outlook(start, asked, make);
    } catch (const PluginError& e) {
        throw ApiError(422, "strategies", e.what());
    }

    const std::string currency = spec_.tariff->currency();
    nlohmann::json strategies = nlohmann::json::array();
    for (const StrategyOutlook& s : out.strategies) {
        nlohmann::json vehicles = nlohmann::json::array();
        for (const VehicleOutlook& v : s.vehicles) {
            const MappedConnector& m = map_->at(v.connector);
            vehicles.push_back(
                {{"session", v.id},
                 {"charge_point", m.charge_point},
                 {"connector", m.number},
                 {"departure", format_utc(v.departure)},
                 {"departs_in_window", v.departs_in_window},
                 {"requested_kwh", v.requested_kwh},
                 {"expected_kwh", v.expected_kwh},
                 {"miss_chance", v.departs_in_window ? nlohmann::json(v.miss_chance) : nlohmann::json()}});
        }
        strategies.push_back({{"strategy", s.strategy},
                              {"site_kw", s.site_kw},
                              {"site_kw_p10", s.site_kw_p10},
                              {"site_kw_p90", s.site_kw_p90},
                              {"energy_cost", s.energy_cost},
                              {"export_revenue", s.export_revenue},
                              {"demand_charge", s.demand_charge},
                              {"cost", s.energy_cost - s.export_revenue + s.demand_charge},
                              {"peak_kw", s.peak_kw},
                              {"import_kwh", s.import_kwh},
                              {"export_kwh", s.export_kwh},
                              {"expected_arrivals", s.arrivals},
                              {"rejected_arrivals", s.rejected},
                              {"arrivals_kwh", s.arrivals_kwh},
                              {"violations", s.violations},
                              {"vehicles", vehicles}});
    }
    return json_response(200, json_text({{"start", format_utc(out.start)},
                                         {"end", format_utc(out.end)},
                                         {"step_s", out.step.ms() / 1000},
                                         {"draws", out.draws},
                                         {"seed", asked.seed},
                                         {"currency", currency},
                                         {"strategies", strategies}}));
}

}  // namespace evtwin::serve
