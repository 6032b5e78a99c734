// The Feeder tab: the distribution feeder behind the site as a tree from the substation (left), its
// buses coloured by their voltage at the cursor against their band, the site's buses ringed.
#include "viewer/app/colours.hpp"
#include "viewer/app/panels.hpp"

#include <cmath>
#include <cstdio>

namespace evtwin::viewer {
namespace {

constexpr std::size_t kNamedBuses = 40;

ImU32 bus_colour(const FeederMap::Bus& bus, const std::optional<std::pair<double, double>>& range) {
    if (!range) return colour::kVoltageUnknown;
    switch (voltage_state(bus, *range)) {
        case VoltageState::low:
            return colour::kVoltageLow;
        case VoltageState::high:
            return colour::kVoltageHigh;
        case VoltageState::within:
            break;
    }
    return colour::kVoltageWithin;
}

void tooltip(const AppState& s, const FeederMap& map, std::size_t bus, Time t) {
    const FeederMap::Bus& b = map.buses[bus];
    std::string text = "bus " + b.name + " at " + s.time.format(t) + ":";
    char part[64];
    for (int phase = 1; phase <= 3; ++phase)
        if (const auto v = map.voltage_at(bus, phase, t)) {
            std::snprintf(part, sizeof part, " %c %.4f", "abc"[phase - 1], *v);
            text += part;
        }
    std::snprintf(part, sizeof part, " pu (band %.3f-%.3f)%s", b.v_min_pu, b.v_max_pu,
                  b.site ? ", a site" : "");
    text += part;
    ImGui::SetTooltip("%s", text.c_str());
}

}  // namespace

ImVec4 draw_feeder(AppState& s) {
    if (!s.run.feeder) return {};
    const FeederMap& map = *s.run.feeder;
    const Time t = s.playback.cursor();
    ImGui::Text(
        "%s, %zu buses at the cursor: red below its band, green within, blue above, grey not yet solved; "
        "ringed: the site's; orange: transformers",
        map.name.c_str(), map.buses.size());
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const ImVec2 size = ImGui::GetContentRegionAvail();
    ImGui::InvisibleButton("##feeder", ImVec2(std::max(size.x, 1.f), std::max(size.y, 1.f)));
    const float margin = 14.f;
    const ImVec2 a(p0.x + margin, p0.y + margin);
    const float label_room = 48.f;  // for the names of the deepest buses
    const float w = size.x - 2 * margin - label_room, h = size.y - 2 * margin;
    if (w < 10 || h < 10) return {};
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), colour::kPlotBg);
    const auto at = [&](const FeederMap::Bus& b) { return ImVec2(a.x + b.x * w, a.y + b.y * h); };
    for (const FeederMap::Branch& br : map.branches)
        if (br.from < map.buses.size() && br.to < map.buses.size())
            dl->AddLine(at(map.buses[br.from]), at(map.buses[br.to]),
                        br.transformer ? colour::kFeederTransformer : colour::kFeederLine,
                        br.transformer ? 3.f : 1.5f);
    const float radius = std::clamp(h / static_cast<float>(map.buses.size() + 1), 3.f, 7.f);
    std::optional<std::size_t> hovered;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (std::size_t b = 0; b < map.buses.size(); ++b) {
        const FeederMap::Bus& bus = map.buses[b];
        const ImVec2 c = at(bus);
        dl->AddCircleFilled(c, radius, bus_colour(bus, map.range_at(b, t)));
        if (bus.site) dl->AddCircle(c, radius + 3.f, colour::kCursor, 0, 2.f);
        // Names where there is room for them, and always the site's.
        if (bus.site || map.buses.size() <= kNamedBuses)
            dl->AddText(ImVec2(c.x + radius + 4.f, c.y - radius - 12.f), IM_COL32(190, 190, 200, 255),
                        bus.name.c_str());
        if (std::hypot(mouse.x - c.x, mouse.y - c.y) <= radius + 3.f) hovered = b;
    }
    if (hovered && ImGui::IsItemHovered()) tooltip(s, map, *hovered, t);
    return ImVec4(a.x, a.y, w, h);
}

}  // namespace evtwin::viewer
