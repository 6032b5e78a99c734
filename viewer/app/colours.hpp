#pragma once
// The viewer's palette (ImGui packed ABGR colours). The screenshot test looks for kLimit in the
// power plot, so nothing else may use that exact colour.
#include <imgui.h>

#include <evtwin/ids.hpp>

namespace evtwin::viewer::colour {

inline constexpr ImU32 kLimit = IM_COL32(255, 48, 48, 255);
inline constexpr ImU32 kGrid = IM_COL32(240, 240, 240, 255);
inline constexpr ImU32 kGridB = IM_COL32(255, 170, 0, 255);  // the compared run's grid power
inline constexpr ImU32 kLoad = IM_COL32(120, 120, 140, 220);
inline constexpr ImU32 kEvCharge = IM_COL32(60, 140, 230, 230);
inline constexpr ImU32 kEvDischarge = IM_COL32(160, 90, 220, 230);
inline constexpr ImU32 kEssCharge = IM_COL32(40, 190, 170, 230);
inline constexpr ImU32 kEssDischarge = IM_COL32(20, 130, 110, 230);
inline constexpr ImU32 kPv = IM_COL32(250, 210, 40, 230);
inline constexpr ImU32 kCursor = IM_COL32(255, 255, 255, 200);
inline constexpr ImU32 kPlotBg = IM_COL32(22, 24, 30, 255);
inline constexpr ImU32 kAxis = IM_COL32(90, 90, 100, 255);
inline constexpr ImU32 kLoop = IM_COL32(80, 160, 255, 50);
// The stations panel: opaque, so the screenshot test finds them exactly.
inline constexpr ImU32 kStationCharge = IM_COL32(60, 140, 230, 255);
inline constexpr ImU32 kStationDischarge = IM_COL32(175, 90, 225, 255);

// A feeder bus by its voltage against its band (the Feeder tab; opaque and exact for the
// screenshot test): below it, within it, above it, and not yet solved.
inline constexpr ImU32 kVoltageLow = IM_COL32(235, 60, 50, 255);
inline constexpr ImU32 kVoltageWithin = IM_COL32(70, 190, 90, 255);
inline constexpr ImU32 kVoltageHigh = IM_COL32(70, 110, 240, 255);
inline constexpr ImU32 kVoltageUnknown = IM_COL32(110, 110, 110, 255);
inline constexpr ImU32 kFeederLine = IM_COL32(150, 150, 160, 255);
inline constexpr ImU32 kFeederTransformer = IM_COL32(230, 170, 60, 255);

// Battery health grades A-D (docs/battery.md); the screenshot test looks for these in the site tree.
inline ImU32 grade(char g) {
    switch (g) {
        case 'A':
            return IM_COL32(40, 180, 120, 255);
        case 'B':
            return IM_COL32(150, 200, 60, 255);
        case 'C':
            return IM_COL32(240, 170, 40, 255);
        case 'D':
            return IM_COL32(225, 70, 60, 255);
    }
    return IM_COL32(120, 120, 120, 255);
}

// IEC 61851 pilot states: A no vehicle, B connected, C charging, E/F error.
inline ImU32 state(PilotState s) {
    switch (s) {
        case PilotState::A:
            return IM_COL32(110, 110, 110, 255);
        case PilotState::B:
            return IM_COL32(230, 200, 40, 255);
        case PilotState::C:
            return IM_COL32(50, 200, 80, 255);
        case PilotState::E:
            return IM_COL32(230, 120, 20, 255);
        case PilotState::F:
            return IM_COL32(220, 30, 90, 255);
    }
    return IM_COL32(0, 0, 0, 255);
}

// Heatmap: charging in blue-to-yellow, discharging in purple.
inline ImU32 heat(float kw, float max_abs) {
    if (max_abs <= 0.f) return IM_COL32(0, 0, 0, 0);
    const float x = kw / max_abs;
    if (x < 0) {
        const auto a = static_cast<int>(60 + 195 * (-x > 1 ? 1 : -x));
        return IM_COL32(170, 80, 230, a);
    }
    const float c = x > 1 ? 1 : x;
    return IM_COL32(static_cast<int>(40 + 215 * c), static_cast<int>(70 + 160 * c),
                    static_cast<int>(200 - 160 * c), 255);
}

}  // namespace evtwin::viewer::colour
