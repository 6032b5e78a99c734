// Stacked site power over the plot window: consumption (load, EV charging, ESS charging) stacked
// up, supply (PV, ESS discharging, V2G) stacked down, the net grid power as a line (min-max
// envelope when zoomed out), node limits as dashed red lines and the tariff's price bands behind.
#include "viewer/app/colours.hpp"
#include "viewer/app/panels.hpp"
#include "viewer/timeline/time_entry.hpp"

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

// The plot's area on screen, its time window and its vertical range.
struct Frame {
    ImDrawList* dl;
    ImVec2 a, b;  // top left, bottom right
    float w, h;
    Time from, to;
    double lo = 0.0, hi = 1.0;  // kW
    float y_of(double kw) const { return b.y - static_cast<float>((kw - lo) / (hi - lo)) * h; }
    float x_of(Time t) const { return time_to_x(t, from, to, a.x, w); }
};

// Tariff bands behind: darker red for dearer import.
void draw_price_bands(const Frame& f, const PriceColumns& prices) {
    if (prices.empty()) return;
    const auto bands = price_bands(prices, f.from, f.to, 400);
    double pmin = 1e300, pmax = -1e300;
    for (const auto& band : bands)
        pmin = std::min(pmin, band.import_price), pmax = std::max(pmax, band.import_price);
    for (const auto& band : bands) {
        const double k = pmax > pmin ? (band.import_price - pmin) / (pmax - pmin) : 0.0;
        const ImU32 c = IM_COL32(static_cast<int>(30 + 60 * k), static_cast<int>(34 + 20 * (1 - k)), 40, 255);
        f.dl->AddRectFilled(ImVec2(f.x_of(band.from), f.a.y), ImVec2(f.x_of(band.to), f.b.y), c);
    }
}

// About five gridlines at 1, 2 or 5 × 10^k kW, labelled from `label_x`; zero as the axis.
void draw_gridlines(const Frame& f, float label_x) {
    const double raw = (f.hi - f.lo) / 5;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / mag < 2 ? 2 * mag : raw / mag < 5 ? 5 * mag : 10 * mag;
    for (double v = std::ceil(f.lo / step) * step; v <= f.hi; v += step) {
        const float y = f.y_of(v);
        f.dl->AddLine(ImVec2(f.a.x, y), ImVec2(f.b.x, y), v == 0 ? colour::kAxis : IM_COL32(60, 62, 70, 255));
        char lab[32];
        std::snprintf(lab, sizeof lab, "%g kW", v);
        f.dl->AddText(ImVec2(label_x, y - 7), IM_COL32(170, 170, 180, 255), lab);
    }
}

// The site's power per bucket, one 2-px column each.
struct Stacks {
    std::vector<Bucket> load, ev_charge, ev_discharge, ess, pv, grid;
};

void draw_stacks(const Frame& f, const Stacks& st, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        const float x = f.a.x + static_cast<float>(i) * 2;
        double up = 0, down = 0;
        const auto push = [&](double kw, ImU32 c) {
            if (kw <= 0) return;
            f.dl->AddRectFilled(ImVec2(x, f.y_of(up + kw)), ImVec2(x + 2, f.y_of(up)), c);
            up += kw;
        };
        const auto pull = [&](double kw, ImU32 c) {
            if (kw <= 0) return;
            f.dl->AddRectFilled(ImVec2(x, f.y_of(down)), ImVec2(x + 2, f.y_of(down - kw)), c);
            down -= kw;
        };
        push(st.load[i].mean, colour::kLoad);
        push(st.ev_charge[i].mean, colour::kEvCharge);
        push(st.ess[i].mean, colour::kEssCharge);
        pull(st.pv[i].mean, colour::kPv);
        pull(-st.ess[i].mean, colour::kEssDischarge);
        pull(-st.ev_discharge[i].mean, colour::kEvDischarge);
    }
}

// Grid power: the envelope (min..max) and the mean as a line.
void draw_grid_line(const Frame& f, const std::vector<Bucket>& g, ImU32 c) {
    ImVec2 prev;
    bool has_prev = false;
    for (std::size_t i = 0; i < g.size(); ++i) {
        if (!g[i].has_data) {
            has_prev = false;
            continue;
        }
        const float x = f.a.x + static_cast<float>(i) * 2 + 1;
        if (g[i].max - g[i].min > 1e-9)
            f.dl->AddLine(ImVec2(x, f.y_of(g[i].min)), ImVec2(x, f.y_of(g[i].max)),
                          (c & 0x00ffffff) | 0x60000000);
        const ImVec2 pt(x, f.y_of(g[i].mean));
        if (has_prev) f.dl->AddLine(prev, pt, c, 1.5f);
        prev = pt;
        has_prev = true;
    }
}

void draw_limits(const Frame& f, const std::vector<Limit>& limits) {
    for (const auto& l : limits) {
        const float y = f.y_of(l.kw);
        dashed_hline(f.dl, f.a.x, f.b.x, y, colour::kLimit);
        const ImVec2 ts = ImGui::CalcTextSize(l.label.c_str());
        const ImVec2 tp(f.b.x - ts.x - 4, y + (l.kw > 0 ? 3.f : -3.f - ts.y));
        f.dl->AddRectFilled(tp, ImVec2(tp.x + ts.x, tp.y + ts.y), colour::kPlotBg);
        f.dl->AddText(tp, IM_COL32(255, 200, 200, 255), l.label.c_str());
    }
}

