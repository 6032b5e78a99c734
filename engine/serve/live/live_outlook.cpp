#include "serve/live/live_outlook.hpp"

#include "core/run_sink.hpp"
#include "core/simulator.hpp"
#include "model/bill.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <thread>

namespace evtwin::serve {

namespace {

// A vehicle that leaves with less than this short of its request has what it asked for (as plans
// count it, docs/serve.md).
constexpr double kMissMargin_kwh = 0.05;

// What the outlook reads of one run: the grid power, the sessions and the violations.
class OutlookSink final : public RunSink {
public:
    void begin_run(const RunInfo&, const ScenarioSpec&) override {}
    void site_sample(Time t, const SiteSample& s) override {
        if (!grid.empty() && grid.back().t == t)
            grid.back().kw = s.grid_kw;
        else
            grid.push_back({t, s.grid_kw});
    }
    void node_sample(Time, NodeIndex, double) override {}
    void connector_sample(Time, ConnectorIndex, double, double, PilotState) override {}
    void session_end(const SessionRecord& r) override { sessions.push_back(r); }
    void event(Time, EventKind, ConnectorIndex, SessionId, std::string_view) override {}
    void violation(Time, const Violation&) override { ++violations; }
    void decision_time(Time, double) override {}
    void end_run(Time, bool) override {}

    std::vector<PowerStep> grid;
    std::vector<SessionRecord> sessions;
    std::uint64_t violations = 0;
};

// The spec of one drawn future: the vehicles plugged in and those to come, PV and base load as drawn.
ScenarioSpec spec_of(const OutlookStart& start, const FutureDraw& future) {
    ScenarioSpec spec = start.spec;
    spec.sessions.insert(spec.sessions.end(), future.arrivals.begin(), future.arrivals.end());
    const Forecast& f = start.forecast;
    const auto step_start = [&](std::size_t k) { return f.start + f.step * static_cast<std::int64_t>(k); };
    // PV as drawn for the site, shared by the arrays in proportion to their peak power.
    double kwp = 0.0;
    for (const PvSpec& pv : spec.pv) kwp += pv.kwp;
    for (PvSpec& pv : spec.pv) {
        pv.profile = StepSeries{};
        for (std::size_t k = 0; k < future.pv_kw.size(); ++k)
            pv.profile.push(step_start(k), kwp > 0.0 ? future.pv_kw[k] / kwp : 0.0);
    }
    // Base load as drawn, shared by the loads as they share it now.
    std::vector<double> share(spec.loads.size(), spec.loads.empty() ? 0.0 : 1.0 / double(spec.loads.size()));
    double now_kw = 0.0;
    for (const LoadSpec& l : spec.loads) now_kw += l.kw.value_at(spec.start);
    if (now_kw > 0.0)
        for (std::size_t i = 0; i < spec.loads.size(); ++i)
            share[i] = spec.loads[i].kw.value_at(spec.start) / now_kw;
    for (std::size_t i = 0; i < spec.loads.size(); ++i) {
        StepSeries kw;
        for (std::size_t k = 0; k < future.load_kw.size(); ++k)
            kw.push(step_start(k), future.load_kw[k] * share[i]);
        spec.loads[i].kw = std::move(kw);
    }
    return spec;
}

// The mean of a piecewise-constant power over each step of [start, end).
std::vector<double> step_means(const std::vector<PowerStep>& grid, Time start, Time end, Duration step) {
    std::vector<double> out;
    std::size_t i = 0;
    double kw = 0.0;
    for (Time a = start; a < end; a += step) {
        const Time b = std::min(end, a + step);
        double kwh = 0.0;
        for (Time t = a; t < b;) {
            while (i < grid.size() && grid[i].t <= t) kw = grid[i++].kw;
            const Time next = i < grid.size() ? std::min(b, grid[i].t) : b;
            kwh += kw * (next - t).hours_f();
            t = next;
        }
        out.push_back(kwh / (b - a).hours_f());
    }
    return out;
}

// The quantile `p` of `values`, interpolated between the two nearest ranks.
double quantile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const double at = p * double(values.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(at));
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (at - double(lo)) * (values[hi] - values[lo]);
}

// What the window adds to the demand charges: in the billing period open at its start, the charge
// on the peak above the one already reached; in a later one, the whole charge.
double added_demand_charge(const Bill& bill, Time start, double peak_so_far_kw) {
    double added = 0.0;
    for (const PeriodBill& p : bill.periods) {
        if (p.period.start > start || p.peak_demand_kw <= 0.0) {
            added += p.demand_charge;
            continue;
        }
        const double rate = p.demand_charge / p.peak_demand_kw;
        added += rate * std::max(0.0, p.peak_demand_kw - peak_so_far_kw);
    }
    return added;
}

// The runs' results of one strategy, one per draw, as its outlook.
StrategyOutlook summarise(const std::string& name, const OutlookStart& start,
                          const std::vector<OutlookSink>& runs, Duration step) {
    const Time from = start.spec.start, to = start.spec.end;
    StrategyOutlook out;
    out.strategy = name;
    const double n = double(runs.size());
    std::vector<std::vector<double>> per_step;  // [run][step]
    for (const OutlookSink& run : runs) {
        per_step.push_back(step_means(run.grid, from, to, step));
        const Bill bill = compute_bill(*start.spec.tariff, run.grid, from, to);
        out.energy_cost += bill.energy_cost / n;
        out.export_revenue += bill.export_revenue / n;
        out.demand_charge += added_demand_charge(bill, from, start.demand_peak_kw) / n;
        out.peak_kw += bill.peak_import_kw / n;
        out.import_kwh += bill.import_kwh / n;
        out.export_kwh += bill.export_kwh / n;
        out.violations += run.violations;
        for (const SessionRecord& r : run.sessions) {
            if (r.id < kExpectedSessionIds) continue;
            out.arrivals += 1.0 / n;
            if (r.connector == kNone) out.rejected += 1.0 / n;
            out.arrivals_kwh += r.delivered_kwh / n;
        }
    }
    const std::size_t steps = per_step.front().size();
    for (std::size_t k = 0; k < steps; ++k) {
        std::vector<double> values;
        for (const std::vector<double>& run : per_step) values.push_back(run[k]);
        double mean = 0.0;
        for (double v : values) mean += v / n;
        out.site_kw.push_back(mean);
        out.site_kw_p10.push_back(quantile(values, 0.1));
        out.site_kw_p90.push_back(quantile(values, 0.9));
    }
    for (const PresentVehicle& p : start.present) {
        VehicleOutlook v;
        v.id = p.id;
        v.connector = p.connector;
        v.departure = p.departure;
        v.departs_in_window = p.departure < to;
        v.requested_kwh = p.requested_kwh;
        for (const OutlookSink& run : runs) {
            const auto r = std::find_if(run.sessions.begin(), run.sessions.end(),
                                        [&](const SessionRecord& s) { return s.id == p.id; });
            const double delivered = p.delivered_kwh + (r == run.sessions.end() ? 0.0 : r->delivered_kwh);
            v.expected_kwh += delivered / n;
            if (v.departs_in_window && delivered < p.requested_kwh - kMissMargin_kwh)
                v.miss_chance += 1.0 / n;
        }
        out.vehicles.push_back(v);
    }
    return out;
}

}  // namespace

