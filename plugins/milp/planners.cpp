#include "plugins/milp/planners.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin::milp {
namespace {

constexpr SessionId kForecastIds = 0x40000000u;  // ids of persistence forecasts: above real ones

// A stateless, portable hash to a uniform number in [0, 1): the same seed and session always get
// the same forecast error, at every decision.
double uniform01(std::uint64_t seed, std::uint64_t id, std::uint64_t salt) {
    std::uint64_t z = seed * 0x9E3779B97F4A7C15ull ^ (id + 0x632BE59BD9B4E019ull * (salt + 1));
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
}

// The whole-run models trip CLP's assertion in the feasibility pump (SolveOptions).
SolveOptions without_feasibility_pump(SolveOptions solve) {
    solve.feasibility_pump = false;
    return solve;
}

}  // namespace

OraclePlanner::OraclePlanner(ChargingOptions options, SolveOptions solve, OracleSettings settings)
    : options_(options), solver_(without_feasibility_pump(solve)), settings_(settings) {
    options_.max_horizon = Duration(std::numeric_limits<std::int64_t>::max() / 4);
    options_.use_upcoming = true;
}

void OraclePlanner::decide(const Observation& obs, Decision& out) {
    const std::string why = departure_reason(obs, plan_, settings_.tolerance_kwh);
    if (!why.empty() || (every_ && obs.now > planned_at_)) {
        // Where re-planning is the rule, a deviation is no news: it is recorded only otherwise.
        if (solves_ > 0 && !every_ && !why.empty()) out.events.push_back({"replan", why});
        plan_ = make_plan(obs, options_, solver_, out, nullptr, obs.run_end, &plan_);
        planned_at_ = obs.now;
        if (solves_++ == 0) every_ = replans_every_decision(settings_.replan, plan_.model);
    }
    follow_plan(obs, plan_, out);
}

MpcPlanner::MpcPlanner(ChargingOptions options, SolveOptions solve, MpcSettings settings)
    : options_(options), solver_(solve), settings_(settings) {
    options_.use_upcoming = true;
    if (settings_.plan_ahead && (options_.hold_voltage || options_.hold_loading))
        throw OptionError(
            "option plan_ahead='true' must be false where voltage or loading is 'hold': the "
            "feeder's limits are checked on the feeder as it is at the decision");
}

Foresight MpcPlanner::foresight() const {
    if (settings_.arrivals == ArrivalForecast::persistence) return {};
    return {settings_.horizon};
}

void MpcPlanner::remember(const Observation& obs) {
    for (const SessionView& s : obs.sessions) {
        if (!seen_ids_.emplace(s.id, true).second) continue;
        UpcomingSession u;
        u.id = s.id;
        u.arrival = s.arrival;
        u.declared_departure = s.declared_departure;
        u.requested_kwh = s.requested_kwh;
        u.capacity_kwh = s.capacity_kwh;
        u.initial_soc = s.capacity_kwh > 0 ? std::max(0.0, s.soc - s.delivered_kwh / s.capacity_kwh) : 0.0;
        u.min_soc = s.min_soc;
        u.max_ac_kw = s.max_charge_kw * s.charge_efficiency;
        u.v2g_allowed = s.v2g_allowed;
        u.max_discharge_kw = s.v2g_allowed ? s.max_discharge_kw : 0.0;
        u.battery_charge_efficiency = s.battery_charge_efficiency;
        u.battery_discharge_efficiency = s.battery_discharge_efficiency;
        seen_.push_back(u);
    }
}

std::vector<UpcomingSession> MpcPlanner::expected_arrivals(const Observation& obs) {
    std::vector<UpcomingSession> out;
    switch (settings_.arrivals) {
        case ArrivalForecast::perfect:
            out.assign(obs.upcoming.begin(), obs.upcoming.end());
            break;
        case ArrivalForecast::noisy:
            for (UpcomingSession u : obs.upcoming) {
                const double n = settings_.noise;
                u.requested_kwh *= std::max(0.0, 1.0 + n * (2.0 * uniform01(settings_.seed, u.id, 0) - 1.0));
                const Duration stay = u.declared_departure - u.arrival;
                const auto shift = static_cast<std::int64_t>(std::llround(
                    n * (2.0 * uniform01(settings_.seed, u.id, 1) - 1.0) * static_cast<double>(stay.ms())));
                u.declared_departure = u.declared_departure + Duration(shift);
                if (u.departure > u.arrival)
                    u.departure = std::max(u.arrival + Duration(1), u.departure + Duration(shift));
                if (u.declared_departure > u.arrival) out.push_back(u);
            }
            break;
        case ArrivalForecast::persistence: {
            remember(obs);
            const Time from = obs.now - settings_.persistence_lag;
            const Time until = from + settings_.horizon;
            for (std::size_t i = 0; i < seen_.size(); ++i) {
                UpcomingSession u = seen_[i];
                if (u.arrival <= from || u.arrival > until) continue;
                u.id = kForecastIds + static_cast<SessionId>(i);
                u.arrival = u.arrival + settings_.persistence_lag;
                u.declared_departure = u.declared_departure + settings_.persistence_lag;
                out.push_back(u);
            }
            break;
        }
    }
    return out;
}

