#pragma once
// The whole viewer window: the timeline on top, the site tree and KPIs on the left, the power
// plot, heatmap, cost and the tabs events / stations / batteries on the right, and the optional debug
// overlay.
#include "viewer/app/app_state.hpp"

#include <imgui.h>

namespace evtwin::viewer {

struct DashboardLayout {
    ImVec4 power_plot;  // x, y, width, height in pixels of the plot area
    ImVec4 site_tree;   // the site tree panel
    ImVec4 stations;    // the stations' plot area, when that tab is shown
    ImVec4 feeder;      // the feeder's drawing, when that tab is shown
};

// Keyboard (Space, arrows, F1) is read here too.
DashboardLayout draw_dashboard(AppState& s);

}  // namespace evtwin::viewer
