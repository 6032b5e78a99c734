#include "interop/twin_compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

namespace evtwin::test {

namespace {

using nlohmann::json;

// A connector and whether a vehicle came to it or left it.
using Change = std::pair<std::int64_t, char>;  // 'a' arrival, 'd' departure

std::string clock_text(std::int64_t ms) {
    const std::int64_t day_ms = ((ms % 86'400'000) + 86'400'000) % 86'400'000;
    char text[32];
    std::snprintf(text, sizeof text, "%02lld:%02lld:%02lld.%03lld",
                  static_cast<long long>(day_ms / 3'600'000), static_cast<long long>(day_ms / 60'000 % 60),
                  static_cast<long long>(day_ms / 1000 % 60), static_cast<long long>(day_ms % 1000));
    return text;
}

std::map<std::int64_t, std::int64_t> session_by_connector(const json& obs) {
    std::map<std::int64_t, std::int64_t> out;
    for (const json& s : obs["sessions"])
        if (s["connector"].is_number()) out[s["connector"].get<std::int64_t>()] = s["id"].get<std::int64_t>();
    return out;
}

std::set<Change> changes(const std::map<std::int64_t, std::int64_t>& before,
                         const std::map<std::int64_t, std::int64_t>& after) {
    std::set<Change> out;
    for (const auto& [c, id] : before)
        if (!after.contains(c) || after.at(c) != id) out.insert({c, 'd'});
    for (const auto& [c, id] : after)
        if (!before.contains(c) || before.at(c) != id) out.insert({c, 'a'});
    return out;
}

std::string changes_text(const std::set<Change>& set) {
    std::string out;
    for (const auto& [c, kind] : set)
        out += (out.empty() ? "" : ", ") + std::string(kind == 'a' ? "arrival" : "departure") +
               " at connector " + std::to_string(c);
    return out.empty() ? "no vehicle came or left" : out;
}

// A number as the log writes it: a JSON number, or "inf" / "-inf".
std::optional<double> number_of(const json& v) {
    if (v.is_number()) return v.get<double>();
    if (v == "inf") return INFINITY;
    if (v == "-inf") return -INFINITY;
    return std::nullopt;
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

class Comparer {
public:
    Comparer(const Tolerances& tol, TwinComparison& out) : tol_(tol), out_(out) {}

    void pair(const LoggedDecision& sim, const LoggedDecision& live, const std::string& what) {
        where_ = clock_text(sim.t_ms) + " (" + what + ")";
        observation(sim.observation, live.observation);
        json sim_decision = sim.decision, live_decision = live.decision;
        // A strategy's event says what it did in words of its own: compared by kind.
        for (json* d : {&sim_decision, &live_decision}) {
            json kinds = json::array();
            for (const json& e : (*d)["events"]) kinds.push_back(e["kind"]);
            (*d)["events"] = kinds;
        }
        value("decision", "decision", sim_decision, live_decision);
    }

private:
    void observation(const json& sim, const json& live) {
        json s = sim, l = live;
        // Sessions by connector, connectors' sessions as the connector of the session they name.
        for (json* o : {&s, &l}) {
            for (json& c : (*o)["connectors"])
                if (c["session"].is_number())
                    c["session"] = (*o)["sessions"][c["session"].get<std::size_t>()]["connector"];
        }
        std::map<std::int64_t, json> sim_sessions, live_sessions;
        for (const json& x : s["sessions"]) sim_sessions[x["connector"].get<std::int64_t>()] = x;
        for (const json& x : l["sessions"]) live_sessions[x["connector"].get<std::int64_t>()] = x;
        std::set<std::int64_t> connectors;
        for (const auto& [c, x] : sim_sessions) connectors.insert(c);
        for (const auto& [c, x] : live_sessions) connectors.insert(c);
        for (const std::int64_t c : connectors) {
            const bool in_sim = sim_sessions.contains(c), in_live = live_sessions.contains(c);
            record("observation.sessions[] (a vehicle on each connector)", in_sim == in_live, 0.0,
                   "connector " + std::to_string(c) + ": sim " + (in_sim ? "a vehicle" : "none") + ", live " +
                       (in_live ? "a vehicle" : "none"));
            if (!in_sim || !in_live) continue;
            json a = sim_sessions[c], b = live_sessions[c];
            same_vehicle(a["id"].get<std::int64_t>(), b["id"].get<std::int64_t>(), c);
            a.erase("id");
            b.erase("id");
            value("observation.sessions[]", "sessions", a, b);
        }
        // Upcoming vehicles by count, their ids through the sessions' mapping where it is known.
        json sim_ids = s["upcoming"]["ids"];
        for (json& id : sim_ids)
            if (auto it = live_id_.find(id.get<std::int64_t>()); it != live_id_.end()) id = it->second;
        s["upcoming"]["ids"] = sim_ids;
        for (const char* key : {"sessions", "t_ms", "time"}) {
            s.erase(key);
            l.erase(key);
        }
        value("observation", "observation", s, l);
    }

    // A simulated session is one live session through the run, and no two are the same one.
    void same_vehicle(std::int64_t sim_id, std::int64_t live_id, std::int64_t connector) {
        const auto [it, inserted] = live_id_.emplace(sim_id, live_id);
        const auto [back, back_inserted] = sim_id_.emplace(live_id, sim_id);
        const bool ok = it->second == live_id && back->second == sim_id;
        record("observation.sessions[].id (one live session per simulated one)", ok, 0.0,
               "connector " + std::to_string(connector) + ": sim session " + std::to_string(sim_id) +
                   " is live session " + std::to_string(live_id) + ", earlier " + std::to_string(it->second) +
                   " / " + std::to_string(back->second));
    }

    void value(const std::string& path, const std::string& key, const json& a, const json& b) {
        if (a.is_object() && b.is_object()) {
            std::set<std::string> keys;
            for (const auto& [k, v] : a.items()) keys.insert(k);
            for (const auto& [k, v] : b.items()) keys.insert(k);
            for (const std::string& k : keys) {
                const std::string sub = path + "." + k;
                if (!a.contains(k) || !b.contains(k)) {
                    record(sub, false, 0.0,
                           std::string("present in ") + (a.contains(k) ? "sim" : "live") + " only");
                    continue;
                }
                value(sub, k, a[k], b[k]);
            }
            return;
        }
        if (a.is_array() && b.is_array()) {
            if (a.size() != b.size()) {
                record(path + " (length)", false, 0.0, "sim " + a.dump() + ", live " + b.dump());
                return;
            }
            for (std::size_t i = 0; i < a.size(); ++i) value(path + "[]", key, a[i], b[i]);
            return;
        }
        const auto x = number_of(a), y = number_of(b);
        if (x && y) {
            const double diff = *x == *y ? 0.0 : std::fabs(*x - *y);
            const bool ok = diff <= tolerance(key, *x, *y);
            record(path, ok, std::isfinite(diff) ? diff : INFINITY, "sim " + a.dump() + ", live " + b.dump());
            return;
        }
        record(path, a == b, 0.0, "sim " + a.dump() + ", live " + b.dump());
    }

    double tolerance(const std::string& key, double sim, double live) const {
        static const std::set<std::string> energies = {"delivered_kwh", "remaining_kwh"};
        static const std::set<std::string> ratings = {
            "max_kw",          "min_kw",          "setpoints_kw",      "import_limit_kw",
            "export_limit_kw", "rated_charge_kw", "rated_discharge_kw"};
        const double exact = 1e-9 * std::max(std::fabs(sim), std::fabs(live));
        if (energies.contains(key)) return tol_.energy_kwh;
        if (key == "interval_kwh") return tol_.site_energy_kwh;
        if (key == "peak_kw") return tol_.demand_kw;
        if (key == "soc") return tol_.soc;
        if (key == "expected_cost") return tol_.cost_relative * std::fabs(sim) + tol_.cost_abs;
        if ((ends_with(key, "_kw") || key == "kw") && !ratings.contains(key)) return tol_.power_kw;
        return std::isfinite(exact) ? exact : 0.0;
    }

    void record(const std::string& field, bool ok, double diff, const std::string& detail) {
        FieldDifference& f = out_.fields[field];
        ++f.compared;
        if (ok) return;
        ++f.differing;
        f.max_abs = std::max(f.max_abs, diff);
        if (f.first.empty()) f.first = where_ + ": " + detail;
    }

    const Tolerances& tol_;
    TwinComparison& out_;
    std::string where_;
    std::map<std::int64_t, std::int64_t> live_id_, sim_id_;
};

}  // namespace

std::vector<LoggedDecision> read_observation_log(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::vector<LoggedDecision> out;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        try {
            json j = json::parse(line);
            out.push_back({j.at("t_ms").get<std::int64_t>(), std::move(j.at("observation")),
                           std::move(j.at("decision"))});
        } catch (const json::exception& e) {
            throw std::runtime_error(file.string() + ":" + std::to_string(number) + ": " + e.what());
        }
    }
    return out;
}

std::vector<std::string> TwinComparison::differing_fields() const {
    std::vector<std::string> out;
    for (const auto& [field, f] : fields) {
        if (f.differing == 0) continue;
        char head[64];
        std::snprintf(head, sizeof head, ": %zu of %zu differ, max |sim - live| %.6g; first at ", f.differing,
                      f.compared, f.max_abs);
        out.push_back(field + head + f.first);
    }
    return out;
}

TwinComparison compare_twins(const std::vector<LoggedDecision>& sim, const std::vector<LoggedDecision>& live,
                             const Tolerances& tolerances, std::int64_t from_ms, std::int64_t until_ms) {
    TwinComparison out;
    const auto compared = [&](const LoggedDecision& d) { return d.t_ms >= from_ms && d.t_ms < until_ms; };
    std::map<std::int64_t, const LoggedDecision*> live_at;
    for (const LoggedDecision& d : live) {
        if (!compared(d)) continue;
        ++out.live;
        if (!live_at.emplace(d.t_ms, &d).second)
            out.unmatched.push_back("live " + clock_text(d.t_ms) + ": a second decision at one instant");
    }
    Comparer comparer(tolerances, out);
    std::map<std::int64_t, std::int64_t> before;  // the vehicles of the last decision, by connector
    for (const LoggedDecision& d : sim) {
        const auto now = session_by_connector(d.observation);
        const std::set<Change> came_or_left = changes(before, now);
        before = now;
        if (!compared(d)) continue;
        ++out.simulated;
        const auto it = live_at.find(d.t_ms);
        if (it == live_at.end()) {
            out.unmatched.push_back("sim " + clock_text(d.t_ms) + ": no live decision at that instant (" +
                                    changes_text(came_or_left) + ")");
            continue;
        }
        comparer.pair(d, *it->second, changes_text(came_or_left));
        live_at.erase(it);
        ++out.matched;
    }
    for (const auto& [t, d] : live_at)
        out.unmatched.push_back("live " + clock_text(t) + ": a decision the simulation did not make");
    return out;
}

}  // namespace evtwin::test
