// The events around the cursor, filtered by kind: the latest before it, then the next ones.
#include "viewer/app/panels.hpp"
#include "viewer/timeline/time_entry.hpp"

#include <vector>

namespace evtwin::viewer {

void draw_event_log(AppState& s) {
    constexpr EventKind kKinds[] = {EventKind::arrival,     EventKind::departure,   EventKind::rejected,
                                    EventKind::fault,       EventKind::repair,      EventKind::limit_change,
                                    EventKind::price_spike, EventKind::hook_log,    EventKind::run_start,
                                    EventKind::run_end,     EventKind::interrupted, EventKind::strategy};
    for (std::size_t i = 0; i < std::size(kKinds); ++i) {
        const auto k = static_cast<std::size_t>(kKinds[i]);
        if (i > 0 && i % 6 != 0) ImGui::SameLine();
        ImGui::Checkbox(to_string(kKinds[i]), &s.show_event[k]);
    }
    const EventColumns& e = s.run.events;
    const std::size_t at =
        s.run.first_event_at(s.playback.cursor() + Duration(1));  // events at the cursor count as past
    constexpr std::size_t kBefore = 60, kAfter = 20, kScanLimit = 200'000;
    std::vector<std::size_t> rows;
    std::size_t scanned = 0;
    for (std::size_t i = at; i > 0 && rows.size() < kBefore && scanned < kScanLimit; --i, ++scanned)
        if (s.show_event[static_cast<std::size_t>(e.kind[i - 1])]) rows.push_back(i - 1);
    std::reverse(rows.begin(), rows.end());
    const std::size_t past = rows.size();
    scanned = 0;
    for (std::size_t i = at; i < e.size() && rows.size() < past + kAfter && scanned < kScanLimit;
         ++i, ++scanned)
        if (s.show_event[static_cast<std::size_t>(e.kind[i])]) rows.push_back(i);
    const ImGuiTableFlags flags =
        ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("events", 4, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    const std::string time_column = "time (" + s.time.label() + ")";
    ImGui::TableSetupColumn(time_column.c_str(), ImGuiTableColumnFlags_WidthFixed, 215);
    ImGui::TableSetupColumn("kind", ImGuiTableColumnFlags_WidthFixed, 80);
    ImGui::TableSetupColumn("where", ImGuiTableColumnFlags_WidthFixed, 90);
    ImGui::TableSetupColumn("detail");
    ImGui::TableHeadersRow();
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const std::size_t i = rows[r];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        const bool future = r >= past;
        if (future) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(.55f, .55f, .6f, 1));
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::Selectable(s.time.format(Time(e.t[i])).c_str(), false,
                              ImGuiSelectableFlags_SpanAllColumns))
            s.playback.seek(Time(e.t[i]));
        ImGui::PopID();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(to_string(e.kind[i]));
        ImGui::TableNextColumn();
        const ConnectorIndex c = e.connector[i];
        if (c != kNone && c < s.run.tree.connectors.size())
            ImGui::TextUnformatted(s.run.tree.connectors[c].name.c_str());
        ImGui::TableNextColumn();
        if (e.session[i] != kNone)
            ImGui::Text("#%u %s", e.session[i], e.detail[i].c_str());
        else
            ImGui::TextUnformatted(e.detail[i].c_str());
        if (future) ImGui::PopStyleColor();
        if (r + 1 == past) ImGui::SetScrollHereY(1.0f);
    }
    ImGui::EndTable();
}

}  // namespace evtwin::viewer
