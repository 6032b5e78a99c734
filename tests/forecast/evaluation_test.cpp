// Rolling-origin evaluation: the scores against hand-computed values.
#include "forecast/evaluation.hpp"
#include "host/forecaster_loader.hpp"

#include <evtwin/errors.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace evtwin {
namespace {

// A daily pattern whose level rises by one every day: persistence is off by 1 everywhere, seasonal
// naive by 7.
ForecastSeries rising_days() {
    ForecastSeries s;
    s.target = ForecastTarget::load;
    s.data = "synthetic";
    s.start = Time(0);
    s.step = Duration::hours(1);
    s.steps = 24 * 40;
    for (std::size_t i = 0; i < s.steps; ++i) s.values.push_back(10.0 + double(i / 24) + double(i % 24));
    s.calendar.resize(s.steps);
    s.import_price.assign(s.steps, 0.0);
    return s;
}

TEST(EvaluateForecasters, ScoresPersistenceAndSeasonalNaiveExactly) {
    const ForecastSeries s = rising_days();
    ForecasterHandle p = load_forecaster("persistence", ForecastTarget::load);
    ForecasterHandle sn = load_forecaster("seasonal_naive", ForecastTarget::load);
    EvalSpan span{Time(0) + Duration::days(20), Time(0) + Duration::days(30)};
    const auto scores =
        evaluate_forecasters(s, {{"persistence", p.get()}, {"seasonal_naive", sn.get()}}, span);
    ASSERT_EQ(scores.size(), 2u * 25u);  // 24 lead steps and the whole horizon, per model
    const EvalScore& all_p = scores[24];
    const EvalScore& all_sn = scores[49];
    ASSERT_EQ(all_p.lead, -1);
    EXPECT_EQ(all_p.points, 10u * 24u);
    EXPECT_DOUBLE_EQ(all_p.mae, 1.0);
    EXPECT_DOUBLE_EQ(all_p.rmse, 1.0);
    EXPECT_DOUBLE_EQ(all_sn.mae, 7.0);
    EXPECT_NEAR(all_p.skill_seasonal, 1.0 - 1.0 / 7.0, 1e-12);
    EXPECT_DOUBLE_EQ(all_p.skill_persistence, 0.0);
    // The errors are all +1 below the truth: the rule's spread puts p10 = p90 = truth.
    EXPECT_DOUBLE_EQ(all_p.coverage, 1.0);
    EXPECT_NEAR(all_p.pinball[1], 0.5, 1e-12);  // 0.5 · 1 per point
    double smape = 0.0;
    for (std::size_t d = 20; d < 30; ++d)
        for (std::size_t h = 0; h < 24; ++h) {
            const double y = 10.0 + double(d) + double(h);
            smape += 2.0 / (2.0 * y - 1.0);
        }
    EXPECT_NEAR(all_p.smape, 100.0 * smape / 240.0, 1e-9);
}

TEST(EvaluateForecasters, RefusesSpansItCannotScore) {
    const ForecastSeries s = rising_days();
    ForecasterHandle p = load_forecaster("persistence", ForecastTarget::load);
    ForecasterHandle sn = load_forecaster("seasonal_naive", ForecastTarget::load);
    const std::vector<NamedForecaster> models{{"persistence", p.get()}, {"seasonal_naive", sn.get()}};
    EXPECT_THROW(evaluate_forecasters(s, models, {Time(0) + Duration::days(10), Time(0) + Duration::days(5)}),
                 DataError);
    // Seasonal naive needs two weeks of history: a span starting on day 3 has too little.
    EXPECT_THROW(evaluate_forecasters(s, models, {Time(0) + Duration::days(3), Time(0) + Duration::days(8)}),
                 DataError);
    EXPECT_THROW(
        evaluate_forecasters(s, models, {Time(0) + Duration::days(35), Time(0) + Duration::days(45)}),
        DataError);
    EXPECT_THROW(evaluate_forecasters(s, models,
                                      {Time(0) + Duration::days(20), Time(0) + Duration::hours(20 * 24 + 5)}),
                 DataError);
}

// Asks for four weeks of history, of which a day must have been observed; forecasts zero.
class LongLookback : public Forecaster {
public:
    explicit LongLookback(std::size_t min_observed) : min_observed_(min_observed) {}
    ForecastNeeds needs() const override { return {Duration::hours(1), 28 * 24, min_observed_}; }
    void forecast(const ForecastInput& in, ForecastOutput&) override { known_from.push_back(in.known_from); }
    std::vector<Time> known_from;

private:
    std::size_t min_observed_;
};

TEST(EvaluateForecasters, AHistoryPartlyBeforeTheDataIsGivenWhenItsObservedPartSuffices) {
    const ForecastSeries s = rising_days();
    ForecasterHandle p = load_forecaster("persistence", ForecastTarget::load);
    ForecasterHandle sn = load_forecaster("seasonal_naive", ForecastTarget::load);
    const EvalSpan span{Time(0) + Duration::days(15), Time(0) + Duration::days(17)};
    LongLookback lenient(24);
    evaluate_forecasters(s, {{"persistence", p.get()}, {"seasonal_naive", sn.get()}, {"long", &lenient}},
                         span);
    ASSERT_EQ(lenient.known_from.size(), 2u);
    EXPECT_EQ(lenient.known_from[0], s.start);  // what lies before the data is marked unobserved
    LongLookback strict(0);                     // all 28 days observed
    EXPECT_THROW(evaluate_forecasters(
                     s, {{"persistence", p.get()}, {"seasonal_naive", sn.get()}, {"long", &strict}}, span),
                 DataError);
}

// Answers every step with the same three quantiles.
class SameQuantiles : public Forecaster {
public:
    SameQuantiles(double p10, double p50, double p90) : p10_(p10), p50_(p50), p90_(p90) {}
    ForecastNeeds needs() const override { return {Duration::hours(1), 24, 0}; }
    void forecast(const ForecastInput&, ForecastOutput& out) override {
        out.p10.assign(out.p10.size(), p10_);
        out.p50.assign(out.p50.size(), p50_);
        out.p90.assign(out.p90.size(), p90_);
    }

private:
    double p10_, p50_, p90_;
};

// Dark nights are covered by any forecast of 0 and say nothing about the interval: the second
// coverage is over the values that are not 0, the same points for every model.
TEST(EvaluateForecasters, CoverageOfTheNonZeroValuesLeavesTheDarkHoursOut) {
    ForecastSeries s = rising_days();
    s.target = ForecastTarget::pv;
    for (std::size_t i = 0; i < s.steps; ++i) s.values[i] = i % 24 < 12 ? 0.0 : 5.0;
    ForecasterHandle p = load_forecaster("persistence", ForecastTarget::pv);
    ForecasterHandle sn = load_forecaster("seasonal_naive", ForecastTarget::pv);
    SameQuantiles dark(0.0, 0.0, 0.0), sunny(4.0, 5.0, 6.0);
    const auto scores = evaluate_forecasters(
        s, {{"persistence", p.get()}, {"seasonal_naive", sn.get()}, {"dark", &dark}, {"sunny", &sunny}},
        {Time(0) + Duration::days(20), Time(0) + Duration::days(30)});
    const auto whole = [&](const std::string& model) {
        for (const EvalScore& e : scores)
            if (e.model == model && e.lead < 0) return e;
        ADD_FAILURE() << model;
        return EvalScore{};
    };
    EXPECT_DOUBLE_EQ(whole("dark").coverage, 0.5);  // the nights
    EXPECT_DOUBLE_EQ(whole("dark").coverage_nonzero, 0.0);
    EXPECT_DOUBLE_EQ(whole("sunny").coverage, 0.5);  // the days
    EXPECT_DOUBLE_EQ(whole("sunny").coverage_nonzero, 1.0);
    const EvalScore night_lead = scores[3];  // persistence, lead 3: 03:00, dark
    ASSERT_EQ(night_lead.lead, 3);
    EXPECT_EQ(night_lead.points, 10u);
    EXPECT_TRUE(std::isnan(night_lead.coverage_nonzero));
}

// Answers a day ahead with its quantiles swapped, or with one value too few.
class Broken : public Forecaster {
public:
    explicit Broken(bool short_answer) : short_answer_(short_answer) {}
    ForecastNeeds needs() const override { return {Duration::hours(1), 24, 0}; }
    void forecast(const ForecastInput&, ForecastOutput& out) override {
        out.p10.assign(out.p10.size(), 2.0);
        out.p90.assign(out.p90.size(), 1.0);
        if (short_answer_) out.p50.pop_back();
    }

private:
    bool short_answer_;
};

// The scores are of answers the engine would give a strategy: the same checks as in a run.
TEST(EvaluateForecasters, AnAnswerARunWouldRefuseIsAPluginError) {
    const ForecastSeries s = rising_days();
    ForecasterHandle p = load_forecaster("persistence", ForecastTarget::load);
    ForecasterHandle sn = load_forecaster("seasonal_naive", ForecastTarget::load);
    const EvalSpan span{Time(0) + Duration::days(15), Time(0) + Duration::days(17)};
    const auto error = [&](bool short_answer) {
        Broken broken(short_answer);
        try {
            evaluate_forecasters(
                s, {{"persistence", p.get()}, {"seasonal_naive", sn.get()}, {"broken", &broken}}, span);
        } catch (const PluginError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(error(true), "forecaster 'broken' answered 23 values, 24 expected");
    EXPECT_EQ(
        error(false),
        "forecaster 'broken' answered P10 2, P50 0, P90 1 load kW at step 0; expected P10 <= P50 <= P90");
}

}  // namespace
}  // namespace evtwin
