#pragma once
// Everything the panels share: the loaded run(s), their costs, the playback cursor and the view
// settings. The panels read it and change it only through the Playback and the settings here.
#include "viewer/data/cost.hpp"
#include "viewer/data/heatmap.hpp"
#include "viewer/data/run_data.hpp"
#include "viewer/timeline/playback.hpp"
#include "viewer/timeline/time_entry.hpp"

#include <array>
#include <deque>
#include <optional>
#include <string>

namespace evtwin::viewer {

struct FrameStats {
    double open_seconds = 0.0;     // loading the run(s)
    double last_frame_ms = 0.0;    // CPU + GL time of the last frame (glFinish included)
    double last_build_ms = 0.0;    // of which building the dashboard (data lookups, ImGui draw lists)
    std::deque<double> recent_ms;  // the last frames, for mean and max
    void add(double ms) {
        last_frame_ms = ms;
        recent_ms.push_back(ms);
        if (recent_ms.size() > 240) recent_ms.pop_front();
    }
};

struct PlotCache {  // what the heatmap took to compute, reused while the window does not move
    Time from, to;
    std::size_t columns = 0;
    Heatmap heat;
};

// The tabs under the heatmap.
enum class BottomTab { events, stations, batteries, feeder };

struct AppState {
    AppState(RunData a, std::optional<RunData> b);

    RunData run;
    std::optional<RunData> other;     // compare mode
    CumulativeCost cost, other_cost;  // each run at its own stored prices
    Playback playback;
    TimeView time;                      // times shown and typed in the site's zone (run A's), or in UTC
    Duration span = Duration::days(1);  // plot window width, centred on the cursor
    MarkKind jump_kind = MarkKind::arrival;
    // By EventKind; decisions hidden.
    std::array<bool, static_cast<std::size_t>(EventKind::strategy) + 1> show_event{};
    std::string time_entry;
    std::string time_error;
    bool debug_overlay = false;
    FrameStats stats;
    PlotCache heat_cache;
    std::optional<BottomTab> select_tab;       // selected once by the next frame (--tab), then the user's
    BottomTab bottom_tab = BottomTab::events;  // the tab shown in the last frame
    int station_sort = 0;                      // 0 charger order, 1 most discharged, 2 most charged (run)
    bool stations_v2g_only = false;            // V2G-capable stations and those that discharged
    std::vector<std::size_t> battery_order;    // the Batteries list's rows, as last sorted

    // The plot window: span around the cursor, shifted to stay inside the run.
    std::pair<Time, Time> window() const;
    // A newer load of the run shown, or of the one compared (RunWatch): its data replaces the old;
    // cursor, speed, window and tabs stay as they were.
    void replace_run(RunData fresh);
    void replace_other(RunData fresh);
};

}  // namespace evtwin::viewer
