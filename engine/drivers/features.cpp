// Driver and population views at an origin, and the learned model's features.
#include "drivers/features.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace evtwin::drivers {
namespace {

constexpr int kRecentWeeks = 4;
constexpr int kRecentDays = 14;
// The floor of a rate whose logarithm is a feature: below any rate a year of weeks can show.
constexpr double kLogFloor = 1e-3;
// Pseudo-weeks of the population's rate added to a driver's own counts: a driver seen for two
// weeks is believed half as much as the site's drivers together.
constexpr double kShrinkWeeks = 2.0;

int wrap_slot(int slot) {
    return (slot % kSlots + kSlots) % kSlots;
}

}  // namespace

bool driver_view(const Driver& driver, LocalMs origin, DriverView& view) {
    view = DriverView{};
    view.driver = &driver;
    const auto end = std::lower_bound(driver.sessions.begin(), driver.sessions.end(), origin,
                                      [](const DriverSession& s, LocalMs t) { return s.start < t; });
    if (end == driver.sessions.begin()) return false;
    // Weeks are counted back from the origin: week 0 is the 7 days before it.
    const auto weeks_back = [origin](LocalMs t) { return (origin - 1 - t) / kWeekMs; };
    view.origin_slot = hour_of_week(origin);
    view.weeks = static_cast<int>(weeks_back(driver.sessions.front().start) + 1);
    view.recent_weeks = std::min(view.weeks, kRecentWeeks);
    std::array<std::int64_t, kSlots> last_counted;
    last_counted.fill(-1);
    std::array<std::int64_t, 7> last_day;
    last_day.fill(-1);
    std::array<std::int64_t, 24> last_hour_day;
    last_hour_day.fill(-1);
    const auto days_back = [origin](LocalMs t) { return (origin - 1 - t) / kDayMs; };
    view.days = static_cast<int>(days_back(driver.sessions.front().start) + 1);
    double total = 0.0;
    for (auto it = driver.sessions.begin(); it != end; ++it) {
        const std::int64_t week = weeks_back(it->start);
        const int slot = hour_of_week(it->start);
        const bool recent = week < view.recent_weeks;
        if (last_counted[slot] != week) {
            last_counted[slot] = week;
            ++view.weeks_with[slot];
            if (recent) ++view.recent_with[slot];
            if (week == 0) view.last_week[slot] = 1;
        }
        const int day = slot / 24;
        if (last_day[day] != week) {
            last_day[day] = week;
            ++view.day_weeks[day];
        }
        ++view.hour_sessions[slot % 24];
        const std::int64_t day_back = days_back(it->start);
        if (last_hour_day[slot % 24] != day_back) {
            last_hour_day[slot % 24] = day_back;
            ++view.hour_days[slot % 24];
            if (day_back < kRecentDays) ++view.recent_hour_days[slot % 24];
        }
        ++view.sessions;
        if (recent) ++view.recent_sessions;
        total += it->kwh;
    }
    const auto count = static_cast<std::size_t>(end - driver.sessions.begin());
    view.mean_kwh = total / static_cast<double>(count);
    const std::size_t last_n = std::min<std::size_t>(5, count);
    double last_total = 0.0;
    for (std::size_t i = count - last_n; i < count; ++i) last_total += driver.sessions[i].kwh;
    view.mean_last5_kwh = last_total / static_cast<double>(last_n);
    view.last_kwh = driver.sessions[count - 1].kwh;
    view.days_since_last = static_cast<double>(origin - driver.sessions[count - 1].start) / (24.0 * kHourMs);
    if (count >= 2) {
        std::vector<double> gaps;
        for (std::size_t i = 1; i < count; ++i)
            gaps.push_back(static_cast<double>(driver.sessions[i].start - driver.sessions[i - 1].start) /
                           kHourMs);
        std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2),
                         gaps.end());
        view.median_gap_h = std::max(1.0, gaps[gaps.size() / 2]);
    }
    const LocalMs last_end = driver.sessions[count - 1].end;
    view.plugged_in = last_end > origin;
    view.hours_since_unplug = view.plugged_in ? 0.0 : static_cast<double>(origin - last_end) / kHourMs;
    return true;
}

std::vector<DriverView> driver_views(const DriverHistory& history, LocalMs origin) {
    std::vector<DriverView> views;
    DriverView view;
    for (const auto& d : history.drivers)
        if (driver_view(d, origin, view)) views.push_back(view);
    return views;
}

PopulationView population_view(const std::vector<DriverView>& views) {
    PopulationView pop;
    pop.drivers = views.size();
    double weeks = 0.0, days = 0.0, kwh = 0.0, sessions = 0.0;
    for (const auto& v : views) {
        weeks += v.weeks;
        days += v.days;
        for (int h = 0; h < 24; ++h) pop.daily_rate[h] += v.hour_days[h];
        kwh += v.mean_kwh * v.sessions;
        sessions += v.sessions;
        for (int s = 0; s < kSlots; ++s) pop.rate[s] += v.weeks_with[s];
    }
    if (weeks > 0.0)
        for (auto& r : pop.rate) r /= weeks;
    if (days > 0.0)
        for (auto& r : pop.daily_rate) r /= days;
    pop.mean_kwh = sessions > 0.0 ? kwh / sessions : 0.0;
    return pop;
}

