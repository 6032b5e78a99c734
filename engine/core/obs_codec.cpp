#include "core/obs_codec.hpp"

#include "model/power_flow.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace evtwin {
namespace {

constexpr std::size_t kTimeFeatures = 3;       // sin, cos of the local time of day; weekend
constexpr std::size_t kConnectorFeatures = 6;  // see docs/rl.md
constexpr std::size_t kDemandFeatures = 4;     // peak so far, interval so far, its elapsed share, forced import
constexpr Duration kBillClockScale = Duration::hours(31 * 24);  // a billing month

float clamp_unit(double x, double lo = 0.0) { return static_cast<float>(std::clamp(x, lo, 1.0)); }

float clamp_action(float a, float lo) { return std::isnan(a) ? 0.0f : std::clamp(a, lo, 1.0f); }

// An interior setpoint onto what the charger can hold, never below `floor` (the safe minimum):
// a continuous charger rounds (0, min_kw) to 0 or min_kw, a finite set to its nearest setpoint.
double onto_charger(double kw, double floor, const ConnectorView& cv) {
    if (kw <= 0.0) return kw;
    if (!cv.setpoints_kw.empty()) {
        double best = 0.0, best_distance = kw;  // 0 (off) is always allowed
        double lowest_safe = -1.0;
        for (double s : cv.setpoints_kw) {
            if (std::abs(s - kw) < best_distance) {
                best = s;
                best_distance = std::abs(s - kw);
            }
            if (s >= floor && (lowest_safe < 0.0 || s < lowest_safe)) lowest_safe = s;
        }
        if (best >= floor) return best;
        return lowest_safe >= 0.0 ? lowest_safe : *std::max_element(cv.setpoints_kw.begin(), cv.setpoints_kw.end());
    }
    if (kw >= cv.min_kw) return kw;
    return floor > 0.0 || kw >= 0.5 * cv.min_kw ? cv.min_kw : 0.0;
}

bool below(const Observation& o, NodeIndex node, NodeIndex ancestor) {
    for (std::size_t hops = 0; node < o.nodes.size() && hops <= o.nodes.size(); ++hops) {
        if (node == ancestor) return true;
        node = o.nodes[node].parent;
    }
    return false;
}

// Per node: what flows through it (fixed flow, setpoints, ESS beneath it) and the part of the
// setpoints above their safe minima; one walk up the tree per connector.
struct NodeLoads {
    std::vector<double> load, flexible;
    std::vector<char> has_ess;

