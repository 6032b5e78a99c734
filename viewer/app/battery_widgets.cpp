#include "viewer/app/battery_widgets.hpp"

#include "viewer/app/colours.hpp"
#include "viewer/data/plain_text.hpp"

#include <imgui.h>

#include <cstdio>

namespace evtwin::viewer {

void grade_chip(char grade, const char* lab) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const ImVec2 ts = ImGui::CalcTextSize(lab);
    const ImVec2 size(ts.x + 8, ImGui::GetTextLineHeight());
    dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), colour::grade(grade), 3.f);
    dl->AddText(ImVec2(p.x + 4, p.y), IM_COL32(0, 0, 0, 255), lab);
    ImGui::Dummy(size);
}

void grade_chip(const BatteryRow& b) {
    char lab[16];
    if (b.graded)
        std::snprintf(lab, sizeof lab, "%c %.0f", b.grade, b.score);
    else
        std::snprintf(lab, sizeof lab, "ungraded");
    grade_chip(b.graded ? b.grade : '?', lab);
}

void battery_details(const BatteryRow& b) {
    const BatteryUsage& u = b.usage;
    ImGui::Text("%s  %s %s%s", u.battery.c_str(), u.model.empty() ? "(model unknown)" : u.model.c_str(),
                u.chemistry.c_str(), u.model_year > 0 ? "" : ", age unknown");
    if (u.model_year > 0) {
        ImGui::SameLine();
        ImGui::Text("%d (%.1f years)", u.model_year, u.age_years);
    }
    ImGui::Text("SoH %.2f%% -> %.2f%% (expected for its age %.2f%%), %.0f kWh nominal", u.soh_start * 100,
                u.soh_end * 100, u.expected_soh * 100, u.capacity_kwh);
    ImGui::Text("%d sessions, %.1f h seen (%.1f h at SoC >= 80%%), %.2f equivalent full cycles", u.sessions,
                u.hours_seen, u.hours_high_soc, u.efc);
    ImGui::Text("depth mean %.0f%% max %.0f%%, C-rate %.2f, DC %.0f%%, V2G %.1f kWh, %d deep discharges",
                u.mean_depth * 100, u.max_depth * 100, u.mean_c_rate, u.dc_share * 100, u.v2g_kwh,
                u.deep_discharges);
    ImGui::Separator();
    if (!b.graded) {
        ImGui::TextUnformatted("not graded (the run stored no grade)");
        return;
    }
    ImGui::Text("score %.1f, grade %c", b.score, b.grade);
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
    for (const BatterySubScoreRow& sub : b.sub_scores)
        ImGui::BulletText("%s %.0f (weight %.0f%%): %s", sub.name.c_str(), sub.score, sub.weight * 100,
                          plain_text(sub.reason).c_str());
    ImGui::PopTextWrapPos();
}

}  // namespace evtwin::viewer