const std::vector<std::string>& slot_feature_names() {
    static const std::vector<std::string> names = {
        "frequency",      "frequency_pm1h", "recent_pm1h", "recent",      "last_week",
        "last_week_pm2h", "weekday_share",  "hour_share",  "recent_rate", "rate",
        "days_since",     "weeks",          "population",  "shrunk",      "weekend"};
    return names;
}

void slot_features(const DriverView& v, const PopulationView& pop, int k, float* out) {
    const int slot = week_slot(v, k);  // the arrays' index
    const double weeks = v.weeks, recent = v.recent_weeks;
    double around = 0.0, recent_around = 0.0, hour_around = 0.0;
    bool last_near = false;
    for (int d = -1; d <= 1; ++d) {
        around += v.weeks_with[wrap_slot(slot + d)];
        recent_around += v.recent_with[wrap_slot(slot + d)];
        hour_around += v.hour_sessions[(slot % 24 + d + 24) % 24];
    }
    for (int d = -2; d <= 2; ++d) last_near = last_near || v.last_week[wrap_slot(slot + d)] != 0;
    const int day = slot / 24;
    out[0] = static_cast<float>(v.weeks_with[slot] / weeks);
    out[1] = static_cast<float>(around / (3.0 * weeks));
    out[2] = static_cast<float>(recent_around / (3.0 * recent));
    out[3] = static_cast<float>(v.recent_with[slot] / recent);
    out[4] = static_cast<float>(v.last_week[slot]);
    out[5] = last_near ? 1.0F : 0.0F;
    out[6] = static_cast<float>(v.day_weeks[day] / weeks);
    out[7] = static_cast<float>(hour_around / v.sessions);
    out[8] = static_cast<float>(std::log1p(v.recent_sessions / recent));
    out[9] = static_cast<float>(std::log1p(v.sessions / weeks));
    out[10] = static_cast<float>(std::log1p(v.days_since_last));
    out[11] = static_cast<float>(std::log1p(weeks));
    out[12] = static_cast<float>(pop.rate[slot]);
    out[13] =
        static_cast<float>((v.weeks_with[slot] + kShrinkWeeks * pop.rate[slot]) / (weeks + kShrinkWeeks));
    out[14] = day >= 5 ? 1.0F : 0.0F;
    // Per hour of day over days rather than weeks: seven times the observations of a slot.
    const int hour = slot % 24;
    const double days = v.days, recent_days = std::min(v.days, kRecentDays);
    double day_around = 0.0, recent_day_around = 0.0;
    for (int d = -1; d <= 1; ++d) {
        day_around += v.hour_days[(hour + d + 24) % 24];
        recent_day_around += v.recent_hour_days[(hour + d + 24) % 24];
    }
    out[15] = static_cast<float>(v.hour_days[hour] / days);
    out[16] = static_cast<float>(day_around / (3.0 * days));
    out[17] = static_cast<float>(recent_day_around / (3.0 * recent_days));
    out[18] = static_cast<float>(
        std::log(kLogFloor + (v.hour_days[hour] + kShrinkWeeks * 7.0 * pop.daily_rate[hour]) /
                                 (days + kShrinkWeeks * 7.0)));
    out[19] = static_cast<float>(std::log(kLogFloor + out[13]));
    // The chance of a session that weekday times the share of sessions in that hour.
    out[20] = static_cast<float>(std::log(kLogFloor + out[6] * v.hour_sessions[hour] / v.sessions));
    // Recency at the slot itself: a driver who charges every few days is due again after its gap.
    const double since_last = v.days_since_last * 24.0 + k;
    out[21] = static_cast<float>(std::log1p(since_last));
    out[22] = static_cast<float>(std::log((1.0 + since_last) / v.median_gap_h));
    out[23] = v.plugged_in ? 1.0F : 0.0F;
    out[24] = static_cast<float>(std::log1p(v.plugged_in ? 0.0 : v.hours_since_unplug + k));
}

const std::vector<std::string>& energy_feature_names() {
    static const std::vector<std::string> names = {"mean_kwh", "mean_last5_kwh", "last_kwh",
                                                   "population_kwh"};
    return names;
}

void energy_features(const DriverView& v, const PopulationView& pop, float* out) {
    out[0] = static_cast<float>(v.mean_kwh / kEnergyScale);
    out[1] = static_cast<float>(v.mean_last5_kwh / kEnergyScale);
    out[2] = static_cast<float>(v.last_kwh / kEnergyScale);
    out[3] = static_cast<float>(pop.mean_kwh / kEnergyScale);
}

}  // namespace evtwin::drivers