    void sum(const Observation& o, std::span<const double> floor_kw, const Decision& d) {
        const std::size_t n = o.nodes.size();
        load.assign(n, 0.0);
        flexible.assign(n, 0.0);
        has_ess.assign(n, 0);
        for (std::size_t k = 0; k < n; ++k) load[k] = o.nodes[k].fixed_flow_kw;
        auto walk = [&](NodeIndex node, auto&& visit) {
            for (std::size_t hops = 0; node < n && hops <= n; ++hops, node = o.nodes[node].parent) visit(node);
        };
        for (std::size_t c = 0; c < d.connector_kw.size(); ++c) {
            const double kw = d.connector_kw[c], flex = std::max(0.0, kw - floor_kw[c]);
            if (kw != 0.0) walk(o.connectors[c].node, [&](NodeIndex k) {
                load[k] += kw;
                flexible[k] += flex;
            });
        }
        if (o.ess.present) walk(o.ess.node, [&](NodeIndex k) {
            load[k] += d.ess_kw;
            has_ess[k] = 1;
        });
    }
};

// The engine scales every setpoint beneath an overloaded node alike, which would cut the safe
// minima too. So at each node over its import limit (children first: a parent's index is lower),
// the ESS's charging and then the power above each session's minimum are shed first, in proportion.
void shed_flexible_power(const Observation& o, std::span<const double> floor_kw, Decision& d) {
    thread_local NodeLoads loads;  // buffers reused by every decode on this thread: no allocation per step
    loads.sum(o, floor_kw, d);
    for (std::size_t k = o.nodes.size(); k-- > 0;) {
        double excess = loads.load[k] - o.nodes[k].import_limit_kw;  // false for an unlimited node
        if (!(excess > kPowerTolerance)) continue;
        const auto node = static_cast<NodeIndex>(k);
        if (loads.has_ess[k] && d.ess_kw > 0.0) {
            const double cut = std::min(d.ess_kw, excess);
            d.ess_kw -= cut;
            excess -= cut;
        }
        if (excess > 0.0 && loads.flexible[k] > 0.0) {
            const double keep = 1.0 - std::min(1.0, excess / loads.flexible[k]);
            for (std::size_t c = 0; c < d.connector_kw.size(); ++c) {
                if (d.connector_kw[c] <= floor_kw[c] || !below(o, o.connectors[c].node, node)) continue;
                d.connector_kw[c] = floor_kw[c] + keep * (d.connector_kw[c] - floor_kw[c]);
            }
        }
        loads.sum(o, floor_kw, d);
    }
}

// Rounding a setpoint up to its charger's minimum can push a full node over its limit again; a
// session with no safe minimum that was rounded up then goes off instead (children first).
void turn_off_rounded_up(const Observation& o, std::span<const double> floor_kw, std::span<const char> rounded_up, Decision& d) {
    if (std::find(rounded_up.begin(), rounded_up.end(), 1) == rounded_up.end()) return;
    NodeLoads loads;
    loads.sum(o, floor_kw, d);
    for (std::size_t k = o.nodes.size(); k-- > 0;) {
        double excess = loads.load[k] - o.nodes[k].import_limit_kw;
        if (!(excess > kPowerTolerance)) continue;
        for (std::size_t c = 0; c < d.connector_kw.size() && excess > kPowerTolerance; ++c) {
            if (!rounded_up[c] || d.connector_kw[c] <= 0.0 || !below(o, o.connectors[c].node, static_cast<NodeIndex>(k))) continue;
            excess -= d.connector_kw[c];
            d.connector_kw[c] = 0.0;
        }
        loads.sum(o, floor_kw, d);
    }
}

// The cap a ratio r in [0, 1] asks for. With cap_below_peak, r < 1/2 gives 0 up to the billing
// period's peak so far (holding imports under it where energy is dear) and the upper half what the
// whole range gives without: the peak (raising the import up to it costs no demand charge) to the
// grid's import limit, quadratic, so that the few kW above the peak that matter get most of the
// range (and a few rate levels of a DQN head reach them).
double site_cap_kw(float ratio, const Observation& o, const ObsLayout& layout) {
    const double limit = o.nodes.empty() || !std::isfinite(o.nodes[0].import_limit_kw) ? layout.power_scale_kw
                                                                                         : o.nodes[0].import_limit_kw;
    const double peak = std::clamp(o.demand.peak_kw, 0.0, limit);
    double r = ratio;
    if (layout.cap_below_peak) {
        if (r < 0.5) return 2.0 * r * peak;
        r = 2.0 * r - 1.0;
    }
    return peak + r * r * (limit - peak);
}

// The import until the next decision that keeps the demand interval in progress at `cap` on average
// (what the bill measures), given what the interval has already imported.
double import_allowance_kw(double cap, const Observation& o) {
    const DemandView& dv = o.demand;
    if (dv.interval.ms() <= 0) return cap;
    const double left_h = (dv.interval_start + dv.interval - o.now).hours_f();
    if (left_h <= 1e-6) return cap;
    return std::max(0.0, (cap * dv.interval.hours_f() - dv.interval_kwh) / left_h);
}

// Brings the grid import down to `allowance`: the ESS's charging first, then the power above each
// session's safe minimum, sessions with the most laxity first (a continuous charger cut below its
// min_kw with no minimum goes off), then the ESS discharges what it can. Never below a minimum.
// The ESS then discharges only into the site's own load: what it would export earns the export
// price at best (0 on quickstart), after the round-trip losses.
void hold_site_cap(double allowance, const Observation& o, std::span<const double> floor_kw,
                   std::span<const double> laxity_h, Decision& d) {
    double load = o.nodes.empty() ? 0.0 : o.nodes[0].fixed_flow_kw;  // all but the ESS
    for (double kw : d.connector_kw) load += kw;
    if (!o.ess.present) d.ess_kw = 0.0;
    double excess = load + d.ess_kw - allowance;
    if (excess > kPowerTolerance) {
        if (d.ess_kw > 0.0) {
            const double cut = std::min(d.ess_kw, excess);
            d.ess_kw -= cut;
            excess -= cut;
        }
        std::vector<std::size_t> order;
        for (std::size_t c = 0; c < d.connector_kw.size(); ++c)
            if (d.connector_kw[c] > floor_kw[c]) order.push_back(c);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return laxity_h[a] > laxity_h[b]; });
        for (std::size_t c : order) {
            if (!(excess > 0.0)) break;
            const double kw = d.connector_kw[c];
            double next = std::max(floor_kw[c], kw - excess);
            if (next > 0.0 && floor_kw[c] <= 0.0 &&
                (next < kPowerTolerance || (next < o.connectors[c].min_kw && o.connectors[c].setpoints_kw.empty())))
                next = 0.0;  // a residue of 1e-13 kW is "off" too
            excess -= kw - next;
            load -= kw - next;
            d.connector_kw[c] = next;
        }
        if (excess > kPowerTolerance && o.ess.present) d.ess_kw -= std::clamp(d.ess_kw + o.ess.max_discharge_kw, 0.0, excess);
    }
    if (d.ess_kw < 0.0) d.ess_kw = std::max(d.ess_kw, -std::max(0.0, load));
    // A rounding residue (1e-13 kW) is "off": the engine copes with it, but it is no decision.
    if (std::abs(d.ess_kw) < kPowerTolerance) d.ess_kw = 0.0;
}

