#include "forecast/site_forecasters.hpp"

#include "forecast/forecast_answer.hpp"
#include "forecast/series.hpp"
#include "util/rng.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace evtwin {
namespace {

constexpr ForecastTarget kTargets[3] = {ForecastTarget::pv, ForecastTarget::load, ForecastTarget::demand};
constexpr double kZ90 = 1.2815515655446004;  // the standard normal's 90 % quantile

std::size_t index_of(ForecastTarget t) {
    return static_cast<std::size_t>(t);
}

// A standard normal draw that depends only on its key: the same step gets the same error at every decision.
double keyed_normal(std::uint64_t seed, std::uint64_t salt, std::int64_t key) {
    std::uint64_t mix =
        seed * 0x9E3779B97F4A7C15ull ^ (salt + 1) * 0xD1B54A32D192ED03ull ^ static_cast<std::uint64_t>(key);
    return Rng(mix).normal();
}

Time floor_to(Time t, Duration step) {
    std::int64_t r = t.ms() % step.ms();
    if (r < 0) r += step.ms();
    return Time(t.ms() - r);
}

// The Forecast's vectors for one channel of a target: median, p10, p90.
std::array<std::vector<double>*, 3> channel_vectors(Forecast& f, ForecastTarget t, std::size_t c) {
    if (t == ForecastTarget::pv) return {&f.pv_kw, &f.pv_kw_p10, &f.pv_kw_p90};
    if (t == ForecastTarget::load) return {&f.base_load_kw, &f.base_load_kw_p10, &f.base_load_kw_p90};
    Quantiles& q = c == kDemandArrivals ? f.demand.arrivals
                   : c == kDemandEnergy ? f.demand.energy_kwh
                                        : f.demand.stay_h;
    return {&q.p50, &q.p10, &q.p90};
}

bool sums_over_time(ForecastTarget t, std::size_t c) {
    return t == ForecastTarget::demand && c != kDemandStay;
}

void aggregate_upcoming(std::span<const UpcomingSession> sessions, Forecast& f) {
    const std::size_t n = f.import_price.size();
    for (Quantiles* q : {&f.demand.arrivals, &f.demand.energy_kwh, &f.demand.stay_h}) q->p50.assign(n, 0.0);
    for (const UpcomingSession& u : sessions) {
        if (u.arrival < f.start) continue;
        const auto k = static_cast<std::size_t>((u.arrival - f.start) / f.step);
        if (k >= n) continue;
        f.demand.arrivals.p50[k] += 1.0;
        f.demand.energy_kwh.p50[k] += u.requested_kwh;
        f.demand.stay_h.p50[k] += (u.declared_departure - u.arrival).hours_f();
    }
    for (std::size_t k = 0; k < n; ++k)
        if (f.demand.arrivals.p50[k] > 0.0) f.demand.stay_h.p50[k] /= f.demand.arrivals.p50[k];
    for (Quantiles* q : {&f.demand.arrivals, &f.demand.energy_kwh, &f.demand.stay_h})
        q->p10 = q->p90 = q->p50;
}

}  // namespace

struct SiteForecasters::PluginTarget {
    ForecastTarget target;
    ForecasterHandle forecaster;
    ForecastNeeds needs;
    Time origin = Time::min();
    std::size_t horizon = 0;
    std::vector<double> history, prices;
    std::vector<CalendarStep> calendar;
    ForecastOutput output;
};

SiteForecasters::SiteForecasters(const ScenarioSpec& spec)
    : spec_(spec), zone_(spec.timezone), holidays_(spec.forecast.holidays), seed_(spec.seed) {
    for (ForecastTarget t : kTargets) {
        const ForecasterChoice& choice = spec.forecast.choice(t);
        if (choice.name == "perfect") continue;
        perfect_ = false;
        if (choice.name == "noisy") {
            const auto it = choice.options.find("noise");
            if (it != choice.options.end()) noise_[index_of(t)] = std::stod(it->second);
            const auto arg = choice.options.find("arg");
            if (arg != choice.options.end()) noise_[index_of(t)] = std::stod(arg->second);
            continue;
        }
        auto p = std::make_unique<PluginTarget>();
        p->target = t;
        p->forecaster = load_forecaster(choice.name, t, choice.options);
        p->needs = p->forecaster->needs();
        if (p->needs.step <= Duration(0))
            throw PluginError("forecaster '" + choice.name + "' asks for a step of " +
                              std::to_string(p->needs.step.ms()) + " ms");
        plugins_.push_back(std::move(p));
    }
}

