#pragma once
// The charging sessions an OCPI CDR or Session file records, as sessions the twin can run: the
// driver (the token's uid, so a returning driver's sessions share one vehicle), the EVSE (as the
// charger's name), arrival and departure, the energy (requested), and the most power a period shows
// (the vehicle's limit). The file's kind is told by its first object: a CDR has a cdr_location.
#include "model/vehicle_spec.hpp"
#include "ocpi/format/objects.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::ocpi {

struct OcpiImportOptions {
    double capacity_kwh = 60.0;  // OCPI has no battery data
    double max_kw = 11.0;        // where no period gives a power
    double initial_soc = 0.2;
    Duration unknown_stay = Duration::hours(12);  // an ACTIVE session's, which has no end yet
    Time start = Time::min();                     // keep sessions arriving in [start, end)
    Time end = Time::max();
};

struct RecordedCharge {
    std::string name;  // "CDR 'X12'" or "Session '101'"
    SessionSpec session;
    double kwh = 0.0;
    double charging_hours = 0.0;      // the periods' TIME (or their spans with energy)
    std::optional<Price> total_cost;  // as recorded
    std::optional<Tariff> tariff;     // the CDR's first tariff, when it holds one
    std::vector<ChargingPeriod> periods;
};

// Sorted by arrival (then departure), session ids 0..n-1 in that order. Sessions other than ACTIVE
// or COMPLETED (PENDING, INVALID, RESERVATION) are left out. Throws DataError as read.hpp does.
std::vector<RecordedCharge> read_recorded_charges(const std::filesystem::path& file,
                                                  const OcpiImportOptions& options);
std::vector<SessionSpec> load_ocpi_sessions(const std::filesystem::path& file,
                                            const OcpiImportOptions& options);

}  // namespace evtwin::ocpi