// The layer cannot see a vehicle's charge curve, so it plans with the scenario's default AC curve
// (engine/scenario/scenario_builder.cpp): full power up to 90 % SoC, then down linearly to 30 % of
// it at 100 %. Power at the inlet is p_ref·taper(soc), p_ref the power now over taper(soc now).
constexpr double kTaperSoc = 0.9, kTaperEnd = 0.3;
constexpr double kTaperSlope = (1.0 - kTaperEnd) / (1.0 - kTaperSoc);  // per unit of SoC
double taper(double soc) { return soc <= kTaperSoc ? 1.0 : std::max(kTaperEnd, 1.0 - kTaperSlope * (soc - kTaperSoc)); }

// Full-power charging of one session along the planned curve (inlet kWh, hours).
class TaperPlan {
public:
    TaperPlan(const SessionView& s, double inlet_kw_now)
        : soc_(std::clamp(s.soc, 0.0, 1.0)), capacity_(s.capacity_kwh), p_ref_(inlet_kw_now / taper(soc_)) {}

    double hours_to_deliver(double kwh) const {
        if (!(capacity_ > 0.0)) return kwh / p_ref_;  // no battery size: no taper to plan with
        const double flat = std::clamp((kTaperSoc - soc_) * capacity_, 0.0, kwh);
        const double rest = kwh - flat;
        double hours = flat / p_ref_;
        if (rest <= 0.0) return hours;
        const double a = std::max(soc_, kTaperSoc), b = std::min(1.0, a + rest / capacity_);
        return hours + capacity_ / (kTaperSlope * p_ref_) * std::log(taper(a) / taper(b));
    }
    double kwh_within(double hours) const {
        if (!(hours > 0.0)) return 0.0;
        if (!(capacity_ > 0.0)) return p_ref_ * hours;
        const double flat = std::max(0.0, (kTaperSoc - soc_) * capacity_);
        if (p_ref_ * hours <= flat) return p_ref_ * hours;
        const double a = std::max(soc_, kTaperSoc);
        const double f = std::max(kTaperEnd, taper(a) * std::exp(-kTaperSlope * p_ref_ * (hours - flat / p_ref_) / capacity_));
        return flat + (kTaperSoc + (1.0 - f) / kTaperSlope - a) * capacity_;
    }

private:
    double soc_, capacity_, p_ref_;
};
}  // namespace

SafetyLayer safety_layer_from_name(const std::string& name) {
    if (name == "laxity") return SafetyLayer::laxity;
    if (name == "none") return SafetyLayer::none;
    throw std::invalid_argument("safety '" + name + "': expected laxity or none");
}

const char* safety_layer_name(SafetyLayer s) { return s == SafetyLayer::laxity ? "laxity" : "none"; }

