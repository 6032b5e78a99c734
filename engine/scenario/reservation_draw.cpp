// reservations{}: the scenario's reservations, drawn for a share of its sessions and listed.
#include "drivers/model.hpp"
#include "drivers/suggested_reservations.hpp"
#include "model/local_time.hpp"
#include "scenario/scenario_builder.hpp"
#include "scenario/scenario_loader.hpp"
#include "util/rng.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

namespace evtwin {

std::vector<ReservationSpec> ScenarioBuilder::suggested_reservations(const ReservationsDecl::Suggested& d,
                                                                     const std::string& at) const {
    try {
        std::unique_ptr<drivers::Predictor> predictor;
        if (d.predictor == "frequency")
            predictor = std::make_unique<drivers::FrequencyBaseline>();
        else if (d.predictor == "last_week")
            predictor = std::make_unique<drivers::LastWeekBaseline>();
        else
            predictor = std::make_unique<drivers::DriverModel>(drivers::read_model(d.predictor));
        std::vector<SessionSpec> sessions;
        load_session_files(spec.start - d.history, spec.start, sessions);
        sessions.insert(sessions.end(), spec.sessions.begin(), spec.sessions.end());
        std::vector<ReservationSpec> out;
        for (auto& s : drivers::suggest_reservations(sessions, *zone, spec.start, spec.end, *predictor,
                                                     {d.min_probability, d.margin}))
            out.push_back(std::move(s.reservation));
        return out;
    } catch (const ScenarioError&) {
        throw;
    } catch (const std::exception& e) {
        throw ScenarioError(at + "reservations: suggested: " + e.what());
    }
}

void ScenarioBuilder::build_reservations() {
    const ReservationsDecl& d = *reservations;
    const auto fail = [&](const std::string& at, const std::string& message) {
        throw ScenarioError(at + "reservations: " + message);
    };
    std::vector<ReservationSpec> out;
    for (const ReservationListed& l : d.listed) {
        const auto parse = [&](const char* key, const std::string& text) -> Time {
            try {
                return parse_time(text, *zone);
            } catch (const std::exception& e) {
                std::string message = l.at;
                message.append("reservations: '").append(key).append("': ").append(e.what());
                throw ScenarioError(message);
            }
        };
        ReservationSpec r{l.id_tag, l.station, parse("from", l.from), parse("to", l.to)};
        if (!l.station.empty()) {
            const auto it = names.find(l.station);
            if (it == names.end() || it->second != "charger")
                fail(l.at, "'station' '" + l.station + "' is not a charger");
        }
        if (!(r.from < r.to)) fail(l.at, "'to' (" + l.to + ") must come after 'from' (" + l.from + ")");
        if (r.from < spec.start || r.from >= spec.end)
            fail(l.at, "'from' " + l.from + " is outside the scenario period (" + format_utc(spec.start) +
                           " to " + format_utc(spec.end) + ")");
        out.push_back(std::move(r));
    }

    if (d.share > 0.0) {
        // Every session draws the same three numbers whether or not it reserves, so that one
        // session's draw does not move another's.
        Rng rng = Rng::stream(spec.seed, "reservations");
        struct Drawn {
            ReservationSpec r;
            std::size_t kept = ~std::size_t{0};  // the index of its session among those kept
        };
        std::vector<Drawn> drawn;
        std::vector<SessionSpec> kept;
        kept.reserve(spec.sessions.size());
        for (SessionSpec& s : spec.sessions) {
            const bool reserves = rng.uniform() < d.share;
            const double lead_u = rng.uniform();
            const bool no_show = rng.uniform() < d.no_show;
            if (!reserves) {
                kept.push_back(std::move(s));
                continue;
            }
            const std::int64_t lead_ms =
                d.lead_min.ms() + std::llround(lead_u * static_cast<double>((d.lead_max - d.lead_min).ms()));
            Drawn x;
            // A data file's station that names no charger of the site: any free connector, as the
            // session's arrival takes.
            if (const auto it = names.find(s.station); it != names.end() && it->second == "charger")
                x.r.station = s.station;
            x.r.from = std::max(spec.start, s.arrival - Duration(lead_ms));
            x.r.to = x.r.from + d.hold;
            if (no_show) {
                x.r.id_tag = "driver-" + std::to_string(drawn.size());
            } else {
                x.kept = kept.size();
                kept.push_back(std::move(s));
            }
            drawn.push_back(std::move(x));
        }
        for (std::size_t i = 0; i < kept.size(); ++i) kept[i].id = static_cast<SessionId>(i);
        spec.sessions = std::move(kept);
        for (Drawn& x : drawn) {
            if (x.kept != ~std::size_t{0}) x.r.id_tag = session_token(spec.sessions[x.kept]);
            out.push_back(std::move(x.r));
        }
    }
    if (d.suggested)
        for (ReservationSpec& r : suggested_reservations(*d.suggested, d.at)) out.push_back(std::move(r));
    std::stable_sort(out.begin(), out.end(),
                     [](const ReservationSpec& a, const ReservationSpec& b) { return a.from < b.from; });
    spec.reservations = std::move(out);
}

}  // namespace evtwin
