#pragma once
// Smart-charging profiles of an OCPP 1.6 / 2.0.1 log (SetChargingProfile, ClearChargingProfile, the
// profile of a RemoteStart/RequestStartTransaction) and their composition into the effective
// limit of each connector (EVSE) over time, following the OCPP rules (docs/ocpp.md).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::ocpp {

struct Transaction;

// 1.6 ChargePointMaxProfile and 2.0.1 ChargingStationMaxProfile are `station_max`;
// 2.0.1 ChargingStationExternalConstraints is `external` (a cap as the station maximum).
enum class ProfilePurpose { station_max, tx_default, tx, external };
enum class ProfileKind { absolute, recurring, relative };

struct SchedulePeriod {
    std::int64_t start_ms = 0;  // startPeriod, from the start of the schedule
    double limit = 0;           // in the schedule's unit (A or W)
    int phases = 3;             // numberPhases (OCPP default 3)
};

struct ChargingProfile {
    std::string cs;
    int connector = 0;  // 1.6 connectorId / 2.0.1 evseId; 0: the whole station
    std::int64_t profile_id = 0;
    int stack_level = 0;
    ProfilePurpose purpose = ProfilePurpose::tx_default;
    ProfileKind kind = ProfileKind::absolute;
    bool weekly = false;  // recurrencyKind Weekly (else Daily) for a recurring profile
    std::optional<std::int64_t> valid_from_ms, valid_to_ms;
    std::optional<std::int64_t> start_schedule_ms;
    std::optional<std::int64_t> duration_ms;
    char unit = 'A';                         // 'A' or 'W'
    std::vector<SchedulePeriod> periods;     // sorted by start_ms, the first at 0
    std::string transaction_id;              // a TxProfile's transactionId, "" when none given
    std::int64_t set_ms = 0;                 // when the CALL was sent
    std::optional<std::int64_t> cleared_ms;  // cleared or replaced at this time
    bool accepted = false;                   // the CALLRESULT's status was Accepted
    std::string source;                      // "SetChargingProfile", "RemoteStartTransaction" ...
    std::size_t line = 0;
};

struct ProfileCriteria {  // a ClearChargingProfile's filter; an empty field matches everything
    std::optional<std::int64_t> profile_id;
    std::optional<int> connector;
    std::optional<ProfilePurpose> purpose;
    std::optional<int> stack_level;
};

struct EffectiveLimit {
    std::string cs;
    int connector = 0;                    // 0: the station maximum, which caps the sum of its connectors
    std::int64_t from_ms = 0, to_ms = 0;  // [from, to)
    double limit_kw = 0;
};

struct CompositionOptions {
    double voltage_v = 230.0;  // phase-to-neutral voltage that converts an A limit to kW
};

const char* to_string(ProfilePurpose p);
const char* to_string(ProfileKind k);

// Reads a csChargingProfiles (1.6) / chargingProfile (2.0.1) object. On a malformed profile returns
// false and says why in `error` (a JSON path and what was expected).
bool parse_charging_profile(const nlohmann::json& profile, ChargingProfile& out, std::string& error);
// The criteria of a ClearChargingProfile request (1.6 or 2.0.1 payload).
ProfileCriteria parse_clear_criteria(const nlohmann::json& payload);
bool matches(const ChargingProfile& p, const ProfileCriteria& c);

// The period's limit in kW: W / 1000, or A x phases x voltage / 1000.
double limit_kw(const ChargingProfile& p, const SchedulePeriod& period,
                const CompositionOptions& options = {});

// The limit one accepted profile sets at `t` (none: not in force then), the transaction for a
// TxProfile or a relative schedule being `tx` (the one active on its connector, or null).
std::optional<double> profile_limit_at(const ChargingProfile& p, std::int64_t t, const Transaction* tx,
                                       const CompositionOptions& options = {});

// The effective limit of connector `connector` (>= 1) of `cs` at `t`: the TxProfile of the running
// transaction, else the TxDefaultProfile (of the connector, else of connector 0), each the highest
// stack level in force; capped by the station maximum and external constraints. None: unlimited.
// Connector 0: the station maximum alone.
std::optional<double> effective_limit_at(const std::vector<ChargingProfile>& profiles,
                                         const std::vector<Transaction>& transactions, const std::string& cs,
                                         int connector, std::int64_t t,
                                         const CompositionOptions& options = {});

// Piecewise-constant effective limits of every connector that a profile names (and of connector 0
// where a station maximum exists) over [from, to): consecutive equal limits merged, unlimited
// stretches left out. Sorted by cs, connector, from.
std::vector<EffectiveLimit> compose_limits(const std::vector<ChargingProfile>& profiles,
                                           const std::vector<Transaction>& transactions, std::int64_t from_ms,
                                           std::int64_t to_ms, const CompositionOptions& options = {});

}  // namespace evtwin::ocpp
