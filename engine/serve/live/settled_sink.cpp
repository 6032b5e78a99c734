#include "serve/live/settled_sink.hpp"

#include <algorithm>
#include <string>

namespace evtwin::serve {

double grid_side_kw(double meter_kw, double efficiency) {
    return meter_kw >= 0.0 ? meter_kw / efficiency : meter_kw * efficiency;
}

SettledSink::SettledSink(const Site& site, RunSink& out, std::vector<MeteredConnector> connectors)
    : site_(site),
      out_(out),
      recorder_(site, out),
      meters_(std::move(connectors)),
      since_mark_(meters_.size()),
      marks_(meters_.size()),
      settled_kw_(meters_.size(), 0.0),
      ev_flow_kw_(site.nodes().size() + 1, 0.0),
      flows_(site.nodes().size(), 0.0) {}

void SettledSink::reading(Time t, ConnectorIndex c, double meter_kwh, bool closing) {
    std::optional<Mark>& mark = marks_[c];
    if (mark) {
        // Over too short a span the rise counts over the longer span to come.
        if (closing ? t <= mark->t : t - mark->t < kMinRiseSpan) return;
        const MeteredConnector& m = meters_[c];
        const double meter_kw = (meter_kwh - mark->kwh) / (t - mark->t).hours_f();
        // A rise faster than the rating is a reading that arrived late (its time is when it came) or
        // a meter that counts more than the charger can draw. The span goes on to the next reading
        // once, over which a late reading's energy averages out; still too fast over both, it is
        // the meter's count and settles as counted (the twin records the excess as a violation), so
        // that one such meter does not hold every connector's rows for kLongestMeterWait.
        if (!closing && !mark->went_on && meter_kw > m.rating_kw + kMeterGraceKw) {
            mark->went_on = true;
            return;
        }
        const double kw = grid_side_kw(meter_kw, m.efficiency);
        for (const std::uint64_t seq : since_mark_[c])
            if (seq >= first_seq_) std::get<ConnectorRow>(waiting_[seq - first_seq_].what).kw = kw;
        since_mark_[c].clear();
    }
    mark = Mark{t, meter_kwh};
}

void SettledSink::unmetered(ConnectorIndex c) {
    marks_[c].reset();
    since_mark_[c].clear();
}

void SettledSink::site(Time t, std::span<const double> other_flows, const SiteSample& other) {
    waiting_.push_back({t, SiteRow{std::vector<double>(other_flows.begin(), other_flows.end()), other}});
}

void SettledSink::connector_sample(Time t, ConnectorIndex c, double grid_kw, double soc, PilotState state) {
    if (marks_[c]) since_mark_[c].push_back(first_seq_ + waiting_.size());
    waiting_.push_back({t, ConnectorRow{c, grid_kw, soc, state}});
}

void SettledSink::wait(Time t, Call call) {
    waiting_.push_back({t, std::move(call)});
}

void SettledSink::site_sample(Time t, const SiteSample& s) {
    wait(t, [t, s](RunSink& out) { out.site_sample(t, s); });
}

void SettledSink::node_sample(Time t, NodeIndex node, double flow_kw) {
    wait(t, [=](RunSink& out) { out.node_sample(t, node, flow_kw); });
}

void SettledSink::ess_sample(Time t, std::uint32_t ess, double grid_kw, double soc) {
    wait(t, [=](RunSink& out) { out.ess_sample(t, ess, grid_kw, soc); });
}

void SettledSink::session_end(const SessionRecord& r) {
    wait(r.departure, [r](RunSink& out) { out.session_end(r); });
}

void SettledSink::event(Time t, EventKind kind, ConnectorIndex c, SessionId session,
                        std::string_view detail) {
    wait(t, [=, text = std::string(detail)](RunSink& out) { out.event(t, kind, c, session, text); });
}

void SettledSink::violation(Time t, const Violation& v) {
    wait(t, [t, v](RunSink& out) { out.violation(t, v); });
}

void SettledSink::decision_time(Time t, double seconds) {
    wait(t, [=](RunSink& out) { out.decision_time(t, seconds); });
}

void SettledSink::battery_health(const BatteryUsage& u) {
    // Reported at the run's end, after everything else.
    wait(waiting_.empty() ? Time::min() : waiting_.back().t, [u](RunSink& out) { out.battery_health(u); });
}

void SettledSink::bus_voltage(Time t, std::uint32_t bus, int phase, double v_pu) {
    wait(t, [=](RunSink& out) { out.bus_voltage(t, bus, phase, v_pu); });
}

void SettledSink::branch_loading(Time t, std::uint32_t branch, double loading) {
    wait(t, [=](RunSink& out) { out.branch_loading(t, branch, loading); });
}

void SettledSink::feeder_sample(Time t, const FeederSample& s) {
    wait(t, [t, s](RunSink& out) { out.feeder_sample(t, s); });
}

void SettledSink::feeder_violation(Time t, const FeederViolation& v) {
    wait(t, [t, v](RunSink& out) { out.feeder_violation(t, v); });
}

void SettledSink::end_run(Time end, bool interrupted) {
    release_until(Time::max(), Time::max(), true);
    out_.end_run(end, interrupted);
}

void SettledSink::release(Time now) {
    Time until = Time::max();
    for (const std::optional<Mark>& mark : marks_)
        if (mark) until = std::min(until, std::max(mark->t, now - kLongestMeterWait));
    release_until(until, now, false);
}

void SettledSink::release_until(Time until, Time known, bool all) {
    for (;;) {
        if (!open_site_) {
            while (!waiting_.empty() && waiting_.front().t < until &&
                   !std::holds_alternative<SiteRow>(waiting_.front().what))
                pass_on_front();
            if (waiting_.empty() || waiting_.front().t >= until) return;
            open_site_.emplace(waiting_.front().t, std::move(std::get<SiteRow>(waiting_.front().what)));
            waiting_.pop_front();
            ++first_seq_;
        }
        // The open site row's span ends at the next site row once that is settled.
        const Time start = open_site_->first;
        std::size_t upto = 0;
        while (upto < waiting_.size() && !std::holds_alternative<SiteRow>(waiting_[upto].what)) ++upto;
        if ((upto < waiting_.size() && waiting_[upto].t < until) || all) {
            const Time end = upto < waiting_.size()
                                 ? waiting_[upto].t
                                 : std::max(start, waiting_.empty() ? start : waiting_.back().t);
            write_site(start, open_site_->second, end, upto);
            for (std::size_t i = 0; i < upto; ++i) pass_on_front();
            open_site_.reset();
            continue;
        }
        // Until then it is written over what is settled and known, and goes on from there as a row
        // of its own.
        const Time end = std::min(until, known);
        if (end > start) {
            upto = 0;
            while (upto < waiting_.size() && waiting_[upto].t < end) ++upto;
            write_site(start, open_site_->second, end, upto);
            for (std::size_t i = 0; i < upto; ++i) pass_on_front();
            open_site_->first = end;
        }
        if (end == until) return;
        // What came at `end`, all that is known, is settled too: the row going on from there counts
        // it, or a site row of its own at that instant takes over.
        while (!waiting_.empty() && waiting_.front().t == end &&
               !std::holds_alternative<SiteRow>(waiting_.front().what))
            pass_on_front();
        if (waiting_.empty() || waiting_.front().t != end) return;
        open_site_.reset();
    }
}

void SettledSink::pass_on_front() {
    Entry& entry = waiting_.front();
    if (const auto* row = std::get_if<ConnectorRow>(&entry.what))
        write(entry.t, *row);
    else
        std::get<Call>(entry.what)(out_);
    waiting_.pop_front();
    ++first_seq_;
}

void SettledSink::write(Time t, const ConnectorRow& row) {
    out_.connector_sample(t, row.c, row.kw, row.soc, row.state);
    apply(row, settled_kw_, ev_flow_kw_);
}

void SettledSink::apply(const ConnectorRow& row, std::vector<double>& connector_kw,
                        std::vector<double>& flow_kw) const {
    const double delta = row.kw - connector_kw[row.c];
    if (delta == 0.0) return;
    connector_kw[row.c] = row.kw;
    for (NodeIndex n = site_.connectors()[row.c].node; n != kNone; n = site_.nodes()[n].parent)
        flow_kw[n] += delta;
    flow_kw.back() += delta;
}

void SettledSink::write_site(Time start, const SiteRow& row, Time end, std::size_t upto) {
    std::vector<double> kw = ev_flow_kw_, connector_kw = settled_kw_;
    std::vector<double> kwh(kw.size(), 0.0);
    Time from = start;
    const auto hold_to = [&](Time to) {
        const double hours = (to - from).hours_f();
        for (std::size_t n = 0; n < kw.size(); ++n) kwh[n] += kw[n] * hours;
        from = to;
    };
    for (std::size_t i = 0; i < upto; ++i) {
        const auto* r = std::get_if<ConnectorRow>(&waiting_[i].what);
        if (!r) continue;
        hold_to(waiting_[i].t);
        apply(*r, connector_kw, kw);
    }
    hold_to(end);
    // Over a span their average; over none what they draw from its instant.
    const double hours = (end - start).hours_f();
    const auto ev_kw = [&](std::size_t n) { return hours > 0.0 ? kwh[n] / hours : kw[n]; };
    for (std::size_t n = 0; n < flows_.size(); ++n) flows_[n] = row.other_flows[n] + ev_kw(n);
    SiteSample s = row.other;
    s.ev_kw = ev_kw(flows_.size());
    s.grid_kw = row.other.grid_kw + s.ev_kw;
    recorder_.record(start, flows_, s);
}

}  // namespace evtwin::serve
