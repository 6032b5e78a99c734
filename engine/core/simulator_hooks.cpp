#include "core/simulator_impl.hpp"

namespace evtwin {

// Changes made by a scenario's hooks, through the SiteControl interface.

void Simulator::Impl::wake() {
    full_decision_due = true;
    if (!spec.decision_period_mode) decide_needed = true;
}

void Simulator::Impl::notify(HookEvent event) {
    if (script && script->wants(event.kind)) pending_hooks.push_back(std::move(event));
}

void Simulator::Impl::fire_hooks() {
    if (pending_hooks.empty()) return;
    for (std::size_t i = 0; i < pending_hooks.size(); ++i) {
        if (i >= kMaxChainedHooks) {
            throw ScriptError(
                spec.source_file + ": at " + format_utc(queue.now()) +
                " the on() hooks triggered each other more than " + std::to_string(kMaxChainedHooks) +
                " times in one instant (a fault hook that repairs and a repair hook that faults?)");
        }
        const HookEvent event = pending_hooks[i];  // a copy: the hook may add to the list
        script->on_event(event, *this);
    }
    pending_hooks.clear();
}

std::size_t Simulator::Impl::charger_named(const std::string& name, const char* what) const {
    for (std::size_t i = 0; i < spec.chargers.size(); ++i)
        if (spec.chargers[i].name == name) return i;
    std::string known;
    for (const ChargerSpec& ch : spec.chargers) known += (known.empty() ? "" : ", ") + ch.name;
    throw std::runtime_error(std::string(what) + ": no charger '" + name +
                             "'; the chargers are: " + (known.empty() ? "none" : known));
}

NodeIndex Simulator::Impl::node_named(const std::string& name, const char* what) const {
    for (std::size_t n = 0; n < site.nodes().size(); ++n)
        if (site.nodes()[n].kind != NodeKind::connector && site.nodes()[n].name == name)
            return static_cast<NodeIndex>(n);
    std::string known;
    for (const SiteNode& node : site.nodes())
        if (node.kind != NodeKind::connector && node.kind != NodeKind::charger)
            known += (known.empty() ? "" : ", ") + node.name;
    throw std::runtime_error(std::string(what) + ": no node '" + name + "'; the nodes are: " + known +
                             " (and the chargers)");
}

void Simulator::Impl::require_positive(Duration d, const char* what) {
    if (d.ms() <= 0) throw std::runtime_error(std::string(what) + ": 'duration' must be longer than zero");
}

std::string Simulator::Impl::kw_text(double kw) {
    if (std::isinf(kw)) return "unlimited";
    char text[32];
    std::snprintf(text, sizeof text, "%g kW", kw);
    return text;
}

void Simulator::Impl::set_limits_now(NodeIndex n, NodeLimits l, const std::string& why) {
    flow.set_limits(n, l);
    views.nodes()[n].import_limit_kw = l.import_kw;
    views.nodes()[n].export_limit_kw = l.export_kw;
    ++limit_generation[n];  // a pending demand-response restore no longer applies
    sink.event(queue.now(), EventKind::limit_change, kNone, 0,
               site.nodes()[n].name + " import " + kw_text(l.import_kw) + " export " + kw_text(l.export_kw) +
                   (why.empty() ? "" : " (" + why + ")"));
    wake();
}

void Simulator::Impl::restore_limits_now(NodeIndex n, const std::string& why) {
    const SiteNode& node = site.nodes()[n];
    set_limits_now(n, NodeLimits{node.import_limit_kw, node.export_limit_kw}, why);
}

void Simulator::Impl::set_charger_faulted(std::size_t charger, bool on) {
    charger_faulted[charger] = on;
    for (ConnectorIndex c = 0; c < connectors.size(); ++c)
        if (site.connectors()[c].charger_spec == charger) connectors.set_fault(c, on);
}

void Simulator::Impl::fault(const std::string& name) {
    const std::size_t i = charger_named(name, "site.fault");
    if (charger_faulted[i]) return;
    set_charger_faulted(i, true);
    sink.event(queue.now(), EventKind::fault, kNone, 0, name);
    wake();
    notify(HookEvent{HookEventKind::fault, queue.now(), std::nullopt, name, kNone, 0.0, 0.0});
}

void Simulator::Impl::repair(const std::string& name) {
    const std::size_t i = charger_named(name, "site.repair");
    if (!charger_faulted[i]) return;
    set_charger_faulted(i, false);
    sink.event(queue.now(), EventKind::repair, kNone, 0, name);
    wake();
    notify(HookEvent{HookEventKind::repair, queue.now(), std::nullopt, name, kNone, 0.0, 0.0});
}

void Simulator::Impl::set_limit(const std::string& node, double import_kw, std::optional<double> export_kw) {
    const NodeIndex n = node_named(node, "site.set_limit");
    if (!(import_kw >= 0.0)) throw std::runtime_error("site.set_limit: the import limit must be >= 0 kW");
    if (export_kw && !(*export_kw >= 0.0))
        throw std::runtime_error("site.set_limit: the export limit must be >= 0 kW");
    set_limits_now(n, NodeLimits{import_kw, export_kw.value_or(flow.limits(n).export_kw)}, "set_limit");
}

void Simulator::Impl::restore_limit(const std::string& node) {
    restore_limits_now(node_named(node, "site.restore_limit"), "restored");
}

void Simulator::Impl::demand_response(const std::string& node, double limit_kw, Duration duration) {
    const NodeIndex n = node_named(node, "site.demand_response");
    if (!(limit_kw >= 0.0)) throw std::runtime_error("site.demand_response: 'limit_kw' must be >= 0");
    require_positive(duration, "site.demand_response");
    const Time until = queue.now() + duration;
    set_limits_now(n, NodeLimits{limit_kw, flow.limits(n).export_kw},
                   "demand response until " + format_utc(until));
    if (until < spec.end) {
        limit_restores.push_back(LimitRestore{n, limit_generation[n], "demand response ended"});
        queue.schedule(until, kLimitRestore, static_cast<std::uint32_t>(limit_restores.size() - 1));
    }
}

void Simulator::Impl::start_flexibility(std::uint32_t i) {
    const FlexibilityRequest& r = spec.feeder->flexibility[i];
    for (const FeederSite& site_at_bus : spec.feeder->sites) {
        if (site_at_bus.bus != r.bus) continue;
        const NodeIndex n = site_at_bus.node;
        const NodeLimits now = flow.limits(n);
        set_limits_now(n,
                       NodeLimits{std::min(now.import_kw, r.import_kw), std::min(now.export_kw, r.export_kw)},
                       "flexibility request until " + format_utc(r.to));
        if (r.to < spec.end) {
            limit_restores.push_back(LimitRestore{n, limit_generation[n], "flexibility request ended"});
            queue.schedule(r.to, kLimitRestore, static_cast<std::uint32_t>(limit_restores.size() - 1));
        }
    }
}

void Simulator::Impl::price_spike(double factor, std::optional<double> price, Duration duration) {
    if (!spec.price_events)
        throw std::logic_error("site.price_spike: the scenario's tariff takes no price events");
    if (!(factor >= 0.0) || std::isinf(factor))
        throw std::runtime_error("site.price_spike: 'factor' must be a finite number >= 0");
    if (price && !std::isfinite(*price))
        throw std::runtime_error("site.price_spike: 'price' must be a finite number");
    require_positive(duration, "site.price_spike");
    const PriceSpike spike{queue.now(), queue.now() + duration, factor, price};
    spec.price_events->add(spike);
    forecasts.invalidate();  // forecasts see the spike from now on, not before
    char what[64];
    if (price)
        std::snprintf(what, sizeof what, "import price %g", *price);
    else
        std::snprintf(what, sizeof what, "import price x%g", factor);
    sink.event(queue.now(), EventKind::price_spike, kNone, 0,
               std::string(what) + " from " + format_utc(spike.start) + " until " + format_utc(spike.end));
    wake();
    if (spike.end < spec.end) queue.schedule(spike.end, kSpikeEnd, 0);
}

void Simulator::Impl::record_end(Time last_instant) {
    for (ConnectorIndex c = 0; c < connectors.size(); ++c) {
        if (!sessions.plugged(c)) continue;
        bring_up_to_date(c, last_instant);
        SessionRecord record = record_of(c, false);
        unplug_battery(c, record);
        sink.session_end(record);
    }
    finish_batteries(last_instant);
    sink.event(last_instant, summary.interrupted ? EventKind::interrupted : EventKind::run_end, kNone, 0, "");
    sink.end_run(last_instant, summary.interrupted);
}

}  // namespace evtwin
