// The central system's answers to the CALLs of a charge point (OCPP 1.6 and 2.0.1), and what each
// tells the live twin. The payload has passed its schema already.
#include "model/local_time.hpp"
#include "ocpp/reconstruct.hpp"
#include "serve/csms/central_system_link.hpp"

#include <cmath>
#include <limits>

namespace evtwin::serve {

using nlohmann::json;

namespace {

const json kAccepted = {{"status", "Accepted"}};

// Reads the meterValue list of MeterValues, TransactionEvent or StopTransaction's transactionData:
// the last energy register, power and SoC of the connector (phase totals only).
MeterReading reading_of(const json& meter_values) {
    MeterReading r;
    std::optional<double> export_kwh, export_kw;
    if (!meter_values.is_array()) return r;
    for (const json& mv : meter_values) {
        if (!mv.is_object() || !mv.contains("sampledValue")) continue;
        for (const json& sv : mv["sampledValue"]) {
            ocpp::MeterValue v;
            std::string error;
            if (!ocpp::decode_sampled_value(sv, v, error) || !v.phase.empty()) continue;
            if (v.location != "" && v.location != "Outlet" && v.location != "EV") continue;
            if (v.measurand == "Energy.Active.Import.Register" && v.unit == "kWh") r.register_kwh = v.value;
            if (v.measurand == "Power.Active.Import" && v.unit == "kW") r.power_kw = v.value;
            if (v.measurand == "SoC") r.soc = v.value / 100.0;
            if (v.measurand == "Energy.Active.Export.Register" && v.unit == "kWh") export_kwh = v.value;
            if (v.measurand == "Power.Active.Export" && v.unit == "kW") export_kw = v.value;
        }
    }
    // A V2G charger's export counts against its import: the session's energy is their difference.
    r.export_register_kwh = export_kwh;
    if (export_kwh && r.register_kwh) {
        r.register_kwh = *r.register_kwh - *export_kwh;
        r.bidirectional = true;
    }
    if (export_kw) {
        r.power_kw = r.power_kw.value_or(0.0) - *export_kw;
        r.bidirectional = true;
    }
    return r;
}

// The first energy register of a meterValue list (a transaction's begin, in an event that carries
// all of it), net of its export as reading_of gives it; none without one.
std::optional<double> first_register_kwh(const json& meter_values) {
    if (!meter_values.is_array()) return std::nullopt;
    for (const json& mv : meter_values)
        if (const MeterReading r = reading_of(json::array({mv})); r.register_kwh) return r.register_kwh;
    return std::nullopt;
}

// The reservation a transaction names (1.6 StartTransaction's, 2.0.1 TransactionEvent's
// reservationId), as the twin's book numbers it.
std::optional<std::uint32_t> reservation_named(const json& p) {
    if (!p.contains("reservationId")) return std::nullopt;
    const std::int64_t id = p["reservationId"].get<std::int64_t>();
    if (id < 1 || id > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max()))
        return std::nullopt;
    return static_cast<std::uint32_t>(id - 1);
}

[[noreturn]] void refuse(const char* code, const std::string& why) {
    throw RpcFailure(RpcError{code, why, json::object()});
}

// Bidirectional power transfer (ISO 15118-20 BPT), the modes in which a vehicle may discharge.
bool bidirectional(const std::string& mode) {
    return mode == "AC_BPT" || mode == "AC_BPT_DER" || mode == "DC_BPT" || mode == "DC_ACDP_BPT";
}

// A vehicle's ChargingNeeds as the session's declared needs: 2.0.1's departure and energy amount
// (AC or DC parameters), and 2.1's V2X parameters of ISO 15118-20 (the energy to the requested SoC
// for the energy; in a bidirectional mode, the maximum discharge power as V2G permission and rating).
SessionIntent intent_of_needs(const json& needs) {
    SessionIntent intent;
    intent.energy_from_now = true;  // ISO 15118's requests: what the vehicle wants from now on
    if (needs.contains("departureTime")) {
        std::int64_t ms = 0;
        if (ocpp::parse_timestamp(needs["departureTime"].get<std::string>(), ms)) intent.departure = Time(ms);
    }
    for (const char* params : {"acChargingParameters", "dcChargingParameters"})
        if (needs.contains(params) && needs[params].contains("energyAmount"))
            intent.energy_kwh = needs[params]["energyAmount"].get<double>() / 1000.0;  // Wh
    if (!needs.contains("v2xChargingParameters")) return intent;
    const json& v2x = needs["v2xChargingParameters"];
    if (!intent.energy_kwh && v2x.contains("evTargetEnergyRequest"))
        intent.energy_kwh = std::max(0.0, v2x["evTargetEnergyRequest"].get<double>() / 1000.0);
    if (!intent.energy_kwh && v2x.contains("targetSoC"))
        intent.target_soc = std::clamp(v2x["targetSoC"].get<double>() / 100.0, 0.0, 1.0);
    if (v2x.contains("evMaxEnergyRequest"))
        intent.max_energy_kwh = std::max(0.0, v2x["evMaxEnergyRequest"].get<double>() / 1000.0);
    // The floor for discharge: the V2X cycling range's lower end, else the lowest SoC allowed.
    for (const char* floor : {"evMinV2XEnergyRequest", "evMinEnergyRequest"})
        if (!intent.min_energy_kwh && v2x.contains(floor))
            intent.min_energy_kwh = v2x[floor].get<double>() / 1000.0;
    if (bidirectional(needs["requestedEnergyTransfer"].get<std::string>()))
        intent.max_discharge_kw = v2x.contains("maxDischargePower")
                                      ? std::max(0.0, v2x["maxDischargePower"].get<double>() / 1000.0)
                                      : 0.0;
    return intent;
}

// A 1.6 meter register (meterStart, meterStop, an integer in Wh) in kWh; none when it is not usable.
std::optional<double> register_kwh(const json& wh) {
    const double v = wh.get<double>();
    if (ocpp::usable_register_wh(v)) return v / 1000.0;
    return std::nullopt;
}

}  // namespace

