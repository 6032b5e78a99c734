#pragma once
// Small pieces shared by the site tree and the Batteries list: a battery's grade as a coloured
// chip, and the tooltip with its health, use and sub-scores with their reasons.
#include "viewer/data/batteries.hpp"

namespace evtwin::viewer {

// `label` on the colour of `grade` (A-D; grey otherwise), inline with the current line.
void grade_chip(char grade, const char* label);
// "B 78": the battery's grade and score ("ungraded" in grey).
void grade_chip(const BatteryRow& b);
// The tooltip body (call between BeginTooltip and EndTooltip).
void battery_details(const BatteryRow& b);

}  // namespace evtwin::viewer
