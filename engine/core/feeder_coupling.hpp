#pragma once
// The distribution feeder behind the site, solved as the site's powers change (docs/grid.md,
// "Feeders in a run"). Each attached node's flow is a constant-power load at its bus, split evenly
// over its phases; the other customers' loads follow the feeder's load profiles. At the end of an
// instant the simulator hands over the nodes' flows: when an attached flow changed or a load profile stepped
// since the last solve, the power flow is solved again from the last voltages (its factors kept:
// only loads change), and what changed is recorded: the feeder's totals, each bus-phase whose
// voltage moved by a recorded step (1e-4 per unit), each branch whose loading did (1e-4 of its
// rating), and each bus-phase or branch that left its limits. With the feeder's tap control on,
// the regulators act on every solution as OpenDSS's static control mode does (grid/tap_control.hpp):
// a regulator whose relay voltage is out of its band moves its tap, the network is factored again
// and solved again, until no tap moves. With the feeder's tap delays, a regulator out of its band
// steps one tap when its delay has passed (the simulator asks next_tap_change() and calls
// change_taps() then), and one more every tap delay while it stays out. The voltages' sensitivities
// to the sites' powers are worked out when a strategy first asks after a solve.
#include "core/run_sink.hpp"
#include "grid/power_flow.hpp"
#include "model/feeder_spec.hpp"

#include <evtwin/observation.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <vector>

namespace evtwin {

// The branches on each site's supply path (grid/supply_path.hpp), by site in the spec's order.
std::vector<std::vector<std::size_t>> feeder_site_paths(const FeederSpec& spec);

class FeederCoupling final : public FeederSensitivity {
public:
    // The resolution of the recorded voltages (per unit) and loadings (fractions of a rating).
    static constexpr double kVoltageStep = 1e-4;
    static constexpr double kLoadingStep = 1e-4;
    // Solves after tap moves at one update, at most (as grid::TapControlOptions).
    static constexpr int kMaxControlPasses = 30;

    // The spec must outlive the coupling. Throws DataError when the network cannot be solved.
    FeederCoupling(const FeederSpec& spec, RunSink& sink);

    // The loads of profile `profile` (FeederSpec::load_scales) at `scale` times their nominal
    // powers, from the next update on.
    void set_load_scale(std::size_t profile, double scale);
    // The site's node flows at `t` (kW, positive = import): solves and records when anything the
    // feeder sees changed since the last solve.
    void update(Time t, std::span<const double> node_flows);

    // What the last solve gave (null before the first); for tests and callers that read voltages.
    const grid::PowerFlowSolution* solution() const { return solution_.get(); }
    std::uint64_t solves() const { return solves_; }
    // The recorded voltage (per unit) of each phase of each site's bus: by site in the spec's order,
    // then its conductors (FeederView::voltages' order).
    std::span<const double> site_voltages() const { return site_voltages_; }
    // The recorded loading of each branch on each site's supply path: by site in the spec's order,
    // then from the substation (FeederView::loadings' order, feeder_site_paths()).
    std::span<const double> site_loadings() const { return site_loadings_; }

    // What each site imported at the last update (kW), by site in the spec's order.
    std::span<const double> site_kw() const { return site_kw_; }
    // FeederSensitivity, by site_voltages() (site_loadings()) × site: the voltages and loadings at
    // the feeder's loads now (the sites' as last given, the profiles' as last set), and each one's
    // change per kW more imported by a site, by a power flow with that site's load 1 kW higher; the
    // recorded values and zero slopes where the flow at the loads now does not converge, zero slopes
    // where the one with the site's load higher does not. Worked out when first asked after a solve
    // or a profile's step.
    std::span<const double> v_pu_now() const override;
    std::span<const double> dv_pu_per_kw() const override;
    bool voltages_at(Time at, std::span<const double> site_kw, std::vector<double>& v_pu,
                     std::vector<double>* dv_pu_per_kw) const override;
    std::span<const double> loading_now() const override;
    std::span<const double> dloading_per_kw() const override;
    bool loadings_at(Time at, std::span<const double> site_kw, std::vector<double>& loading,
                     std::vector<double>* dloading_per_kw) const override;

