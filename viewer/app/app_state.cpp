#include "viewer/app/app_state.hpp"

#include <algorithm>

namespace evtwin::viewer {

AppState::AppState(RunData a, std::optional<RunData> b)
    : run(std::move(a)), other(std::move(b)), playback(run.start(), run.end()), time(run.run.timezone) {
    show_event.fill(true);
    cost = CumulativeCost(run.site, run.prices, run.end());
    if (other) other_cost = CumulativeCost(other->site, other->prices, other->end());
    playback.set_speed(3600.0);
}

void AppState::replace_run(RunData fresh) {
    run = std::move(fresh);
    cost = CumulativeCost(run.site, run.prices, run.end());
    heat_cache = PlotCache{};
    battery_order.clear();
}

void AppState::replace_other(RunData fresh) {
    other = std::move(fresh);
    other_cost = CumulativeCost(other->site, other->prices, other->end());
}

std::pair<Time, Time> AppState::window() const {
    const Duration total = run.end() - run.start();
    if (span >= total) return {run.start(), run.end()};
    Time from = playback.cursor() - Duration(span.ms() / 2);
    from = std::clamp(from, run.start(), run.end() - span);
    return {from, from + span};
}

}  // namespace evtwin::viewer
