#include "ocpp/reconstruct.hpp"

#include "data/number_range.hpp"
#include "ocpp/actions.hpp"
#include "ocpp/payload_fields.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace evtwin::ocpp {

namespace {

using nlohmann::json;

std::string key(const std::string& cs, const std::string& id) {
    return cs + '\x1f' + id;
}

using payload::integer;
using payload::number;
using payload::str;

std::string format_wh(double wh) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", wh);
    return text;
}

// A transaction id as text: 1.6 sends integers, 2.0.1 strings.
std::string id_text(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
    return "";
}

// 1.6 connectorId, else 2.0.1 evseId, else 0.
int connector_of(const json& payload) {
    return static_cast<int>(integer(payload, "connectorId").value_or(integer(payload, "evseId").value_or(0)));
}

class Builder {
public:
    Builder(std::vector<Problem>& problems) : problems_(problems) {}

    void problem(std::size_t line, std::string kind, std::string message) {
        problems_.push_back({line, std::move(kind), std::move(message)});
    }

    // Timestamps in the payload win over the log's own time.
    std::int64_t time_of(const json& payload, const char* field, const Frame& f) {
        std::int64_t ms = f.ts_ms;
        const std::string ts = str(payload, field);
        if (!ts.empty() && !parse_timestamp(ts, ms)) {
            problem(f.line, "bad_payload",
                    std::string("expected an ISO 8601 time in '") + field + "', got '" + ts + "'");
            ms = f.ts_ms;
        }
        return ms;
    }

    // A CALL's payload is parsed where it tells something: here, or when its answer comes
    // (StartTransaction, ClearChargingProfile).
    void call(const Frame& f) {
        const std::string& action = f.action;
        if (action == "StartTransaction") {
            pending_starts_[key(f.cs, f.message_id)] = &f;
        } else if (action == "ClearChargingProfile") {
            pending_clears_[key(f.cs, f.message_id)] = &f;
        } else if (action == "StatusNotification") {
            status(f, payload_json(f));
        } else if (action == "MeterValues") {
            const json p = payload_json(f);
            const std::string tx = p.contains("transactionId") ? id_text(p["transactionId"]) : "";
            meter_values(f, p.contains("meterValue") ? p["meterValue"] : json(), f.cs, connector_of(p), tx);
        } else if (action == "StopTransaction") {
            stop_16(f, payload_json(f));
        } else if (action == "TransactionEvent") {
            transaction_event(f, payload_json(f));
        } else if (action == "SetChargingProfile") {
            const json p = payload_json(f);
            const json* cp = p.contains("csChargingProfiles") ? &p["csChargingProfiles"]
                             : p.contains("chargingProfile")  ? &p["chargingProfile"]
                                                              : nullptr;
            charging_profile(f, cp, connector_of(p));
        } else if (action == "RemoteStartTransaction" || action == "RequestStartTransaction") {
            const json p = payload_json(f);
            if (p.contains("chargingProfile")) charging_profile(f, &p["chargingProfile"], connector_of(p));
        }
    }

    // `k`: the key (charge point, message id) the answer and its call share.
    void result(const Frame& call, const Frame& f, const std::string& k) {
        const auto profile = pending_profiles_.find(k);
        const auto clear = pending_clears_.find(k);
        const bool start = call.action == "StartTransaction";
        if (profile == pending_profiles_.end() && clear == pending_clears_.end() && !start) return;
        const json answer = payload_json(f);
        const bool accepted = str(answer, "status") == "Accepted";
        if (profile != pending_profiles_.end()) {
            if (accepted) accept_profile(profile->second);
            pending_profiles_.erase(profile);
        }
        if (clear != pending_clears_.end()) {
            if (accepted) clear_profiles(*clear->second);
            pending_clears_.erase(clear);
        }
        if (!start) return;
        pending_starts_.erase(k);
        const json p = payload_json(call);
        const auto tx_id =
            answer.is_object() && answer.contains("transactionId") ? id_text(answer["transactionId"]) : "";
        if (tx_id.empty()) {
            problem(f.line, "bad_payload", "StartTransaction result without a transactionId");
            return;
        }
        Transaction t;
        t.cs = call.cs;
        t.connector = static_cast<int>(integer(p, "connectorId").value_or(0));
        t.id = tx_id;
        t.start_ms = time_of(p, "timestamp", call);
        t.meter_start_wh = meter_wh(p, "meterStart", call.line);
        t.id_tag = str(p, "idTag");
        t.start_line = call.line;
        is_16_.insert(key(t.cs, t.id));
        open(std::move(t), f.line);
    }

