// The site tree at the cursor: every node's flow against its limit, each connector's IEC 61851
// state (colour), the plugged vehicle's SoC and power, its id, state of health at arrival and
// battery grade; the ESS's state of health over the run and grade. Hovering shows the sub-scores.
#include "viewer/app/battery_widgets.hpp"
#include "viewer/app/colours.hpp"
#include "viewer/app/panels.hpp"

#include <cmath>
#include <cstdio>

namespace evtwin::viewer {

namespace {

void state_chip(PilotState st) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float sz = ImGui::GetTextLineHeight();
    dl->AddRectFilled(p, ImVec2(p.x + sz, p.y + sz), colour::state(st), 3.f);
    dl->AddText(ImVec2(p.x + 3, p.y), IM_COL32(0, 0, 0, 255), to_string(st));
    ImGui::Dummy(ImVec2(sz, sz));
    ImGui::SameLine();
}

void vehicle(const AppState& s, const SessionRecord& rec);

void connector_line(const AppState& s, const ConnectorRecord& c) {
    const ConnectorAt at = s.run.connector_at(c.index, s.playback.cursor());
    state_chip(at.state);
    ImGui::Text("%-10s %6.1f kW", c.name.c_str(), at.kw);
    if (at.session != kNone) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(80);
        char lab[32];
        std::snprintf(lab, sizeof lab, "SoC %.0f%%", at.soc * 100);
        ImGui::ProgressBar(static_cast<float>(at.soc), ImVec2(80, 0), lab);
        ImGui::SameLine();
        ImGui::TextDisabled("#%u", at.session);
        if (const SessionRecord* rec = s.run.session(at.session)) vehicle(s, *rec);
    }
}

// The plugged vehicle: its id (fleet vehicles only), SoH at arrival, and its grade when the run
// graded its battery.
void vehicle(const AppState& s, const SessionRecord& rec) {
    const BatteryRow* b = s.run.vehicle_battery(rec.vehicle_id);
    char soh[32];
    std::snprintf(soh, sizeof soh, "SoH %.1f%%", rec.soh * 100);
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float need = ImGui::CalcTextSize(rec.vehicle_id.c_str()).x + ImGui::CalcTextSize(soh).x +
                       (b ? ImGui::CalcTextSize("A 100").x + 8 + gap : 0.f) + 2 * gap;
    ImGui::SameLine();
    // On a narrow panel, a line of its own under the connector.
    const bool fits = ImGui::GetContentRegionAvail().x >= need;
    const float indent = ImGui::GetTextLineHeight() + gap;
    if (!fits) {
        ImGui::NewLine();
        ImGui::Indent(indent);
    }
    if (!rec.vehicle_id.empty()) {
        ImGui::TextUnformatted(rec.vehicle_id.c_str());
        ImGui::SameLine();
    }
    ImGui::TextUnformatted(soh);
    if (b) {
        ImGui::SameLine();
        grade_chip(*b);
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            battery_details(*b);
            ImGui::EndTooltip();
        }
    }
    if (!fits) ImGui::Unindent(indent);
}

// The batteries together (the site series), then each one's health.
void ess_line(const AppState& s) {
    const std::size_t i = row_at(s.run.site.t, s.playback.cursor());
    if (i == kNoRow || s.run.tree.ess.empty()) return;
    ImGui::Text("ESS %.1f kW, SoC %.0f%%", s.run.site.ess_kw[i], s.run.site.ess_soc[i] * 100);
    for (const EssRecord& e : s.run.tree.ess) {
        const BatteryRow* b = s.run.battery(ess_battery_name(e.name));
        if (!b) continue;
        ImGui::Text("  %s: SoH %.2f%% -> %.2f%%", e.name.c_str(), b->usage.soh_start * 100,
                    b->usage.soh_end * 100);
        ImGui::SameLine();
        grade_chip(*b);
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            battery_details(*b);
            ImGui::EndTooltip();
        }
    }
}

void node(const AppState& s, const std::vector<std::vector<NodeIndex>>& children,
          const std::vector<std::vector<const ConnectorRecord*>>& connectors_of, NodeIndex n, bool open) {
    const NodeRecord& rec = s.run.tree.nodes[n];
    const double flow = s.run.node_flow_at(n, s.playback.cursor());
    if (rec.kind == NodeKind::charger) {  // a charger is one line per connector
        for (const auto* c : connectors_of[n]) connector_line(s, *c);
        return;
    }
    char label[160];
    if (std::isfinite(rec.import_limit_kw))
        std::snprintf(label, sizeof label, "%s (%s)  %.1f / %.0f kW###n%u", rec.name.c_str(),
                      to_string(rec.kind), flow, rec.import_limit_kw, n);
    else
        std::snprintf(label, sizeof label, "%s (%s)  %.1f kW###n%u", rec.name.c_str(), to_string(rec.kind),
                      flow, n);
    const bool over = std::isfinite(rec.import_limit_kw) && flow > rec.import_limit_kw + 1e-6;
    if (over) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, .3f, .3f, 1));
    ImGui::SetNextItemOpen(open || rec.kind == NodeKind::grid || rec.kind == NodeKind::transformer,
                           ImGuiCond_Once);
    const bool expanded = ImGui::TreeNode(label);
    if (over) ImGui::PopStyleColor();
    if (!expanded) return;
    for (NodeIndex k : children[n]) node(s, children, connectors_of, k, open);
    ImGui::TreePop();
}

}  // namespace

void draw_site_tree(AppState& s) {
    const SiteTree& t = s.run.tree;
    std::vector<std::vector<NodeIndex>> children(t.nodes.size());
    std::vector<std::vector<const ConnectorRecord*>> connectors_of(t.nodes.size());
    NodeIndex root = kNone;
    for (const auto& n : t.nodes) {
        if (n.parent == kNone)
            root = n.index;
        else if (n.parent < t.nodes.size() && n.kind != NodeKind::connector)
            children[n.parent].push_back(n.index);
    }
    for (const auto& c : t.connectors)
        if (c.charger_node < t.nodes.size()) connectors_of[c.charger_node].push_back(&c);
    std::size_t counts[5] = {};
    for (const auto& c : t.connectors)
        ++counts[static_cast<std::size_t>(s.run.connector_at(c.index, s.playback.cursor()).state)];
    ImGui::Text("A %zu  B %zu  C %zu  E %zu  F %zu", counts[0], counts[1], counts[2], counts[3], counts[4]);
    ess_line(s);
    if (root != kNone) node(s, children, connectors_of, root, t.connectors.size() <= 40);
}

}  // namespace evtwin::viewer
