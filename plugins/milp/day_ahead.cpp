// Day-ahead planning: one MILP plan over the horizon for the vehicles present, then followed period
// by period. The engine shows a strategy only the vehicles plugged in, so an arrival is news no plan
// made earlier could contain: the plan is made again when the set of vehicles changes (an arrival
// or a departure), and otherwise followed as it stands.
#include <milp/formulation/charging_model.hpp>
#include <milp/model/solver.hpp>

#include <evtwin/headroom.hpp>
#include <evtwin/plugin.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::milp {
namespace {

constexpr double kEps = 1e-9;

double parse_number(const StrategyOptions& options, const std::string& key, double fallback, double min) {
    const auto it = options.find(key);
    if (it == options.end()) return fallback;
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(it->second, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != it->second.size() || !std::isfinite(v) || v < min)
        throw StrategyError("day_ahead: option " + key + "='" + it->second +
                            "' must be a number >= " + std::to_string(min));
    return v;
}

bool parse_bool(const StrategyOptions& options, const std::string& key, bool fallback) {
    const auto it = options.find(key);
    if (it == options.end()) return fallback;
    if (it->second == "true" || it->second == "1") return true;
    if (it->second == "false" || it->second == "0") return false;
    throw StrategyError("day_ahead: option " + key + "='" + it->second + "' must be true or false");
}

bool usable(const ConnectorView& c) {
    return c.state != PilotState::A && c.state != PilotState::E && c.state != PilotState::F;
}

// The setpoint closest to `planned_kw` from above that fits `room_kw`, else the largest below.
double realisable(const ConnectorView& c, double planned_kw, double room_kw) {
    if (planned_kw <= 1e-6) return 0.0;
    const double cap = feasible_setpoint_below(c, room_kw);
    if (c.setpoints_kw.empty()) {
        const double kw = std::min(std::max(planned_kw, c.min_kw), cap);
        return kw + kEps < c.min_kw ? 0.0 : kw;
    }
    double best = cap;
    for (double s : c.setpoints_kw)
        if (s >= planned_kw - 1e-6 && s <= cap + kEps && s < best) best = s;
    return best;
}

class DayAheadStrategy final : public Strategy {
public:
    explicit DayAheadStrategy(const StrategyOptions& options) {
        static const char* known[] = {"unmet_penalty", "demand_charge", "peak_so_far", "time_limit_s",
                                      "relax",         "binaries",      "replan"};
        for (const auto& [key, value] : options)
            if (std::find(std::begin(known), std::end(known), key) == std::end(known))
                throw StrategyError("unknown option '" + key +
                                    "' for strategy day_ahead; known options: unmet_penalty, "
                                    "demand_charge, peak_so_far, time_limit_s, relax, binaries, replan");
        options_.unmet_penalty_per_kwh =
            parse_number(options, "unmet_penalty", options_.unmet_penalty_per_kwh, 0.0);
        options_.demand_charge_per_kw = parse_number(options, "demand_charge", 0.0, 0.0);
        options_.peak_so_far_kw = parse_number(options, "peak_so_far", 0.0, 0.0);
        options_.min_power_binaries = parse_bool(options, "binaries", true);
        if (const auto it = options.find("replan"); it != options.end()) {
            if (it->second != "changes" && it->second != "period")
                throw StrategyError("day_ahead: option replan='" + it->second +
                                    "' must be changes or period");
            replan_every_decision_ = it->second == "period";
        }
        SolveOptions solve;
        solve.time_limit_s = parse_number(options, "time_limit_s", 5.0, 0.0);
        solve.relax_integrality = parse_bool(options, "relax", false);
        solver_.set_options(solve);
    }

    void decide(const Observation& obs, Decision& out) override {
        out.connector_kw.assign(obs.connectors.size(), 0.0);
        out.ess_kw = 0.0;
        if (needs_plan(obs)) make_plan(obs);
        std::vector<double> planned;
        if (plan_ && solution_.has_values()) {
            const int t = static_cast<int>((obs.now - plan_->start) / plan_->period);
            planned = plan_->planned_kw(solution_, t, obs.connectors.size());
        } else {
            planned = greedy_wish(obs);  // no plan to follow: every vehicle as fast as it can
        }
        // Grant in order of declared departure, so that if anything must give way it is the
        // vehicle with the most time left.
        std::vector<const SessionView*> order;
        for (const SessionView& s : obs.sessions)
            if (s.connector < obs.connectors.size()) order.push_back(&s);
        std::stable_sort(order.begin(), order.end(), [](const SessionView* a, const SessionView* b) {
            return a->declared_departure < b->declared_departure;
        });
        Headroom room(obs);
        for (const SessionView* s : order) {
            const ConnectorView& c = obs.connectors[s->connector];
            if (!usable(c) || s->remaining_kwh <= kEps) continue;
            const double kw = realisable(c, std::min(planned[s->connector], s->max_charge_kw + kEps),
                                         room.charge_room(s->connector));
            room.take(s->connector, kw);
            out.connector_kw[s->connector] = kw;
        }
    }

private:
    bool needs_plan(const Observation& obs) const {
        if (!plan_ || !solution_.has_values() || replan_every_decision_) return true;
        if (obs.now - plan_->start >= plan_->period * plan_->periods) return true;
        std::vector<SessionId> ids;
        for (const SessionView& s : obs.sessions) ids.push_back(s.id);
        std::sort(ids.begin(), ids.end());
        return ids != planned_ids_;
    }

    void make_plan(const Observation& obs) {
        plan_ = build_charging_model(obs, options_);
        solution_ = solver_.solve(plan_->model);
        planned_ids_.clear();
        for (const SessionView& s : obs.sessions) planned_ids_.push_back(s.id);
        std::sort(planned_ids_.begin(), planned_ids_.end());
        // A plan the solver could not finish is not followed: the fallback takes over until the
        // next change (solution_ then has no values and a new plan is tried at the next decision).
    }

    static std::vector<double> greedy_wish(const Observation& obs) {
        std::vector<double> kw(obs.connectors.size(), 0.0);
        for (const SessionView& s : obs.sessions)
            if (s.connector < kw.size())
                kw[s.connector] = std::min(s.max_charge_kw, obs.connectors[s.connector].max_kw);
        return kw;
    }

    ChargingOptions options_;
    Solver solver_;
    std::optional<ChargingModel> plan_;
    Solution solution_;
    std::vector<SessionId> planned_ids_;
    bool replan_every_decision_ = false;
};

}  // namespace
}  // namespace evtwin::milp

using evtwin::milp::DayAheadStrategy;
EVTWIN_STRATEGY(DayAheadStrategy, "day_ahead", "0.1.0")