    void finish() {
        for (const auto& [k, call] : pending_starts_)
            problem(call->line, "transaction_without_id",
                    "StartTransaction never answered with a transactionId");
        for (const auto& [k, index] : open_) {
            Transaction& t = out.transactions[index];
            problem(t.start_line, "transaction_without_stop",
                    "transaction " + t.id + " on " + t.cs + " never stops");
            set_energy(t);  // up to the last register seen (2.0.1 events carry it)
        }
        set_exports();
        for (const auto& [k, index] : known_) {
            if (!started_.count(k) && !is_16_.count(k))
                problem(out.transactions[index].start_line, "transaction_without_start",
                        "transaction " + out.transactions[index].id + " on " + out.transactions[index].cs +
                            ": no TransactionEvent Started");
        }
    }

    Reconstruction out;

private:
    void open(Transaction t, std::size_t line) {
        const std::string k = key(t.cs, t.id);
        if (open_.count(k)) problem(line, "duplicate_transaction", "transaction " + t.id + " started twice");
        open_[k] = known_[k] = out.transactions.size();
        out.transactions.push_back(std::move(t));
    }

    void close(Transaction& t) {
        set_energy(t);
        open_.erase(key(t.cs, t.id));
    }

    // A meter register in Wh (meterStart, meterStop): a number from 0 to 1e15, else a problem.
    std::optional<double> meter_wh(const json& payload, const char* name, std::size_t line) {
        const auto wh = number(payload, name);
        if (!wh || usable_register_wh(*wh)) return wh;
        problem(line, "bad_meter_value",
                std::string("expected ") + name + " in Wh from 0 to 1e15, got " + payload[name].dump());
        return std::nullopt;
    }

    // Stop minus start; none where the register went down (a meter replaced or reset, or a wrong
    // reading), which is a problem.
    void set_energy(Transaction& t) {
        if (!t.meter_start_wh || !t.meter_stop_wh) return;
        if (*t.meter_stop_wh < *t.meter_start_wh) {
            problem(t.start_line, "meter_decreased",
                    "transaction " + t.id + " on " + t.cs + ": the meter went from " +
                        format_wh(*t.meter_start_wh) + " Wh down to " + format_wh(*t.meter_stop_wh) + " Wh");
            return;
        }
        t.energy_kwh = (*t.meter_stop_wh - *t.meter_start_wh) / 1000.0;
    }

    void status(const Frame& f, const json& p) {
        StatusChange s;
        s.cs = f.cs;
        s.line = f.line;
        s.connector = static_cast<int>(integer(p, "evseId").value_or(integer(p, "connectorId").value_or(0)));
        s.status = p.contains("connectorStatus") ? str(p, "connectorStatus") : str(p, "status");
        s.error_code = str(p, "errorCode");
        s.info = str(p, "info");
        s.ts_ms = time_of(p, "timestamp", f);
        s.fault = s.status == "Faulted" || (!s.error_code.empty() && s.error_code != "NoError");
        if (s.status.empty()) problem(f.line, "bad_payload", "StatusNotification without a status");
        out.faults += s.fault;
        out.status_changes.push_back(std::move(s));
    }

