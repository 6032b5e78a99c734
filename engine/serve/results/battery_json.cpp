#include "serve/net/api_error.hpp"
#include "serve/results/results_json.hpp"

#include <map>
#include <tuple>

namespace evtwin::serve {
namespace {

nlohmann::json battery_row(const BatteryUsage& u, const BatteryGradeRow* grade) {
    nlohmann::json row = {
        {"battery", u.battery},
        {"vehicle", u.vehicle},
        {"model", u.model},
        {"model_year", u.model_year == 0 ? nlohmann::json(nullptr) : nlohmann::json(u.model_year)},
        {"chemistry", u.chemistry},
        {"capacity_kwh", u.capacity_kwh},
        {"age_years", u.age_years},
        {"soh_start", u.soh_start},
        {"soh_end", u.soh_end},
        {"expected_soh", u.expected_soh},
        {"sessions", u.sessions},
        {"efc", u.efc},
        {"v2g_kwh", u.v2g_kwh},
        {"score", grade ? nlohmann::json(grade->score) : nlohmann::json(nullptr)},
        {"grade", grade ? nlohmann::json(std::string(1, grade->grade)) : nlohmann::json(nullptr)}};
    nlohmann::json subs = nlohmann::json::array();
    if (grade)
        for (const BatterySubScoreRow& s : grade->sub_scores)
            subs.push_back(
                {{"name", s.name}, {"score", s.score}, {"weight", s.weight}, {"reason", s.reason}});
    row["sub_scores"] = subs;
    return row;
}

// The vehicle's state of health at the arrival of each of its sessions, then at the run's end.
nlohmann::json soh_history(const RunReader& reader, const RunRecord& run, const BatteryUsage& u) {
    nlohmann::json points = nlohmann::json::array();
    reader.for_each_session(run.id, [&](const SessionRecord& s) {
        if (s.vehicle_id == u.vehicle)
            points.push_back({{"t_ms", s.arrival.ms()}, {"soh", s.soh}, {"session", s.id}});
    });
    points.push_back({{"t_ms", run.data_end().ms()}, {"soh", u.soh_end}, {"session", nullptr}});
    return points;
}

}  // namespace

nlohmann::json battery_fleet(const RunReader& reader, const RunRecord& run,
                             const std::optional<std::string>& vehicle) {
    const std::vector<BatteryUsage> usage = reader.battery_health(run.id);
    const std::vector<BatteryGradeRow> grades = reader.battery_grades(run.id);
    std::map<std::string, const BatteryGradeRow*> grade_of;
    for (const BatteryGradeRow& g : grades) grade_of[g.battery] = &g;
    const auto graded = [&](const std::string& battery) {
        const auto it = grade_of.find(battery);
        return it == grade_of.end() ? nullptr : it->second;
    };

    nlohmann::json vehicles = nlohmann::json::array();
    nlohmann::json ess = nlohmann::json::array();
    nlohmann::json history = nullptr;
    std::map<char, int> grade_counts = {{'A', 0}, {'B', 0}, {'C', 0}, {'D', 0}};
    struct Group {
        int count = 0, graded = 0;
        double soh_end = 0, score = 0;
        std::map<char, int> grades;
    };
    std::map<std::tuple<std::string, int>, Group> groups;
    for (const BatteryUsage& u : usage) {
        const BatteryGradeRow* g = graded(u.battery);
        if (is_ess_battery(u.battery)) {
            ess.push_back(battery_row(u, g));
            continue;
        }
        vehicles.push_back(battery_row(u, g));
        Group& group = groups[{u.model, u.model_year}];
        ++group.count;
        group.soh_end += u.soh_end;
        if (g) {
            ++group.graded;
            group.score += g->score;
            ++group.grades[g->grade];
            ++grade_counts[g->grade];
        }
        if (vehicle && u.vehicle == *vehicle) history = soh_history(reader, run, u);
    }
    if (vehicle && history.is_null())
        throw ApiError(422, "vehicle",
                       "vehicle: run " + std::to_string(run.id) + " has no vehicle '" + *vehicle + "'");

    nlohmann::json by_model = nlohmann::json::array();
    for (const auto& [key, group] : groups) {
        nlohmann::json counts = nlohmann::json::object();
        for (const auto& [grade, n] : group.grades) counts[std::string(1, grade)] = n;
        by_model.push_back({{"model", std::get<0>(key)},
                            {"model_year", std::get<1>(key) == 0 ? nlohmann::json(nullptr)
                                                                 : nlohmann::json(std::get<1>(key))},
                            {"vehicles", group.count},
                            {"mean_soh_end", group.soh_end / group.count},
                            {"mean_score", group.graded ? nlohmann::json(group.score / group.graded)
                                                        : nlohmann::json(nullptr)},
                            {"grades", counts}});
    }
    nlohmann::json counts = nlohmann::json::object();
    for (const auto& [grade, n] : grade_counts) counts[std::string(1, grade)] = n;
    nlohmann::json out = {
        {"run", run.id}, {"grades", counts}, {"by_model", by_model}, {"vehicles", vehicles}, {"ess", ess}};
    if (vehicle) out["history"] = {{"vehicle", *vehicle}, {"points", history}};
    return out;
}

}  // namespace evtwin::serve
