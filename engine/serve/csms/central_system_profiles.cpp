// The strategy's limits as charging profiles: a TxProfile per transaction (TxDefaultProfile where a
// charger refuses those) and a station maximum per charge point, lowered before anything is raised
// so that the site stays within its limits while the profiles travel; GetCompositeSchedule
// confirms what the charger applies.
#include "serve/csms/central_system_link.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>

namespace evtwin::serve {

using nlohmann::json;

namespace {

constexpr double kChangeKw = 0.05;          // smaller changes of a limit are not sent
constexpr int kStationMaxProfileId = 1;     // one station maximum per charge point, replaced each time
constexpr int kConnectorProfileBase = 100;  // connector n's profile: 100 + n, replaced each time

// A connector's limit accepted in the unit it went out in, to be confirmed.
struct Accepted {
    std::shared_ptr<CentralSystem::Link> link;
    int number;
    char unit;
};

// Counts the calls of one round still unanswered, and keeps the limits accepted.
struct Round {
    std::mutex mutex;
    std::condition_variable done;
    std::size_t open = 0;
    std::vector<Accepted> accepted;
    void finish(std::optional<Accepted> a) {
        std::lock_guard lock(mutex);
        if (a) accepted.push_back(std::move(*a));
        if (--open == 0) done.notify_all();
    }
};

}  // namespace

double CentralSystem::limit_in_unit(ConnectorIndex c, double kw, char unit) const {
    // Tenths (1.6's schema asks for multiples of 0.1), rounded down: never above the kW limit, but
    // noise in the last bits of a decided power (an optimiser's 10.99999999999909 kW) costs no tenth.
    const double limit =
        unit == 'W' ? kw * 1000.0 : amps_per_phase(kw, map_.at(c).charger->voltage_v, config_.phases);
    return std::floor(limit * 10.0 + 1e-6) / 10.0;
}

double CentralSystem::kw_of_limit(ConnectorIndex c, double limit, char unit) const {
    if (unit == 'W') return limit / 1000.0;
    return kw_from_amps(limit, map_.at(c).charger->voltage_v, config_.phases);
}

void CentralSystem::decide_and_send(Time t) {
    const std::vector<double> limits = twin_.decide(t);
    std::vector<std::shared_ptr<Link>> links;
    {
        std::lock_guard lock(links_mutex_);
        for (const auto& [id, link] : by_id_) links.push_back(link);
    }
    struct Change {
        std::shared_ptr<Link> link;
        int number;  // 0: the station maximum
        double kw;
    };
    std::vector<Change> lower, raise;
    for (const auto& link : links) {
        std::lock_guard lock(link->mutex);
        double station = 0.0, rating = 0.0;
        for (auto& [number, cl] : link->connectors) {
            const double kw = limits[cl.connector];
            station += std::max(kw, 0.0);  // a discharging connector draws nothing
            rating += map_.at(cl.connector).charger->max_kw;
            if (cl.transaction_id.empty()) continue;
            if (cl.sent_kw && std::abs(*cl.sent_kw - kw) < kChangeKw) continue;
            const double before = cl.sent_kw.value_or(map_.at(cl.connector).charger->max_kw);
            // What raises neither the charging nor the discharging goes out first; a change that
            // raises either goes through the lesser of both on the way (zero across a sign change).
            const double meet = kw >= 0.0 && before >= 0.0   ? std::min(kw, before)
                                : kw <= 0.0 && before <= 0.0 ? std::max(kw, before)
                                                             : 0.0;
            if (meet == kw) {
                lower.push_back({link, number, kw});
            } else {
                if (meet != before) lower.push_back({link, number, meet});
                raise.push_back({link, number, kw});
            }
            cl.sent_kw = kw;
        }
        if (!link->station_max_kw || std::abs(*link->station_max_kw - station) >= kChangeKw) {
            // A lowered maximum goes out with the lowered limits; a raised one before the raised limits.
            if (station <= link->station_max_kw.value_or(rating))
                lower.push_back({link, 0, station});
            else
                raise.insert(raise.begin(), {link, 0, station});
            link->station_max_kw = station;
        }
    }
    // Each connector's limit is confirmed once every profile of the decision is in force: asked
    // between the lowered limits and a raised station maximum, a charger reports the old maximum.
    std::vector<Accepted> accepted;
    for (std::vector<Change>* batch : {&lower, &raise}) {
        auto round = std::make_shared<Round>();
        round->open = batch->size();
        for (const Change& ch : *batch)
            send_limit(ch.link, ch.number, ch.kw, t, false,
                       [round, link = ch.link, number = ch.number](std::optional<char> unit) {
                           round->finish(unit ? std::optional<Accepted>(Accepted{link, number, *unit})
                                              : std::nullopt);
                       });
        std::unique_lock lock(round->mutex);
        round->done.wait_for(lock, config_.call_timeout, [&] { return round->open == 0; });
        accepted.insert(accepted.end(), round->accepted.begin(), round->accepted.end());
    }
    for (std::size_t i = 0; i < accepted.size(); ++i) {
        const Accepted& a = accepted[i];
        // A connector that went through an intermediate limit is confirmed once, at its last.
        const bool later =
            std::any_of(accepted.begin() + static_cast<std::ptrdiff_t>(i) + 1, accepted.end(),
                        [&](const Accepted& b) { return b.link == a.link && b.number == a.number; });
        if (!later) confirm(a.link, a.number, a.unit);
    }
}

void CentralSystem::send_limit(const std::shared_ptr<Link>& link, int number, double kw, Time t,
                               bool tx_default, std::function<void(std::optional<char>)> done) {
    ProfileLimit p;
    p.connector = number;
    p.start_ms = t.ms();
    p.stack_level = 1;
    p.phases = config_.phases;
    ConnectorIndex c = kNone;
    {
        std::lock_guard lock(link->mutex);
        // The station maximum goes out in the charge point's unit, at its first connector's voltage.
        ConnectorLink& cl = link->connectors.at(number == 0 ? link->connectors.begin()->first : number);
        c = cl.connector;
        p.unit = cl.unit;
        if (number == 0) {
            p.purpose = ocpp::ProfilePurpose::station_max;
            p.profile_id = kStationMaxProfileId;
        } else {
            tx_default = tx_default || cl.tx_profile_refused || cl.transaction_id.empty();
            p.purpose = tx_default ? ocpp::ProfilePurpose::tx_default : ocpp::ProfilePurpose::tx;
            if (!tx_default) p.transaction_id = cl.transaction_id;
            p.profile_id = kConnectorProfileBase + number;
        }
    }
    p.limit = limit_in_unit(c, std::max(kw, 0.0), p.unit);
    if (kw < 0.0) p.discharge = limit_in_unit(c, -kw, p.unit);
    send_call(link, "SetChargingProfile", set_charging_profile_payload(link->version, p),
              [this, link, number, kw, t, tx_default, c, p, done](const json* result, const RpcError* error) {
                  const bool accepted = result && profile_status(*result) == ProfileStatus::accepted;
                  // The charger said no (not a timeout or a closed connection): try what it may take.
                  const bool refused = !accepted && (result || (error && error->code != call_code::timeout &&
                                                                error->code != call_code::cancelled &&
                                                                error->code != call_code::queue_full));
                  if (accepted && number != 0) {
                      {
                          std::lock_guard lock(link->mutex);
                          ConnectorLink& cl = link->connectors.at(number);
                          cl.accepted_kw = kw_of_limit(c, p.limit, p.unit);
                          cl.accepted_at = clock_.now();
                          cl.ignored_reported = false;
                      }
                      done(p.unit);
                      return;
                  } else if (refused && number != 0 && !tx_default && retry_refusal(*link, number)) {
                      // A station may refuse a TxProfile for a transaction it has not registered
                      // yet (the profile overtook its own StartTransaction.conf): asked once more
                      // before the unit or the profile type is taken as unsupported.
                      send_limit(link, number, kw, t, tx_default, done);
                      return;
                  } else if (refused && number != 0 && switch_unit(*link, number)) {
                      // A charger that takes limits in the other unit only.
                      twin_.note(clock_.now(), c,
                                 "profile in " + std::string(1, p.unit) + " refused by " + link->id +
                                     "; sent in " + (p.unit == 'A' ? "W" : "A"));
                      send_limit(link, number, kw, t, tx_default, done);
                      return;
                  } else if (refused && number != 0 && !tx_default) {
                      // A charger that takes no TxProfile may still take a default for its connector.
                      {
                          std::lock_guard lock(link->mutex);
                          link->connectors.at(number).tx_profile_refused = true;
                      }
                      twin_.note(clock_.now(), c,
                                 "TxProfile refused by " + link->id + "; TxDefaultProfile sent");
                      send_limit(link, number, kw, t, true, done);
                      return;
                  } else if (!accepted) {
                      twin_.note(clock_.now(), c,
                                 "SetChargingProfile refused by " + link->id + " (" +
                                     (error    ? error->code
                                      : result ? result->value("status", "?")
                                               : "?") +
                                     ")");
                  }
                  done(std::nullopt);
              });
}

// Once per transaction: a refused TxProfile is sent again. False when it was.
bool CentralSystem::retry_refusal(Link& link, int number) {
    std::lock_guard lock(link.mutex);
    ConnectorLink& cl = link.connectors.at(number);
    if (cl.refusal_retried) return false;
    cl.refusal_retried = true;
    return true;
}

// Once per connector: its profiles go out in the other unit from now on. False when it was tried.
bool CentralSystem::switch_unit(Link& link, int number) {
    std::lock_guard lock(link.mutex);
    ConnectorLink& cl = link.connectors.at(number);
    if (cl.unit_switched) return false;
    cl.unit_switched = true;
    cl.unit = cl.unit == 'A' ? 'W' : 'A';
    return true;
}

// Asks the charger what it applies now; a limit other than the one accepted is recorded.
void CentralSystem::confirm(const std::shared_ptr<Link>& link, int number, char unit) {
    const Duration window = twin_.control_period();
    send_call(
        link, "GetCompositeSchedule",
        get_composite_schedule_payload(link->version, number, static_cast<int>(window.ms() / 1000), unit),
        [this, link, number](const json* result, const RpcError*) {
            if (!result) return;
            const Time now = clock_.now();
            const std::optional<ScheduledLimit> applied =
                composite_limit_at(link->version, *result, now.ms());
            if (!applied) return;
            double accepted = 0.0;
            ConnectorIndex c = kNone;
            {
                std::lock_guard lock(link->mutex);
                const ConnectorLink& cl = link->connectors.at(number);
                accepted = cl.accepted_kw;
                c = cl.connector;
            }
            const double kw =
                applied->unit == 'W'
                    ? applied->limit / 1000.0
                    : kw_from_amps(applied->limit, map_.at(c).charger->voltage_v, applied->phases);
            if (std::abs(kw - accepted) > 0.05 * accepted + kChangeKw)
                twin_.note(now, c,
                           "composite schedule of " + link->id + "/" + std::to_string(number) + ": " +
                               std::to_string(kw) + " kW, not the " + std::to_string(accepted) +
                               " kW accepted");
        });
}

}  // namespace evtwin::serve