void draw_legend(const Frame& f, bool compared) {
    float lx = f.a.x + 6;
    const auto legend = [&](const char* name, ImU32 c) {
        f.dl->AddRectFilled(ImVec2(lx, f.a.y + 6), ImVec2(lx + 10, f.a.y + 16), c);
        f.dl->AddText(ImVec2(lx + 13, f.a.y + 4), IM_COL32(220, 220, 225, 255), name);
        lx += 20 + ImGui::CalcTextSize(name).x;
    };
    legend("load", colour::kLoad);
    legend("EV charge", colour::kEvCharge);
    legend("EV discharge", colour::kEvDischarge);
    legend("ESS", colour::kEssCharge);
    legend("PV", colour::kPv);
    legend(compared ? "grid (run A)" : "grid", colour::kGrid);
    if (compared) legend("grid (run B)", colour::kGridB);
}

// Time labels under the plot, the playback cursor, and the hovered instant's tooltip (a click seeks there).
void draw_time(const Frame& f, AppState& s, bool hovered) {
    const RunData& d = s.run;
    f.dl->AddText(ImVec2(f.a.x, f.b.y + 2), IM_COL32(170, 170, 180, 255), s.time.format(f.from).c_str());
    const std::string end_label = s.time.format(f.to);
    f.dl->AddText(ImVec2(f.b.x - ImGui::CalcTextSize(end_label.c_str()).x, f.b.y + 2),
                  IM_COL32(170, 170, 180, 255), end_label.c_str());
    const float cx = f.x_of(s.playback.cursor());
    f.dl->AddLine(ImVec2(cx, f.a.y), ImVec2(cx, f.b.y), colour::kCursor, 1.5f);
    if (!hovered) return;
    const Time t = x_to_time(ImGui::GetIO().MousePos.x, f.from, f.to, f.a.x, f.w);
    const std::size_t i = row_at(d.site.t, t);
    if (i != kNoRow)
        ImGui::SetTooltip("%s\ngrid %.1f kW  EV %.1f kW  PV %.1f kW  ESS %.1f kW  load %.1f kW",
                          s.time.format(t).c_str(), d.site.grid_kw[i], d.site.ev_kw[i], d.site.pv_kw[i],
                          d.site.ess_kw[i], d.site.load_kw[i]);
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) s.playback.seek(t);
}

}  // namespace

ImVec4 draw_power_plot(AppState& s, ImVec2 size) {
    const RunData& d = s.run;
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##power", size);
    const bool hovered = ImGui::IsItemHovered();
    const float left = 56.f, bottom = 18.f;
    const ImVec2 a(p0.x + left, p0.y + 4), b(p0.x + size.x - 4, p0.y + size.y - bottom);
    const std::pair<Time, Time> window = s.window();
    const Time from = window.first, to = window.second;
    Frame f{ImGui::GetWindowDrawList(), a, b, b.x - a.x, b.y - a.y, from, to};
    f.dl->AddRectFilled(a, b, colour::kPlotBg);
    if (f.w < 10 || f.h < 10) return ImVec4(a.x, a.y, f.w, f.h);
    const auto n = static_cast<std::size_t>(std::max(1.f, f.w / 2));
    const auto bucket = [&](const std::vector<double>& v) {
        return bucketize(d.site.t, v, d.end(), from, to, n);
    };
    const Stacks st{bucket(d.site.load_kw), bucket(d.site.ev_charge_kw), bucket(d.site.ev_discharge_kw),
                    bucket(d.site.ess_kw),  bucket(d.site.pv_kw),        bucket(d.site.grid_kw)};
    std::vector<Bucket> grid_b;
    if (s.other) grid_b = bucketize(s.other->site.t, s.other->site.grid_kw, s.other->end(), from, to, n);

    // Vertical range: the stacks, the grid envelope and the limits.
    for (std::size_t i = 0; i < n; ++i) {
        f.hi = std::max(
            {f.hi, st.load[i].mean + st.ev_charge[i].mean + std::max(0.0, st.ess[i].mean), st.grid[i].max});
        f.lo = std::min(
            {f.lo, -st.pv[i].mean + st.ev_discharge[i].mean + std::min(0.0, st.ess[i].mean), st.grid[i].min});
        if (!grid_b.empty()) f.hi = std::max(f.hi, grid_b[i].max), f.lo = std::min(f.lo, grid_b[i].min);
    }
    const auto limits = site_limits(d);
    for (const auto& l : limits) f.hi = std::max(f.hi, l.kw), f.lo = std::min(f.lo, l.kw);
    f.hi *= 1.08;
    f.lo = f.lo < 0 ? f.lo * 1.08 : 0;

    draw_price_bands(f, s.run.prices);
    draw_gridlines(f, p0.x + 2);
    draw_stacks(f, st, n);
    if (!grid_b.empty()) draw_grid_line(f, grid_b, colour::kGridB);  // the compared run in orange
    draw_grid_line(f, st.grid, colour::kGrid);
    draw_limits(f, limits);
    draw_time(f, s, hovered);
    draw_legend(f, s.other.has_value());
    return ImVec4(a.x, a.y, f.w, f.h);
}

}  // namespace evtwin::viewer
