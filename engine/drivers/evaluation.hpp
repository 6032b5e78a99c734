#pragma once
// Scoring next-charge predictions (docs/drivers.md, section Evaluation): rolling origins at the
// weeks of a held-out span, each predicted from the sessions before it and scored on the week after
// it; and the training samples the trainer learns from, taken the same way before a date.
#include "drivers/predictor.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace evtwin::drivers {

// Sums of the three scores over driver x origin pairs.
struct Scores {
    std::size_t pairs = 0;                // driver x origin pairs, each of kSlots slots
    double brier_sum = 0.0;               // over every slot of every pair
    std::size_t hit_cases = 0, hits = 0;  // pairs whose driver charged in the week
    std::size_t energy_cases = 0;         // the same pairs
    double abs_error_sum = 0.0;           // |expected - actual| of the next session's kWh

    double brier() const;     // mean over slots
    double hit_rate() const;  // share of hit_cases that hit
    double energy_mae() const;
};

// Mean of (p - o)^2.
double brier_score(const std::vector<double>& probability, const std::vector<int>& outcome);
// A hit: the next session started within `tolerance` slots (hours) of the predicted slot.
inline constexpr int kHitToleranceSlots = 2;
bool is_hit(int predicted_slot, int actual_slot);
// 1 - score / reference (Brier, MAE: lower is better); 0 when the reference is 0.
double skill(double score, double reference);
// (rate - reference) / (1 - reference) (hit rate: higher is better); 0 when the reference is 1.
double hit_skill(double rate, double reference);

// What happened in the week after an origin.
struct Outcome {
    std::array<std::uint8_t, kSlots> started{};  // 1 where a session started
    int next_slot = -1;                          // the first such slot; -1 when none
    double next_kwh = 0.0;                       // that session's energy
};
Outcome outcome(const Driver& driver, LocalMs origin);

// Adds one driver's prediction at one origin to `scores`.
void score(const DriverPrediction& prediction, const Outcome& actual, Scores& scores);

// The local Mondays 00:00 in [from, to) whose week ends by `to`.
std::vector<LocalMs> weekly_origins(LocalMs from, LocalMs to);

// A local date or date-time ("2021-06-01", "2021-06-01T08:00") on the site's wall clock; throws
// std::invalid_argument with the expected forms.
LocalMs parse_local(const std::string& text);
std::string format_local(LocalMs t);  // "2021-06-07 00:00"

struct EvalRow {
    std::string predictor;
    Scores scores;
};

struct EvalReport {
    std::string data;
    std::size_t origins = 0;
    std::vector<EvalRow> rows;  // in the predictors' order
};

class ClairvoyantDays;

// Every predictor at every origin of [from, to), over the drivers with a session before the origin;
// with `ceiling`, its row last (drivers/ceiling.hpp).
EvalReport evaluate(const DriverHistory& history, const std::vector<const Predictor*>& predictors,
                    LocalMs from, LocalMs to, const ClairvoyantDays* ceiling = nullptr);

// The report as a Markdown table: each predictor's Brier, hit rate and energy MAE, each with its
// skill over both baselines (rows named last_week and frequency).
std::string format_report(const EvalReport& report);

// Training samples: at every weekly origin whose week ends by `until`, every driver with a session
// before it; a row of slot features per slot labelled 1 where a session started, and a row of
// energy features per driver that charged in the week, labelled with that session's kWh /
// kEnergyScale. Nothing at or after `until` is read.
struct TrainingSet {
    std::vector<float> x, y;    // rows x kSlotFeatures, rows
    std::vector<float> ex, ey;  // energy rows x kEnergyFeatures, energy rows
    std::size_t origins = 0;
    std::size_t rows() const { return y.size(); }
    std::size_t energy_rows() const { return ey.size(); }
};
TrainingSet training_set(const DriverHistory& history, LocalMs until);

}  // namespace evtwin::drivers
