// Stacked site power over the plot window: consumption (load, EV charging, ESS charging) stacked
// up, supply (PV, ESS discharging, V2G) stacked down, the net grid power as a line (min-max
// envelope when zoomed out), node limits as dashed red lines and the tariff's price bands behind.
#include "app/colours.hpp"
#include "app/panels.hpp"
#include "timeline/time_entry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace evtwin::viewer {

namespace {

struct Limit {
    double kw;
    std::string label;
};

// Finite import and export limits of the grid connection and transformers (feeders and chargers
// would crowd the plot; their flows are in the site tree).
std::vector<Limit> site_limits(const RunData& d) {
    std::vector<Limit> out;
    for (const auto& n : d.tree.nodes) {
        if (n.kind != NodeKind::grid && n.kind != NodeKind::transformer) continue;
        if (std::isfinite(n.import_limit_kw) && n.import_limit_kw > 0)
            out.push_back({n.import_limit_kw, n.name + " import"});
        if (std::isfinite(n.export_limit_kw) && n.export_limit_kw > 0)
            out.push_back({-n.export_limit_kw, n.name + " export"});
    }
    // Equal limits share one line: "grid, T1 import".
    std::vector<Limit> merged;
    for (const auto& l : out) {
        auto same = std::find_if(merged.begin(), merged.end(), [&](const Limit& m) { return m.kw == l.kw; });
        if (same == merged.end())
            merged.push_back(l);
        else
            same->label = same->label.substr(0, same->label.rfind(' ')) + ", " + l.label;
    }
    return merged;
}

void dashed_hline(ImDrawList* dl, float x0, float x1, float y, ImU32 c) {
    // Filled rectangles on whole pixels: exact colour, no anti-aliasing (the screenshot test looks for it).
    const float yy = std::floor(y);
    for (float x = std::floor(x0); x < x1; x += 12.f)
        dl->AddRectFilled(ImVec2(x, yy - 1), ImVec2(std::min(x + 8.f, x1), yy + 1), c);
}

}  // namespace