SiteForecasters::~SiteForecasters() = default;

bool SiteForecasters::demand_perfect() const {
    return spec_.forecast.demand.name == "perfect";
}

std::string SiteForecasters::describe() const {
    std::string out;
    for (ForecastTarget t : kTargets) {
        const ForecasterChoice& c = spec_.forecast.choice(t);
        const auto arg = c.options.find("arg");
        out += (out.empty() ? "" : ", ") + std::string(target_name(t)) + "=" + c.name +
               (arg == c.options.end() ? "" : ":" + arg->second);
    }
    return out;
}

void SiteForecasters::fill_history(PluginTarget& p, Time origin) {
    const std::size_t h = p.needs.history_steps;
    const Duration step = p.needs.step;
    const Time first = origin - step * static_cast<std::int64_t>(h);
    const std::size_t span = h + p.horizon;
    p.calendar = calendar_steps(first, step, span, zone_, holidays_);
    p.prices.resize(span);
    for (std::size_t k = 0; k < span; ++k)
        p.prices[k] = spec_.tariff->import_price(first + step * static_cast<std::int64_t>(k));
    if (p.target == ForecastTarget::demand) {
        p.history.clear();
        std::vector<SessionSpec> past;
        for (const std::vector<SessionSpec>* list : {&spec_.forecast.history_sessions, &spec_.sessions}) {
            const auto by_arrival = [](const SessionSpec& s, Time t) { return s.arrival < t; };
            const auto from = std::lower_bound(list->begin(), list->end(), first, by_arrival);
            const auto to = std::lower_bound(from, list->end(), origin, by_arrival);
            past.insert(past.end(), from, to);
        }
        p.history = aggregate_demand(past, first, step, h);
        return;
    }
    p.history.assign(h, 0.0);
    for (std::size_t i = 0; i < h; ++i) {
        const Time t = first + step * static_cast<std::int64_t>(i);
        if (t < spec_.start) continue;  // the profiles hold data for the run only
        double v = 0.0;
        if (p.target == ForecastTarget::pv)
            for (const PvSpec& pv : spec_.pv) v += pv.kwp * pv.profile.average(t, step);
        else
            for (const LoadSpec& load : spec_.loads) v += load.kw.average(t, step);
        p.history[i] = v;
    }
}

void SiteForecasters::apply_plugin(PluginTarget& p, Time now, Forecast& out) {
    const Duration step = p.needs.step;
    const Time origin = floor_to(now, step);
    const std::size_t n = out.import_price.size();
    const Time end = out.start + out.step * static_cast<std::int64_t>(n);
    const auto horizon = static_cast<std::size_t>((end - origin + step - Duration(1)) / step);
    if (origin != p.origin || horizon > p.horizon) {
        p.origin = origin;
        p.horizon = horizon;
        fill_history(p, origin);
        ForecastInput in;
        in.target = p.target;
        in.origin = origin;
        in.step = step;
        in.history_steps = p.needs.history_steps;
        in.horizon_steps = horizon;
        in.history = p.history;
        in.known_from =
            p.target == ForecastTarget::demand ? spec_.start - spec_.forecast.history : spec_.start;
        in.calendar = p.calendar;
        in.import_price = p.prices;
        const std::size_t size = horizon * channel_count(p.target);
        for (auto* q : {&p.output.p10, &p.output.p50, &p.output.p90}) q->assign(size, 0.0);
        try {
            p.forecaster->forecast(in, p.output);
        } catch (const std::exception& e) {
            throw PluginError("forecaster '" + std::string(p.forecaster.name()) + "' failed: " + e.what());
        }
        check_forecast_answer(p.forecaster.name(), p.target, horizon, p.output);
    }
    // Each control period takes the forecaster's steps it overlaps: summed by overlap for counts and
    // energies, averaged for powers and stays.
    for (std::size_t c = 0; c < channel_count(p.target); ++c) {
        const auto vectors = channel_vectors(out, p.target, c);
        const std::vector<double>* sources[3] = {&p.output.p50, &p.output.p10, &p.output.p90};
        for (std::size_t q = 0; q < 3; ++q) {
            std::vector<double>& dst = *vectors[q];
            dst.assign(n, 0.0);
            for (std::size_t k = 0; k < n; ++k) {
                const Time a = out.start + out.step * static_cast<std::int64_t>(k), b = a + out.step;
                double v = 0.0;
                for (Time t = std::max(a, origin); t < b;) {
                    const auto j = static_cast<std::size_t>((t - origin) / step);
                    const Time j_end = origin + step * static_cast<std::int64_t>(j + 1);
                    const Time until = std::min(b, j_end);
                    const double w = sums_over_time(p.target, c)
                                         ? double((until - t).ms()) / double(step.ms())
                                         : double((until - t).ms()) / double(out.step.ms());
                    v += (*sources[q])[c * p.horizon + std::min(j, p.horizon - 1)] * w;
                    t = until;
                }
                dst[k] = std::max(0.0, v);
            }
        }
    }
}

