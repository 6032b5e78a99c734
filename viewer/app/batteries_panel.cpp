// The run's batteries that persist through it (fleet vehicles, the ESS) in a table sortable by grade,
// score, state of health, cycles and V2G energy; hovering a row shows its sub-scores and reasons.
#include "viewer/app/battery_widgets.hpp"
#include "viewer/app/panels.hpp"

#include <array>
#include <cstdio>
#include <numeric>

namespace evtwin::viewer {

namespace {

void grade_counts(const std::vector<BatteryRow>& rows) {
    std::array<int, 4> n{};
    int ungraded = 0;
    for (const BatteryRow& b : rows) {
        if (b.graded && b.grade >= 'A' && b.grade <= 'D')
            ++n[static_cast<std::size_t>(b.grade - 'A')];
        else
            ++ungraded;
    }
    ImGui::Text("%zu batteries:", rows.size());
    for (std::size_t g = 0; g < 4; ++g) {
        ImGui::SameLine();
        const char grade = static_cast<char>('A' + g);
        char lab[16];
        std::snprintf(lab, sizeof lab, "%c: %d", grade, n[g]);
        grade_chip(grade, lab);
    }
    if (ungraded > 0) {
        ImGui::SameLine();
        ImGui::Text("%d ungraded", ungraded);
    }
}

}  // namespace

void draw_batteries(AppState& s) {
    const std::vector<BatteryRow>& rows = s.run.batteries;
    if (rows.empty()) {
        ImGui::TextWrapped(
            "This run has no battery that persists through it: vehicles without an id are "
            "seen once (their SoH at arrival is in the site tree), and the site has no ESS.");
        return;
    }
    grade_counts(rows);
    if (s.battery_order.size() != rows.size()) {
        s.battery_order.resize(rows.size());
        std::iota(s.battery_order.begin(), s.battery_order.end(), std::size_t{0});
    }
    constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_Sortable | ImGuiTableFlags_ScrollY |
                                       ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                       ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable;
    if (!ImGui::BeginTable("##batteries", 10, kFlags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    const auto column = [](const char* name, BatterySort key, ImGuiTableColumnFlags flags = 0) {
        ImGui::TableSetupColumn(name, flags, 0.f, static_cast<ImGuiID>(key));
    };
    column("battery", BatterySort::name);
    column("model", BatterySort::name, ImGuiTableColumnFlags_NoSort);
    column("year", BatterySort::name, ImGuiTableColumnFlags_NoSort);
    column("SoH start", BatterySort::soh_start);
    column("SoH end", BatterySort::soh_end);
    column("expected", BatterySort::name, ImGuiTableColumnFlags_NoSort);
    column("EFC", BatterySort::efc);
    column("V2G kWh", BatterySort::v2g);
    column("score", BatterySort::score);
    column("grade", BatterySort::grade, ImGuiTableColumnFlags_DefaultSort);
    ImGui::TableHeadersRow();
    if (ImGuiTableSortSpecs* spec = ImGui::TableGetSortSpecs(); spec && spec->SpecsDirty) {
        if (spec->SpecsCount > 0)
            sort_batteries(s.battery_order, rows, static_cast<BatterySort>(spec->Specs[0].ColumnUserID),
                           spec->Specs[0].SortDirection == ImGuiSortDirection_Descending);
        spec->SpecsDirty = false;
    }
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(s.battery_order.size()));
    while (clipper.Step())
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            const BatteryRow& b = rows[s.battery_order[static_cast<std::size_t>(r)]];
            const BatteryUsage& u = b.usage;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(r);
            ImGui::Selectable(u.battery.c_str(), false, ImGuiSelectableFlags_SpanAllColumns);
            ImGui::PopID();
            if (ImGui::IsItemHovered()) {
                ImGui::BeginTooltip();
                battery_details(b);
                ImGui::EndTooltip();
            }
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(u.model.empty() ? "-" : u.model.c_str());
            ImGui::TableNextColumn();
            if (u.model_year > 0)
                ImGui::Text("%d", u.model_year);
            else
                ImGui::TextDisabled("?");
            ImGui::TableNextColumn();
            ImGui::Text("%.2f%%", u.soh_start * 100);
            ImGui::TableNextColumn();
            ImGui::Text("%.2f%%", u.soh_end * 100);
            ImGui::TableNextColumn();
            ImGui::Text("%.2f%%", u.expected_soh * 100);
            ImGui::TableNextColumn();
            ImGui::Text("%.2f", u.efc);
            ImGui::TableNextColumn();
            ImGui::Text("%.1f", u.v2g_kwh);
            ImGui::TableNextColumn();
            if (b.graded)
                ImGui::Text("%.1f", b.score);
            else
                ImGui::TextDisabled("-");
            ImGui::TableNextColumn();
            grade_chip(b);
        }
    ImGui::EndTable();
}

}  // namespace evtwin::viewer
