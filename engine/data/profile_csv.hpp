#pragma once
// Normalised profiles (PV kW per kWp, load kW) read from CSV and laid onto the simulated period.
#include <evtwin/errors.hpp>
#include "model/step_series.hpp"

#include <filesystem>
#include <string>

namespace evtwin {

struct ProfileOptions {
    std::string column;  // value column (name); empty: the file's default for known formats
    double scale = 1.0;  // e.g. 1/4000 for PVWatts "AC System Output (W)" of a 4 kW system -> kW/kWp
    std::string timezone = "UTC";  // zone of the simulated site
    bool non_negative = false;     // a negative value is refused (a PV output)
};

// Reads a typical-year or one-year hourly profile (PVWatts 8760, Renewables.ninja hourly CSV) and
// repeats it by (month, day, hour) of the local time onto [start, end).
StepSeries load_profile_csv(const std::filesystem::path& file, const ProfileOptions& options, Time start,
                            Time end);

}  // namespace evtwin
