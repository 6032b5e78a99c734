#include "model/reference_use.hpp"

#include "model/reference_weeks_table.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

namespace evtwin {

namespace {

constexpr double kTemperatureC = 20.0;
constexpr double kParkedSoc = 0.6;
constexpr double kCycleLowSoc = 0.4;
constexpr double kCycleHighSoc = 0.8;
constexpr double kCRate = 0.3;  // SoC per hour
constexpr double kEfcPerYear = 300.0;
constexpr double kDaysPerYear = 365.25;
constexpr double kStretchDays = 7.0;
constexpr double kSplitHorizonYears = 60.0;

// One excursion 60 -> 40 -> 80 -> 60 % moves the SoC by 0.8, i.e. 0.4 EFC; the period between
// excursions gives 300 EFC a year.
constexpr double kExcursionEfc =
    ((kParkedSoc - kCycleLowSoc) + (kCycleHighSoc - kCycleLowSoc) + (kCycleHighSoc - kParkedSoc)) / 2.0;
constexpr double kPeriodDays = kDaysPerYear * kExcursionEfc / kEfcPerYear;
constexpr double kLegDays = (kParkedSoc - kCycleLowSoc) / kCRate / 24.0;  // 60 -> 40 %
struct Corner {
    double offset_days;
    double soc;
};
constexpr std::array<Corner, 4> kCorners{{{0.0, kParkedSoc},
                                          {kLegDays, kCycleLowSoc},
                                          {3.0 * kLegDays, kCycleHighSoc},
                                          {4.0 * kLegDays, kParkedSoc}}};

double reference_soc(double t_days) {
    const double phase = t_days - std::floor(t_days / kPeriodDays) * kPeriodDays;
    for (std::size_t i = 0; i + 1 < kCorners.size(); ++i) {
        const Corner& a = kCorners[i];
        const Corner& b = kCorners[i + 1];
        if (phase < b.offset_days)
            return a.soc + (b.soc - a.soc) * (phase - a.offset_days) / (b.offset_days - a.offset_days);
    }
    return kParkedSoc;
}

// The state one week after week k's.
ReferenceLoss week_after(Chemistry chemistry, std::size_t k, const ReferenceLoss& state) {
    auto battery = BatteryAgeing::from_losses(chemistry, state.calendar, state.cycling);
    battery.age(
        reference_trace(kStretchDays * static_cast<double>(k), kStretchDays * static_cast<double>(k + 1)));
    return {battery.calendar_loss(), battery.cycling_loss()};
}

// The state after each whole week of the reference use: those computed when evtwin was built, then
// computed once as far as asked.
struct WeeklyStates {
    std::mutex mutex;
    std::vector<ReferenceLoss> weeks;

    explicit WeeklyStates(Chemistry chemistry) {
        const std::span<const ReferenceLoss> built = reference_weeks_table(chemistry);
        weeks.assign(built.begin(), built.end());
        if (weeks.empty()) weeks.push_back({});
    }

    void extend(Chemistry chemistry) {  // by one week; the mutex is held
        weeks.push_back(week_after(chemistry, weeks.size() - 1, weeks.back()));
    }

    ReferenceLoss at(Chemistry chemistry, std::size_t week) {
        std::lock_guard lock(mutex);
        while (weeks.size() <= week) extend(chemistry);
        return weeks[week];
    }

    // The states of weeks w - 1 and w, w >= 1 the first whose total loss reaches `loss`, or the last two
    // within `horizon` weeks.
    std::pair<ReferenceLoss, ReferenceLoss> around(Chemistry chemistry, double loss, std::size_t horizon) {
        std::lock_guard lock(mutex);
        while (weeks.size() < 2 || (weeks.back().total() < loss && weeks.size() <= horizon))
            extend(chemistry);
        const auto it = std::lower_bound(weeks.begin() + 1, weeks.end(), loss,
                                         [](const ReferenceLoss& w, double l) { return w.total() < l; });
        const std::size_t w =
            it == weeks.end() ? weeks.size() - 1 : static_cast<std::size_t>(it - weeks.begin());
        return {weeks[w - 1], weeks[w]};
    }
};

WeeklyStates& weekly_states(Chemistry chemistry) {
    if (chemistry == Chemistry::nmc) {
        static WeeklyStates nmc(Chemistry::nmc);
        return nmc;
    }
    static WeeklyStates lfp(Chemistry::lfp);
    return lfp;
}

}  // namespace

std::size_t reference_table_weeks() {
    return static_cast<std::size_t>(kSplitHorizonYears * kDaysPerYear / kStretchDays);
}

std::vector<ReferenceLoss> compute_reference_weeks(Chemistry chemistry, std::size_t last_week) {
    std::vector<ReferenceLoss> weeks{ReferenceLoss{}};
    for (std::size_t k = 0; k < last_week; ++k) weeks.push_back(week_after(chemistry, k, weeks.back()));
    return weeks;
}

std::vector<SocPoint> reference_trace(double from_days, double to_days) {
    std::vector<SocPoint> trace{{from_days, reference_soc(from_days), kTemperatureC}};
    for (double start = std::floor(from_days / kPeriodDays) * kPeriodDays; start < to_days;
         start += kPeriodDays) {
        for (const Corner& c : kCorners) {
            const double t = start + c.offset_days;
            if (t > from_days && t < to_days) trace.push_back({t, c.soc, kTemperatureC});
        }
    }
    trace.push_back({to_days, reference_soc(to_days), kTemperatureC});
    return trace;
}

ReferenceLoss reference_loss(Chemistry chemistry, double age_days) {
    if (!(age_days >= 0.0) || !std::isfinite(age_days))
        throw std::invalid_argument("battery age must be >= 0, got " +
                                    std::to_string(age_days / kDaysPerYear) + " years");
    const auto week = static_cast<std::size_t>(std::floor(age_days / kStretchDays));
    const ReferenceLoss start = weekly_states(chemistry).at(chemistry, week);
    const double from = kStretchDays * static_cast<double>(week);
    if (age_days <= from) return start;
    auto battery = BatteryAgeing::from_losses(chemistry, start.calendar, start.cycling);
    battery.age(reference_trace(from, age_days));
    return {battery.calendar_loss(), battery.cycling_loss()};
}

ReferenceLoss reference_split(Chemistry chemistry, double loss) {
    if (loss <= 0.0) return {};
    const auto [before, after] = weekly_states(chemistry).around(chemistry, loss, reference_table_weeks());
    double share = after.calendar / after.total();
    if (before.total() > 0.0 && loss > before.total() && loss <= after.total()) {
        const double w = (loss - before.total()) / (after.total() - before.total());
        share = (1.0 - w) * before.calendar / before.total() + w * share;
    }
    return {loss * share, loss * (1.0 - share)};
}

}  // namespace evtwin
