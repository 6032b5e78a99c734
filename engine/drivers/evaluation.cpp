// Rolling-origin scores of next-charge predictions and the trainer's samples.
#include "drivers/evaluation.hpp"

#include "drivers/ceiling.hpp"

#include "model/local_time.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace evtwin::drivers {
namespace {

// printf into a std::string (GCC 12 has no std::format).
template <class... T>
std::string printed(const char* format, T... values) {
    char text[512];
    std::snprintf(text, sizeof text, format, values...);
    return text;
}

std::string percent(double fraction) {
    return printed("%.1f %%", 100.0 * fraction);
}

}  // namespace

double Scores::brier() const {
    return pairs ? brier_sum / static_cast<double>(pairs * kSlots) : 0.0;
}

double Scores::hit_rate() const {
    return hit_cases ? static_cast<double>(hits) / static_cast<double>(hit_cases) : 0.0;
}

double Scores::energy_mae() const {
    return energy_cases ? abs_error_sum / static_cast<double>(energy_cases) : 0.0;
}

double brier_score(const std::vector<double>& probability, const std::vector<int>& outcome) {
    if (probability.size() != outcome.size() || probability.empty())
        throw std::invalid_argument("brier_score: expected as many outcomes as probabilities, at least one");
    double sum = 0.0;
    for (std::size_t i = 0; i < probability.size(); ++i) {
        const double d = probability[i] - outcome[i];
        sum += d * d;
    }
    return sum / static_cast<double>(probability.size());
}

bool is_hit(int predicted_slot, int actual_slot) {
    return actual_slot >= 0 && std::abs(predicted_slot - actual_slot) <= kHitToleranceSlots;
}

double skill(double score, double reference) {
    return reference > 0.0 ? 1.0 - score / reference : 0.0;
}

double hit_skill(double rate, double reference) {
    return reference < 1.0 ? (rate - reference) / (1.0 - reference) : 0.0;
}

Outcome outcome(const Driver& driver, LocalMs origin) {
    Outcome out;
    const LocalMs end = origin + kWeekMs;
    auto it = std::lower_bound(driver.sessions.begin(), driver.sessions.end(), origin,
                               [](const DriverSession& s, LocalMs t) { return s.start < t; });
    for (; it != driver.sessions.end() && it->start < end; ++it) {
        const int slot = static_cast<int>((it->start - origin) / kHourMs);
        out.started[slot] = 1;
        if (out.next_slot < 0) {
            out.next_slot = slot;
            out.next_kwh = it->kwh;
        }
    }
    return out;
}

void score(const DriverPrediction& prediction, const Outcome& actual, Scores& scores) {
    ++scores.pairs;
    for (int s = 0; s < kSlots; ++s) {
        const double d = prediction.probability[s] - actual.started[s];
        scores.brier_sum += d * d;
    }
    if (actual.next_slot < 0) return;
    ++scores.hit_cases;
    if (is_hit(most_likely_slot(prediction), actual.next_slot)) ++scores.hits;
    ++scores.energy_cases;
    scores.abs_error_sum += std::abs(prediction.next_kwh - actual.next_kwh);
}

std::vector<LocalMs> weekly_origins(LocalMs from, LocalMs to) {
    std::vector<LocalMs> origins;
    std::int64_t week = week_of(from);
    if (week_start(week) < from) ++week;
    for (; week_start(week) + kWeekMs <= to; ++week) origins.push_back(week_start(week));
    return origins;
}

LocalMs parse_local(const std::string& text) {
    // The wall clock read as if it were UTC: the site's zone plays no part in slot arithmetic.
    static const TimeZone utc("UTC");
    return parse_time(text, utc).ms();
}

