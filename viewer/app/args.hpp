#pragma once
// Command line of evtwin-viewer.
#include "record/schema/records.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace evtwin::viewer {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct ViewerArgs {
    std::string db;
    std::optional<RunId> run;
    std::optional<RunId> compare;
    std::string screenshot;    // PNG to write; empty: interactive
    std::string at;            // the cursor to start at (a time entry; relative ones from the run's start)
    std::string span = "+1d";  // width of the plot window, as a relative time entry
    int width = 1600;
    int height = 900;
    std::string tab;       // the tab under the heatmap to open first: events, stations, batteries
    bool utc = false;      // show and read times in UTC instead of the site's time zone
    int bench_frames = 0;  // > 0: play that many frames and print open and frame times
    bool help = false;
};

// Throws UsageError naming the bad argument.
ViewerArgs parse_viewer_args(const std::vector<std::string>& argv);

const char* viewer_usage();

}  // namespace evtwin::viewer
