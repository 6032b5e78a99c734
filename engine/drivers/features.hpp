#pragma once
// What a prediction at an origin knows of a driver and of the site's drivers: counts over the
// weeks before the origin, nothing after it (docs/drivers.md, section Features). The learned model,
// the baselines and the trainer's samples all read these views, so they cannot see different pasts.
#include "drivers/history.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace evtwin::drivers {

// A driver's past at an origin (a whole local hour): sessions that started before it. Weeks are
// counted back from the origin (week 0: the 7 days before it); the slot arrays are indexed by hour of
// the week (Monday 00:00 first), so the prediction's k-th slot is hour (origin_slot + k) mod 168.
struct DriverView {
    const Driver* driver = nullptr;
    int origin_slot = 0;                               // the origin's hour of the week
    int weeks = 0;                                     // weeks back to the first session's, >= 1
    int recent_weeks = 0;                              // min(weeks, 4)
    std::array<std::uint16_t, kSlots> weeks_with{};    // weeks with a session starting in the slot
    std::array<std::uint16_t, kSlots> recent_with{};   // the same over the last recent_weeks weeks
    std::array<std::uint8_t, kSlots> last_week{};      // 1 when a session started in the slot a week before
    std::array<std::uint16_t, 7> day_weeks{};          // weeks with a session on the weekday (Monday 0)
    std::array<std::uint32_t, 24> hour_sessions{};     // sessions by hour of day
    std::array<std::uint16_t, 24> hour_days{};         // days with a session starting in the hour of day
    std::array<std::uint16_t, 24> recent_hour_days{};  // the same over the 14 days before the origin
    int days = 0;                                      // days back to the first session's, >= 1
    int sessions = 0;
    int recent_sessions = 0;  // in the last recent_weeks weeks
    double days_since_last = 0.0;
    double median_gap_h = 168.0;      // between consecutive session starts; 168 with fewer than two
    bool plugged_in = false;          // the last session had not ended at the origin
    double hours_since_unplug = 0.0;  // 0 while plugged in
    double mean_kwh = 0.0;            // over every session
    double mean_last5_kwh = 0.0;      // over the last five
    double last_kwh = 0.0;
};

// The site's drivers at an origin: per slot, the share of driver-weeks with a session starting
// then, and the mean energy of a session.
struct PopulationView {
    std::array<double, kSlots> rate{};
    std::array<double, 24> daily_rate{};  // share of driver-days with a session in the hour of day
    double mean_kwh = 0.0;
    std::size_t drivers = 0;
};

// The view of `driver` at `origin` (a whole hour), from its sessions before the origin; false
// when it has none.
bool driver_view(const Driver& driver, LocalMs origin, DriverView& view);

// The views of every driver with a session before `origin`, by driver id.
std::vector<DriverView> driver_views(const DriverHistory& history, LocalMs origin);

PopulationView population_view(const std::vector<DriverView>& views);

// The slot features the learned model reads, in this order (stored in its file, which is refused
// when its list differs).
inline constexpr int kSlotFeatures = 25;
const std::vector<std::string>& slot_feature_names();
// The features of the prediction's k-th slot (k hours after the origin).
void slot_features(const DriverView& view, const PopulationView& population, int k, float* out);
// The hour of the week of a prediction's k-th slot.
inline int week_slot(const DriverView& view, int k) {
    return (view.origin_slot + k) % kSlots;
}

// The next session's energy features (kWh / kEnergyScale).
inline constexpr int kEnergyFeatures = 4;
inline constexpr double kEnergyScale = 10.0;
const std::vector<std::string>& energy_feature_names();
void energy_features(const DriverView& view, const PopulationView& population, float* out);

}  // namespace evtwin::drivers