void SiteForecasters::apply_noisy_series(ForecastTarget target, Forecast& out) const {
    const auto v = channel_vectors(out, target, 0);
    const double n = noise_[index_of(target)];
    for (std::size_t k = 0; k < v[0]->size(); ++k) {
        const Time t = out.start + out.step * static_cast<std::int64_t>(k);
        const double median =
            std::max(0.0, (*v[0])[k] * (1.0 + n * keyed_normal(seed_, index_of(target), t.ms())));
        (*v[0])[k] = median;
        (*v[1])[k] = std::max(0.0, median * (1.0 - kZ90 * n));
        (*v[2])[k] = median * (1.0 + kZ90 * n);
    }
}

void SiteForecasters::apply_node_flows(Forecast& out) const {
    for (NodeFlowForecast& flow : out.node_fixed_flow) {
        double pv_kwp = 0.0, pv_total = 0.0, load_mean = 0.0, load_total = 0.0;
        for (const PvSpec& pv : spec_.pv) {
            pv_total += pv.kwp;
            for (NodeIndex n = pv.node; n != kNone && n < spec_.nodes.size(); n = spec_.nodes[n].parent)
                if (n == flow.node) pv_kwp += pv.kwp;
        }
        for (const LoadSpec& load : spec_.loads) {
            double mean = load.kw.before;
            if (!load.kw.v.empty()) {
                mean = 0.0;
                for (double x : load.kw.v) mean += x;
                mean /= static_cast<double>(load.kw.v.size());
            }
            load_total += mean;
            for (NodeIndex n = load.node; n != kNone && n < spec_.nodes.size(); n = spec_.nodes[n].parent)
                if (n == flow.node) load_mean += mean;
        }
        const double pv_share = pv_total > 0.0 ? pv_kwp / pv_total : 0.0;
        const double load_share = load_total > 0.0 ? load_mean / load_total : 0.0;
        for (std::size_t k = 0; k < flow.kw.size(); ++k)
            flow.kw[k] = load_share * out.base_load_kw[k] - pv_share * out.pv_kw[k];
    }
}

void SiteForecasters::noisy_sessions(std::span<const UpcomingSession> truth,
                                     std::vector<UpcomingSession>& out) const {
    const double n = noise_[index_of(ForecastTarget::demand)];
    out.clear();
    for (UpcomingSession u : truth) {
        u.requested_kwh *= std::max(0.0, 1.0 + n * keyed_normal(seed_, 10, u.id));
        u.declared_departure = noisy_departure(u.id, u.arrival, u.declared_departure);
        u.departure = u.declared_departure;
        out.push_back(u);
    }
}

Time SiteForecasters::noisy_departure(SessionId id, Time arrival, Time declared_departure) const {
    const double n = noise_[index_of(ForecastTarget::demand)];
    const Duration stay = declared_departure - arrival;
    const auto shift =
        static_cast<std::int64_t>(std::llround(n * keyed_normal(seed_, 11, id) * double(stay.ms())));
    return std::max(arrival + Duration::minutes(1), declared_departure + Duration(shift));
}

Time SiteForecasters::expected_departure(const SessionSpec& s, Time now) {
    const std::string& demand = spec_.forecast.demand.name;
    if (demand == "perfect") return s.departure;
    if (demand == "noisy") return noisy_departure(s.id, s.arrival, s.declared_departure);
    if (!departures_)
        departures_ = std::make_unique<DepartureForecast>(spec_.forecast.history_sessions, spec_.sessions);
    return departures_->expected(s, now);
}