ConnectorLink& CentralSystem::connector_of(Link& link, const json& number) {
    const int n = number.is_number_integer() ? number.get<int>() : -1;
    std::lock_guard lock(link.mutex);
    const auto it = link.connectors.find(n);
    if (it == link.connectors.end())
        refuse("PropertyConstraintViolation",
               "charge point '" + link.id + "' has no connector " + std::to_string(n) + " in the scenario");
    return it->second;
}

json CentralSystem::answer(Link& link, const Incoming& call) {
    const json& p = call.payload;
    const std::string& action = call.action;
    const Time now = clock_.now();
    const bool v16 = link.version == OcppVersion::v16;
    if (action == "BootNotification")
        return {{"currentTime", format_utc(now)}, {"interval", config_.heartbeat_s}, {"status", "Accepted"}};
    if (action == "Heartbeat") return {{"currentTime", format_utc(now)}};
    if (action == "Authorize") return v16 ? json{{"idTagInfo", kAccepted}} : json{{"idTokenInfo", kAccepted}};
    if (action == "StatusNotification") return status_notification(link, p, now);
    if (action == "MeterValues") return meter_values(link, p, now);
    if (action == "StartTransaction") return start_transaction(link, p, now);
    if (action == "StopTransaction") return stop_transaction(link, p, now);
    if (action == "TransactionEvent") return transaction_event(link, p, now);
    if (action == "NotifyEVChargingNeeds") return charging_needs(link, p);
    if (action == "NotifyEVChargingSchedule") return ev_charging_schedule(link, p, now);
    if (action == "ReservationStatusUpdate") return reservation_status_update(p, now);
    if (action == "DataTransfer") return {{"status", "UnknownVendorId"}};
    // A message this central system accepts but has nothing to do with.
    if (action == "FirmwareStatusNotification" || action == "DiagnosticsStatusNotification" ||
        action == "LogStatusNotification" || action == "SecurityEventNotification" ||
        action == "NotifyEvent" || action == "NotifyReport")
        return json::object();
    refuse("NotSupported", action + " is not supported by this central system");
}

