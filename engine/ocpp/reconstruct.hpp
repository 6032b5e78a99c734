#pragma once
// What happened at the site, rebuilt from the frames of an OCPP 1.6J or 2.0.1 log: responses matched
// to their calls, directions inferred, transactions, meter values in normalised units, status changes.
#include "data/number_range.hpp"
#include "ocpp/charging_profile.hpp"
#include "ocpp/frame.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::ocpp {

struct Transaction {
    std::string cs;
    int connector = 0;  // 1.6 connectorId; 2.0.1 evse id (0 while unknown)
    std::string id;     // 1.6: the CSMS-assigned transactionId; 2.0.1: the station-assigned one
    std::int64_t start_ms = 0;
    std::optional<std::int64_t> stop_ms;
    std::optional<double> meter_start_wh, meter_stop_wh;
    std::optional<double> energy_kwh;  // meter stop - meter start
    // A bidirectional meter's Energy.Active.Export.Register: its first and last phase-less values in
    // the transaction's meter values (by their own times), and their difference; none without it.
    std::optional<double> export_start_wh, export_stop_wh;
    std::optional<double> exported_kwh;
    std::string id_tag;
    std::string stop_reason;
    std::size_t start_line = 0, stop_line = 0;
};

struct MeterValue {
    std::string cs;
    int connector = 0;           // as in Transaction
    std::string transaction_id;  // "" outside a transaction
    std::int64_t ts_ms = 0;
    std::string measurand, phase, location, context;
    std::string unit;  // normalised: kWh, kW, kvarh, kvar, kVA, A, V, Percent, ...
    double value = 0;
    std::size_t line = 0;
};

struct StatusChange {
    std::string cs;
    int connector = 0;  // 1.6 connectorId; 2.0.1 evse id
    std::int64_t ts_ms = 0;
    std::string status;      // 1.6 status / 2.0.1 connectorStatus
    std::string error_code;  // 1.6 errorCode ("" in 2.0.1)
    std::string info;
    bool fault = false;  // Faulted, or an errorCode other than NoError
    std::size_t line = 0;
};

struct Reconstruction {
    std::vector<Transaction> transactions;
    std::vector<MeterValue> meter_values;
    std::vector<StatusChange> status_changes;
    // Every SetChargingProfile (and remote-start profile) in log order, accepted or not, with the
    // time it was cleared or replaced.
    std::vector<ChargingProfile> charging_profiles;
    std::size_t matched_responses = 0;
    std::size_t faults = 0;
};

// Normalises a sampled value: Wh -> kWh, W -> kW, varh -> kvarh, var -> kvar, VA -> kVA, after
// scaling by 10^multiplier (2.0.1 unitOfMeasure). An empty unit is OCPP's default, Wh.
void normalise_unit(std::string& unit, double& value, int multiplier = 0);

// Whether a meter register in Wh (meterStart, meterStop) can be taken: a number from 0 to 1e15.
inline bool usable_register_wh(double wh) {
    return wh >= 0.0 && in_number_range(wh);
}

// Reads one sampledValue (1.6 or 2.0.1) into `v`'s measurand, phase, location, context, value and
// normalised unit. False for signed data (no error) and for a value that is not a number (`error`).
bool decode_sampled_value(const nlohmann::json& sv, MeterValue& v, std::string& error);

// Rebuilds from `frames` (in log order). Fills in the direction and action of responses, and adds
// problems: timestamp_out_of_order, duplicate_message_id, response_without_call, unanswered_call,
// transaction_without_stop, stop_without_start, bad_meter_value, bad_payload, bad_charging_profile.
Reconstruction reconstruct(std::vector<Frame>& frames, std::vector<Problem>& problems);

}  // namespace evtwin::ocpp
