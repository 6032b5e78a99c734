#pragma once
// The ledger behind the Env's rewards: a RunSink that integrates, from the samples the simulator
// sends on change, the grid bill (energy and demand charge), the energy delivered at the inlets, the
// ESS throughput, the departures' satisfaction and the modelled battery wear, exactly (power is constant
// between samples and prices between tariff changes). The Env reads the totals after each step and rewards
// the change.
#include "core/run_sink.hpp"
#include "model/demand_meter.hpp"
#include "model/feeder_spec.hpp"
#include "model/tariff.hpp"

#include <cstdint>
#include <vector>

namespace evtwin {

struct RewardLedger {
    double energy_cost = 0.0;         // import cost minus export revenue
    double v2g_payment = 0.0;         // to the drivers: fed kWh x import price x v2g_price_factor
    double demand_charge = 0.0;       // incremental: rate x rise of the billing period's peak demand
    double delivered_kwh = 0.0;       // net energy at the vehicle inlets
    double ess_throughput_kwh = 0.0;  // grid side, charge + discharge
    // Over departed EVs that were plugged at a decision point (no action reaches the others):
    double satisfaction = 0.0;         // sum of min(1, delivered / requested)
    double unmet_penalty = 0.0;        // sum of exp(-sharpness x satisfaction)
    std::uint32_t departures = 0;      // every departed EV
    double ended_requested_kwh = 0.0;  // every session that ended (rejected ones too), at the inlet
    double ended_served_kwh = 0.0;     // the part of their request they got
    double wear_cost = 0.0;            // modelled battery wear: sessions that ended, the ESS at the end
    // The feeder's bus-phases: per-unit distance to the voltage band x hours.
    double voltage_excursion_pu_h = 0.0;
};

class RewardSink final : public RunSink {
public:
    // `connector_efficiency` per connector.
    RewardSink(const Tariff& tariff, std::vector<double> connector_efficiency, double unmet_sharpness,
               double v2g_price_factor);

    // Integrates up to `t` at the powers now held; call before reading the ledger.
    void accrue_until(Time t);
    // Closes the demand interval in progress (averaged over its full length, as the bill does).
    void close_demand_interval();
    const RewardLedger& ledger() const { return ledger_; }

    void begin_run(const RunInfo&, const ScenarioSpec& spec) override;
    void site_sample(Time t, const SiteSample& s) override;
    void node_sample(Time, NodeIndex, double) override {}
    void connector_sample(Time t, ConnectorIndex c, double grid_kw, double soc, PilotState state) override;
    void session_end(const SessionRecord& r) override;
    void battery_health(const BatteryUsage& u) override;
    void event(Time, EventKind, ConnectorIndex, SessionId, std::string_view) override {}
    void violation(Time, const Violation&) override {}
    void decision_time(Time t, double) override { decisions_.push_back(t); }
    void bus_voltage(Time t, std::uint32_t bus, int phase, double v_pu) override;
    void end_run(Time end, bool interrupted) override;

private:
    // Σ kwh x price(t) over [a, b) at a constant power, split where the tariff's prices change.
    template <class PriceAt>
    double priced(Time a, Time b, double kw, PriceAt price_at) const;

    const Tariff& tariff_;
    std::vector<double> efficiency_;
    double sharpness_;
    double v2g_price_factor_;
    RewardLedger ledger_;
    Time accrued_;
    std::vector<Time> decisions_;  // in time order
    bool started_ = false;
    double grid_kw_ = 0.0;
    double ess_kw_ = 0.0;
    std::vector<double> connector_kw_;
    DemandMeter demand_;
    // The feeder's bands by bus, and each bus-phase's distance to its band now (by bus x 3 + phase
    // - 1) with their sum.
    std::vector<BusBand> bands_;
    std::vector<double> excursion_pu_;
    double excursion_sum_pu_ = 0.0;
};

}  // namespace evtwin