void SiteForecasters::apply(Time now, std::span<const UpcomingSession> upcoming, Forecast& out) {
    out.pv_kw_p10 = out.pv_kw_p90 = out.pv_kw;
    out.base_load_kw_p10 = out.base_load_kw_p90 = out.base_load_kw;
    const std::string& demand = spec_.forecast.demand.name;
    if (demand == "noisy") {
        std::vector<UpcomingSession> noisy;
        noisy_sessions(upcoming, noisy);
        aggregate_upcoming(noisy, out);
    } else {
        aggregate_upcoming(upcoming, out);
    }
    if (perfect_) return;
    for (ForecastTarget t : {ForecastTarget::pv, ForecastTarget::load})
        if (spec_.forecast.choice(t).name == "noisy") apply_noisy_series(t, out);
    for (auto& p : plugins_) apply_plugin(*p, now, out);
    if (spec_.forecast.pv.name != "perfect" || spec_.forecast.load.name != "perfect") apply_node_flows(out);
}

void SiteForecasters::upcoming(Time now, Time until, std::span<const UpcomingSession> truth,
                               const Forecast& f, std::vector<UpcomingSession>& out) const {
    out.clear();
    if (spec_.forecast.demand.name == "noisy") {
        noisy_sessions(truth, out);
        return;
    }
    // The typical vehicle: the mean of the last vehicles that arrived.
    UpcomingSession typical;
    typical.capacity_kwh = 60.0;
    typical.initial_soc = 0.2;
    typical.max_ac_kw = 7.0;
    typical.max_dc_kw = 50.0;
    const auto last = std::lower_bound(spec_.sessions.begin(), spec_.sessions.end(), now,
                                       [](const SessionSpec& s, Time t) { return s.arrival < t; });
    const auto count = std::min<std::ptrdiff_t>(50, last - spec_.sessions.begin());
    if (count > 0) {
        typical.capacity_kwh = typical.initial_soc = typical.max_ac_kw = typical.max_dc_kw = typical.min_soc =
            0.0;
        for (auto it = last - count; it != last; ++it) {
            typical.capacity_kwh += it->vehicle.capacity_kwh / double(count);
            typical.initial_soc += it->initial_soc / double(count);
            typical.max_ac_kw += it->vehicle.max_ac_kw / double(count);
            typical.max_dc_kw += it->vehicle.max_dc_kw / double(count);
            typical.min_soc += it->vehicle.min_soc / double(count);
        }
    }
    expected_sessions(f, now, until, typical, out);
}

void expected_sessions(const Forecast& f, Time from, Time until, const UpcomingSession& typical,
                       std::vector<UpcomingSession>& out) {
    const std::vector<double>& arrivals = f.demand.arrivals.p50;
    double running = 0.0;
    SessionId next_id = kExpectedSessionIds;
    for (std::size_t k = 0; k < arrivals.size(); ++k) {
        const Time t = f.start + f.step * static_cast<std::int64_t>(k);
        if (t >= until) break;
        const double before = running;
        running += arrivals[k];
        const auto vehicles =
            static_cast<std::int64_t>(std::floor(running + 1e-9) - std::floor(before + 1e-9));
        if (vehicles <= 0 || t + f.step <= from) continue;
        const double per_vehicle_kwh = arrivals[k] > 0.0 ? f.demand.energy_kwh.p50[k] / arrivals[k] : 0.0;
        const double stay_h = std::max(0.25, f.demand.stay_h.p50[k]);
        for (std::int64_t v = 0; v < vehicles; ++v) {
            UpcomingSession u = typical;
            u.id = next_id++;
            u.arrival = std::max(t, from);
            u.declared_departure =
                u.arrival + Duration(static_cast<std::int64_t>(std::llround(stay_h * 3'600'000.0)));
            u.departure = u.declared_departure;
            u.requested_kwh = per_vehicle_kwh;
            u.capacity_kwh =
                std::max(typical.capacity_kwh, per_vehicle_kwh / std::max(0.05, 1.0 - typical.initial_soc));
            u.charger = kNone;
            out.push_back(u);
        }
    }
}

}  // namespace evtwin
