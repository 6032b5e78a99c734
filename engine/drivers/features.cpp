// Driver and population views at an origin, and the learned model's features.
#include "drivers/features.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin::drivers {
namespace {

constexpr int kRecentWeeks = 4;
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
    double weeks = 0.0, kwh = 0.0, sessions = 0.0;
    for (const auto& v : views) {
        weeks += v.weeks;
        kwh += v.mean_kwh * v.sessions;
        sessions += v.sessions;
        for (int s = 0; s < kSlots; ++s) pop.rate[s] += v.weeks_with[s];
    }
    if (weeks > 0.0)
        for (auto& r : pop.rate) r /= weeks;
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

void slot_features(const DriverView& v, const PopulationView& pop, int slot, float* out) {
    // `slot` is an hour of the week (the arrays' index), not a step from the origin.
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