Outlook compute_outlook(const OutlookStart& start, const OutlookRequest& request, const StrategyMaker& make) {
    const int draws = std::max(1, request.draws);
    std::vector<ScenarioSpec> futures;
    for (int d = 0; d < draws; ++d) {
        Rng rng = Rng::stream(request.seed, "outlook draw " + std::to_string(d));
        const FutureDraw future = draw_future(start.forecast, start.spec.start, start.spec.end, start.typical,
                                              draws > 1 ? &rng : nullptr);
        futures.push_back(spec_of(start, future));
    }
    // Each run gets a strategy object of its own, made here: a plugin is opened on one thread.
    const std::size_t jobs = request.strategies.size() * futures.size();
    std::vector<StrategyHandle> strategies;
    for (const std::string& name : request.strategies)
        for (int d = 0; d < draws; ++d) strategies.push_back(make(name));
    std::vector<OutlookSink> runs(jobs);
    std::vector<std::exception_ptr> failures(jobs);
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        for (std::size_t j = next++; j < jobs; j = next++) {
            try {
                const ScenarioSpec& spec = futures[j % futures.size()];
                RunInfo info;
                info.scenario_name = spec.name;
                info.strategy_name = request.strategies[j / futures.size()];
                info.seed = spec.seed;
                Simulator(spec, *strategies[j], runs[j]).run(info);
            } catch (...) {
                failures[j] = std::current_exception();
            }
        }
    };
    const std::size_t threads =
        std::min<std::size_t>(jobs, std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (std::size_t i = 1; i < threads; ++i) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
    for (const std::exception_ptr& e : failures)
        if (e) std::rethrow_exception(e);

    Outlook out;
    out.start = start.spec.start;
    out.end = start.spec.end;
    out.step = start.spec.control_period;
    out.draws = draws;
    for (std::size_t s = 0; s < request.strategies.size(); ++s) {
        const std::vector<OutlookSink> of_strategy(
            std::make_move_iterator(runs.begin() + s * futures.size()),
            std::make_move_iterator(runs.begin() + (s + 1) * futures.size()));
        out.strategies.push_back(summarise(request.strategies[s], start, of_strategy, out.step));
    }
    return out;
}

}  // namespace evtwin::serve
