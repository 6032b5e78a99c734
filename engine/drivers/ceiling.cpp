// The clairvoyant row: a bound on the next-charge score from the held-out span's own habits.
#include "drivers/ceiling.hpp"

#include <set>
#include <stdexcept>
#include <utility>

namespace evtwin::drivers {
namespace {

bool weekend_slot(int week_slot) {
    return week_slot / 24 >= 5;
}

}  // namespace

ClairvoyantDays::ClairvoyantDays(const DriverHistory& history, LocalMs from, LocalMs to) {
    for (const Driver& driver : history.drivers) {
        std::set<std::int64_t> days[2];
        std::set<std::pair<std::int64_t, int>> day_hours;
        Habits habits;
        double kwh = 0.0;
        int sessions = 0;
        for (const DriverSession& s : driver.sessions) {
            if (s.start < from || s.start >= to) continue;
            const int slot = hour_of_week(s.start);
            const std::int64_t day = s.start / kDayMs;
            days[weekend_slot(slot)].insert(day);
            // A day's sessions in one hour are one start in that slot, as the outcome counts them.
            if (day_hours.insert({day, slot % 24}).second)
                habits.hour_share[weekend_slot(slot)][slot % 24] += 1.0;
            kwh += s.kwh;
            ++sessions;
        }
        for (int kind = 0; kind < 2; ++kind)
            if (!days[kind].empty())
                for (double& share : habits.hour_share[kind]) share /= static_cast<double>(days[kind].size());
        habits.mean_kwh = sessions ? kwh / sessions : 0.0;
        habits_.emplace(&driver, habits);
    }
}

void ClairvoyantDays::predict(const Driver& driver, LocalMs origin, const Outcome& actual,
                              DriverPrediction& out) const {
    if (origin % kDayMs != 0)
        throw std::invalid_argument("the clairvoyant row is scored at midnight origins only");
    const auto found = habits_.find(&driver);
    if (found == habits_.end())
        throw std::invalid_argument("the clairvoyant row knows no driver " + driver.id);
    const Habits& habits = found->second;
    const int origin_slot = hour_of_week(origin);
    for (int day = 0; day < 7; ++day) {
        bool charges = false;
        for (int h = 0; h < 24; ++h) charges = charges || actual.started[day * 24 + h] != 0;
        for (int h = 0; h < 24; ++h) {
            const int k = day * 24 + h;
            const int kind = weekend_slot((origin_slot + k) % kSlots);
            out.probability[k] = charges ? habits.hour_share[kind][h] : 0.0;
        }
    }
    out.next_kwh = habits.mean_kwh;
}

}  // namespace evtwin::drivers
