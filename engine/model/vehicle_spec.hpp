#pragma once
// A vehicle and its charging session, as a scenario or a data reader describes them.
#include "model/battery_ageing.hpp"

#include <evtwin/charge_curve.hpp>
#include <evtwin/ids.hpp>
#include <evtwin/observation.hpp>
#include <evtwin/time.hpp>

#include <string>
#include <vector>

namespace evtwin {

struct VehicleSpec {
    std::string model;
    double capacity_kwh = 60.0;
    double max_ac_kw = 11.0;
    double max_dc_kw = 50.0;
    std::vector<ChargeCurvePoint> curve;  // evtwin/charge_curve.hpp; empty: constant
    double charge_efficiency = 0.95;      // battery energy per inlet energy when charging
    double discharge_efficiency = 0.95;   // inlet energy per battery energy when discharging
    bool v2g_allowed = false;
    double max_discharge_kw = 0.0;  // at the inlet, when V2G is allowed
    double min_soc = 0.0;
    Chemistry chemistry = Chemistry::nmc;
    int model_year = 0;  // 0: unknown
    double soh = 0.0;    // capacity / nominal at its first session; 0: expected for its age (new if unknown)
};

struct SessionSpec {
    SessionId id = 0;
    std::string station;  // preferred charger name (from real data); empty: any free connector
    // The node of the site tree whose chargers it may use (an arrival process of one part of the
    // site); kNone: any.
    NodeIndex site_node = kNone;
    // The vehicle (a driver's, a fleet's) whose battery the session charges: sessions with the same id
    // share one battery, which ages between them. Empty: a vehicle seen only in this session.
    std::string vehicle_id;
    Time arrival;
    Time departure;           // true departure
    Time declared_departure;  // what the driver tells the operator
    double initial_soc = 0.2;
    double requested_kwh = -1.0;  // at the inlet; < 0 when target_soc is given instead
    double target_soc = -1.0;     // < 0 when requested_kwh is given
    VehicleSpec vehicle;
    ChargingNeeds needs{};  // its driver's minimum power and goal (evtwin/observation.hpp)
};

}  // namespace evtwin
