#pragma once
// Smart charging as the central system speaks it: the SetChargingProfile, GetCompositeSchedule and
// ClearChargingProfile requests it sends (schema-valid for 1.6 and 2.0.1) and the answers it reads
// back. The log importer's side of profiles is ocpp/charging_profile.hpp.
#include "ocpp/charging_profile.hpp"
#include "serve/csms/ocpp_rpc.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace evtwin::serve {

// One limit, as an Absolute profile of one period starting at `start_ms`.
struct ProfileLimit {
    int connector = 0;  // 1.6 connectorId, 2.0.1 evseId; 0: the whole station
    std::int64_t profile_id = 1;
    int stack_level = 0;
    ocpp::ProfilePurpose purpose = ocpp::ProfilePurpose::tx_default;  // tx, tx_default or station_max
    std::string transaction_id;  // a TxProfile's; 1.6 needs an integer's digits. Empty: none
    std::int64_t start_ms = 0;   // startSchedule
    double limit = 0;            // in `unit`, >= 0; sent rounded to one decimal (1.6: multipleOf 0.1)
    // In `unit`, >= 0: a discharge setpoint (OCPP 2.1 only), sent as a CentralSetpoint period whose
    // setpoint and dischargeLimit are its negative, instead of `limit`. 0: a charging limit.
    double discharge = 0;
    char unit = 'W';                         // 'W' or 'A' (per phase)
    int phases = 3;                          // numberPhases, 1..3; another value leaves it out (OCPP: 3)
    std::optional<std::int64_t> duration_s;  // none: until replaced (or the transaction ends)
};

// The SetChargingProfile request. Throws std::invalid_argument for what the version cannot say: a
// negative or non-finite limit or discharge, a discharge before OCPP 2.1, a unit other than W/A, the
// `external` purpose, a 1.6 transaction id that is not an integer.
nlohmann::json set_charging_profile_payload(OcppVersion v, const ProfileLimit& p);

// The GetCompositeSchedule request; `unit` 'W' or 'A', or none (the charge point's choice).
nlohmann::json get_composite_schedule_payload(OcppVersion v, int connector, std::int64_t duration_s,
                                              std::optional<char> unit = std::nullopt);

// The ClearChargingProfile request: by profile id (2.0.1: alone) or, else, by the criteria set.
nlohmann::json clear_charging_profile_payload(OcppVersion v, const ocpp::ProfileCriteria& criteria);

enum class ProfileStatus { accepted, rejected, not_supported };  // not_supported: 1.6 only
// The status of a SetChargingProfile (or ClearChargingProfile: Accepted / Unknown is none) response.
std::optional<ProfileStatus> profile_status(const nlohmann::json& response);

// The limit a composite schedule sets at one instant.
struct ScheduledLimit {
    double limit = 0;
    char unit = 'W';
    int phases = 3;  // numberPhases of the period (OCPP default 3)
    int connector = 0;
    std::int64_t from_ms = 0;              // the period's start
    std::optional<std::int64_t> until_ms;  // the next period's start or the schedule's end
};

// The limit in force at `t_ms` in a GetCompositeSchedule response (1.6: `chargingSchedule`, from
// its startSchedule or else the response's scheduleStart; 2.0.1: `schedule` with scheduleStart,
// evseId, chargingRateUnit). None: status not Accepted, no schedule, `t_ms` outside it, or a
// malformed response.
std::optional<ScheduledLimit> composite_limit_at(OcppVersion v, const nlohmann::json& response,
                                                 std::int64_t t_ms);

// A charger's power and its current per phase: A = kW * 1000 / (voltage * phases), with the
// phase-to-neutral voltage (230 V in Europe), as ocpp::limit_kw reads a profile in A. Single
// phase: phases = 1. Phases < 1 count as 1.
double amps_per_phase(double kw, double voltage_v = 230.0, int phases = 3);
double kw_from_amps(double amps_per_phase, double voltage_v = 230.0, int phases = 3);

}  // namespace evtwin::serve