    // meterValue: [{timestamp, sampledValue: [{value, measurand, phase, unit | unitOfMeasure, ...}]}]
    void meter_values(const Frame& f, const json& list, const std::string& cs, int connector,
                      const std::string& tx) {
        if (!list.is_array()) return;
        for (const json& mv : list) {
            const std::int64_t ts = time_of(mv, "timestamp", f);
            if (!mv.is_object() || !mv.contains("sampledValue") || !mv["sampledValue"].is_array()) {
                problem(f.line, "bad_meter_value", "expected meterValue entries with a sampledValue array");
                continue;
            }
            for (const json& sv : mv["sampledValue"]) {
                MeterValue v;
                v.cs = cs;
                v.connector = connector;
                v.transaction_id = tx;
                v.ts_ms = ts;
                v.line = f.line;
                std::string error;
                if (!decode_sampled_value(sv, v, error)) {
                    if (!error.empty()) problem(f.line, "bad_meter_value", error);
                    continue;
                }
                out.meter_values.push_back(std::move(v));
            }
        }
    }

    void stop_16(const Frame& f, const json& p) {
        const std::string id = p.contains("transactionId") ? id_text(p["transactionId"]) : "";
        const auto it = open_.find(key(f.cs, id));
        if (it == open_.end()) {
            problem(f.line, "stop_without_start",
                    "StopTransaction of transaction '" + id + "', which is not open");
            return;
        }
        Transaction& t = out.transactions[it->second];
        t.stop_ms = time_of(p, "timestamp", f);
        if (const auto m = meter_wh(p, "meterStop", f.line)) t.meter_stop_wh = m;
        t.stop_reason = str(p, "reason");
        if (t.stop_reason.empty()) t.stop_reason = "Local";  // the 1.6 default
        t.stop_line = f.line;
        meter_values(f, p.contains("transactionData") ? p["transactionData"] : json(), f.cs, t.connector,
                     t.id);
        close(t);
    }

    // Each transaction's export register: the earliest and latest phase-less
    // Energy.Active.Export.Register among its meter values, by their own times (1.6 and 2.0.1 alike).
    void set_exports() {
        std::unordered_map<std::string, std::size_t> by_key;
        for (std::size_t i = 0; i < out.transactions.size(); ++i)
            by_key.emplace(key(out.transactions[i].cs, out.transactions[i].id), i);
        std::map<std::size_t, std::pair<std::int64_t, std::int64_t>> span;  // first, last ms
        for (const MeterValue& v : out.meter_values) {
            if (v.measurand != "Energy.Active.Export.Register" || !v.phase.empty() || v.unit != "kWh" ||
                v.transaction_id.empty())
                continue;
            const auto it = by_key.find(key(v.cs, v.transaction_id));
            if (it == by_key.end()) continue;
            Transaction& t = out.transactions[it->second];
            auto& [first_ms, last_ms] = span.try_emplace(it->second, INT64_MAX, INT64_MIN).first->second;
            if (v.ts_ms < first_ms) first_ms = v.ts_ms, t.export_start_wh = v.value * 1000.0;
            if (v.ts_ms >= last_ms) last_ms = v.ts_ms, t.export_stop_wh = v.value * 1000.0;
        }
        for (auto& [index, times] : span) {
            Transaction& t = out.transactions[index];
            if (*t.export_stop_wh < *t.export_start_wh) {
                problem(t.start_line, "meter_decreased",
                        "transaction " + t.id + " on " + t.cs + ": the export register went from " +
                            format_wh(*t.export_start_wh) + " Wh down to " + format_wh(*t.export_stop_wh) +
                            " Wh");
                continue;
            }
            t.exported_kwh = (*t.export_stop_wh - *t.export_start_wh) / 1000.0;
        }
    }