SafeRange safe_range(const SessionView& s, Time now, Duration period, Duration margin) {
    SafeRange r;
    const double eff = s.charge_efficiency > 0.0 ? s.charge_efficiency : 1.0;
    const double need_kwh = std::max(0.0, s.remaining_kwh) / eff;  // grid side
    const double p_max = std::max(0.0, s.max_charge_kw);
    if (need_kwh <= 0.0 || p_max <= 0.0) return r;
    const double h = std::max(period.hours_f(), 1e-6);
    const double left_h = (s.declared_departure - now - margin).hours_f();
    // Charging beyond the request within the period (or the stay) only costs: cap at what is wanted.
    r.max_kw = std::min(p_max, need_kwh / (left_h > 0.0 ? std::min(h, left_h) : h));
    if (left_h <= 0.0) {  // past the declared departure and still here: all it wants, now
        r.min_kw = r.max_kw;
        return r;
    }
    const double after_h = std::max(0.0, left_h - h);
    // Time at full power for the rest of the request, along the planned curve; what full power
    // after this period cannot give must come now: the energy of the first `need - after` hours.
    const TaperPlan plan(s, p_max * eff);
    const double need_h = plan.hours_to_deliver(std::max(0.0, s.remaining_kwh));
    const double now_kwh = plan.kwh_within(need_h - after_h);  // at the inlet
    r.min_kw = std::clamp(now_kwh / eff / std::min(h, left_h), 0.0, r.max_kw);
    if (r.min_kw <= 0.0 && s.v2g_allowed && s.max_discharge_kw > 0.0) {
        // Discharging q for the period drains q·h/eff at the inlet, which costs q·h/eff² from the grid
        // to put back; what is left after the period must still fit in full power for (left - h).
        const double slack_kwh = p_max * (after_h - need_h);
        r.discharge_kw = std::clamp(slack_kwh * eff * eff / h, 0.0, s.max_discharge_kw);
    }
    return r;
}

std::size_t ObsLayout::observation_size() const {
    return kTimeFeatures + kConnectorFeatures * connectors() + 3 * window + 1 + kDemandFeatures + (bill_clock ? 1 : 0) +
           limited_nodes.size();
}

ObsLayout make_obs_layout(const ScenarioSpec& site, std::size_t window, double price_scale, double power_scale_kw,
                          Duration departure_scale) {
    if (departure_scale.ms() <= 0) throw std::invalid_argument("Env: departure_scale must be positive");
    ObsLayout l;
    for (const ChargerSpec& ch : site.chargers) {
        for (int k = 0; k < ch.connectors; ++k) {
            l.charger_kw.push_back(ch.max_kw);
            l.action_low.push_back(ch.v2g_capable ? -1.0f : 0.0f);
        }
    }
    l.action_low.push_back(site.ess ? -1.0f : 0.0f);
    for (std::size_t n = 0; n < site.nodes.size(); ++n)
        if (std::isfinite(site.nodes[n].import_limit_kw)) l.limited_nodes.push_back(static_cast<NodeIndex>(n));
    l.window = window;
    l.departure_scale = departure_scale;
    l.timezone = site.timezone;
    if (site.ess) {
        l.has_ess = true;
        l.ess_charge_kw = site.ess->max_charge_kw;
        l.ess_discharge_kw = site.ess->max_discharge_kw;
    }

    l.power_scale_kw = power_scale_kw;
    if (!(l.power_scale_kw > 0.0)) {
        l.power_scale_kw = 0.0;
        for (const ChargerSpec& ch : site.chargers) l.power_scale_kw += ch.max_kw;
        if (site.ess) l.power_scale_kw += std::max(site.ess->max_charge_kw, site.ess->max_discharge_kw);
        if (!(l.power_scale_kw > 0.0)) l.power_scale_kw = 1.0;
    }
    l.price_scale = price_scale;
    if (!(l.price_scale > 0.0)) {
        l.price_scale = 0.0;
        if (site.tariff) {
            std::size_t samples = 0;
            for (Time t = site.start; t < site.end && samples < 100000; t += site.control_period, ++samples)
                l.price_scale = std::max(l.price_scale, std::abs(site.tariff->import_price(t)));
        }
        if (!(l.price_scale > 0.0)) l.price_scale = 1.0;
    }
    return l;
}

void set_site_cap(ObsLayout& l, bool on) {
    if (l.site_cap == on) return;
    l.site_cap = on;
    if (on) l.action_low.push_back(0.0f);
    else l.action_low.pop_back();
}

