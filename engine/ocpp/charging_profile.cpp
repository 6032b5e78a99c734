#include "ocpp/charging_profile.hpp"

#include "ocpp/frame.hpp"
#include "ocpp/reconstruct.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace evtwin::ocpp {

namespace {

using nlohmann::json;

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kMaxSeconds =
    100LL * 366 * 86'400;  // a century: keeps ms arithmetic far from overflow
constexpr std::int64_t kMaxRecurrences = 100'000;

const json* member(const json& obj, const char* name) {
    if (!obj.is_object()) return nullptr;
    const auto it = obj.find(name);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

bool read_time(const json& obj, const char* name, std::optional<std::int64_t>& out, std::string& error,
               const std::string& path) {
    const json* v = member(obj, name);
    if (!v) return true;
    std::int64_t ms = 0;
    if (!v->is_string() || !parse_timestamp(v->get_ref<const std::string&>(), ms)) {
        error = path + "." + name + ": expected an ISO 8601 time";
        return false;
    }
    out = ms;
    return true;
}

std::optional<ProfilePurpose> purpose_from(const std::string& s) {
    if (s == "ChargePointMaxProfile" || s == "ChargingStationMaxProfile") return ProfilePurpose::station_max;
    if (s == "TxDefaultProfile") return ProfilePurpose::tx_default;
    if (s == "TxProfile") return ProfilePurpose::tx;
    if (s == "ChargingStationExternalConstraints") return ProfilePurpose::external;
    return std::nullopt;
}

std::string text(const json& obj, const char* name) {
    const json* v = member(obj, name);
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::optional<std::int64_t> whole(const json& obj, const char* name) {
    const json* v = member(obj, name);
    if (!v || !v->is_number()) return std::nullopt;
    const double d = v->get<double>();
    if (!std::isfinite(d) || std::abs(d) > 9e15) return std::nullopt;
    return static_cast<std::int64_t>(d);
}

// Where the schedule of `p` starts for a transaction `tx` (relative) or at all (absolute, recurring).
std::optional<std::int64_t> schedule_start(const ChargingProfile& p, const Transaction* tx) {
    if (p.kind == ProfileKind::relative) {
        if (!tx) return std::nullopt;
        return tx->start_ms;
    }
    return p.start_schedule_ms.value_or(p.valid_from_ms.value_or(p.set_ms));
}

bool active_at(const Transaction& tx, std::int64_t t) {
    return tx.start_ms <= t && (!tx.stop_ms || t < *tx.stop_ms);
}

const Transaction* active_transaction(const std::vector<Transaction>& txs, const std::string& cs,
                                      int connector, std::int64_t t) {
    for (const Transaction& tx : txs)
        if (tx.cs == cs && tx.connector == connector && active_at(tx, t)) return &tx;
    return nullptr;
}

// A TxProfile without a transactionId belongs to the transaction running on its connector when it
// was set, else to the next one to start there (the profile of a remote start).
bool bound_to(const ChargingProfile& p, const Transaction& tx, const std::vector<Transaction>& txs) {
    if (!p.transaction_id.empty()) return p.transaction_id == tx.id;
    const Transaction* owner = active_transaction(txs, p.cs, p.connector, p.set_ms);
    if (!owner) {
        for (const Transaction& t : txs)
            if (t.cs == p.cs && t.connector == p.connector && t.start_ms >= p.set_ms &&
                (!owner || t.start_ms < owner->start_ms))
                owner = &t;
    }
    return owner == &tx;
}

// The highest stack level in force among the profiles `pick` selects (ties: the one set last).
template <class Pick>
std::optional<double> winner(const std::vector<ChargingProfile>& profiles, std::int64_t t,
                             const Transaction* tx, const CompositionOptions& o, Pick pick) {
    const ChargingProfile* best = nullptr;
    double best_kw = 0;
    for (const ChargingProfile& p : profiles) {
        if (!pick(p)) continue;
        const auto kw = profile_limit_at(p, t, tx, o);
        if (!kw) continue;
        if (!best || p.stack_level > best->stack_level ||
            (p.stack_level == best->stack_level && p.set_ms >= best->set_ms)) {
            best = &p;
            best_kw = *kw;
        }
    }
    if (!best) return std::nullopt;
    return best_kw;
}

std::optional<double> min_of(std::optional<double> a, std::optional<double> b) {
    if (!a) return b;
    if (!b) return a;
    return std::min(*a, *b);
}

std::optional<double> station_cap(const std::vector<ChargingProfile>& profiles, const std::string& cs,
                                  std::int64_t t, const CompositionOptions& o) {
    const auto of = [&](ProfilePurpose purpose) {
        return winner(profiles, t, nullptr, o, [&](const ChargingProfile& p) {
            return p.cs == cs && p.purpose == purpose && p.connector == 0;
        });
    };
    return min_of(of(ProfilePurpose::station_max), of(ProfilePurpose::external));
}

}  // namespace

const char* to_string(ProfilePurpose p) {
    switch (p) {
        case ProfilePurpose::station_max:
            return "StationMax";
        case ProfilePurpose::tx_default:
            return "TxDefault";
        case ProfilePurpose::tx:
            return "Tx";
        case ProfilePurpose::external:
            return "External";
    }
    return "?";
}

const char* to_string(ProfileKind k) {
    switch (k) {
        case ProfileKind::absolute:
            return "Absolute";
        case ProfileKind::recurring:
            return "Recurring";
        case ProfileKind::relative:
            return "Relative";
    }
    return "?";
}

bool parse_charging_profile(const json& cp, ChargingProfile& out, std::string& error) {
    if (!cp.is_object()) {
        error = "$: expected a charging profile object";
        return false;
    }
    const auto id = whole(cp, "chargingProfileId") ? whole(cp, "chargingProfileId") : whole(cp, "id");
    const auto stack = whole(cp, "stackLevel");
    if (!id || !stack) {
        error = "$: expected integer chargingProfileId (1.6) / id (2.0.1) and stackLevel";
        return false;
    }
    out.profile_id = *id;
    out.stack_level = static_cast<int>(*stack);
    const std::string purpose = text(cp, "chargingProfilePurpose");
    const auto pu = purpose_from(purpose);
    if (!pu) {
        error =
            "$.chargingProfilePurpose: expected ChargePointMaxProfile, ChargingStationMaxProfile, "
            "TxDefaultProfile, TxProfile or ChargingStationExternalConstraints, got '" +
            purpose + "'";
        return false;
    }
    out.purpose = *pu;
    const std::string kind = text(cp, "chargingProfileKind");
    if (kind == "Absolute")
        out.kind = ProfileKind::absolute;
    else if (kind == "Recurring")
        out.kind = ProfileKind::recurring;
    else if (kind == "Relative")
        out.kind = ProfileKind::relative;
    else {
        error = "$.chargingProfileKind: expected Absolute, Recurring or Relative, got '" + kind + "'";
        return false;
    }
    out.weekly = text(cp, "recurrencyKind") == "Weekly";
    if (const json* tx = member(cp, "transactionId"))
        out.transaction_id = tx->is_string()           ? tx->get<std::string>()
                             : tx->is_number_integer() ? std::to_string(tx->get<std::int64_t>())
                                                       : "";
    if (!read_time(cp, "validFrom", out.valid_from_ms, error, "$") ||
        !read_time(cp, "validTo", out.valid_to_ms, error, "$"))
        return false;
    // 1.6: one chargingSchedule object; 2.0.1: an array of one to three, of which the first is used.
    const json* sched = member(cp, "chargingSchedule");
    std::string path = "$.chargingSchedule";
    if (sched && sched->is_array()) {
        if (sched->empty())
            sched = nullptr;
        else
            sched = &(*sched)[0], path += "[0]";
    }
    if (!sched || !sched->is_object()) {
        error = "$.chargingSchedule: expected a schedule object (1.6) or a non-empty array (2.0.1)";
        return false;
    }
    if (!read_time(*sched, "startSchedule", out.start_schedule_ms, error, path)) return false;
    if (const auto d = whole(*sched, "duration")) {
        if (*d < 0 || *d > kMaxSeconds) {
            error = path + ".duration: expected seconds between 0 and " + std::to_string(kMaxSeconds);
            return false;
        }
        out.duration_ms = *d * 1000;
    }
    const std::string unit = text(*sched, "chargingRateUnit");
    if (unit != "A" && unit != "W") {
        error = path + ".chargingRateUnit: expected A or W, got '" + unit + "'";
        return false;
    }
    out.unit = unit[0];
    const json* periods = member(*sched, "chargingSchedulePeriod");
    if (!periods || !periods->is_array() || periods->empty()) {
        error = path + ".chargingSchedulePeriod: expected a non-empty array";
        return false;
    }
    out.periods.clear();
    for (std::size_t i = 0; i < periods->size(); ++i) {
        const json& pe = (*periods)[i];
        const auto start = whole(pe, "startPeriod");
        const json* limit = member(pe, "limit");
        if (!start || *start < 0 || *start > kMaxSeconds || !limit || !limit->is_number() ||
            !(limit->get<double>() >= 0) || !std::isfinite(limit->get<double>())) {
            error = path + ".chargingSchedulePeriod[" + std::to_string(i) +
                    "]: expected startPeriod >= 0 (s) and a finite limit >= 0";
            return false;
        }
        SchedulePeriod sp;
        sp.start_ms = *start * 1000;
        sp.limit = limit->get<double>();
        if (const auto n = whole(pe, "numberPhases"))
            sp.phases = static_cast<int>(std::clamp<std::int64_t>(*n, 1, 3));
        out.periods.push_back(sp);
    }
    std::stable_sort(
        out.periods.begin(), out.periods.end(),
        [](const SchedulePeriod& a, const SchedulePeriod& b) { return a.start_ms < b.start_ms; });
    return true;
}

ProfileCriteria parse_clear_criteria(const json& payload) {
    ProfileCriteria c;
    c.profile_id = whole(payload, "id") ? whole(payload, "id") : whole(payload, "chargingProfileId");
    const json* crit = member(payload, "chargingProfileCriteria");  // 2.0.1
    const json& src = crit ? *crit : payload;
    if (const auto n = whole(src, crit ? "evseId" : "connectorId")) c.connector = static_cast<int>(*n);
    if (const auto s = whole(src, "stackLevel")) c.stack_level = static_cast<int>(*s);
    c.purpose = purpose_from(text(src, "chargingProfilePurpose"));
    return c;
}

bool matches(const ChargingProfile& p, const ProfileCriteria& c) {
    return (!c.profile_id || *c.profile_id == p.profile_id) &&
           (!c.connector || *c.connector == p.connector) && (!c.purpose || *c.purpose == p.purpose) &&
           (!c.stack_level || *c.stack_level == p.stack_level);
}

double limit_kw(const ChargingProfile& p, const SchedulePeriod& period, const CompositionOptions& o) {
    if (p.unit == 'W') return period.limit / 1000.0;
    return period.limit * period.phases * o.voltage_v / 1000.0;
}

std::optional<double> profile_limit_at(const ChargingProfile& p, std::int64_t t, const Transaction* tx,
                                       const CompositionOptions& o) {
    if (!p.accepted || t < p.set_ms || (p.cleared_ms && t >= *p.cleared_ms)) return std::nullopt;
    if ((p.valid_from_ms && t < *p.valid_from_ms) || (p.valid_to_ms && t >= *p.valid_to_ms))
        return std::nullopt;
    if (p.purpose == ProfilePurpose::tx && (!tx || !active_at(*tx, t))) return std::nullopt;
    const auto start = schedule_start(p, tx);
    if (!start || t < *start) return std::nullopt;
    std::int64_t offset = t - *start;
    if (p.kind == ProfileKind::recurring) offset %= p.weekly ? 7 * kDayMs : kDayMs;
    if (p.duration_ms && offset >= *p.duration_ms) return std::nullopt;
    const SchedulePeriod* in_force = nullptr;
    for (const SchedulePeriod& sp : p.periods)
        if (sp.start_ms <= offset) in_force = &sp;
    if (!in_force) return std::nullopt;
    return limit_kw(p, *in_force, o);
}

std::optional<double> effective_limit_at(const std::vector<ChargingProfile>& profiles,
                                         const std::vector<Transaction>& transactions, const std::string& cs,
                                         int connector, std::int64_t t, const CompositionOptions& o) {
    const auto cap = station_cap(profiles, cs, t, o);
    if (connector == 0) return cap;
    const Transaction* tx = active_transaction(transactions, cs, connector, t);
    std::optional<double> limit;
    if (tx)
        limit = winner(profiles, t, tx, o, [&](const ChargingProfile& p) {
            return p.cs == cs && p.purpose == ProfilePurpose::tx && p.connector == connector &&
                   bound_to(p, *tx, transactions);
        });
    for (const int c : {connector, 0}) {
        if (limit) break;
        limit = winner(profiles, t, tx, o, [&](const ChargingProfile& p) {
            return p.cs == cs && p.purpose == ProfilePurpose::tx_default && p.connector == c;
        });
    }
    return min_of(limit, cap);
}

std::vector<EffectiveLimit> compose_limits(const std::vector<ChargingProfile>& profiles,
                                           const std::vector<Transaction>& transactions, std::int64_t from,
                                           std::int64_t to, const CompositionOptions& o) {
    std::vector<EffectiveLimit> out;
    if (to <= from) return out;
    // The connectors to compose: those a profile names, connector 0 where a station cap exists, and
    // every connector with a transaction on a station that has profiles for connector 0.
    std::map<std::string, std::set<int>> targets;
    for (const ChargingProfile& p : profiles)
        if (p.accepted) targets[p.cs].insert(p.connector);
    for (const Transaction& tx : transactions)
        if (targets.count(tx.cs) && tx.connector > 0) targets[tx.cs].insert(tx.connector);

    for (const auto& target : targets) {
        const std::string& cs = target.first;  // not a structured binding: lambdas below capture it
        const std::set<int>& connectors = target.second;
        // This station's own profiles and transactions: each instant looks only at them.
        std::vector<ChargingProfile> own_profiles;
        std::vector<Transaction> own_transactions;
        for (const ChargingProfile& p : profiles)
            if (p.cs == cs) own_profiles.push_back(p);
        for (const Transaction& tx : transactions)
            if (tx.cs == cs) own_transactions.push_back(tx);
        // Every instant where some limit of this station may change.
        std::set<std::int64_t> cuts{from};
        const auto add = [&](std::int64_t t) {
            if (t > from && t < to) cuts.insert(t);
        };
        for (const Transaction& tx : transactions) {
            if (tx.cs != cs) continue;
            add(tx.start_ms);
            if (tx.stop_ms) add(*tx.stop_ms);
        }
        for (const ChargingProfile& p : profiles) {
            if (p.cs != cs || !p.accepted) continue;
            add(p.set_ms);
            if (p.cleared_ms) add(*p.cleared_ms);
            if (p.valid_from_ms) add(*p.valid_from_ms);
            if (p.valid_to_ms) add(*p.valid_to_ms);
            std::vector<std::int64_t> starts;
            if (p.kind == ProfileKind::relative) {
                for (const Transaction& tx : transactions)
                    if (tx.cs == cs) starts.push_back(tx.start_ms);
            } else if (p.kind == ProfileKind::absolute) {
                starts.push_back(*schedule_start(p, nullptr));
            } else {
                const std::int64_t period = p.weekly ? 7 * kDayMs : kDayMs;
                const std::int64_t s0 = *schedule_start(p, nullptr);
                const std::int64_t k0 = from > s0 ? (from - s0) / period : 0;
                std::int64_t n = 0;
                for (std::int64_t s = s0 + k0 * period; s < to && n < kMaxRecurrences; s += period, ++n)
                    starts.push_back(s);
            }
            for (const std::int64_t s : starts) {
                for (const SchedulePeriod& sp : p.periods) add(s + sp.start_ms);
                if (p.duration_ms) add(s + *p.duration_ms);
            }
        }
        for (const int c : connectors) {
            std::optional<double> current;
            std::int64_t since = from;
            const auto close = [&](std::int64_t t) {
                if (current && t > since) {
                    if (!out.empty() && out.back().cs == cs && out.back().connector == c &&
                        out.back().to_ms == since && out.back().limit_kw == *current)
                        out.back().to_ms = t;
                    else
                        out.push_back({cs, c, since, t, *current});
                }
            };
            for (const std::int64_t t : cuts) {
                const auto kw = effective_limit_at(own_profiles, own_transactions, cs, c, t, o);
                if (kw == current) continue;
                close(t);
                current = kw;
                since = t;
            }
            close(to);
        }
    }
    return out;
}

}  // namespace evtwin::ocpp
