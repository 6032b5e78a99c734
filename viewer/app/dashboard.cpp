#include "viewer/app/dashboard.hpp"

#include "viewer/app/panels.hpp"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace evtwin::viewer {

namespace {

void keyboard(AppState& s) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) return;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) s.playback.toggle();
    const Duration step =
        s.run.run.control_period.ms() > 0 ? s.run.run.control_period : Duration::minutes(15);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) s.playback.step(step);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) s.playback.step(Duration(-step.ms()));
    if (ImGui::IsKeyPressed(GLFW_KEY_F1, false)) s.debug_overlay = !s.debug_overlay;
}

void header(const AppState& s) {
    const RunRecord& r = s.run.run;
    ImGui::Text("%s  |  run %lld: %s (%s), seed %llu, %s  |  %s", s.run.file.filename().string().c_str(),
                static_cast<long long>(r.id), r.info.scenario_name.c_str(), r.info.strategy_name.c_str(),
                static_cast<unsigned long long>(r.info.seed), to_string(r.status),
                r.tariff_name.empty() ? "no tariff" : r.tariff_name.c_str());
    if (s.other) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(1, .67f, 0, 1), "  vs  run %lld: %s",
                           static_cast<long long>(s.other->run.id), s.other->run.info.strategy_name.c_str());
        if (s.other->run.timezone != r.timezone) {
            ImGui::SameLine();
            ImGui::TextColored(ImVec4(1, .67f, 0, 1), "(its site is in %s; times are run %lld's)",
                               s.other->run.timezone.empty() ? "no time zone" : s.other->run.timezone.c_str(),
                               static_cast<long long>(r.id));
        }
    }
}

ImGuiTabItemFlags select(AppState& s, BottomTab tab) {
    return s.select_tab == tab ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
}

// Events, per-station charge and discharge, batteries, and the feeder when the run has one. Sets
// the stations' plot area and the feeder's drawing when shown.
void bottom_tabs(AppState& s, DashboardLayout& layout) {
    if (!ImGui::BeginTabBar("##bottom")) return;
    if (ImGui::BeginTabItem("Events", nullptr, select(s, BottomTab::events))) {
        s.bottom_tab = BottomTab::events;
        ImGui::BeginChild("events", ImVec2(0, 0), true);
        draw_event_log(s);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Stations: charge / discharge", nullptr, select(s, BottomTab::stations))) {
        s.bottom_tab = BottomTab::stations;
        ImGui::BeginChild("stations", ImVec2(0, 0), true);
        layout.stations = draw_stations(s);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    char label[48];
    std::snprintf(label, sizeof label, "Batteries (%zu)###batteries", s.run.batteries.size());
    if (ImGui::BeginTabItem(label, nullptr, select(s, BottomTab::batteries))) {
        s.bottom_tab = BottomTab::batteries;
        ImGui::BeginChild("batteries", ImVec2(0, 0), true);
        draw_batteries(s);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    if (s.run.feeder && ImGui::BeginTabItem("Feeder", nullptr, select(s, BottomTab::feeder))) {
        s.bottom_tab = BottomTab::feeder;
        ImGui::BeginChild("feeder", ImVec2(0, 0), true);
        layout.feeder = draw_feeder(s);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
    s.select_tab.reset();
}

}  // namespace

void draw_debug_overlay(const AppState& s) {
    const auto& v = s.stats.recent_ms;
    const double mean =
        v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    const double max = v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x - 10, vp->Pos.y + 30), ImGuiCond_Always,
                            ImVec2(1, 0));
    ImGui::SetNextWindowBgAlpha(0.8f);
    ImGui::Begin("debug", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                     ImGuiWindowFlags_NoNav);
    ImGui::Text("open %.3f s", s.stats.open_seconds);
    ImGui::Text("frame %.2f ms (mean %.2f, max %.2f over %zu)", s.stats.last_frame_ms, mean, max, v.size());
    ImGui::Text("rows: site %zu, connectors %zu, events %zu", s.run.site.t.size(), s.run.connectors.size(),
                s.run.events.size());
    ImGui::Text("tariff prices: %zu rows", s.run.prices.t.size());
    ImGui::End();
}

DashboardLayout draw_dashboard(AppState& s) {
    DashboardLayout layout{};
    keyboard(s);
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::Begin("evtwin-viewer", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    header(s);
    draw_timeline(s);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float left_w = std::max(260.f, avail.x * (s.other ? 0.34f : 0.27f));
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    ImGui::BeginChild("left", ImVec2(left_w, avail.y), false);
    {
        const float h = ImGui::GetContentRegionAvail().y;
        ImGui::BeginChild("site", ImVec2(0, h * 0.58f), true, ImGuiWindowFlags_HorizontalScrollbar);
        const ImVec2 sp = ImGui::GetWindowPos(), ss = ImGui::GetWindowSize();
        layout.site_tree = ImVec4(sp.x, sp.y, ss.x, ss.y);
        ImGui::TextUnformatted("Site");
        ImGui::Separator();
        draw_site_tree(s);
        ImGui::EndChild();
        ImGui::BeginChild("kpi", ImVec2(0, 0), true);
        draw_kpis(s);
        ImGui::EndChild();
    }
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("right", ImVec2(avail.x - left_w - spacing, avail.y), false);
    {
        const float w = ImGui::GetContentRegionAvail().x;
        const float h = ImGui::GetContentRegionAvail().y;
        ImGui::TextUnformatted(
            "Site power (kW): consumption up, supply down; grid line; limits dashed red; tariff bands "
            "behind");
        // The stations and batteries tabs list many rows: the plots above give them room.
        const bool events = s.bottom_tab == BottomTab::events;
        layout.power_plot = draw_power_plot(s, ImVec2(w, h * (events ? 0.40f : 0.34f)));
        ImGui::TextUnformatted("Vehicles x time: connector power");
        draw_heatmap(s, ImVec2(w, h * (events ? 0.19f : 0.11f)));
        draw_cost(s, ImVec2(w, h * (events ? 0.12f : 0.09f)));
        bottom_tabs(s, layout);
    }
    ImGui::EndChild();
    ImGui::End();
    if (s.debug_overlay) draw_debug_overlay(s);
    return layout;
}

}  // namespace evtwin::viewer
