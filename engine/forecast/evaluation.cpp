#include "forecast/evaluation.hpp"

#include "forecast/forecast_answer.hpp"
#include "model/local_time.hpp"

#include <evtwin/errors.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace evtwin {
namespace {

struct Sums {
    std::size_t points = 0;
    double abs = 0.0, sq = 0.0, smape = 0.0, pinball[3] = {}, covered = 0.0;
    std::size_t smape_points = 0;
    // The points whose value is not 0: for PV the hours with sun, the same points for every model.
    std::size_t nonzero_points = 0;
    double nonzero_covered = 0.0;

    void add(double y, double p10, double p50, double p90) {
        ++points;
        const double e = p50 - y;
        abs += std::fabs(e);
        sq += e * e;
        if (std::fabs(p50) + std::fabs(y) > 0.0) {
            smape += 2.0 * std::fabs(e) / (std::fabs(p50) + std::fabs(y));
            ++smape_points;
        }
        const double q[3] = {p10, p50, p90};
        for (int i = 0; i < 3; ++i) {
            const double d = y - q[i];
            pinball[i] += std::max(kQuantileLevels[i] * d, (kQuantileLevels[i] - 1.0) * d);
        }
        const double in = y >= p10 && y <= p90 ? 1.0 : 0.0;
        covered += in;
        if (y != 0.0) {
            ++nonzero_points;
            nonzero_covered += in;
        }
    }
    void merge(const Sums& s) {
        points += s.points;
        abs += s.abs;
        sq += s.sq;
        smape += s.smape;
        smape_points += s.smape_points;
        for (int q = 0; q < 3; ++q) pinball[q] += s.pinball[q];
        covered += s.covered;
        nonzero_points += s.nonzero_points;
        nonzero_covered += s.nonzero_covered;
    }
    double mae() const { return points ? abs / double(points) : 0.0; }
};

EvalScore score_of(const std::string& model, std::size_t channel, int lead, const Sums& s) {
    EvalScore out;
    out.model = model;
    out.channel = channel;
    out.lead = lead;
    out.points = s.points;
    if (s.points == 0) return out;
    const double n = double(s.points);
    out.mae = s.abs / n;
    out.rmse = std::sqrt(s.sq / n);
    out.smape = s.smape_points ? 100.0 * s.smape / double(s.smape_points) : 0.0;
    for (int i = 0; i < 3; ++i) out.pinball[i] = s.pinball[i] / n;
    out.coverage = s.covered / n;
    out.coverage_nonzero = s.nonzero_points ? s.nonzero_covered / double(s.nonzero_points) : NAN;
    return out;
}

double skill(double mae, double baseline) {
    return baseline > 0.0 ? 1.0 - mae / baseline : 0.0;
}

}  // namespace

std::vector<EvalScore> evaluate_forecasters(const ForecastSeries& series,
                                            const std::vector<NamedForecaster>& models,
                                            const EvalSpan& span) {
    if (span.from >= span.to) throw DataError("the evaluation span is empty: --from must come before --to");
    if (span.horizon <= Duration(0) || span.every <= Duration(0) ||
        span.horizon % series.step != Duration(0) || span.every % series.step != Duration(0))
        throw DataError("the horizon and the origins' cadence must be whole steps of the data (" +
                        std::to_string(series.step.ms() / 60000) + " min)");
    if (span.from < series.start || span.to > series.time_of(series.steps))
        throw DataError("data '" + series.data + "': the span " + format_utc(span.from) + " to " +
                        format_utc(span.to) + " leaves the data (" + format_utc(series.start) + " to " +
                        format_utc(series.time_of(series.steps)) + ")");
    const auto horizon = static_cast<std::size_t>(span.horizon / series.step);
    const std::size_t channels = series.channels();
    // sums[model][channel][lead]
    std::vector<std::vector<std::vector<Sums>>> sums(
        models.size(), std::vector<std::vector<Sums>>(channels, std::vector<Sums>(horizon)));
    ForecastInputBuffers buffers;
    ForecastOutput out;
    std::size_t origins = 0;
    for (Time t = span.from; t + span.horizon <= span.to; t = t + span.every, ++origins) {
        const std::size_t origin = series.index_of(t);
        for (std::size_t m = 0; m < models.size(); ++m) {
            const ForecastNeeds needs = models[m].forecaster->needs();
            if (needs.step != series.step)
                throw ForecasterError("forecaster '" + models[m].name + "' forecasts in steps of " +
                                      std::to_string(needs.step.ms() / 60000) + " min, the data's are " +
                                      std::to_string(series.step.ms() / 60000) + " min (--step-min)");
            if (origin < needs.observed_steps_needed())
                throw DataError("data '" + series.data + "' begins at " + format_utc(series.start) +
                                ": a forecast at " + format_utc(t) + " by '" + models[m].name + "' needs " +
                                std::to_string(needs.observed_steps_needed()) +
                                " steps of history before it; start later (--from)");
            const ForecastInput in = input_at(series, origin, needs.history_steps, horizon, buffers);
            for (auto* q : {&out.p10, &out.p50, &out.p90}) q->assign(horizon * channels, 0.0);
            models[m].forecaster->forecast(in, out);
            check_forecast_answer(models[m].name, series.target, horizon, out);
            for (std::size_t c = 0; c < channels; ++c)
                for (std::size_t k = 0; k < horizon; ++k) {
                    const std::size_t i = c * horizon + k;
                    sums[m][c][k].add(series.at(c, origin + k), out.p10[i], out.p50[i], out.p90[i]);
                }
        }
    }
    if (origins == 0)
        throw DataError(
            "the evaluation span holds no whole forecast: make --to later than --from + the horizon");

    std::vector<EvalScore> scores;
    std::map<std::string, std::size_t> index;
    for (std::size_t m = 0; m < models.size(); ++m) index[models[m].name] = m;
    for (const char* baseline : {"seasonal_naive", "persistence"})
        if (!index.count(baseline))
            throw std::invalid_argument(std::string("evaluate_forecasters: no ") + baseline +
                                        " among the models");
    for (std::size_t m = 0; m < models.size(); ++m)
        for (std::size_t c = 0; c < channels; ++c) {
            Sums all;
            Sums all_seasonal, all_persistence;
            for (std::size_t k = 0; k < horizon; ++k) {
                const Sums& s = sums[m][c][k];
                EvalScore e = score_of(models[m].name, c, static_cast<int>(k), s);
                e.skill_seasonal = skill(e.mae, sums[index["seasonal_naive"]][c][k].mae());
                e.skill_persistence = skill(e.mae, sums[index["persistence"]][c][k].mae());
                scores.push_back(e);
                all.merge(s);
                all_seasonal.abs += sums[index["seasonal_naive"]][c][k].abs;
                all_seasonal.points += s.points;
                all_persistence.abs += sums[index["persistence"]][c][k].abs;
                all_persistence.points += s.points;
            }
            EvalScore e = score_of(models[m].name, c, -1, all);
            e.skill_seasonal = skill(e.mae, all_seasonal.mae());
            e.skill_persistence = skill(e.mae, all_persistence.mae());
            scores.push_back(e);
        }
    return scores;
}

}  // namespace evtwin