std::string format_local(LocalMs t) {
    const LocalDateTime c = civil_from_ms(t);
    return printed("%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour, c.minute);
}

EvalReport evaluate(const DriverHistory& history, const std::vector<const Predictor*>& predictors,
                    LocalMs from, LocalMs to, const ClairvoyantDays* ceiling) {
    EvalReport report;
    report.data = history.source;
    for (const auto* p : predictors) report.rows.push_back({p->name(), {}});
    if (ceiling) report.rows.push_back({ClairvoyantDays::kName, {}});
    DriverPrediction prediction;
    for (const LocalMs origin : weekly_origins(from, to)) {
        ++report.origins;
        const std::vector<DriverView> views = driver_views(history, origin);
        const PopulationView population = population_view(views);
        for (const auto& view : views) {
            const Outcome actual = outcome(*view.driver, origin);
            for (std::size_t i = 0; i < predictors.size(); ++i) {
                prediction = DriverPrediction{};
                predictors[i]->predict(view, population, prediction);
                score(prediction, actual, report.rows[i].scores);
            }
            if (ceiling) {
                prediction = DriverPrediction{};
                ceiling->predict(*view.driver, origin, actual, prediction);
                score(prediction, actual, report.rows.back().scores);
            }
        }
    }
    return report;
}

std::string format_report(const EvalReport& report) {
    const Scores* last_week = nullptr;
    const Scores* frequency = nullptr;
    for (const auto& r : report.rows) {
        if (r.predictor == "last_week") last_week = &r.scores;
        if (r.predictor == "frequency") frequency = &r.scores;
    }
    std::string out = report.data;
    out.append(printed(": %zu origins, %zu driver-weeks, %zu with a session\n\n", report.origins,
                       report.rows.empty() ? std::size_t{0} : report.rows[0].scores.pairs,
                       report.rows.empty() ? std::size_t{0} : report.rows[0].scores.hit_cases));
    out.append(
        "| predictor | Brier | BSS vs last_week | BSS vs frequency | hit ±2 h | hit skill vs last_week | "
        "hit skill vs frequency | energy MAE kWh | MAE skill vs last_week | MAE skill vs frequency |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& r : report.rows) {
        const Scores& s = r.scores;
        const Scores lw = last_week ? *last_week : s;
        const Scores fq = frequency ? *frequency : s;
        out.append("| ").append(r.predictor).append(printed(" | %.5f | ", s.brier()));
        out.append(percent(skill(s.brier(), lw.brier())))
            .append(" | ")
            .append(percent(skill(s.brier(), fq.brier())));
        out.append(" | ").append(percent(s.hit_rate())).append(" | ");
        out.append(percent(hit_skill(s.hit_rate(), lw.hit_rate()))).append(" | ");
        out.append(percent(hit_skill(s.hit_rate(), fq.hit_rate())))
            .append(printed(" | %.2f | ", s.energy_mae()));
        out.append(percent(skill(s.energy_mae(), lw.energy_mae()))).append(" | ");
        out.append(percent(skill(s.energy_mae(), fq.energy_mae()))).append(" |\n");
    }
    return out;
}

TrainingSet training_set(const DriverHistory& history, LocalMs until) {
    TrainingSet set;
    if (history.drivers.empty()) return set;
    float f[kSlotFeatures];
    float e[kEnergyFeatures];
    // The first origin with a past: the Monday after the first session.
    for (const LocalMs origin : weekly_origins(week_start(week_of(history.first) + 1), until)) {
        ++set.origins;
        const std::vector<DriverView> views = driver_views(history, origin);
        const PopulationView population = population_view(views);
        for (const auto& view : views) {
            const Outcome actual = outcome(*view.driver, origin);
            for (int s = 0; s < kSlots; ++s) {
                slot_features(view, population, s, f);
                set.x.insert(set.x.end(), f, f + kSlotFeatures);
                set.y.push_back(actual.started[s]);
            }
            if (actual.next_slot >= 0) {
                energy_features(view, population, e);
                set.ex.insert(set.ex.end(), e, e + kEnergyFeatures);
                set.ey.push_back(static_cast<float>(actual.next_kwh / kEnergyScale));
            }
        }
    }
    return set;
}

}  // namespace evtwin::drivers
