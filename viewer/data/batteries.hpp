#pragma once
// The run's batteries that persist through it (vehicles with an id, the ESS) joined with their
// health grades, for the site tree and the Batteries list (docs/battery.md).
#include "record/reader/run_reader.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin::viewer {

struct BatteryRow {
    BatteryUsage usage;
    bool graded = false;
    double score = 0.0;  // 0-100, when graded
    char grade = '?';    // A-D, when graded
    std::vector<BatterySubScoreRow> sub_scores;
};

// Both by battery name, as the reader returns them; the result too.
std::vector<BatteryRow> join_batteries(std::vector<BatteryUsage> usage,
                                       const std::vector<BatteryGradeRow>& grades);

// The battery_health name of a vehicle ("ev:<vehicle>").
std::string vehicle_battery_name(std::string_view vehicle);

enum class BatterySort { name, grade, score, soh_start, soh_end, efc, v2g };

// Orders `order` (indices into `rows`): best first for grade and score, lowest first for SoH, most
// first for equivalent full cycles and V2G energy; `descending` flips that. Ungraded batteries come last when
// sorting by grade or score; ties keep the name order.
void sort_batteries(std::vector<std::size_t>& order, const std::vector<BatteryRow>& rows, BatterySort key,
                    bool descending);

}  // namespace evtwin::viewer