    // The earliest and latest Energy.Active.Import.Register (all phases) of a 2.0.1 transaction, by
    // their own times: events queued offline arrive after later ones.
    void energy_register(Transaction& t, std::size_t index, std::size_t from) {
        auto& [first_ms, last_ms] = register_span_.try_emplace(index, INT64_MAX, INT64_MIN).first->second;
        for (std::size_t i = from; i < out.meter_values.size(); ++i) {
            const MeterValue& v = out.meter_values[i];
            if (v.measurand != "Energy.Active.Import.Register" || !v.phase.empty() || v.unit != "kWh")
                continue;
            if (v.ts_ms < first_ms) first_ms = v.ts_ms, t.meter_start_wh = v.value * 1000.0;
            if (v.ts_ms >= last_ms) last_ms = v.ts_ms, t.meter_stop_wh = v.value * 1000.0;
        }
    }

    // 2.0.1: Started, Updated and Ended events of one transaction, in any order (a station sends
    // what it queued while offline when it is back, after newer events).
    void transaction_event(const Frame& f, const json& p) {
        const std::string type = str(p, "eventType");
        const json info = p.contains("transactionInfo") ? p["transactionInfo"] : json();
        const std::string id = str(info, "transactionId");
        if (id.empty() || (type != "Started" && type != "Updated" && type != "Ended")) {
            problem(f.line, "bad_payload",
                    "TransactionEvent without eventType Started/Updated/Ended or transactionId");
            return;
        }
        const std::string k = key(f.cs, id);
        const std::int64_t at = time_of(p, "timestamp", f);
        auto it = known_.find(k);
        if (it == known_.end()) {
            Transaction t;
            t.cs = f.cs;
            t.id = id;
            t.start_ms = at;
            t.start_line = f.line;
            open(std::move(t), f.line);
            it = known_.find(k);
        }
        const std::size_t index = it->second;
        Transaction& t = out.transactions[index];
        if (type == "Started") {
            if (!started_.insert(k).second)
                problem(f.line, "duplicate_transaction", "transaction " + id + " started twice");
            t.start_ms = at;
            t.start_line = f.line;
        } else if (at < t.start_ms && !started_.count(k)) {
            t.start_ms = at;  // the earliest event seen stands for the start until the Started one comes
        }
        // The EVSE: from the event's "evse" (2.0.1 names EVSEs; a connector id within one is optional).
        const int evse = p.contains("evse") ? static_cast<int>(integer(p["evse"], "id").value_or(0)) : 0;
        if (t.connector == 0) t.connector = evse;
        if (t.id_tag.empty() && p.contains("idToken")) t.id_tag = str(p["idToken"], "idToken");
        const std::size_t first = out.meter_values.size();
        meter_values(f, p.contains("meterValue") ? p["meterValue"] : json(), f.cs, t.connector, t.id);
        energy_register(t, index, first);
        if (type == "Ended") {
            t.stop_ms = at;
            t.stop_reason = str(info, "stoppedReason");
            if (t.stop_reason.empty()) t.stop_reason = "Local";
            t.stop_line = f.line;
            close(t);
        } else if (t.stop_ms) {
            close(t);  // a late event of an ended transaction: its energy again
        }
    }

    void charging_profile(const Frame& f, const json* cp, int connector) {
        ChargingProfile prof;
        std::string error;
        if (!cp || !parse_charging_profile(*cp, prof, error)) {
            problem(f.line, "bad_charging_profile",
                    f.action + ": " + (cp ? error : "no charging profile in the payload"));
            return;
        }
        prof.cs = f.cs;
        prof.connector = connector;
        prof.set_ms = f.ts_ms;
        prof.source = f.action;
        prof.line = f.line;
        if (prof.purpose == ProfilePurpose::tx && f.action != "SetChargingProfile")
            prof.connector = std::max(connector, 1);
        pending_profiles_[key(f.cs, f.message_id)] = out.charging_profiles.size();
        out.charging_profiles.push_back(std::move(prof));
    }