std::string layout_difference(const ObsLayout& have, const ObsLayout& want) {
    auto n = [](std::size_t v) { return std::to_string(v); };
    if (have.connectors() != want.connectors())
        return n(have.connectors()) + " connectors, expected " + n(want.connectors());
    if (have.charger_kw != want.charger_kw) return "other charger ratings";
    if (have.site_cap != want.site_cap)
        return std::string("site cap ") + (have.site_cap ? "on" : "off") + ", expected " + (want.site_cap ? "on" : "off");
    if (have.cap_below_peak != want.cap_below_peak)
        return std::string("site cap ") + (have.cap_below_peak ? "from 0" : "from the peak") + ", expected " +
               (want.cap_below_peak ? "from 0" : "from the peak");
    if (have.action_low != want.action_low) return "other V2G-capable chargers";
    if (have.limited_nodes != want.limited_nodes)
        return n(have.limited_nodes.size()) + " limited nodes, expected " + n(want.limited_nodes.size());
    if (have.bill_clock != want.bill_clock)
        return std::string(have.bill_clock ? "a" : "no") + " bill clock feature, expected " + (want.bill_clock ? "one" : "none");
    if (have.window != want.window) return "forecast window " + n(have.window) + ", expected " + n(want.window);
    if (have.has_ess != want.has_ess) return have.has_ess ? "an ESS, expected none" : "no ESS, expected one";
    if (have.ess_charge_kw != want.ess_charge_kw || have.ess_discharge_kw != want.ess_discharge_kw)
        return "other ESS ratings";
    if (have.safety != want.safety || have.safety_margin != want.safety_margin)
        return std::string("safety layer ") + safety_layer_name(have.safety) + " (margin " +
               std::to_string(have.safety_margin.ms()) + " ms), expected " + safety_layer_name(want.safety) +
               " (margin " + std::to_string(want.safety_margin.ms()) + " ms)";
    if (have.timezone != want.timezone) return "time zone " + have.timezone + ", expected " + want.timezone;
    if (have.price_scale != want.price_scale || have.power_scale_kw != want.power_scale_kw ||
        have.departure_scale != want.departure_scale)
        return "other observation scales";
    return {};
}

ObsCodec::ObsCodec(ObsLayout layout) : layout_(std::move(layout)), zone_(layout_.timezone) {}

void ObsCodec::encode(const Observation& o, std::span<float> obs) const {
    if (obs.size() != layout_.observation_size())
        throw std::invalid_argument("ObsCodec::encode: observation buffer of the wrong size");
    if (o.connectors.size() != layout_.connectors())
        throw std::invalid_argument("ObsCodec::encode: the site has " + std::to_string(o.connectors.size()) +
                                    " connectors, the layout " + std::to_string(layout_.connectors()));
    float* out = obs.data();
    const LocalDateTime local = zone_.to_local(o.now);
    const double day_fraction =
        (local.hour * 3600.0 + local.minute * 60.0 + local.second + local.millisecond / 1000.0) / 86400.0;
    *out++ = static_cast<float>(std::sin(2.0 * std::numbers::pi * day_fraction));
    *out++ = static_cast<float>(std::cos(2.0 * std::numbers::pi * day_fraction));
    *out++ = local.weekday == 0 || local.weekday == 6 ? 1.0f : 0.0f;

    const double departure_scale_ms = static_cast<double>(layout_.departure_scale.ms());
    for (std::size_t c = 0; c < layout_.connectors(); ++c) {
        const std::uint32_t i = o.connectors[c].session;
        if (i == kNone) {
            for (std::size_t k = 0; k < kConnectorFeatures; ++k) *out++ = 0.0f;
            continue;
        }
        const SessionView& s = o.sessions[i];
        *out++ = 1.0f;
        *out++ = s.capacity_kwh > 0.0 ? clamp_unit(s.remaining_kwh / s.capacity_kwh) : 0.0f;
        *out++ = clamp_unit(static_cast<double>((s.declared_departure - o.now).ms()) / departure_scale_ms);
        *out++ = clamp_unit(s.soc);
        *out++ = clamp_unit(s.max_charge_kw / layout_.charger_kw[c]);
        *out++ = clamp_unit(s.max_discharge_kw / layout_.charger_kw[c]);
    }

    auto window = [&](const std::vector<double>* values, double scale, double lo) {
        for (std::size_t k = 0; k < layout_.window; ++k) {
            const double v = !values || values->empty() ? 0.0 : (*values)[std::min(k, values->size() - 1)];
            *out++ = static_cast<float>(std::clamp(v / scale, lo, 1.0));
        }
    };
    const Forecast* f = o.forecast;
    window(f ? &f->import_price : nullptr, layout_.price_scale, -1.0);
    window(f ? &f->pv_kw : nullptr, layout_.power_scale_kw, 0.0);
    window(f ? &f->base_load_kw : nullptr, layout_.power_scale_kw, 0.0);

    *out++ = o.ess.present ? clamp_unit(o.ess.soc) : 0.0f;

    // The demand charge's state, and the import no action can avoid now (fixed flow + safe minima).
    const DemandView& dv = o.demand;
    const double scale = layout_.power_scale_kw;
    const bool intervals = dv.interval.ms() > 0;
    *out++ = clamp_unit(dv.peak_kw / scale);
    *out++ = intervals ? clamp_unit(dv.interval_kwh / dv.interval.hours_f() / scale) : 0.0f;
    *out++ = intervals ? clamp_unit(static_cast<double>((o.now - dv.interval_start).ms()) / static_cast<double>(dv.interval.ms())) : 0.0f;
    double forced_kw = o.nodes.empty() ? 0.0 : o.nodes[0].fixed_flow_kw;
    if (layout_.safety == SafetyLayer::laxity)
        for (const SessionView& s : o.sessions) forced_kw += safe_range(s, o.now, o.control_period, layout_.safety_margin).min_kw;
    *out++ = static_cast<float>(std::clamp(forced_kw / scale, -1.0, 1.0));
    if (layout_.bill_clock) {
        const Time bill_end = std::min(dv.period_end, o.run_end);
        *out++ = clamp_unit(static_cast<double>((bill_end - o.now).ms()) / static_cast<double>(kBillClockScale.ms()));
    }
    for (NodeIndex n : layout_.limited_nodes) {
        const NodeView& v = o.nodes[n];
        *out++ = static_cast<float>(
            std::clamp((v.import_limit_kw - v.fixed_flow_kw) / layout_.power_scale_kw, -1.0, 1.0));
    }
}

