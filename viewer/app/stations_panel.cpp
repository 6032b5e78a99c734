// Per station (charger), over the plot window: charging up, discharging (V2G) down, one row each,
// with the energy charged and discharged in the window and over the run; which stations sell
// energy back, and when.
#include "viewer/app/colours.hpp"
#include "viewer/app/panels.hpp"
#include "viewer/timeline/time_entry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace evtwin::viewer {

namespace {

constexpr float kRowH = 32.f, kNameW = 96.f, kTotalsW = 250.f;

std::vector<std::size_t> station_order(const AppState& s) {
    const auto& st = s.run.stations;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < st.size(); ++i)
        if (!s.stations_v2g_only || st[i].v2g_capable || st[i].run_total.discharged_kwh > 0)
            order.push_back(i);
    if (s.station_sort == 1)
        std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) {
            return st[a].run_total.discharged_kwh > st[b].run_total.discharged_kwh;
        });
    else if (s.station_sort == 2)
        std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) {
            return st[a].run_total.charged_kwh > st[b].run_total.charged_kwh;
        });
    return order;
}

// "+15.0 / -5.0 kWh"; "+40.0 kWh / 0" when nothing was discharged.
std::string energy_text(const char* prefix, const StationEnergy& e) {
    char lab[96];
    if (e.discharged_kwh >= 0.05)
        std::snprintf(lab, sizeof lab, "%s+%.1f / -%.1f kWh", prefix, e.charged_kwh, e.discharged_kwh);
    else
        std::snprintf(lab, sizeof lab, "%s+%.1f kWh / 0", prefix, e.charged_kwh);
    return lab;
}

void row(AppState& s, const StationColumns& st, std::size_t i, float plot_w, double scale_kw) {
    const RunData& d = s.run;
    const auto [from, to] = s.window();
    char id[32];
    std::snprintf(id, sizeof id, "##station%zu", i);
    ImGui::InvisibleButton(id, ImVec2(kNameW + plot_w + kTotalsW, kRowH));
    const bool hovered = ImGui::IsItemHovered();
    const ImVec2 p = ImGui::GetItemRectMin();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 text = IM_COL32(220, 220, 225, 255), dim = IM_COL32(150, 150, 160, 255);
    dl->AddText(ImVec2(p.x + 2, p.y + 2), text, st.name.c_str());
    if (st.v2g_capable) dl->AddText(ImVec2(p.x + 2, p.y + 16), dim, "V2G");

    const ImVec2 a(p.x + kNameW, p.y + 1), b(a.x + plot_w, p.y + kRowH - 1);
    dl->AddRectFilled(a, b, colour::kPlotBg);
    const float mid = std::floor((a.y + b.y) / 2), half = (b.y - a.y) / 2;
    const auto n = static_cast<std::size_t>(std::max(1.f, plot_w / 2));
    const StationBuckets bk = station_buckets(st, d.end(), from, to, n);
    const auto h_of = [&](double kw) { return static_cast<float>(std::min(1.0, kw / scale_kw)) * half; };
    for (std::size_t k = 0; k < n; ++k) {
        const float x = a.x + static_cast<float>(k) * 2;
        if (bk.charge[k].mean > 0.05)
            dl->AddRectFilled(ImVec2(x, mid - std::max(1.f, h_of(bk.charge[k].mean))), ImVec2(x + 2, mid),
                              colour::kStationCharge);
        if (bk.discharge[k].mean < -0.05)
            dl->AddRectFilled(ImVec2(x, mid), ImVec2(x + 2, mid + std::max(1.f, h_of(-bk.discharge[k].mean))),
                              colour::kStationDischarge);
    }
    dl->AddLine(ImVec2(a.x, mid), ImVec2(b.x, mid), colour::kAxis);
    const float cx = time_to_x(s.playback.cursor(), from, to, a.x, plot_w);
    dl->AddLine(ImVec2(cx, a.y), ImVec2(cx, b.y), colour::kCursor, 1.5f);

    const StationEnergy w = station_energy(st, d.end(), from, to);
    dl->AddText(ImVec2(b.x + 8, p.y + 2), text, energy_text("", w).c_str());
    dl->AddText(ImVec2(b.x + 8, p.y + 16), dim, energy_text("run ", st.run_total).c_str());

    if (!hovered) return;
    const float mx = ImGui::GetIO().MousePos.x;
    if (mx < a.x || mx > b.x) {
        ImGui::SetTooltip(
            "%s: %zu connector(s), %.0f kW%s\nwindow: charged %.2f kWh, discharged %.2f kWh\n"
            "run: charged %.2f kWh, discharged %.2f kWh",
            st.name.c_str(), st.connectors.size(), st.max_kw, st.v2g_capable ? ", V2G" : "", w.charged_kwh,
            w.discharged_kwh, st.run_total.charged_kwh, st.run_total.discharged_kwh);
        return;
    }
    const Time t = x_to_time(mx, from, to, a.x, plot_w);
    const std::size_t r = row_at(st.t, t);
    ImGui::SetTooltip("%s at %s\ncharging %.1f kW, discharging %.1f kW", st.name.c_str(),
                      s.time.format(t).c_str(), r == kNoRow ? 0.0 : st.charge_kw[r],
                      r == kNoRow ? 0.0 : -st.discharge_kw[r]);
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) s.playback.seek(t);
}

}  // namespace

ImVec4 draw_stations(AppState& s) {
    const RunData& d = s.run;
    const auto [from, to] = s.window();
    StationEnergy win, run;
    double scale_kw = 0.0;
    for (const StationColumns& st : d.stations) {
        const StationEnergy e = station_energy(st, d.end(), from, to);
        win.charged_kwh += e.charged_kwh;
        win.discharged_kwh += e.discharged_kwh;
        run.charged_kwh += st.run_total.charged_kwh;
        run.discharged_kwh += st.run_total.discharged_kwh;
        scale_kw = std::max(scale_kw, st.max_kw);
    }
    if (!(scale_kw > 0)) scale_kw = 1.0;
    ImGui::SetNextItemWidth(170);
    ImGui::Combo("##sort", &s.station_sort, "charger order\0most discharged (run)\0most charged (run)\0");
    ImGui::SameLine();
    ImGui::Checkbox("V2G only", &s.stations_v2g_only);
    ImGui::SameLine(0, 24);
    ImGui::Text("all stations: window %s, %s; rows to +/-%.0f kW", energy_text("", win).c_str(),
                energy_text("run ", run).c_str(), scale_kw);
    const std::vector<std::size_t> order = station_order(s);
    if (order.empty()) {
        ImGui::TextDisabled(d.stations.empty() ? "the site has no chargers"
                                               : "no V2G-capable station, and none discharged");
        return {};
    }
    ImGui::BeginChild("##station_rows", ImVec2(0, 0), false);
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const float plot_w = std::max(40.f, ImGui::GetContentRegionAvail().x - kNameW - kTotalsW);
    const float visible_h = ImGui::GetContentRegionAvail().y;
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 2));
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(order.size()), kRowH + 2);
    while (clipper.Step())
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r)
            row(s, d.stations[order[static_cast<std::size_t>(r)]], order[static_cast<std::size_t>(r)], plot_w,
                scale_kw);
    ImGui::PopStyleVar();
    ImGui::EndChild();
    return ImVec4(top.x + kNameW, top.y, plot_w,
                  std::min(visible_h, (kRowH + 2) * static_cast<float>(order.size())));
}

}  // namespace evtwin::viewer
