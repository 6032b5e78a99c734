#include "viewer/app/args.hpp"

#include <charconv>

namespace evtwin::viewer {

namespace {

template <class T>
T number(const std::string& flag, const std::string& v) {
    T out{};
    const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || p != v.data() + v.size() || out <= 0)
        throw UsageError(flag + ": expected a positive whole number, got '" + v + "'");
    return out;
}

}  // namespace

const char* viewer_usage() {
    return "usage: evtwin-viewer RUN.db [--run ID] [--compare ID2] [--span 1d] [--utc]\n"
           "                     [--tab events|stations|batteries|feeder] [--at TIME]\n"
           "                     [--screenshot out.png --at TIME [--size WxH]] [--bench FRAMES]\n"
           "\n"
           "Replays a run of an evtwin results database (docs/viewer.md).\n"
           "  --run ID          the run to show (default: the latest in the file)\n"
           "  --compare ID2     a second run of the same file: KPI deltas, both power curves\n"
           "  --span D          width of the plot window, e.g. 6h, 1d, 7d (default 1d)\n"
           "  --tab NAME        open that tab under the heatmap: events (default), stations (charge and\n"
           "                    discharge per charger), batteries (health and grades), feeder (the\n"
           "                    distribution feeder's buses coloured by voltage, for a run with one)\n"
           "  --screenshot PNG  render one frame offscreen at --at and write it (no interaction)\n"
           "  --utc             show and read times in UTC (default: the site's time zone, as stored\n"
           "                    with the run)\n"
           "  --at TIME         start with the cursor at TIME: 2024-07-01T12:00 (site time; UTC with a\n"
           "                    trailing Z or --utc) or +1d12h from the run's start\n"
           "  --size WxH        window / image size (default 1600x900)\n"
           "  --bench N         play N frames at 3600x and print open time and frame times\n"
           "keys: Space play/pause, Left/Right step, F1 debug overlay\n";
}

ViewerArgs parse_viewer_args(const std::vector<std::string>& argv) {
    ViewerArgs a;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& s = argv[i];
        const auto value = [&]() -> const std::string& {
            if (i + 1 >= argv.size()) throw UsageError(s + ": expected a value after it");
            return argv[++i];
        };
        if (s == "-h" || s == "--help")
            a.help = true;
        else if (s == "--run")
            a.run = number<RunId>(s, value());
        else if (s == "--compare")
            a.compare = number<RunId>(s, value());
        else if (s == "--screenshot")
            a.screenshot = value();
        else if (s == "--at")
            a.at = value();
        else if (s == "--utc")
            a.utc = true;
        else if (s == "--tab") {
            a.tab = value();
            if (a.tab != "events" && a.tab != "stations" && a.tab != "batteries" && a.tab != "feeder")
                throw UsageError("--tab: expected events, stations, batteries or feeder, got '" + a.tab +
                                 "'");
        } else if (s == "--span") {
            a.span = value();
            if (!a.span.empty() && a.span[0] != '+') a.span = "+" + a.span;
        } else if (s == "--bench")
            a.bench_frames = number<int>(s, value());
        else if (s == "--size") {
            const std::string& v = value();
            const auto x = v.find('x');
            if (x == std::string::npos)
                throw UsageError("--size: expected WxH, e.g. 1280x720, got '" + v + "'");
            a.width = number<int>(s, v.substr(0, x));
            a.height = number<int>(s, v.substr(x + 1));
            if (a.width < 320 || a.height < 240 || a.width > 8192 || a.height > 8192)
                throw UsageError("--size: expected 320x240 to 8192x8192, got '" + v + "'");
        } else if (!s.empty() && s[0] == '-')
            throw UsageError("unknown option '" + s + "'");
        else if (a.db.empty())
            a.db = s;
        else
            throw UsageError("unexpected argument '" + s + "' (one database only)");
    }
    if (!a.help && a.db.empty()) throw UsageError("expected a results database RUN.db");
    if (!a.screenshot.empty() && a.at.empty()) throw UsageError("--screenshot needs --at TIME");
    return a;
}

}  // namespace evtwin::viewer
