#pragma once
// The whole viewer window: the timeline on top, the site tree and KPIs on the left, the power
// plot, heatmap, cost and event log on the right, and the optional debug overlay.
#include "app/app_state.hpp"

#include <imgui.h>

namespace evtwin::viewer {

struct DashboardLayout {
    ImVec4 power_plot;  // x, y, width, height in pixels of the plot area
};

// Keyboard (Space, arrows, F1) is read here too.
DashboardLayout draw_dashboard(AppState& s);

}  // namespace evtwin::viewer