void ObsCodec::decode(std::span<const float> action, const Observation& o, Decision& d) const {
    const std::size_t connectors = layout_.connectors();
    if (action.size() != layout_.action_size()) throw std::invalid_argument("ObsCodec::decode: action of the wrong size");
    d.connector_kw.resize(connectors);
    const bool safe = layout_.safety == SafetyLayer::laxity;
    thread_local std::vector<double> floor_kw, laxity_h;  // reused: no allocation per step
    floor_kw.assign(connectors, 0.0);
    laxity_h.assign(connectors, 0.0);
    for (std::size_t c = 0; c < connectors; ++c) {
        const float a = clamp_action(action[c], layout_.action_low[c]);
        const std::uint32_t i = o.connectors[c].session;
        if (i == kNone) {
            d.connector_kw[c] = 0.0;
        } else if (!safe) {
            d.connector_kw[c] = a * layout_.charger_kw[c];
        } else {
            const SessionView& s = o.sessions[i];
            const SafeRange r = safe_range(s, o.now, o.control_period, layout_.safety_margin);
            floor_kw[c] = r.min_kw;
            const double need_h = s.max_charge_kw > 0.0 ? std::max(0.0, s.remaining_kwh) / s.max_charge_kw : 0.0;
            laxity_h[c] = (s.declared_departure - o.now).hours_f() - need_h;
            // Discharge only where the range allows it; else a negative ratio is the safe minimum.
            d.connector_kw[c] = a >= 0.0f            ? r.min_kw + a * (r.max_kw - r.min_kw)
                                : r.discharge_kw > 0.0 ? a * r.discharge_kw
                                                       : r.min_kw;
        }
    }
    const float e = clamp_action(action[connectors], layout_.action_low[connectors]);
    const double charge_kw = safe ? o.ess.max_charge_kw : layout_.ess_charge_kw;
    const double discharge_kw = safe ? o.ess.max_discharge_kw : layout_.ess_discharge_kw;
    d.ess_kw = !o.ess.present || !layout_.has_ess ? 0.0 : e >= 0.0f ? e * charge_kw : e * discharge_kw;
    if (layout_.site_cap) {
        const float r = clamp_action(action[connectors + 1], 0.0f);
        hold_site_cap(import_allowance_kw(site_cap_kw(r, o, layout_), o), o, floor_kw, laxity_h, d);
    }
    if (!safe) return;
    shed_flexible_power(o, floor_kw, d);
    thread_local std::vector<char> rounded_up;
    rounded_up.assign(connectors, 0);
    for (std::size_t c = 0; c < connectors; ++c) {
        if (o.connectors[c].session == kNone) continue;
        const double kw = onto_charger(d.connector_kw[c], floor_kw[c], o.connectors[c]);
        rounded_up[c] = kw > d.connector_kw[c] + kPowerTolerance && floor_kw[c] <= 0.0;
        d.connector_kw[c] = kw;
    }
    turn_off_rounded_up(o, floor_kw, rounded_up, d);
}

}  // namespace evtwin
