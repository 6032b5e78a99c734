#pragma once
// What a logged transaction's meter says: its samples of a measurand, and the net energy at the
// inlet by time (import register minus export register), from which replays take a bidirectional
// session's charging and discharging.
#include "model/bill.hpp"
#include "ocpp/import.hpp"

#include <cstdint>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

namespace evtwin::ocpp {

// A transaction's samples of one measurand in `unit`, by time: the phase-less value, else the sum
// of the phases at that instant.
std::map<std::int64_t, double> samples_of(const Import& im, const Transaction& tx, std::string_view measurand,
                                          std::string_view unit);

// Whether the transaction gave energy back (a bidirectional meter's export register rose).
inline bool discharged(const Transaction& tx) {
    return tx.exported_kwh && *tx.exported_kwh > 0;
}

// The net energy register at the inlet (kWh) within the transaction, by time: the import register
// (meter start and stop included) minus the export register, at every instant either is read. Each
// register is taken as linear between its readings (the average power, as the meter's intervals
// give it) and as constant before its first and after its last; without an export register, the
// import register's readings alone.
std::vector<std::pair<std::int64_t, double>> net_register_points(const Import& im, const Transaction& tx);

// The average net power at the inlet between consecutive points (kW, negative: discharging), each
// holding from its point to the next; the last point ends the series with 0.
std::vector<PowerStep> net_inlet_power(const std::vector<std::pair<std::int64_t, double>>& points);

}  // namespace evtwin::ocpp
