#pragma once
// Small hand-made scenarios for engine tests: a grid connection, one transformer and a few
// chargers, a flat tariff, and explicit sessions.
#include "model/scenario_spec.hpp"
#include "model/tariff.hpp"

#include <evtwin/strategy.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace evtwin::test {

// A single price at all times, no demand charge.
class FlatTariff : public Tariff {
public:
    explicit FlatTariff(double price, double export_price = 0.0) : price_(price), export_(export_price) {}
    std::string name() const override { return "flat"; }
    std::string currency() const override { return "EUR"; }
    double import_price(Time) const override { return price_; }
    double export_price(Time) const override { return export_; }
    Time next_change(Time) const override { return Time::max(); }
    double demand_charge_per_kw(Time) const override { return 0.0; }
    BillingPeriod billing_period(Time) const override { return {Time::min(), Time::max()}; }
    Duration demand_interval() const override { return Duration::minutes(15); }

private:
    double price_;
    double export_;
};

inline constexpr Time kDay0{1'719'792'000'000};  // 2024-07-01T00:00:00Z

inline Time at_hour(double h) {
    return kDay0 + Duration(static_cast<std::int64_t>(h * 3'600'000.0));
}

// grid (import_kw) -> transformer "T1" (transformer_kw) -> n chargers of charger_kw.
inline ScenarioSpec small_site(int chargers, double charger_kw, double transformer_kw,
                               double import_kw = 1e9) {
    ScenarioSpec s;
    s.name = "test";
    s.start = kDay0;
    s.end = kDay0 + Duration::days(1);
    s.control_period = Duration::minutes(15);
    s.forecast_horizon = Duration::hours(2);
    s.nodes.push_back(NodeSpec{"grid", NodeKind::grid, kNone, import_kw, import_kw});
    s.nodes.push_back(NodeSpec{"T1", NodeKind::transformer, 0, transformer_kw, transformer_kw});
    for (int i = 0; i < chargers; ++i) {
        ChargerSpec c;
        c.name = "CP" + std::to_string(i + 1);
        c.parent = 1;
        c.max_kw = charger_kw;
        c.efficiency = 1.0;
        s.chargers.push_back(c);
    }
    s.tariff = std::make_shared<FlatTariff>(0.25);
    return s;
}

inline SessionSpec session(SessionId id, double arrive_h, double depart_h, double requested_kwh,
                           double capacity_kwh = 60.0, double initial_soc = 0.2) {
    SessionSpec s;
    s.id = id;
    s.arrival = at_hour(arrive_h);
    s.departure = at_hour(depart_h);
    s.declared_departure = s.departure;
    s.requested_kwh = requested_kwh;
    s.initial_soc = initial_soc;
    s.vehicle.capacity_kwh = capacity_kwh;
    s.vehicle.max_ac_kw = 100.0;
    s.vehicle.charge_efficiency = 1.0;
    s.vehicle.discharge_efficiency = 1.0;
    s.vehicle.curve = {{0.0, 1.0}, {1.0, 1.0}};
    return s;
}

// A strategy given by a function, for tests.
class FunctionStrategy : public Strategy {
public:
    using Fn = std::function<void(const Observation&, Decision&)>;
    explicit FunctionStrategy(Fn fn) : fn_(std::move(fn)) {}
    void decide(const Observation& obs, Decision& out) override { fn_(obs, out); }

private:
    Fn fn_;
};

// Offers every plugged vehicle `kw` (negative: discharge), or the charger's rating when not given.
inline FunctionStrategy offer_all(std::optional<double> kw = std::nullopt) {
    return FunctionStrategy([kw](const Observation& obs, Decision& out) {
        for (const SessionView& s : obs.sessions)
            out.connector_kw[s.connector] = kw.value_or(obs.connectors[s.connector].max_kw);
    });
}

}  // namespace evtwin::test