    // An accepted profile replaces the installed one with its id, or with its connector, purpose
    // and stack level (OCPP 1.6 §3.13.2 / 2.0.1 K01).
    void accept_profile(std::size_t index) {
        ChargingProfile& p = out.charging_profiles[index];
        p.accepted = true;
        for (std::size_t i = 0; i < out.charging_profiles.size(); ++i) {
            ChargingProfile& old = out.charging_profiles[i];
            if (i == index || !old.accepted || old.cs != p.cs || old.cleared_ms || old.set_ms > p.set_ms)
                continue;
            if (old.profile_id == p.profile_id || (old.connector == p.connector && old.purpose == p.purpose &&
                                                   old.stack_level == p.stack_level))
                old.cleared_ms = p.set_ms;
        }
    }

    void clear_profiles(const Frame& call) {
        const ProfileCriteria c = parse_clear_criteria(payload_json(call));
        for (ChargingProfile& p : out.charging_profiles)
            if (p.accepted && p.cs == call.cs && !p.cleared_ms && p.set_ms <= call.ts_ms && matches(p, c))
                p.cleared_ms = call.ts_ms;
    }

    std::vector<Problem>& problems_;
    std::unordered_map<std::string, std::size_t> pending_profiles_;
    std::unordered_map<std::string, const Frame*> pending_clears_;
    std::unordered_map<std::string, const Frame*> pending_starts_;
    std::unordered_map<std::string, std::size_t> open_;   // (cs, transaction id) -> index, until it stops
    std::unordered_map<std::string, std::size_t> known_;  // every transaction, the same way
    std::unordered_set<std::string> started_;             // 2.0.1 transactions with a Started event
    std::unordered_set<std::string> is_16_;               // 1.6 transactions (StartTransaction)
    std::unordered_map<std::size_t, std::pair<std::int64_t, std::int64_t>>
        register_span_;  // index -> first, last ms
};

}  // namespace

Reconstruction reconstruct(std::vector<Frame>& frames, std::vector<Problem>& problems) {
    Builder b(problems);
    std::unordered_map<std::string, std::size_t> pending;  // (cs, message id) -> index of its CALL
    std::unordered_set<std::string> seen_calls;
    std::int64_t last_ts = INT64_MIN;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        Frame& f = frames[i];
        if (f.ts_ms < last_ts)
            b.problem(f.line, "timestamp_out_of_order",
                      "time goes back by " + std::to_string(last_ts - f.ts_ms) + " ms");
        else
            last_ts = f.ts_ms;
        const std::string k = key(f.cs, f.message_id);
        if (f.type == MessageType::call) {
            if (f.dir == Direction::unknown) f.dir = call_direction(f.action);
            if (!seen_calls.insert(k).second)
                b.problem(f.line, "duplicate_message_id",
                          "message id '" + f.message_id + "' of " + f.cs + " used before");
            if (const auto it = pending.find(k); it != pending.end())
                b.problem(frames[it->second].line, "unanswered_call",
                          frames[it->second].action + " never answered");
            pending[k] = i;
            b.call(f);
            continue;
        }
        const auto it = pending.find(k);
        if (it == pending.end()) {
            b.problem(f.line, "response_without_call",
                      std::string(f.type == MessageType::call_result ? "CALLRESULT" : "CALLERROR") +
                          " for message id '" + f.message_id + "', no CALL of " + f.cs + " waits for it");
            continue;
        }
        const Frame& call = frames[it->second];
        f.action = call.action;
        if (f.dir == Direction::unknown && call.dir != Direction::unknown)
            f.dir = call.dir == Direction::cs_to_csms ? Direction::csms_to_cs : Direction::cs_to_csms;
        if (call.dir == Direction::unknown && f.dir != Direction::unknown)
            frames[it->second].dir =
                f.dir == Direction::cs_to_csms ? Direction::csms_to_cs : Direction::cs_to_csms;
        ++b.out.matched_responses;
        if (f.type == MessageType::call_result) b.result(call, f, k);
        pending.erase(it);
    }
    for (const auto& [k, index] : pending)
        b.problem(frames[index].line, "unanswered_call", frames[index].action + " never answered");
    b.finish();
    return std::move(b.out);
}

}  // namespace evtwin::ocpp
