#pragma once
// The run's sessions as the simulator keeps them: those to come, in the order of the scenario's
// sessions (by arrival), and at each connector the one plugged in, with its vehicle, its battery,
// its wear prices and the view a strategy last saw of it. Its invariants:
// - next_arrival() is the first session not yet arrived, those that arrive before the run's start
//   skipped; upcoming() holds the sessions from the one next_arrival() last found on;
// - plugged(c) from plug(c, ...) until unplug(c);
// - view(c, ...) is what session_view() makes of c's vehicle now, provided that every change of its
//   state was told (view_moved) and every change of its plug or fault too (remake_view): the view
//   is then made anew, updated, or kept as it was.
#include "core/session_view.hpp"
#include "model/battery_life.hpp"
#include "model/scenario_spec.hpp"
#include "model/vehicle.hpp"

#include <evtwin/observation.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace evtwin {

class SessionTable {
public:
    SessionTable(const ScenarioSpec& spec, std::size_t connectors);

    // --- the sessions to come ------------------------------------------------------------------

    // The index in the scenario's sessions of the next one to arrive (their count when none is
    // left), those that arrive before the run's start skipped.
    std::uint32_t next_arrival();
    // The next arrival's event fired: it arrives at this instant, after the instant's departures.
    void arriving(std::uint32_t index) {
        arriving_.push_back(index);
        ++next_;
    }
    // The sessions arriving at this instant, in the order their events fired.
    std::span<const std::uint32_t> arriving_now() const { return arriving_; }
    void clear_arriving() { arriving_.clear(); }
    // One per scenario session, as foresight shows it; set once.
    void set_upcoming(std::vector<UpcomingSession> all) { upcoming_ = std::move(all); }
    // The sessions to come, from the next arrival on.
    std::span<const UpcomingSession> upcoming() const;

    // --- the sessions plugged in ---------------------------------------------------------------

    bool plugged(ConnectorIndex c) const { return plugged_[c].vehicle.has_value(); }
    // The scenario's session plugged into c.
    const SessionSpec& session(ConnectorIndex c) const { return spec_.sessions[plugged_[c].session]; }
    Vehicle& vehicle(ConnectorIndex c) { return *plugged_[c].vehicle; }
    const Vehicle& vehicle(ConnectorIndex c) const { return *plugged_[c].vehicle; }
    BatteryLife& battery(ConnectorIndex c) { return *plugged_[c].battery; }
    // Where the battery of a vehicle without an id lives while it is plugged into c.
    std::optional<BatteryLife>& own_battery(ConnectorIndex c) { return plugged_[c].own_battery; }
    // Session `index` plugs into c (with charger ch) with `battery` and its wear prices; its vehicle
    // is made of `as_plugged` (the session, its capacity that of its battery's health).
    Vehicle& plug(ConnectorIndex c, std::uint32_t index, const SessionSpec& as_plugged, const ChargerSpec& ch,
                  BatteryLife& battery, BatteryWear wear);
    // c's vehicle left, its battery with it.
    void unplug(ConnectorIndex c);

    // c's vehicle as its session view is made of it, on charger ch.
    PluggedVehicle plugged_vehicle(ConnectorIndex c, const ChargerSpec& ch, bool faulted) const;
    // c's vehicle's state moved (integrated, or its battery aged): its view is to be updated.
    void view_moved(ConnectorIndex c) { stale_[c] |= kMoved; }
    // c's plug or fault changed: its view is to be made anew.
    void remake_view(ConnectorIndex c) { stale_[c] = kRemake; }
    // c's vehicle's session view now.
    const SessionView& view(ConnectorIndex c, const ChargerSpec& ch, bool faulted, const ViewMode& mode);

private:
    struct Plugged {
        std::optional<Vehicle> vehicle;
        std::size_t session = 0;                 // index into the scenario's sessions
        BatteryLife* battery = nullptr;          // the vehicle's: in the fleet, or own_battery
        std::optional<BatteryLife> own_battery;  // of a vehicle without an id
        BatteryWear wear;                        // its wear prices, from its state at arrival
    };
    static constexpr char kMoved = 1, kRemake = 2;

    const ScenarioSpec& spec_;
    std::size_t next_ = 0;
    std::vector<std::uint32_t> arriving_;
    std::vector<UpcomingSession> upcoming_;
    std::vector<Plugged> plugged_;
    std::vector<SessionView> view_of_;
    std::vector<char> stale_;  // kMoved | kRemake, or 0
};

}  // namespace evtwin
