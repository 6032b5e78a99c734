#include "serve/csms/ocpp_profiles.hpp"

#include "ocpp/frame.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace evtwin::serve {

namespace {

using nlohmann::json;

const char* purpose_name(OcppVersion v, ocpp::ProfilePurpose p) {
    switch (p) {
        case ocpp::ProfilePurpose::tx:
            return "TxProfile";
        case ocpp::ProfilePurpose::tx_default:
            return "TxDefaultProfile";
        case ocpp::ProfilePurpose::station_max:
            return v == OcppVersion::v16 ? "ChargePointMaxProfile" : "ChargingStationMaxProfile";
        case ocpp::ProfilePurpose::external:
            if (is_ocpp2(v)) return "ChargingStationExternalConstraints";
            break;
    }
    throw std::invalid_argument("OCPP 1.6 has no ChargingStationExternalConstraints profile");
}

// One decimal, as both versions' limits and 1.6's multipleOf 0.1 want.
double one_decimal(double x) {
    return std::round(x * 10.0) / 10.0;
}

bool integral(const json& v) {
    return v.is_number_integer() || v.is_number_unsigned();
}

std::optional<std::int64_t> time_of(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) return std::nullopt;
    std::int64_t ms = 0;
    if (!ocpp::parse_timestamp(it->get_ref<const std::string&>(), ms)) return std::nullopt;
    return ms;
}

}  // namespace

json set_charging_profile_payload(OcppVersion v, const ProfileLimit& p) {
    if (!std::isfinite(p.limit) || p.limit < 0)
        throw std::invalid_argument("a charging profile's limit is a finite number >= 0, not " +
                                    std::to_string(p.limit));
    if (p.unit != 'W' && p.unit != 'A')
        throw std::invalid_argument(std::string("a charging profile's unit is W or A, not '") + p.unit + "'");
    if (!std::isfinite(p.discharge) || p.discharge < 0)
        throw std::invalid_argument("a discharge setpoint is a finite number >= 0, not " +
                                    std::to_string(p.discharge));
    if (p.discharge > 0 && v != OcppVersion::v21)
        throw std::invalid_argument("only OCPP 2.1 profiles can express a discharge");
    const char* purpose = purpose_name(v, p.purpose);
    if (is_ocpp2(v) && p.purpose == ocpp::ProfilePurpose::external)
        throw std::invalid_argument("a central system does not set ChargingStationExternalConstraints");

    json period = {{"startPeriod", 0}};
    if (p.discharge > 0) {
        // OCPP 2.1 V2X: the EV follows the setpoint (negative: discharge) as closely as it can, and
        // the discharge limit bounds its overshoot; no charging limit is needed in this mode.
        period["operationMode"] = "CentralSetpoint";
        period["setpoint"] = -one_decimal(p.discharge);
        period["dischargeLimit"] = -one_decimal(p.discharge);
    } else {
        period["limit"] = one_decimal(p.limit);
    }
    if (p.phases >= 1 && p.phases <= 3) period["numberPhases"] = p.phases;
    json schedule = {{"startSchedule", ocpp::format_timestamp(p.start_ms)},
                     {"chargingRateUnit", std::string(1, p.unit)},
                     {"chargingSchedulePeriod", json::array({period})}};
    if (p.duration_s) schedule["duration"] = *p.duration_s;
    json profile = {{"stackLevel", p.stack_level},
                    {"chargingProfilePurpose", purpose},
                    {"chargingProfileKind", "Absolute"}};

    if (v == OcppVersion::v16) {
        profile["chargingProfileId"] = p.profile_id;
        if (!p.transaction_id.empty()) {
            const bool digits = std::all_of(p.transaction_id.begin(), p.transaction_id.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c)) || c == '-';
            });
            std::size_t used = 0;
            long long id = 0;
            try {
                id = digits ? std::stoll(p.transaction_id, &used) : 0;
            } catch (const std::exception&) {
                used = 0;
            }
            if (!digits || used != p.transaction_id.size())
                throw std::invalid_argument("an OCPP 1.6 transactionId is an integer, not '" +
                                            p.transaction_id + "'");
            profile["transactionId"] = id;
        }
        profile["chargingSchedule"] = std::move(schedule);
        return {{"connectorId", p.connector}, {"csChargingProfiles", std::move(profile)}};
    }
    profile["id"] = p.profile_id;
    if (!p.transaction_id.empty()) profile["transactionId"] = p.transaction_id;
    schedule["id"] = p.profile_id;  // one schedule per profile: the profile's id is unique enough
    profile["chargingSchedule"] = json::array({std::move(schedule)});
    return {{"evseId", p.connector}, {"chargingProfile", std::move(profile)}};
}

json get_composite_schedule_payload(OcppVersion v, int connector, std::int64_t duration_s,
                                    std::optional<char> unit) {
    json payload = {{v == OcppVersion::v16 ? "connectorId" : "evseId", connector}, {"duration", duration_s}};
    if (unit) {
        if (*unit != 'W' && *unit != 'A')
            throw std::invalid_argument(std::string("a charging rate unit is W or A, not '") + *unit + "'");
        payload["chargingRateUnit"] = std::string(1, *unit);
    }
    return payload;
}

