#pragma once
// The reinforcement-learning environment's observation and action vectors (docs/rl.md), as one
// implementation shared by the Env and the learned-policy plugins: a layout fixed by the scenario's
// site (connectors, limited nodes, scales, time zone, ESS ratings), an encoder from an Observation
// to floats, and a decoder from an action vector to a Decision through the safety layer. A policy
// file stores the layout, so a plugin acting on a live Observation sees exactly the vectors the
// learner saw.
#include <evtwin/decision.hpp>
#include <evtwin/observation.hpp>
#include <evtwin/time.hpp>

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace evtwin {

// How an action is mapped onto setpoints (docs/rl.md, "Safety layer"). `laxity`: each session's
// rate lies between the least power that still lets its request be met by its declared departure
// and what it can take now, so the policy chooses only within the flexibility; `none`: ratio x rating.
enum class SafetyLayer { none, laxity };

// "none" or "laxity"; throws std::invalid_argument naming the known ones otherwise.
SafetyLayer safety_layer_from_name(const std::string& name);
const char* safety_layer_name(SafetyLayer s);

// One session's setpoint range for the period ahead (grid side, kW): min_kw is the least charging
// power that keeps the rest of the request reachable at max_kw after the period (0 when it already
// is), discharge_kw the most it may discharge (V2G) with the request still reachable.
struct SafeRange {
    double min_kw = 0.0;
    double max_kw = 0.0;
    double discharge_kw = 0.0;
};
// `margin` is taken off the declared departure (drivers who leave earlier than they said).
SafeRange safe_range(const SessionView& s, Time now, Duration period, Duration margin = Duration{});

struct ObsLayout {
    // The observation starts with the time features, then each connector's (docs/rl.md).
    static constexpr std::size_t time_features = 3;       // sin, cos of the local time of day; weekend
    static constexpr std::size_t connector_features = 6;  // per connector, in site order

    std::vector<double> charger_kw;        // per connector: the charger's rating
    std::vector<float> action_low;         // per action entry: -1 where discharge is possible, else 0
    std::vector<NodeIndex> limited_nodes;  // nodes with a finite import limit, scenario order
    std::size_t window = 8;                // control periods of price, PV and load forecast
    double price_scale = 1.0;
    double power_scale_kw = 1.0;
    Duration departure_scale = Duration::hours(24);
    std::string timezone;
    bool has_ess = false;
    double ess_charge_kw = 0.0;  // ratings, not the power available now
    double ess_discharge_kw = 0.0;
    SafetyLayer safety = SafetyLayer::laxity;
    Duration safety_margin;  // taken off every declared departure by the laxity layer
    // One more action entry: a site import cap between the billing period's peak so far and the
    // grid's import limit, held by shedding flexible power (docs/rl.md, "Site import cap").
    bool site_cap = false;
    // The cap's range (docs/rl.md): its lower half from 0 to the billing period's peak so far, so
    // that it can hold imports under the peak too; false (files from before): from the peak up only.
    bool cap_below_peak = false;
    // One more demand feature: the time left until the bill closes (the billing period's or the
    // run's end), on which a demand peak's cost against the energy it lets through depends; false
    // (files from before): without it.
    bool bill_clock = false;
    // `window` more features: the energy the demand forecaster expects arriving vehicles to ask for in
    // each control period ahead (its median), as the average power that is over the period /
    // power_scale_kw; false (files from before): without them.
    bool ev_demand = false;

    std::size_t connectors() const { return charger_kw.size(); }
    std::size_t observation_size() const;
    // Connectors, the ESS, then the site cap when on.
    std::size_t action_size() const { return charger_kw.size() + 1 + (site_cap ? 1 : 0); }
    bool operator==(const ObsLayout&) const = default;
};

// Turns the site-cap action entry on or off (its action_low entry follows the ESS's).
void set_site_cap(ObsLayout& layout, bool on);

// What differs between two layouts, e.g. "20 connectors, expected 4"; empty when they are equal.
std::string layout_difference(const ObsLayout& have, const ObsLayout& want);

class TimeZone;

class ObsCodec {
public:
    // Throws std::invalid_argument when the layout's time zone is unknown.
    explicit ObsCodec(ObsLayout layout);

    const ObsLayout& layout() const { return layout_; }
    // Writes layout().observation_size() floats, each in [-1, 1].
    void encode(const Observation& o, std::span<float> out) const;
    // Action entries clamped to [action_low, 1] (NaN counts as 0) -> setpoints (0 on a free
    // connector). Without a safety layer: ratio x charger rating, ESS ratio x its charge or
    // discharge rating. With `laxity`: ratio r >= 0 -> min + r x (max - min) of safe_range(), r < 0
    // -> r x its discharge_kw, then onto the charger's setpoints (never below min); ESS ratio x the
    // power it can take or give now. With the site cap, the import above it is shed (ESS charging,
    // then power above the minima, most laxity first, then ESS discharge) before the node limits.
    void decode(std::span<const float> action, const Observation& o, Decision& d) const;

private:
    ObsLayout layout_;
    std::shared_ptr<const TimeZone> zone_;  // of layout_.timezone
};

}  // namespace evtwin
