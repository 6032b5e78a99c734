#include "viewer/data/batteries.hpp"

#include <algorithm>

namespace evtwin::viewer {

std::vector<BatteryRow> join_batteries(std::vector<BatteryUsage> usage,
                                       const std::vector<BatteryGradeRow>& grades) {
    std::vector<BatteryRow> out;
    out.reserve(usage.size());
    auto g = grades.begin();
    for (BatteryUsage& u : usage) {
        BatteryRow row;
        while (g != grades.end() && g->battery < u.battery) ++g;
        if (g != grades.end() && g->battery == u.battery) {
            row.graded = true;
            row.score = g->score;
            row.grade = g->grade;
            row.sub_scores = g->sub_scores;
        }
        row.usage = std::move(u);
        out.push_back(std::move(row));
    }
    return out;
}

std::string vehicle_battery_name(std::string_view vehicle) {
    return std::string("ev:").append(vehicle);
}

void sort_batteries(std::vector<std::size_t>& order, const std::vector<BatteryRow>& rows, BatterySort key,
                    bool descending) {
    // In the natural order: -1 when a comes first, 1 when b does.
    const auto before = [&](const BatteryRow& a, const BatteryRow& b) -> int {  // -1, 0, 1
        const auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
        switch (key) {
            case BatterySort::name:
                return cmp(a.usage.battery, b.usage.battery);
            case BatterySort::grade:
                return a.grade != b.grade ? cmp(a.grade, b.grade) : cmp(b.score, a.score);
            case BatterySort::score:
                return cmp(b.score, a.score);
            case BatterySort::soh_start:
                return cmp(a.usage.soh_start, b.usage.soh_start);
            case BatterySort::soh_end:
                return cmp(a.usage.soh_end, b.usage.soh_end);
            case BatterySort::efc:
                return cmp(b.usage.efc, a.usage.efc);
            case BatterySort::v2g:
                return cmp(b.usage.v2g_kwh, a.usage.v2g_kwh);
        }
        return 0;
    };
    const bool by_grade = key == BatterySort::grade || key == BatterySort::score;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
        const BatteryRow& a = rows[i];
        const BatteryRow& b = rows[j];
        if (by_grade && a.graded != b.graded) return a.graded;
        const int c = before(a, b);
        if (c == 0) return a.usage.battery < b.usage.battery;
        return descending ? c > 0 : c < 0;
    });
}

}  // namespace evtwin::viewer