json clear_charging_profile_payload(OcppVersion v, const ocpp::ProfileCriteria& c) {
    json payload = json::object();
    if (v == OcppVersion::v16) {
        if (c.profile_id) payload["id"] = *c.profile_id;
        if (c.connector) payload["connectorId"] = *c.connector;
        if (c.purpose) payload["chargingProfilePurpose"] = purpose_name(v, *c.purpose);
        if (c.stack_level) payload["stackLevel"] = *c.stack_level;
        return payload;
    }
    if (c.profile_id) {
        payload["chargingProfileId"] = *c.profile_id;
        return payload;
    }
    json criteria = json::object();
    if (c.connector) criteria["evseId"] = *c.connector;
    if (c.purpose) criteria["chargingProfilePurpose"] = purpose_name(v, *c.purpose);
    if (c.stack_level) criteria["stackLevel"] = *c.stack_level;
    if (!criteria.empty()) payload["chargingProfileCriteria"] = std::move(criteria);
    return payload;
}

std::optional<ProfileStatus> profile_status(const json& response) {
    if (!response.is_object()) return std::nullopt;
    const auto it = response.find("status");
    if (it == response.end() || !it->is_string()) return std::nullopt;
    const auto& s = it->get_ref<const std::string&>();
    if (s == "Accepted") return ProfileStatus::accepted;
    if (s == "Rejected") return ProfileStatus::rejected;
    if (s == "NotSupported") return ProfileStatus::not_supported;
    return std::nullopt;
}

std::optional<ScheduledLimit> composite_limit_at(OcppVersion v, const json& response, std::int64_t t_ms) {
    if (profile_status(response) != ProfileStatus::accepted) return std::nullopt;
    const auto sit = response.find(v == OcppVersion::v16 ? "chargingSchedule" : "schedule");
    if (sit == response.end() || !sit->is_object()) return std::nullopt;
    const json& schedule = *sit;

    ScheduledLimit out;
    std::optional<std::int64_t> start;
    const json* connector = nullptr;
    if (v == OcppVersion::v16) {
        start = time_of(schedule, "startSchedule");
        if (!start) start = time_of(response, "scheduleStart");
        if (const auto c = response.find("connectorId"); c != response.end()) connector = &*c;
    } else {
        start = time_of(schedule, "scheduleStart");
        if (const auto c = schedule.find("evseId"); c != schedule.end()) connector = &*c;
    }
    if (!start) return std::nullopt;
    if (connector != nullptr) {
        if (!integral(*connector)) return std::nullopt;
        out.connector = connector->get<int>();
    }
    const auto unit = schedule.find("chargingRateUnit");
    if (unit == schedule.end() || (*unit != "W" && *unit != "A")) return std::nullopt;
    out.unit = unit->get_ref<const std::string&>()[0];

    std::optional<std::int64_t> end;
    if (const auto d = schedule.find("duration"); d != schedule.end()) {
        if (!integral(*d)) return std::nullopt;
        end = *start + d->get<std::int64_t>() * 1000;
    }
    if (t_ms < *start || (end && t_ms >= *end)) return std::nullopt;

    const auto periods = schedule.find("chargingSchedulePeriod");
    if (periods == schedule.end() || !periods->is_array()) return std::nullopt;
    // The last period started at t (periods in any order); the first one after t ends it.
    const json* in_force = nullptr;
    std::int64_t in_force_start = 0;
    std::optional<std::int64_t> next_start;
    for (const json& p : *periods) {
        if (!p.is_object()) return std::nullopt;
        const auto sp = p.find("startPeriod");
        const auto limit = p.find("limit");
        if (sp == p.end() || !integral(*sp) || limit == p.end() || !limit->is_number()) return std::nullopt;
        const std::int64_t from = *start + sp->get<std::int64_t>() * 1000;
        if (from <= t_ms) {
            if (in_force == nullptr || from >= in_force_start) in_force = &p, in_force_start = from;
        } else if (!next_start || from < *next_start) {
            next_start = from;
        }
    }
    if (in_force == nullptr) return std::nullopt;
    out.limit = in_force->at("limit").get<double>();
    if (const auto ph = in_force->find("numberPhases"); ph != in_force->end()) {
        if (!integral(*ph)) return std::nullopt;
        out.phases = ph->get<int>();
    }
    out.from_ms = in_force_start;
    out.until_ms = next_start ? next_start : end;
    if (next_start && end) out.until_ms = std::min(*next_start, *end);
    return out;
}

double amps_per_phase(double kw, double voltage_v, int phases) {
    return kw * 1000.0 / (voltage_v * std::max(phases, 1));
}

double kw_from_amps(double amps, double voltage_v, int phases) {
    return amps * voltage_v * std::max(phases, 1) / 1000.0;
}

}  // namespace evtwin::serve
