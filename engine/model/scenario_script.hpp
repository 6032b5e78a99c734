#pragma once
// Scripted events during a run (the scenario's at(), every() and on() hooks), seen from the engine:
// an opaque interface, so the engine never includes Lua. engine/scenario implements it; the
// simulator calls the hooks and hands them a SiteControl to change the site with.
#include <evtwin/ids.hpp>
#include <evtwin/time.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace evtwin {

// A hook failed (a Lua error, a bad argument, the instruction budget): "file:line: message".
// The run stops; the command line reports it as a bad scenario.
struct ScriptError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A price event: from `start` to `end` the import price is multiplied by `factor`, or replaced by
// `price` when that is set.
struct PriceSpike {
    Time start;
    Time end;
    double factor = 1.0;
    std::optional<double> price;
};

// What a hook may do to the running site. Valid only during the hook call. Every change takes
// effect at the current instant, before the strategy decides. Unknown names and bad values throw
// std::runtime_error with a message for the user.
class SiteControl {
public:
    virtual ~SiteControl() = default;
    virtual Time now() const = 0;
    virtual void fault(const std::string& charger) = 0;
    virtual void repair(const std::string& charger) = 0;
    // Export limit unchanged when not given.
    virtual void set_limit(const std::string& node, double import_kw, std::optional<double> export_kw) = 0;
    virtual void restore_limit(const std::string& node) = 0;  // back to the scenario's limits
    // Import limit `limit_kw` now, restored to the scenario's at now + duration (unless changed again).
    virtual void demand_response(const std::string& node, double limit_kw, Duration duration) = 0;
    virtual void price_spike(double factor, std::optional<double> price, Duration duration) = 0;
    virtual void log(const std::string& text) = 0;
    // The strategy decides again now: for a script whose timers mark when what the strategy
    // follows changes, without changing the site.
    virtual void decide_now() = 0;
};

enum class HookEventKind { arrival, departure, rejected, fault, repair };

inline const char* to_string(HookEventKind kind) {
    switch (kind) {
        case HookEventKind::arrival:
            return "arrival";
        case HookEventKind::departure:
            return "departure";
        case HookEventKind::rejected:
            return "rejected";
        case HookEventKind::fault:
            return "fault";
        case HookEventKind::repair:
            return "repair";
    }
    return "?";
}

// What on(kind, fn) receives about the event the engine just handled.
struct HookEvent {
    HookEventKind kind = HookEventKind::arrival;
    Time time;
    std::optional<SessionId> session;  // arrival, departure, rejected
    std::string charger;               // empty for a rejected vehicle
    ConnectorIndex connector = kNone;
    double requested_kwh = 0.0;  // arrival, departure, rejected
    double delivered_kwh = 0.0;  // departure
};

// A timed hook: at(time) once (period zero) or every(period) from `first`.
struct HookTimer {
    Time first;
    Duration period{};
};

// One run's live script: its own Lua state, so each run starts from the script's initial state.
class ScriptRun {
public:
    virtual ~ScriptRun() = default;
    virtual const std::vector<HookTimer>& timers() const = 0;
    // Throw ScriptError.
    virtual void on_timer(std::size_t timer, SiteControl& site) = 0;
    virtual bool wants(HookEventKind kind) const = 0;
    virtual void on_event(const HookEvent& event, SiteControl& site) = 0;
};

// Held by the ScenarioSpec when the script registered any hook. Immutable: a spec may serve
// several runs (evtwin compare), each with a fresh ScriptRun.
class ScenarioScript {
public:
    virtual ~ScenarioScript() = default;
    virtual std::unique_ptr<ScriptRun> start_run() const = 0;
};

}  // namespace evtwin