    // The regulators' tap moves so far (each regulator's move at a solve counts once).
    std::uint64_t tap_moves() const { return tap_moves_; }

    // With tap delays: when the next regulator out of its band is due to step; Time::max() when none.
    Time next_tap_change() const;
    // Steps each regulator due by `t` whose relay is still out of its band one tap toward it, then
    // solves and records at `t`.
    void change_taps(Time t);

private:
    void solve_and_record(Time t);
    void record(Time t);
    // With tap delays: after a solve at `t`, a regulator newly out of its band is due at t + its
    // delay, one back in its band (or at the tap limit it would move past) is due never.
    void arm_taps(Time t);
    // The signed steps that would bring regulator `r`'s relay into its band at the last solution,
    // 0 within it or where its tap is at the limit in that direction.
    int steps_wanted(std::size_t r) const;
    // Moves the taps of the regulators out of their band at `solution`; true when one moved, and
    // then the power flow is rebuilt on the new taps with the loads' present powers.
    bool control_taps(const grid::PowerFlowSolution& solution);
    void rebuild_flow();
    // The site's voltages and loadings at some loads, and with `slopes` their changes per kW.
    struct Linearised {
        bool converged = false;
        std::vector<double> v_pu, dv_pu_per_kw, loading, dloading_per_kw;
    };
    const Linearised& now() const;  // of the loads as set now
    // voltages_at()'s and loadings_at()'s answer; null where the flow does not converge.
    const Linearised* answer(Time at, std::span<const double> site_kw, bool slopes) const;
    // With the profiles at `scales` and the sites at `site_kw`.
    Linearised linearise(std::span<const double> scales, std::span<const double> site_kw, bool slopes) const;
    int profile_of(std::size_t load) const;  // the load's profile, -1 for none

    struct BusPhase {
        std::uint32_t bus = 0;
        int phase = 0;
        double base_v = 0.0;    // line-to-neutral, volts
        double recorded = 0.0;  // the value last recorded; NaN before
        int state = 0;          // -1 below the band, 0 within, +1 above (of the recorded value)
        BusBand band;           // its bus's
    };

    const FeederSpec& spec_;
    RunSink& sink_;
    std::unique_ptr<grid::Network>
        network_;  // the spec's, one load per site appended; flow_ keeps a reference
    std::size_t first_site_load_ = 0;
    std::unique_ptr<grid::PowerFlow> flow_;
    std::vector<double> site_kw_;  // per site, as last given to the power flow; NaN before
    std::vector<double> site_kvar_ratio_;
    std::vector<double> scales_;  // per profile, as last set; NaN before
    bool changed_ = true;
    std::vector<BusPhase> bus_phases_;
    std::vector<double> loading_recorded_;  // per branch; NaN before
    std::vector<bool> over_;                // per branch, of the recorded value
    std::unique_ptr<grid::PowerFlowSolution> solution_;
    std::uint64_t solves_ = 0;
    bool diverged_ = false;  // the last solve did not converge (recorded once until one does)
    std::vector<std::size_t> site_bus_phases_;  // per entry of site_voltages_: its bus_phases_ index
    std::vector<double> site_voltages_;
    std::vector<std::size_t> site_branches_;  // per entry of site_loadings_: its branch
    std::vector<double> site_loadings_;
    std::vector<std::size_t> regulated_;  // per regulator: the transformer whose winding it moves
    std::uint64_t tap_moves_ = 0;
    std::vector<Time> tap_due_;    // per regulator, with tap delays: its next step; Time::max() when none
    std::uint64_t loads_set_ = 0;  // solves plus profile steps: what the sensitivities are of
    mutable std::uint64_t sensitivity_of_ = 0;
    mutable Linearised now_;
    // answer()'s since the loads were last set, by the profiles' scales, the sites' powers and
    // whether slopes were asked: a plan asks the same of many periods.
    mutable std::map<std::vector<double>, Linearised> answered_;
    mutable std::uint64_t answered_of_ = 0;
};

}  // namespace evtwin
