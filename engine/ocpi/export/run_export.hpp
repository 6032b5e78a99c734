#pragma once
// A run's charging as OCPI: the site as one Location (its chargers as EVSEs, their connectors as
// Connectors), each session that got a connector as a Session and, once its vehicle left, a CDR.
// A session's charging periods are the stretches of constant power the run recorded on its
// connector, at the vehicle's inlet (what the driver is billed for; the charger's losses are the
// site's): ENERGY, TIME while the power is not zero or PARKING_TIME while it is, MAX_POWER and
// MIN_POWER. Costs are the tariff's (tariff_pricing.hpp):
// the run's own energy prices converted (grid_tariff.hpp) unless a tariff is given. Any run reads
// alike: simulated, imported from an OCPP log, or recorded live.
#include "ocpi/format/objects.hpp"
#include "record/reader/run_reader.hpp"

#include <optional>
#include <string>
#include <vector>

namespace evtwin::ocpi {

struct ExportOptions {
    std::string country_code = "ZZ";  // the CPO's (ISO 3166 alpha-2; ZZ: unknown)
    std::string party_id = "EVT";
    std::string country = "ZZZ";  // the location's (ISO 3166 alpha-3)
    std::string address = "unknown";
    std::string city = "unknown";
    std::string latitude = "0.000000";
    std::string longitude = "0.000000";
    std::optional<double> vat_percent;  // of the converted tariff's prices
    std::optional<Tariff> tariff;       // instead of the run's prices
};

struct RunExport {
    Location location;
    Tariff tariff;
    std::vector<Session> sessions;
    std::vector<Cdr> cdrs;
    std::size_t without_connector = 0;  // sessions turned away: no OCPI session
    // Over the CDRs, excluding VAT: what the drivers pay (in the tariff's currency), and what the
    // energy their chargers drew from the site's connection cost at the run's prices (in the run's).
    // Their difference is the CPO's margin on energy, before demand charges, PV and storage.
    double revenue = 0.0;
    double energy_cost = 0.0;
    std::string grid_currency;  // the run's
};

RunExport export_run(const RunReader& reader, RunId run, const ExportOptions& options);

}  // namespace evtwin::ocpi