ImVec4 draw_power_plot(AppState& s, ImVec2 size) {
    const RunData& d = s.run;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##power", size);
    const bool hovered = ImGui::IsItemHovered();
    const float left = 56.f, bottom = 18.f;
    const ImVec2 a(p0.x + left, p0.y + 4), b(p0.x + size.x - 4, p0.y + size.y - bottom);
    const float w = b.x - a.x, h = b.y - a.y;
    dl->AddRectFilled(a, b, colour::kPlotBg);
    if (w < 10 || h < 10) return ImVec4(a.x, a.y, w, h);
    const auto [from, to] = s.window();
    const auto n = static_cast<std::size_t>(std::max(1.f, w / 2));
    const auto bucket = [&](const std::vector<double>& v) {
        return bucketize(d.site.t, v, d.end(), from, to, n);
    };
    const auto load = bucket(d.site.load_kw), evc = bucket(d.site.ev_charge_kw),
               evd = bucket(d.site.ev_discharge_kw), ess = bucket(d.site.ess_kw), pv = bucket(d.site.pv_kw),
               grid = bucket(d.site.grid_kw);
    std::vector<Bucket> grid_b;
    if (s.other) grid_b = bucketize(s.other->site.t, s.other->site.grid_kw, s.other->end(), from, to, n);

    // Vertical range: the stacks, the grid envelope and the limits.
    double hi = 1.0, lo = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        hi = std::max({hi, load[i].mean + evc[i].mean + std::max(0.0, ess[i].mean), grid[i].max});
        lo = std::min({lo, -pv[i].mean + evd[i].mean + std::min(0.0, ess[i].mean), grid[i].min});
        if (!grid_b.empty()) hi = std::max(hi, grid_b[i].max), lo = std::min(lo, grid_b[i].min);
    }
    const auto limits = site_limits(d);
    for (const auto& l : limits) hi = std::max(hi, l.kw), lo = std::min(lo, l.kw);
    hi *= 1.08;
    lo = lo < 0 ? lo * 1.08 : 0;
    const auto y_of = [&](double kw) { return b.y - static_cast<float>((kw - lo) / (hi - lo)) * h; };

    // Tariff bands behind: darker red for dearer import.
    if (!s.run.prices.empty()) {
        const auto bands = price_bands(s.run.prices, from, to, 400);
        double pmin = 1e300, pmax = -1e300;
        for (const auto& band : bands)
            pmin = std::min(pmin, band.import_price), pmax = std::max(pmax, band.import_price);
        for (const auto& band : bands) {
            const double f = pmax > pmin ? (band.import_price - pmin) / (pmax - pmin) : 0.0;
            const ImU32 c =
                IM_COL32(static_cast<int>(30 + 60 * f), static_cast<int>(34 + 20 * (1 - f)), 40, 255);
            dl->AddRectFilled(ImVec2(time_to_x(band.from, from, to, a.x, w), a.y),
                              ImVec2(time_to_x(band.to, from, to, a.x, w), b.y), c);
        }
    }
    // Axis: zero and a few gridlines.
    // About five gridlines at 1, 2 or 5 × 10^k kW.
    const double raw = (hi - lo) / 5;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / mag < 2 ? 2 * mag : raw / mag < 5 ? 5 * mag : 10 * mag;
    for (double v = std::ceil(lo / step) * step; v <= hi; v += step) {
        const float y = y_of(v);
        dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), v == 0 ? colour::kAxis : IM_COL32(60, 62, 70, 255));
        char lab[32];
        std::snprintf(lab, sizeof lab, "%g kW", v);
        dl->AddText(ImVec2(p0.x + 2, y - 7), IM_COL32(170, 170, 180, 255), lab);
    }
    // Stacks, one 2-px column per bucket.
    for (std::size_t i = 0; i < n; ++i) {
        const float x = a.x + static_cast<float>(i) * 2;
        double up = 0, down = 0;
        const auto push = [&](double kw, ImU32 c) {
            if (kw <= 0) return;
            dl->AddRectFilled(ImVec2(x, y_of(up + kw)), ImVec2(x + 2, y_of(up)), c);
            up += kw;
        };
        const auto pull = [&](double kw, ImU32 c) {
            if (kw <= 0) return;
            dl->AddRectFilled(ImVec2(x, y_of(down)), ImVec2(x + 2, y_of(down - kw)), c);
            down -= kw;
        };
        push(load[i].mean, colour::kLoad);
        push(evc[i].mean, colour::kEvCharge);
        push(ess[i].mean, colour::kEssCharge);
        pull(pv[i].mean, colour::kPv);
        pull(-ess[i].mean, colour::kEssDischarge);
        pull(-evd[i].mean, colour::kEvDischarge);
    }
    // Grid power: the envelope (min..max) and the mean as a line; the compared run in orange.
    const auto line = [&](const std::vector<Bucket>& g, ImU32 c) {
        ImVec2 prev;
        bool has_prev = false;
        for (std::size_t i = 0; i < n; ++i) {
            if (!g[i].has_data) {
                has_prev = false;
                continue;
            }
            const float x = a.x + static_cast<float>(i) * 2 + 1;
            if (g[i].max - g[i].min > 1e-9)
                dl->AddLine(ImVec2(x, y_of(g[i].min)), ImVec2(x, y_of(g[i].max)),
                            (c & 0x00ffffff) | 0x60000000);
            const ImVec2 pt(x, y_of(g[i].mean));
            if (has_prev) dl->AddLine(prev, pt, c, 1.5f);
            prev = pt;
            has_prev = true;
        }
    };
    if (!grid_b.empty()) line(grid_b, colour::kGridB);
    line(grid, colour::kGrid);
    for (const auto& l : limits) {
        const float y = y_of(l.kw);
        dashed_hline(dl, a.x, b.x, y, colour::kLimit);
        const ImVec2 ts = ImGui::CalcTextSize(l.label.c_str());
        const ImVec2 tp(b.x - ts.x - 4, y + (l.kw > 0 ? 3.f : -3.f - ts.y));
        dl->AddRectFilled(tp, ImVec2(tp.x + ts.x, tp.y + ts.y), colour::kPlotBg);
        dl->AddText(tp, IM_COL32(255, 200, 200, 255), l.label.c_str());
    }
    // Time labels and the cursor.
    dl->AddText(ImVec2(a.x, b.y + 2), IM_COL32(170, 170, 180, 255), s.time.format(from).c_str());
    const std::string end_label = s.time.format(to);
    dl->AddText(ImVec2(b.x - ImGui::CalcTextSize(end_label.c_str()).x, b.y + 2), IM_COL32(170, 170, 180, 255),
                end_label.c_str());
    const float cx = time_to_x(s.playback.cursor(), from, to, a.x, w);
    dl->AddLine(ImVec2(cx, a.y), ImVec2(cx, b.y), colour::kCursor, 1.5f);
    if (hovered) {
        const Time t = x_to_time(ImGui::GetIO().MousePos.x, from, to, a.x, w);
        const std::size_t i = row_at(d.site.t, t);
        if (i != kNoRow)
            ImGui::SetTooltip("%s\ngrid %.1f kW  EV %.1f kW  PV %.1f kW  ESS %.1f kW  load %.1f kW",
                              s.time.format(t).c_str(), d.site.grid_kw[i], d.site.ev_kw[i], d.site.pv_kw[i],
                              d.site.ess_kw[i], d.site.load_kw[i]);
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) s.playback.seek(t);
    }
    // Legend.
    float lx = a.x + 6;
    const auto legend = [&](const char* name, ImU32 c) {
        dl->AddRectFilled(ImVec2(lx, a.y + 6), ImVec2(lx + 10, a.y + 16), c);
        dl->AddText(ImVec2(lx + 13, a.y + 4), IM_COL32(220, 220, 225, 255), name);
        lx += 20 + ImGui::CalcTextSize(name).x;
    };
    legend("load", colour::kLoad);
    legend("EV charge", colour::kEvCharge);
    legend("EV discharge", colour::kEvDischarge);
    legend("ESS", colour::kEssCharge);
    legend("PV", colour::kPv);
    legend(s.other ? "grid (run A)" : "grid", colour::kGrid);
    if (s.other) legend("grid (run B)", colour::kGridB);
    return ImVec4(a.x, a.y, w, h);
}

}  // namespace evtwin::viewer