json CentralSystem::status_notification(Link& link, const json& p, Time now) {
    const bool v16 = link.version == OcppVersion::v16;
    const int number = v16 ? p["connectorId"].get<int>() : p["evseId"].get<int>();
    if (number == 0) return json::object();  // the charge point as a whole
    ConnectorLink& c = connector_of(link, number);
    const std::string status = v16 ? p["status"].get<std::string>() : p["connectorStatus"].get<std::string>();
    const bool fault = status == "Faulted" || status == "Unavailable" ||
                       (v16 && p.value("errorCode", "NoError") != "NoError");
    twin_.set_faulted(c.connector, now, fault);
    return json::object();
}

json CentralSystem::meter_values(Link& link, const json& p, Time now) {
    const int number =
        link.version == OcppVersion::v16 ? p["connectorId"].get<int>() : p["evseId"].get<int>();
    if (number == 0) return json::object();  // the charge point's main meter
    ConnectorLink& c = connector_of(link, number);
    const MeterReading r = reading_of(p["meterValue"]);
    if (twin_.meter(c.connector, now, r)) wake();
    check_limit(link, c, now, r);
    return json::object();
}

json CentralSystem::start_transaction(Link& link, const json& p, Time now) {  // 1.6 only: it gives the id
    ConnectorLink& c = connector_of(link, p["connectorId"]);
    const std::optional<double> meter_start = register_kwh(p["meterStart"]);
    if (!meter_start)
        refuse("PropertyConstraintViolation",
               "meterStart must be a register from 0 to 1e15 Wh, got " + p["meterStart"].dump());
    const std::int64_t id = next_transaction_++;
    {
        std::lock_guard lock(link.mutex);
        c.transaction_id = std::to_string(id);
        c.sent_kw.reset();
        c.tx_profile_refused = false;
        c.refusal_retried = false;
    }
    twin_.start_session(c.connector, now, c.transaction_id, p["idTag"].get<std::string>(), meter_start,
                        std::nullopt, reservation_named(p));
    link.decide_now = true;
    return {{"idTagInfo", kAccepted}, {"transactionId", id}};
}

json CentralSystem::stop_transaction(Link& link, const json& p, Time now) {  // 1.6 only
    const std::string tx = std::to_string(p["transactionId"].get<std::int64_t>());
    for (auto& [number, c] : link.connectors) {
        if (c.transaction_id != tx) continue;
        if (p.contains("transactionData")) twin_.meter(c.connector, now, reading_of(p["transactionData"]));
        // A meterStop beyond range leaves the energy of the last reading.
        twin_.stop_session(c.connector, now, register_kwh(p["meterStop"]));
        std::lock_guard lock(link.mutex);
        c.transaction_id.clear();
        c.sent_kw.reset();
        link.decide_now = true;
        break;
    }
    return {{"idTagInfo", kAccepted}};
}

json CentralSystem::charging_needs(Link& link, const json& p) {  // NotifyEVChargingNeeds, 2.0.1 and 2.1
    ConnectorLink& c = connector_of(link, p["evseId"]);
    const SessionIntent intent = intent_of_needs(p["chargingNeeds"]);
    std::optional<SessionId> session;
    {
        std::lock_guard lock(link.mutex);
        if (c.transaction_id.empty()) {
            c.pending_needs = intent;  // for the transaction the vehicle is about to start
            return kAccepted;
        }
        session = twin_.session_of(c.transaction_id);
    }
    if (!session || !twin_.declare(*session, intent)) return {{"status", "Rejected"}};
    link.decide_now = true;
    return kAccepted;
}

// The EV's own schedule, planned within the profile it was given (ISO 15118; OCPP K15-K17): noted
// in the run's events. The site's strategy plans from the needs, so the schedule changes nothing.
json CentralSystem::ev_charging_schedule(Link& link, const json& p, Time now) {
    ConnectorLink& c = connector_of(link, p["evseId"]);
    const json& schedule = p["chargingSchedule"];
    twin_.note(now, c.connector,
               "EV charging schedule of " + link.id + "/" + std::to_string(p["evseId"].get<int>()) + ": " +
                   std::to_string(schedule["chargingSchedulePeriod"].size()) + " periods in " +
                   schedule["chargingRateUnit"].get<std::string>() + " from " +
                   p["timeBase"].get<std::string>());
    return kAccepted;
}

