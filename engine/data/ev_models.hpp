#pragma once
// EV models from the ElaadNL/EV2Gym spec files (../shared/data/arrivals/elaadnl_ev_specs*.json):
// battery, AC/DC power, V2G capability and the number of registrations, used as draw weights.
#include <evtwin/errors.hpp>
#include "model/vehicle_spec.hpp"
#include "util/rng.hpp"

#include <filesystem>
#include <vector>

namespace evtwin {

struct EvModel {
    VehicleSpec vehicle;
    double registrations = 0.0;  // weight of the model in a drawn fleet
};

// Models in file order. Mapping of the fields:
//  - battery_capacity -> capacity_kwh, max_ac/dc_charge_power -> max_ac_kw / max_dc_kw;
//  - V2G: the older file flags each path ("ac_v2g"/"dc_v2g": "yes"/"no"); the 2024 V2G file has no
//    flags, so a path with a discharge power > 0 counts as enabled. v2g_allowed when either path is
//    enabled; max_discharge_kw is the AC discharge power when AC V2G is enabled, else the DC one;
//  - charge_efficiency: the 3-phase efficiency (%) at the highest current that lists one (the rated
//    operating point), when the file has "3ph_ch_efficiency"; the VehicleSpec default otherwise.
// Throws DataError naming the file and the JSON path of a missing or ill-typed field.
std::vector<EvModel> load_ev_models(const std::filesystem::path& file);

// Draws a model with probability proportional to its registrations (one uniform draw).
const EvModel& draw_ev_model(const std::vector<EvModel>& models, Rng& rng);

}  // namespace evtwin
