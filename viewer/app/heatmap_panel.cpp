// Vehicles × time: each connector's mean power per time bucket over the plot window.
#include "viewer/app/colours.hpp"
#include "viewer/app/panels.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin::viewer {

void draw_heatmap(AppState& s, ImVec2 size) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##heat", size);
    const float left = 56.f;
    const ImVec2 a(p0.x + left, p0.y), b(p0.x + size.x - 4, p0.y + size.y);
    const float w = b.x - a.x, h = b.y - a.y;
    dl->AddRectFilled(a, b, colour::kPlotBg);
    const std::size_t rows = s.run.connectors.size();
    if (rows == 0 || w < 4 || h < 4) return;
    const auto [from, to] = s.window();
    const auto columns = static_cast<std::size_t>(std::clamp(w / 4.f, 1.f, 240.f));
    PlotCache& c = s.heat_cache;
    if (c.from != from || c.to != to || c.columns != columns || c.heat.rows != rows) {
        c.heat = power_heatmap(s.run, from, to, columns);
        c.from = from;
        c.to = to;
        c.columns = columns;
    }
    const Heatmap& hm = c.heat;
    const float cw = w / static_cast<float>(columns);
    const float rh = h / static_cast<float>(rows);
    const auto max_abs = static_cast<float>(hm.max_abs_kw);
    for (std::size_t r = 0; r < rows; ++r) {
        const float y = a.y + static_cast<float>(r) * rh;
        for (std::size_t k = 0; k < columns; ++k) {
            const float kw = hm.at(r, k);
            if (!(std::abs(kw) > 0.05f)) continue;  // idle or no data: background
            dl->AddRectFilled(ImVec2(a.x + static_cast<float>(k) * cw, y),
                              ImVec2(a.x + static_cast<float>(k + 1) * cw, y + std::max(rh, 1.f)),
                              colour::heat(kw, max_abs));
        }
    }
    const float cx = time_to_x(s.playback.cursor(), from, to, a.x, w);
    dl->AddLine(ImVec2(cx, a.y), ImVec2(cx, b.y), colour::kCursor, 1.5f);
    dl->AddText(ImVec2(p0.x + 2, a.y), IM_COL32(170, 170, 180, 255), "vehicles");
    char lab[48];
    std::snprintf(lab, sizeof lab, "max %.0f kW", hm.max_abs_kw);
    dl->AddText(ImVec2(p0.x + 2, a.y + 14), IM_COL32(170, 170, 180, 255), lab);
    if (ImGui::IsItemHovered()) {
        const float my = ImGui::GetIO().MousePos.y, mx = ImGui::GetIO().MousePos.x;
        const auto r =
            static_cast<std::size_t>(std::clamp((my - a.y) / rh, 0.f, static_cast<float>(rows - 1)));
        const Time t = x_to_time(mx, from, to, a.x, w);
        const ConnectorAt at = s.run.connector_at(static_cast<ConnectorIndex>(r), t);
        ImGui::SetTooltip("%s at %s: %.1f kW, SoC %.0f%%, state %s", s.run.tree.connectors[r].name.c_str(),
                          s.time.format(t).c_str(), at.kw, at.soc * 100, to_string(at.state));
    }
}

}  // namespace evtwin::viewer