json CentralSystem::transaction_event(Link& link, const json& p, Time now) {
    const std::string type = p["eventType"].get<std::string>();
    const std::string tx = p["transactionInfo"]["transactionId"].get<std::string>();
    // The EVSE: named in the event, or the one the transaction started on.
    ConnectorLink* c = nullptr;
    {
        std::lock_guard lock(link.mutex);
        if (p.contains("evse")) {
            const auto it = link.connectors.find(p["evse"]["id"].get<int>());
            if (it == link.connectors.end())
                throw RpcFailure(RpcError{"PropertyConstraintViolation",
                                          "charge point '" + link.id + "' has no EVSE " +
                                              std::to_string(p["evse"]["id"].get<int>()) + " in the scenario",
                                          json::object()});
            c = &it->second;
        } else {
            for (auto& [number, cl] : link.connectors)
                if (cl.transaction_id == tx) c = &cl;
        }
    }
    if (!c) return json::object();  // an event of a transaction this central system never saw start
    const MeterReading r = p.contains("meterValue") ? reading_of(p["meterValue"]) : MeterReading{};
    bool open = false;
    {
        std::lock_guard lock(link.mutex);
        open = c->transaction_id == tx;
    }
    if (!open && type != "Ended") {
        // Started, or the first event the central system sees of a transaction (offline-queued).
        {
            std::lock_guard lock(link.mutex);
            c->transaction_id = tx;
            c->sent_kw.reset();
            c->tx_profile_refused = false;
            c->refusal_retried = false;
        }
        const std::string id_tag =
            p.contains("idToken") ? p["idToken"]["idToken"].get<std::string>() : std::string();
        const SessionId session =
            twin_.start_session(c->connector, now, tx, id_tag, r.register_kwh, r.soc, reservation_named(p));
        if (r.export_register_kwh) twin_.meter(c->connector, now, r);  // where its export register began
        std::optional<SessionIntent> needs;
        {
            std::lock_guard lock(link.mutex);
            needs.swap(c->pending_needs);
        }
        if (needs) twin_.declare(session, *needs);
        link.decide_now = true;
    } else if (open) {
        if (twin_.meter(c->connector, now, r)) wake();
        check_limit(link, *c, now, r);
    }
    if (type == "Ended" && !open && p.contains("evse")) {
        // A transaction that began and ended while the charge point was offline: its Ended event,
        // sent from the queue, is the first the central system sees of it. Recorded now, with the
        // energy its meter values give, unless another transaction holds the EVSE.
        std::string held;
        {
            std::lock_guard lock(link.mutex);
            held = c->transaction_id;
        }
        if (held.empty()) {
            const std::string id_tag =
                p.contains("idToken") ? p["idToken"]["idToken"].get<std::string>() : std::string();
            twin_.start_session(c->connector, now, tx, id_tag, first_register_kwh(p["meterValue"]),
                                std::nullopt);
            twin_.stop_session(c->connector, now, r.register_kwh);
            link.decide_now = true;
        }
    }
    if (type == "Ended" && open) {
        twin_.stop_session(c->connector, now, r.register_kwh);
        std::lock_guard lock(link.mutex);
        c->transaction_id.clear();
        c->pending_needs.reset();
        c->sent_kw.reset();
        link.decide_now = true;
    }
    return json::object();
}

// A charger that draws more than the limit it accepted (after giving it time to ramp down) is
// recorded as ignoring it; the strategy sees the measured power next period.
void CentralSystem::check_limit(Link& link, ConnectorLink& c, Time now, const MeterReading& r) {
    if (!r.power_kw) return;
    std::lock_guard lock(link.mutex);
    if (c.accepted_kw < 0.0 || c.ignored_reported || now - c.accepted_at < kRampTime) return;
    if (*r.power_kw <= c.accepted_kw + kLimitToleranceKw) return;
    c.ignored_reported = true;
    twin_.limit_ignored(c.connector, now, c.accepted_kw, *r.power_kw);
}

}  // namespace evtwin::serve
