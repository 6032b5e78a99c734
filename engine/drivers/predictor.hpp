#pragma once
// A prediction of a driver's next charge at an origin: per coming hour slot the probability that a
// session starts in it, and the energy of the next session. The naive baselines and the learned
// model (drivers/model.hpp) answer the same interface from the same views.
#include "drivers/features.hpp"

#include <array>
#include <string>

namespace evtwin::drivers {

struct DriverPrediction {
    std::array<double, kSlots> probability{};  // slot k: [origin + k h, origin + (k + 1) h)
    double next_kwh = 0.0;                     // the next session's expected energy
};

// The slot with the highest probability, the earliest of equal ones.
int most_likely_slot(const DriverPrediction& prediction);

class Predictor {
public:
    virtual ~Predictor() = default;
    virtual std::string name() const = 0;
    virtual void predict(const DriverView& view, const PopulationView& population,
                         DriverPrediction& out) const = 0;
};

// Same weekday last week: 1 in the slots where the driver's session started a week before, 0
// elsewhere; the energy of the driver's last session.
class LastWeekBaseline final : public Predictor {
public:
    std::string name() const override { return "last_week"; }
    void predict(const DriverView& view, const PopulationView& population,
                 DriverPrediction& out) const override;
};

// The driver's historical frequency: per slot, the share of the driver's weeks (from its first
// session's week) with a session starting in that hour of the week; the driver's mean energy.
class FrequencyBaseline final : public Predictor {
public:
    std::string name() const override { return "frequency"; }
    void predict(const DriverView& view, const PopulationView& population,
                 DriverPrediction& out) const override;
};

}  // namespace evtwin::drivers
