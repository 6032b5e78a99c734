// Cumulative cost over the window and the KPI table (with deltas in compare mode).
#include "viewer/app/colours.hpp"
#include "viewer/app/panels.hpp"
#include "viewer/data/compare.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin::viewer {

void draw_cost(AppState& s, ImVec2 size) {
    const std::string& cur = s.run.run.currency;
    if (s.run.prices.empty()) {
        ImGui::TextWrapped("Cumulative cost: the run has no tariff");
        return;
    }
    const Time t = s.playback.cursor();
    ImGui::Text("net energy cost %.2f %s (import cost %.2f, export revenue %.2f)", s.cost.net_at(t),
                cur.c_str(), s.cost.import_cost_at(t), s.cost.export_revenue_at(t));
    if (s.other)
        ImGui::TextColored(ImVec4(1, .67f, 0, 1), "run B: %.2f %s  (B - A %+.2f)", s.other_cost.net_at(t),
                           cur.c_str(), s.other_cost.net_at(t) - s.cost.net_at(t));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    size.y = std::max(20.f, size.y - ImGui::GetTextLineHeightWithSpacing() * (s.other ? 2 : 1));
    ImGui::InvisibleButton("##cost", size);
    const ImVec2 a(p0.x + 56, p0.y), b(p0.x + size.x - 4, p0.y + size.y);
    const float w = b.x - a.x, h = b.y - a.y;
    dl->AddRectFilled(a, b, colour::kPlotBg);
    if (w < 4 || h < 4) return;
    const auto [from, to] = s.window();
    const int n = static_cast<int>(std::max(2.f, w / 3));
    std::vector<double> va(n), vb(s.other ? n : 0);
    for (int i = 0; i < n; ++i) {
        const Time ti = from + Duration((to - from).ms() * i / (n - 1));
        va[i] = s.cost.net_at(ti);
        if (s.other) vb[i] = s.other_cost.net_at(ti);
    }
    double lo = *std::min_element(va.begin(), va.end()), hi = *std::max_element(va.begin(), va.end());
    for (double v : vb) lo = std::min(lo, v), hi = std::max(hi, v);
    if (hi - lo < 1e-9) hi = lo + 1;
    const auto pts = [&](const std::vector<double>& v, ImU32 c) {
        for (int i = 1; i < n; ++i)
            dl->AddLine(ImVec2(a.x + w * (i - 1) / (n - 1),
                               b.y - static_cast<float>((v[i - 1] - lo) / (hi - lo)) * h),
                        ImVec2(a.x + w * i / (n - 1), b.y - static_cast<float>((v[i] - lo) / (hi - lo)) * h),
                        c, 1.5f);
    };
    if (s.other) pts(vb, colour::kGridB);
    pts(va, IM_COL32(120, 220, 120, 255));
    char lab[48];
    std::snprintf(lab, sizeof lab, "%.0f", hi);
    dl->AddText(ImVec2(p0.x + 2, a.y), IM_COL32(170, 170, 180, 255), lab);
    std::snprintf(lab, sizeof lab, "%.0f", lo);
    dl->AddText(ImVec2(p0.x + 2, b.y - 14), IM_COL32(170, 170, 180, 255), lab);
    const float cx = time_to_x(t, from, to, a.x, w);
    dl->AddLine(ImVec2(cx, a.y), ImVec2(cx, b.y), colour::kCursor, 1.5f);
}

void draw_kpis(AppState& s) {
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
    if (!s.other) {
        if (!ImGui::BeginTable("kpis", 3, flags)) return;
        ImGui::TableSetupColumn("KPI");
        ImGui::TableSetupColumn("value");
        ImGui::TableSetupColumn("unit");
        ImGui::TableHeadersRow();
        for (const auto& k : s.run.kpis) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(k.name.c_str());
            ImGui::TableNextColumn();
            if (std::isfinite(k.value))
                ImGui::Text("%.2f", k.value);
            else
                ImGui::TextDisabled("n/a");
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(k.unit == "cur" ? s.run.run.currency.c_str() : k.unit.c_str());
        }
        ImGui::EndTable();
        return;
    }
    ImGui::Text("A: run %lld %s   B: run %lld %s", static_cast<long long>(s.run.run.id),
                s.run.run.info.strategy_name.c_str(), static_cast<long long>(s.other->run.id),
                s.other->run.info.strategy_name.c_str());
    if (!ImGui::BeginTable("kpis", 5, flags)) return;
    ImGui::TableSetupColumn("KPI", ImGuiTableColumnFlags_WidthStretch, 2.2f);
    ImGui::TableSetupColumn("A", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("B", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("B - A", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn("%", ImGuiTableColumnFlags_WidthStretch, 0.8f);
    ImGui::TableHeadersRow();
    for (const auto& d : kpi_deltas(s.run.kpis, s.other->kpis)) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(d.name.c_str());
        for (const auto& v : {d.a, d.b, d.delta}) {
            ImGui::TableNextColumn();
            if (v)
                ImGui::Text(std::abs(*v) >= 1e4 ? "%.0f" : "%.2f", *v);
            else
                ImGui::TextDisabled("n/a");
        }
        ImGui::TableNextColumn();
        if (d.relative) ImGui::Text("%+.1f%%", *d.relative * 100);
    }
    ImGui::EndTable();
}

}  // namespace evtwin::viewer
