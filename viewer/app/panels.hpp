#pragma once
// The dashboard's panels. Each draws into the current ImGui window, synchronised to the cursor.
#include "viewer/app/app_state.hpp"

#include <imgui.h>

namespace evtwin::viewer {

void draw_timeline(AppState& s);
void draw_site_tree(AppState& s);
// Returns the screen rectangle of the plot area (for the screenshot test's layout report).
ImVec4 draw_power_plot(AppState& s, ImVec2 size);
void draw_heatmap(AppState& s, ImVec2 size);
void draw_cost(AppState& s, ImVec2 size);
void draw_kpis(AppState& s);
void draw_event_log(AppState& s);
// Returns the screen rectangle of the rows' plot area (visible part; zeros when nothing is drawn).
ImVec4 draw_stations(AppState& s);
void draw_batteries(AppState& s);
// Returns the screen rectangle of the feeder's drawing (zeros when the run has no feeder).
ImVec4 draw_feeder(AppState& s);
void draw_debug_overlay(const AppState& s);

// Shared drawing helpers.
float time_to_x(Time t, Time from, Time to, float x0, float width);
Time x_to_time(float x, Time from, Time to, float x0, float width);

}  // namespace evtwin::viewer