void MpcPlanner::decide(const Observation& obs, Decision& out) {
    if (settings_.plan_ahead) {
        decide_ahead(obs, out);
        return;
    }
    const std::vector<UpcomingSession> arrivals = expected_arrivals(obs);
    const std::string why = settings_.replan_on_deviation ? replan_reason(obs, arrivals) : std::string();
    if (!settings_.replan_on_deviation || !why.empty()) {
        // Recorded as the oracle records it: on deviation, from the second plan on.
        if (settings_.replan_on_deviation && planned_at_ != Time::min())
            out.events.push_back({"replan", why});
        last_ = make_plan(obs, options_, solver_, out, &arrivals, Time::min(), &last_);
        planned_at_ = obs.now;
    }
    follow_plan(obs, last_, out);
}

void MpcPlanner::decide_ahead(const Observation& obs, Decision& out) {
    if (ahead_.pending() && obs.now >= ahead_.from()) last_ = ahead_.take(out.events);
    const std::vector<UpcomingSession> arrivals = expected_arrivals(obs);  // also what persistence remembers
    follow_plan(obs, last_, out);  // the heuristic until the first plan
    if (ahead_.pending()) return;
    const std::string why = settings_.replan_on_deviation ? replan_reason(obs, arrivals) : "every decision";
    if (why.empty()) return;
    if (settings_.replan_on_deviation && planned_at_ != Time::min()) out.events.push_back({"replan", why});
    ahead_.start(draft_plan(obs, options_, out.events, &arrivals, Time::min(), &last_), obs, out, options_,
                 solver_.options());
    planned_at_ = obs.now;
}

std::string MpcPlanner::replan_reason(const Observation& obs,
                                      const std::vector<UpcomingSession>& arrivals) const {
    if (obs.now >= planned_at_ + Duration(settings_.horizon.ms() / 2)) return "half the horizon passed";
    std::string why = departure_reason(obs, last_, settings_.tolerance_kwh);
    if (!why.empty()) return why;
    for (const UpcomingSession& u : arrivals) {
        if (last_.row_of(u.id) < 0) return "session " + std::to_string(u.id) + " not expected";
    }
    return {};
}

bool replans_every_decision(Replan replan, const ChargingModel& first_plan) {
    if (replan != Replan::auto_) return replan == Replan::every_decision;
    const double work = static_cast<double>(first_plan.model.num_vars()) * first_plan.periods;
    return !first_plan.model.has_integers() && work <= kEveryDecisionWork;
}

std::vector<std::string> oracle_keys() {
    return {"tolerance_kwh", "replan"};
}

OracleSettings read_oracle_settings(const OptionReader& read) {
    OracleSettings s;
    s.tolerance_kwh = read.number("tolerance_kwh", s.tolerance_kwh, 0.0, 1e6);
    const std::string r = read.choice("replan", "auto", {"auto", "every", "deviation"});
    s.replan = r == "every"       ? Replan::every_decision
               : r == "deviation" ? Replan::on_deviation
                                  : Replan::auto_;
    return s;
}

std::vector<std::string> mpc_keys() {
    return {"horizon_h",         "forecast", "noise",         "seed",
            "persistence_lag_h", "replan",   "tolerance_kwh", "plan_ahead"};
}

MpcSettings read_mpc_settings(const OptionReader& read) {
    MpcSettings s;
    s.horizon = Duration(static_cast<std::int64_t>(
        std::llround(read.number("horizon_h", 24.0, 0.25, kMostHours) * 3'600'000.0)));
    const std::string f = read.choice("forecast", "perfect", {"perfect", "persistence", "noisy"});
    s.arrivals = f == "noisy"         ? ArrivalForecast::noisy
                 : f == "persistence" ? ArrivalForecast::persistence
                                      : ArrivalForecast::perfect;
    s.noise = read.number("noise", 0.2, 0.0, 10.0);
    s.seed = static_cast<std::uint64_t>(read.whole("seed", 1, 0, std::int64_t{1} << 53));
    s.persistence_lag = Duration(static_cast<std::int64_t>(
        std::llround(read.number("persistence_lag_h", 24.0, 0.25, kMostHours) * 3'600'000.0)));
    s.replan_on_deviation = read.choice("replan", "every", {"every", "deviation"}) == "deviation";
    s.tolerance_kwh = read.number("tolerance_kwh", s.tolerance_kwh, 0.0, 1e6);
    s.plan_ahead = read.flag("plan_ahead", s.plan_ahead);
    return s;
}

}  // namespace evtwin::milp
