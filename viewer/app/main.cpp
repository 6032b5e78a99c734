// evtwin-viewer: replays a run of an evtwin results database (docs/viewer.md).
#include "viewer/app/args.hpp"
#include "viewer/app/dashboard.hpp"
#include "viewer/app/gl_window.hpp"
#include "viewer/data/run_watch.hpp"
#include "viewer/timeline/time_entry.hpp"

#include <GL/gl.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>

namespace evtwin::viewer {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// One frame: build the dashboard, render it, and record the frame time (CPU + GL, glFinish included).
DashboardLayout frame(GlWindow& win, AppState& s, double wall_seconds) {
    const auto t0 = Clock::now();
    win.begin_frame();
    s.playback.advance(wall_seconds);
    const DashboardLayout layout = draw_dashboard(s);
    s.stats.last_build_ms = ms_since(t0);
    win.render();
    s.stats.add(ms_since(t0));
    return layout;
}

int screenshot(GlWindow& win, AppState& s, const ViewerArgs& a) {
    ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NoMouse;  // no tooltip wherever the pointer happens to be
    DashboardLayout layout{};
    for (int i = 0; i < 3; ++i) {  // ImGui settles auto-sized items over the first frames
        layout = frame(win, s, 0.0);
        if (i < 2) win.present();
    }
    int w = 0, h = 0;
    const auto rgb = win.read_rgb(w, h);
    write_png(a.screenshot, rgb, w, h);
    win.present();
    std::printf("screenshot %s %dx%d at %s (%s)\n", a.screenshot.c_str(), w, h,
                s.time.format(s.playback.cursor()).c_str(), s.time.format_other(s.playback.cursor()).c_str());
    const auto rect = [](const char* name, const ImVec4& r) {
        std::printf("%s %.0f %.0f %.0f %.0f\n", name, r.x, r.y, r.z, r.w);
    };
    rect("power_plot", layout.power_plot);
    rect("site_tree", layout.site_tree);
    rect("stations", layout.stations);
    rect("feeder", layout.feeder);
    std::printf("open %.3f s, frame %.2f ms\n", s.stats.open_seconds, s.stats.last_frame_ms);
    return 0;
}

int bench(GlWindow& win, AppState& s, int frames) {
    s.debug_overlay = true;
    s.playback.seek(s.run.start() + Duration::days(180));
    s.playback.set_speed(3600.0);
    s.playback.play();
    s.stats.recent_ms.clear();
    std::vector<double> times, builds;
    for (int i = 0; i < frames && !win.should_close(); ++i) {
        frame(win, s, 1.0 / 60.0);  // as if at 60 frames per second: one simulated minute per frame
        win.present();
        times.push_back(s.stats.last_frame_ms);
        builds.push_back(s.stats.last_build_ms);
    }
    std::sort(times.begin(), times.end());
    std::sort(builds.begin(), builds.end());
    const auto pct = [&](double p) {
        return times[std::min(times.size() - 1, static_cast<std::size_t>(p * times.size()))];
    };
    double sum = 0;
    for (double t : times) sum += t;
    std::printf("renderer: %s; %d vertices, %d indices in the last frame\n",
                reinterpret_cast<const char*>(glGetString(GL_RENDERER)), ImGui::GetIO().MetricsRenderVertices,
                ImGui::GetIO().MetricsRenderIndices);
    std::printf("open %.3f s (%zu site rows, %zu connectors, %zu events)\n", s.stats.open_seconds,
                s.run.site.t.size(), s.run.connectors.size(), s.run.events.size());
    std::printf("frames %zu: mean %.2f ms, median %.2f ms, p95 %.2f ms, max %.2f ms\n", times.size(),
                sum / static_cast<double>(times.size()), pct(0.5), pct(0.95), times.back());
    double bsum = 0;
    for (double t : builds) bsum += t;
    std::printf(
        "  of which building the frame (CPU): mean %.2f ms, max %.2f ms; the rest is OpenGL rendering\n",
        bsum / static_cast<double>(builds.size()), builds.back());
    return 0;
}

int run(const ViewerArgs& a) {
    const auto t0 = Clock::now();
    RunData run = RunData::load(a.db, a.run);
    std::optional<RunData> other;
    if (a.compare) other = RunData::load(a.db, *a.compare);
    const double open_s = ms_since(t0) / 1000.0;
    const bool interactive = a.screenshot.empty() && a.bench_frames == 0;
    AppState s(std::move(run), std::move(other));
    s.stats.open_seconds = open_s;
    s.time.set_utc(a.utc);
    if (!s.time.note().empty()) std::fprintf(stderr, "evtwin-viewer: %s\n", s.time.note().c_str());
    if (!a.span.empty()) s.span = TimeView().parse(a.span, Time(0)) - Time(0);
    if (s.span.ms() <= 0) throw UsageError("--span: expected a positive duration, e.g. 1d");
    if (a.tab == "stations")
        s.select_tab = BottomTab::stations;
    else if (a.tab == "batteries")
        s.select_tab = BottomTab::batteries;
    else if (a.tab == "feeder")
        s.select_tab = BottomTab::feeder;

    if (!a.at.empty()) s.playback.seek(s.time.parse(a.at, s.run.start()));
    GlWindow win(a.width, a.height, "evtwin-viewer", interactive);
    if (!a.screenshot.empty()) return screenshot(win, s, a);
    if (a.bench_frames > 0) return bench(win, s, a.bench_frames);
    auto last = Clock::now();
    RunWatch watch(s.run);
    std::optional<RunWatch> watch_other;
    if (s.other) watch_other.emplace(*s.other);
    auto next_look = last;
    while (!win.should_close()) {
        const auto now_t = Clock::now();
        const double dt = std::chrono::duration<double>(now_t - last).count();
        last = now_t;
        if (now_t >= next_look) {  // runs still being written
            if (auto fresh = watch.poll()) s.replace_run(std::move(*fresh));
            if (watch_other)
                if (auto fresh = watch_other->poll()) s.replace_other(std::move(*fresh));
            // Once a second, and never more than a tenth of the time on loading a large run again.
            const double loading_s = s.run.load_seconds + (s.other ? s.other->load_seconds : 0.0);
            next_look = Clock::now() + std::chrono::milliseconds(static_cast<std::int64_t>(
                                           1000.0 * std::max(1.0, 10.0 * loading_s)));
        }
        frame(win, s, std::min(dt, 0.25));
        win.present();
    }
    return 0;
}

}  // namespace

}  // namespace evtwin::viewer

int main(int argc, char** argv) {
    using namespace evtwin::viewer;
    try {
        const ViewerArgs a = parse_viewer_args(std::vector<std::string>(argv + 1, argv + argc));
        if (a.help) {
            std::cout << viewer_usage();
            return 0;
        }
        return run(a);
    } catch (const UsageError& e) {
        std::cerr << "evtwin-viewer: " << e.what() << "\n" << viewer_usage();
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "evtwin-viewer: error: " << e.what() << "\n";
        return 1;
    }
}
